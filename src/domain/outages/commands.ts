// Outage commands: pure functions that take an outage and return the next one with its history rows.
// Validation lives here, so every entry point (card, tab API) refuses the same bad input the same way.
import { EXCLUSION_CATEGORIES, type ExclusionCategory } from '../policy/schema';
import { MINUTE_MS, type Instant } from '../sla';
import { fail, illegalMove, invalidInput, notAllowed, ok, type Result } from '../tickets/errors';
import type { Actor, Person } from '../tickets/model';
import { oneLineText, OUTAGE_LIMITS, plainText } from '../tickets/fields';
import type { CardRef, ChangeType, Outage, OutageChange } from './model';

/** Clocks of people and servers differ a little: a time up to this far after `now` is still "now". */
export const CLOCK_SLACK_MS = 2 * MINUTE_MS;
/** Outages before this are refused as typing mistakes (2000-01-01T00:00Z). */
const EARLIEST = Date.UTC(2000, 0, 1);

export interface RecordInput {
  readonly start: Instant;
  /** Null: still ongoing. */
  readonly end: Instant | null;
  readonly affected: string;
  readonly cause: string;
  /** An exclusion to ask for at once (it still needs a manager's approval). */
  readonly exclusion?: { readonly category: string; readonly justification: string } | undefined;
  /** The card it was recorded from (a form in Teams), kept up to date from then on. */
  readonly card?: CardRef | undefined;
}

export type OutageCommand =
  | { readonly kind: 'end'; readonly at: Instant }
  | {
      readonly kind: 'edit';
      readonly start?: Instant | undefined;
      /** Null reopens it as ongoing. */
      readonly end?: Instant | null | undefined;
      readonly affected?: string | undefined;
      readonly cause?: string | undefined;
    }
  | { readonly kind: 'request-exclusion'; readonly category: string; readonly justification: string }
  | { readonly kind: 'withdraw-exclusion' }
  | { readonly kind: 'approve-exclusion'; readonly note?: string | undefined }
  | { readonly kind: 'reject-exclusion'; readonly note?: string | undefined }
  | {
      readonly kind: 'link-card';
      readonly card: CardRef;
      readonly slot?: 'card' | 'approvalCard' | undefined;
    };

export interface OutageChangeSet {
  readonly outage: Outage;
  /** History rows without outageId/seq (the service numbers them). */
  readonly changes: readonly Omit<OutageChange, 'outageId' | 'seq'>[];
}

export type Iso = (t: Instant) => string;

const person = (a: Actor): Person => ({ id: a.id, name: a.name });

/** Typed text cleaned (`plainText`, or `oneLineText` for a single-line field) and checked against its limit. */
function clean(
  value: string,
  field: string,
  label: string,
  max: number,
  required: boolean,
  line = false,
): Result<string> {
  const v = line ? oneLineText(value) : plainText(value);
  if (required && v === '') return fail(invalidInput(`${label} is required.`, field));
  if (v.length > max)
    return fail(invalidInput(`${label} is ${v.length} characters; at most ${max} are allowed.`, field));
  return ok(v);
}

export function isCategory(text: string): text is ExclusionCategory {
  return (EXCLUSION_CATEGORIES as readonly string[]).includes(text);
}

function category(text: string): Result<ExclusionCategory> {
  const c = text
    .trim()
    .replace(/^\((.)\)$/, '$1')
    .toLowerCase();
  if (!isCategory(c))
    return fail(
      invalidInput(
        `Exclusion category "${text.slice(0, 20)}" is not one of (a), (b), (c), (d), (e).`,
        'category',
      ),
    );
  return ok(c);
}

/** Checks start and end against each other and against now. */
function checkTimes(start: Instant, end: Instant | null, now: Instant): Result<null> {
  if (!Number.isFinite(start) || start < EARLIEST)
    return fail(invalidInput('The start is not a valid time.', 'start'));
  if (start > now + CLOCK_SLACK_MS) return fail(invalidInput('The start is in the future.', 'start'));
  if (end === null) return ok(null);
  if (!Number.isFinite(end)) return fail(invalidInput('The end is not a valid time.', 'end'));
  if (end <= start) return fail(invalidInput('The end must be after the start.', 'end'));
  if (end > now + CLOCK_SLACK_MS)
    return fail(invalidInput('The end is in the future; leave it empty while the outage is ongoing.', 'end'));
  return ok(null);
}

/**
 * A new outage from what an engineer recorded, with its first history row.
 * @example recordOutage('OUT-1', { start, end: null, affected: 'Calling', cause: 'SBC failure' }, alice, now, iso)
 */
export function recordOutage(
  id: string,
  input: RecordInput,
  actor: Actor,
  now: Instant,
  iso: Iso,
): Result<OutageChangeSet> {
  if (actor.role !== 'engineer' && actor.role !== 'manager')
    return fail(notAllowed('Only support staff can record outages.'));
  const times = checkTimes(input.start, input.end, now);
  if (!times.ok) return times;
  const affected = clean(input.affected, 'affected', 'What was affected', OUTAGE_LIMITS.affected, true, true);
  if (!affected.ok) return affected;
  const cause = clean(input.cause, 'cause', 'The cause', OUTAGE_LIMITS.cause, false);
  if (!cause.ok) return cause;
  const by = person(actor);
  let outage: Outage = {
    id,
    start: input.start,
    end: input.end,
    affected: affected.value,
    cause: cause.value,
    exclusion: null,
    createdBy: by,
    createdAt: now,
    updatedAt: now,
    version: 1,
    historyCount: 0,
    lastChange: { at: now, by, what: 'recorded it' },
    ...(input.card === undefined ? {} : { card: input.card }),
  };
  const changes: OutageChangeSet['changes'][number][] = [
    {
      at: now,
      type: 'recorded',
      actor,
      text: `Recorded: ${iso(input.start)} – ${input.end === null ? 'ongoing' : iso(input.end)}`,
      data: { start: input.start, end: input.end, affected: affected.value, cause: cause.value },
    },
  ];
  if (input.exclusion !== undefined && input.exclusion.category.trim() !== '') {
    const asked = applyOutage(outage, actor, { kind: 'request-exclusion', ...input.exclusion }, now, iso);
    if (!asked.ok) return asked;
    outage = { ...asked.value.outage, version: 1, lastChange: outage.lastChange };
    changes.push(...asked.value.changes);
  }
  return ok({ outage, changes });
}

function next(o: Outage, actor: Actor, now: Instant, what: string, patch: Partial<Outage>): Outage {
  return {
    ...o,
    ...patch,
    updatedAt: now,
    version: o.version + 1,
    lastChange: { at: now, by: person(actor), what },
  };
}

function one(
  outage: Outage,
  actor: Actor,
  now: Instant,
  type: ChangeType,
  text: string,
  data?: OutageChange['data'],
): Result<OutageChangeSet> {
  return ok({ outage, changes: [{ at: now, type, actor, text, ...(data === undefined ? {} : { data }) }] });
}

/**
 * Applies one command. Staff only; approving or rejecting an exclusion is for managers.
 * Changing the times of an outage whose exclusion was approved sends the exclusion back for approval.
 * @example applyOutage(o, alice, { kind: 'end', at: now }, now, iso) // ok: end fixed, history "Ended …"
 */
export function applyOutage(
  o: Outage,
  actor: Actor,
  cmd: OutageCommand,
  now: Instant,
  iso: Iso,
): Result<OutageChangeSet> {
  if (actor.role !== 'engineer' && actor.role !== 'manager' && actor.role !== 'system')
    return fail(notAllowed('Only support staff can change outages.'));
  switch (cmd.kind) {
    case 'end': {
      if (o.end !== null) return fail(illegalMove(`${o.id} already ended at ${iso(o.end)}.`));
      const times = checkTimes(o.start, cmd.at, now);
      if (!times.ok) return times;
      return one(
        next(o, actor, now, 'ended it', { end: cmd.at }),
        actor,
        now,
        'ended',
        `Ended ${iso(cmd.at)}`,
        {
          end: cmd.at,
        },
      );
    }
    case 'edit': {
      const start = cmd.start ?? o.start;
      const end = cmd.end === undefined ? o.end : cmd.end;
      const times = checkTimes(start, end, now);
      if (!times.ok) return times;
      const affected =
        cmd.affected === undefined
          ? ok(o.affected)
          : clean(cmd.affected, 'affected', 'What was affected', OUTAGE_LIMITS.affected, true, true);
      if (!affected.ok) return affected;
      const cause =
        cmd.cause === undefined
          ? ok(o.cause)
          : clean(cmd.cause, 'cause', 'The cause', OUTAGE_LIMITS.cause, false);
      if (!cause.ok) return cause;
      const data: Record<string, string | number | null> = {};
      const parts: string[] = [];
      if (start !== o.start) {
        data['startFrom'] = o.start;
        data['startTo'] = start;
        parts.push(`start ${iso(o.start)} → ${iso(start)}`);
      }
      if (end !== o.end) {
        data['endFrom'] = o.end;
        data['endTo'] = end;
        parts.push(`end ${o.end === null ? 'ongoing' : iso(o.end)} → ${end === null ? 'ongoing' : iso(end)}`);
      }
      if (affected.value !== o.affected) {
        data['affectedFrom'] = o.affected;
        data['affectedTo'] = affected.value;
        parts.push('what was affected');
      }
      if (cause.value !== o.cause) {
        data['causeFrom'] = o.cause;
        data['causeTo'] = cause.value;
        parts.push('cause');
      }
      if (parts.length === 0) return fail(invalidInput('Nothing was changed.'));
      const timesMoved = start !== o.start || end !== o.end;
      const ex = o.exclusion;
      const exclusion =
        timesMoved && ex?.status === 'approved'
          ? {
              category: ex.category,
              justification: ex.justification,
              status: 'requested' as const,
              requestedBy: ex.requestedBy,
              requestedAt: ex.requestedAt,
            }
          : ex;
      const reopen = exclusion !== ex;
      const text = `Edited: ${parts.join('; ')}${reopen ? ' (the exclusion needs approval again)' : ''}`;
      return one(
        next(o, actor, now, 'edited it', {
          start,
          end,
          affected: affected.value,
          cause: cause.value,
          exclusion,
        }),
        actor,
        now,
        'edited',
        text,
        data,
      );
    }
    case 'request-exclusion': {
      const cat = category(cmd.category);
      if (!cat.ok) return cat;
      const why = clean(
        cmd.justification,
        'justification',
        'A justification',
        OUTAGE_LIMITS.justification,
        true,
      );
      if (!why.ok) return why;
      if (
        o.exclusion !== null &&
        o.exclusion.status !== 'rejected' &&
        o.exclusion.category === cat.value &&
        o.exclusion.justification === why.value
      )
        return fail(illegalMove(`Exclusion (${cat.value}) was already requested for ${o.id}.`));
      const exclusion = {
        category: cat.value,
        justification: why.value,
        status: 'requested' as const,
        requestedBy: person(actor),
        requestedAt: now,
      };
      return one(
        next(o, actor, now, 'asked for an exclusion', { exclusion }),
        actor,
        now,
        'exclusion-requested',
        `Exclusion (${cat.value}) requested: ${why.value}`,
        { category: cat.value, previous: o.exclusion === null ? null : o.exclusion.category },
      );
    }
    case 'withdraw-exclusion': {
      if (o.exclusion === null) return fail(illegalMove(`${o.id} has no exclusion to withdraw.`));
      return one(
        next(o, actor, now, 'withdrew the exclusion', { exclusion: null }),
        actor,
        now,
        'exclusion-withdrawn',
        `Exclusion (${o.exclusion.category}) withdrawn`,
        { category: o.exclusion.category, status: o.exclusion.status },
      );
    }
    case 'approve-exclusion':
    case 'reject-exclusion': {
      const approve = cmd.kind === 'approve-exclusion';
      if (actor.role !== 'manager')
        return fail(notAllowed(`Only a manager can ${approve ? 'approve' : 'reject'} an exclusion.`));
      const ex = o.exclusion;
      if (ex === null) return fail(illegalMove(`${o.id} has no exclusion to decide on.`));
      if (ex.status !== 'requested')
        return fail(
          illegalMove(
            `Exclusion (${ex.category}) of ${o.id} was already ${ex.status} by ${ex.decidedBy?.name ?? 'a manager'}.`,
          ),
        );
      const note = clean(cmd.note ?? '', 'note', 'The note', OUTAGE_LIMITS.note, false);
      if (!note.ok) return note;
      const decided = {
        ...ex,
        status: approve ? ('approved' as const) : ('rejected' as const),
        decidedBy: person(actor),
        decidedAt: now,
        ...(note.value === '' ? {} : { note: note.value }),
      };
      return one(
        next(o, actor, now, approve ? 'approved the exclusion' : 'rejected the exclusion', {
          exclusion: decided,
        }),
        actor,
        now,
        approve ? 'exclusion-approved' : 'exclusion-rejected',
        `Exclusion (${ex.category}) ${approve ? 'approved' : 'rejected'}${note.value === '' ? '' : `: ${note.value}`}`,
        { category: ex.category },
      );
    }
    case 'link-card':
      // Bookkeeping, not a change anyone made: no version bump, no history row.
      return ok({ outage: { ...o, [cmd.slot ?? 'card']: cmd.card }, changes: [] });
  }
}
