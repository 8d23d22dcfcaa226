// The outage service: records outages, applies commands with optimistic concurrency, and answers the
// month's availability. Storage comes in through the OutageRepo port; time through `now`.
import { CONTENTION, pause } from '../kit/retry';
import type { Policy } from '../policy/schema';
import {
  isoInZone,
  monthAvailability,
  monthBounds,
  type Instant,
  type MonthAvailability,
  type OutageSpan,
} from '../sla';
import { DomainError, fail, ok, type Result } from '../tickets/errors';
import type { Actor } from '../tickets/model';
import { applyOutage, recordOutage, type OutageCommand, type RecordInput } from './commands';
import { effectiveExclusion, type CardRef, type Outage, type OutageChange } from './model';
import { Listeners } from '../kit/listeners';
import type { OutageRepo, StoredOutage } from './ports';
import { messageOf } from '../kit/errors';

export interface OutageActed {
  readonly outage: Outage;
  readonly changes: readonly OutageChange[];
  /** True when this action id had been applied already; nothing changed now. */
  readonly duplicate: boolean;
}

export interface OutageActOptions {
  /** The version the actor saw; if the outage changed since, the action is refused with who changed it. */
  readonly expectedVersion?: number | undefined;
  /** A unique id of this request (the Teams activity id): a retry does nothing twice. */
  readonly actionId?: string | undefined;
  /** The card the actor pressed: it is answered in place, so listeners leave that copy alone. */
  readonly pressed?: CardRef | undefined;
}

/** A saved change, as listeners are told of it; `cause` is what made it. */
export interface OutageChanged extends OutageActed {
  readonly cause: OutageCommand['kind'] | 'record';
  readonly pressed?: CardRef | undefined;
}

/** The month's outages and availability, as reports need them. */
export interface MonthOutages {
  readonly month: string;
  readonly outages: readonly Outage[];
  readonly availability: MonthAvailability;
}

const MAX_ATTEMPTS = 12;
export const OUTAGE_ID = /^OUT-\d{1,10}$/;

/** Spans for the availability engine: only approved exclusions count as excluded. */
export function spansOf(outages: readonly Outage[]): OutageSpan[] {
  return outages.map((o) => ({ start: o.start, end: o.end, exclusion: effectiveExclusion(o) }));
}

function unavailable(err: unknown): DomainError {
  return new DomainError(
    'STORAGE_UNAVAILABLE',
    'Could not save right now; nothing was changed. Please try again.',
    {
      cause: messageOf(err),
    },
  );
}

function notFound(id: string): DomainError {
  return new DomainError('OUTAGE_NOT_FOUND', `No outage ${id.slice(0, 20)} was found.`, {
    id,
  });
}

function stale(o: Outage): DomainError {
  return new DomainError(
    'STALE_OUTAGE',
    `${o.lastChange.by.name} ${o.lastChange.what} first (${o.id}, ${new Date(o.lastChange.at).toISOString()}).`,
    { by: o.lastChange.by.name, what: o.lastChange.what, at: o.lastChange.at, version: o.version },
  );
}

export class OutageService {
  /** Told after every saved change (not a repeated request's): the outage's cards in Teams subscribe. */
  readonly changes = new Listeners<OutageChanged>();
  constructor(
    private readonly deps: {
      readonly repo: OutageRepo;
      readonly policy: Policy;
      readonly now: () => Instant;
    },
  ) {}

  /** "2026-11-10 12:03 ET": how history rows name times. */
  private readonly iso = (t: Instant): string =>
    `${isoInZone(t, this.deps.policy.timeZone).slice(0, 16).replace('T', ' ')} ${this.deps.policy.timeZoneLabel}`;

  private numbered(
    o: Outage,
    changes: readonly Omit<OutageChange, 'outageId' | 'seq'>[],
    from: number,
  ): OutageChange[] {
    return changes.map((c, i) => ({ ...c, outageId: o.id, seq: from + i + 1 }));
  }

  /** Records an outage; the same action id twice records once. */
  async record(
    actor: Actor,
    input: RecordInput,
    options: Omit<OutageActOptions, 'expectedVersion'> = {},
  ): Promise<Result<OutageActed>> {
    const recorded = await this.recordOnce(actor, input, options);
    if (recorded.ok && !recorded.value.duplicate)
      await this.changes.publish({ ...recorded.value, cause: 'record', pressed: options.pressed });
    return recorded;
  }

  private async recordOnce(
    actor: Actor,
    input: RecordInput,
    options: Omit<OutageActOptions, 'expectedVersion'>,
  ): Promise<Result<OutageActed>> {
    try {
      // Checked before an id is taken, so refused input does not use up numbers.
      const checked = recordOutage('OUT-0', input, actor, this.deps.now(), this.iso);
      if (!checked.ok) return checked;
      if (options.actionId !== undefined) {
        const done = await this.deps.repo.applied(options.actionId);
        if (done !== null) {
          const first = await this.deps.repo.load(done);
          if (first !== null) return ok({ outage: first.outage, changes: [], duplicate: true });
        }
      }
      const id = await this.deps.repo.nextId();
      const outage = { ...checked.value.outage, id, historyCount: checked.value.changes.length };
      const changes = this.numbered(outage, checked.value.changes, 0);
      const outcome = await this.deps.repo.insert(outage, changes, options.actionId);
      if (outcome.kind === 'saved') return ok({ outage: outcome.stored.outage, changes, duplicate: false });
      if (outcome.kind === 'duplicate-action') {
        const first = await this.deps.repo.load(outcome.outageId);
        if (first === null) return fail(notFound(outcome.outageId));
        return ok({ outage: first.outage, changes: [], duplicate: true });
      }
      return fail(unavailable(new Error('id collision')));
    } catch (err) {
      if (err instanceof DomainError) return fail(err);
      return fail(unavailable(err));
    }
  }

  async get(id: string): Promise<Result<Outage>> {
    const key = id.trim().toUpperCase();
    if (!OUTAGE_ID.test(key)) return fail(notFound(id));
    try {
      const stored = await this.deps.repo.load(key);
      return stored === null ? fail(notFound(id)) : ok(stored.outage);
    } catch (err) {
      return fail(unavailable(err));
    }
  }

  async history(id: string): Promise<Result<{ outage: Outage; changes: OutageChange[] }>> {
    const got = await this.get(id);
    if (!got.ok) return got;
    try {
      return ok({ outage: got.value, changes: await this.deps.repo.history(got.value.id) });
    } catch (err) {
      return fail(unavailable(err));
    }
  }

  /** Applies a command with optimistic concurrency (re-reads and re-applies on a concurrent change). */
  async act(
    id: string,
    actor: Actor,
    cmd: OutageCommand,
    options: OutageActOptions = {},
  ): Promise<Result<OutageActed>> {
    const acted = await this.actOnce(id, actor, cmd, options);
    if (acted.ok && !acted.value.duplicate)
      await this.changes.publish({ ...acted.value, cause: cmd.kind, pressed: options.pressed });
    return acted;
  }

  private async actOnce(
    id: string,
    actor: Actor,
    cmd: OutageCommand,
    options: OutageActOptions,
  ): Promise<Result<OutageActed>> {
    const key = id.trim().toUpperCase();
    if (!OUTAGE_ID.test(key)) return fail(notFound(id));
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const stored: StoredOutage | null = await this.deps.repo.load(key);
        if (stored === null) return fail(notFound(id));
        const current = stored.outage;
        const change = applyOutage(current, actor, cmd, this.deps.now(), this.iso);
        // Someone without the right is told so first, whatever version they saw.
        if (!change.ok && change.error.code === 'NOT_ALLOWED') return change;
        if (
          options.expectedVersion !== undefined &&
          current.version !== options.expectedVersion &&
          cmd.kind !== 'link-card'
        )
          return fail(stale(current));
        if (!change.ok) return change;
        const changes = this.numbered(current, change.value.changes, current.historyCount);
        const next: Outage = { ...change.value.outage, historyCount: current.historyCount + changes.length };
        const outcome = await this.deps.repo.save(stored, next, changes, options.actionId);
        if (outcome.kind === 'saved') return ok({ outage: outcome.stored.outage, changes, duplicate: false });
        if (outcome.kind === 'duplicate-action') {
          const again = await this.deps.repo.load(key);
          if (again === null) return fail(notFound(id));
          return ok({ outage: again.outage, changes: [], duplicate: true });
        }
        if (options.expectedVersion !== undefined) {
          const winner = await this.deps.repo.load(key);
          return fail(stale(winner?.outage ?? current));
        }
        await pause(attempt, CONTENTION);
      }
      return fail(new DomainError('STALE_OUTAGE', `${key} is changing too fast; please try again.`));
    } catch (err) {
      if (err instanceof DomainError) return fail(err);
      return fail(unavailable(err));
    }
  }

  /** Outages without an end, oldest first. */
  async ongoing(): Promise<Outage[]> {
    return (await this.deps.repo.ongoing()).sort((a, b) => a.start - b.start);
  }

  /** The outages that touch a month ("2026-11", the policy's zone) and its availability at `now`. */
  async month(month: string, now: Instant = this.deps.now()): Promise<MonthOutages> {
    const { start, end } = monthBounds(month, this.deps.policy.timeZone);
    const outages = (await this.deps.repo.overlapping(start, end)).filter((o) => o.start <= now);
    return {
      month,
      outages,
      availability: monthAvailability(this.deps.policy, month, spansOf(outages), now),
    };
  }
}
