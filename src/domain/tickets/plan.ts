// What each command does to a ticket: the fields it sets, the events it adds and how the change reads.
// Pure: `at` and the SLA engine come in as parameters. `apply` (commands.ts) checks roles and stamps it.
import type { Instant, SlaEngine } from '../sla';
import { priorityRank } from '../sla';
import { DomainError, fail, illegalMove, invalidInput, ok, type Result } from './errors';
import { cleanLine, cleanText, LIMITS, parsePriority } from './fields';
import { OPEN_STATUSES, type Actor, type EventType, type Ticket, type TicketStatus } from './model';
import { ticketSla } from './sla-view';
import { ackKey, pageAwaitingAck } from './paging';
import { person, type Command, type NewEvent } from './command-types';
import { planAttach, planDetach, withFiles } from '../attachments/plan';

export interface Draft {
  fields: Partial<Omit<Ticket, 'id' | 'sla'>>;
  events: NewEvent[];
  what: string;
}

const isOpen = (s: TicketStatus): boolean => OPEN_STATUSES.has(s);

function needOpen(t: Ticket, doing: string): DomainError | null {
  if (isOpen(t.status)) return null;
  return illegalMove(
    `Cannot ${doing}: ${t.id} is ${t.status}.${t.status === 'resolved' || t.status === 'closed' ? ' Reopen it first.' : ''}`,
  );
}

/** A message from staff to the customer: meets the response target the first time. */
function toCustomer(t: Ticket, at: Instant): Partial<Omit<Ticket, 'id' | 'sla'>> {
  return t.responseMetAt === undefined ? { responseMetAt: at } : {};
}

/** Ends a running pause (the customer answered). */
function endPause(t: Ticket, at: Instant): Partial<Omit<Ticket, 'id' | 'sla'>> {
  if (t.status !== 'waiting-on-customer') return {};
  const pauses = t.pauses.map((p, i) =>
    i === t.pauses.length - 1 && p.end === undefined ? { start: p.start, end: Math.max(at, p.start) } : p,
  );
  return { pauses, status: t.resumeStatus ?? 'responded', resumeStatus: undefined };
}

type EventMaker = (type: EventType, text?: string, data?: NewEvent['data'], internal?: boolean) => NewEvent;

/**
 * A customer message's delivery: a first failure or a final one is recorded on the timeline and kept on the
 * ticket (the staff card shows it); a delivery after trouble clears it. Nothing changes when nothing is new.
 */
function deliveryChange(
  t: Ticket,
  cmd: Extract<Command, { kind: 'delivery' }>,
  at: Instant,
  ev: EventMaker,
): Result<Draft> {
  const reason = cleanText(cmd.reason, 'reason', LIMITS.reason, true);
  if (!reason.ok) return reason;
  const what = cleanLine(cmd.what, 'what', LIMITS.name);
  if (!what.ok) return what;
  const issues = t.undelivered ?? [];
  const known = issues.find((i) => i.seq === cmd.seq);
  const rest = issues.filter((i) => i.seq !== cmd.seq);
  const data = { seq: cmd.seq, state: cmd.state, reason: reason.value };
  const gone = cmd.unreachable === true ? { chatUnreachable: { at, reason: reason.value } } : {};
  if (cmd.state === 'delivered') {
    if (known === undefined) return ok({ fields: {}, events: [], what: 'delivered a message' });
    return ok({
      fields: { undelivered: rest },
      events: [ev('delivery-recovered', `The ${what.value} reached the customer.`, data, true)],
      what: `delivered the ${what.value}`,
    });
  }
  if (known?.state === cmd.state || known?.state === 'failed')
    return ok({ fields: {}, events: [], what: 'noted a delivery' });
  const text =
    cmd.state === 'retrying'
      ? `The ${what.value} has not reached the customer yet (retrying): ${reason.value}`
      : `The ${what.value} could not be delivered to the customer: ${reason.value}`;
  return ok({
    fields: {
      ...gone,
      undelivered: [
        ...rest,
        {
          seq: cmd.seq,
          at: cmd.at,
          what: what.value,
          state: cmd.state,
          reason: reason.value,
          since: known?.since ?? at,
        },
      ],
    },
    events: [ev('delivery-failed', text, data, true)],
    what: cmd.state === 'retrying' ? `retried the ${what.value}` : `could not deliver the ${what.value}`,
  });
}

/**
 * Taking ownership (the take command, or the first reply's) acknowledges a page chain still waiting for it: the
 * new owner has seen the ticket, so the chain stops. Assigning does not (the assignee has not seen it).
 */
function ownerAcks(
  engine: SlaEngine,
  t: Ticket,
  actor: Actor,
  at: Instant,
  ev: EventMaker,
  how: string,
): { fields: Pick<Ticket, 'notified'> | Record<string, never>; events: NewEvent[] } {
  if (pageAwaitingAck(engine, t, at) === undefined) return { fields: {}, events: [] };
  const key = ackKey(at);
  return {
    fields: { notified: [...t.notified, key] },
    events: [ev('page-acknowledged', `${actor.name} took the ticket${how}`, { by: actor.id, key }, true)],
  };
}

/** When a ticket escalated less than the cooldown ago can be escalated again; undefined when it can now. */
export function nextEscalationAt(
  cooldownMinutes: number,
  t: Pick<Ticket, 'lastEscalationAt'>,
  now: Instant,
): Instant | undefined {
  if (t.lastEscalationAt === undefined) return undefined;
  const next = t.lastEscalationAt + cooldownMinutes * 60_000;
  return now < next ? next : undefined;
}

/** The desk's own choices about tickets (settings, not the support policy). */
export interface TicketRules {
  /** The first message to the customer on an unowned ticket makes its sender the owner (OWNER_ON_FIRST_REPLY). */
  readonly ownerOnFirstReply: boolean;
}

export const DEFAULT_RULES: TicketRules = { ownerOnFirstReply: true };

export function plan(
  t: Ticket,
  actor: Actor,
  cmd: Command,
  at: Instant,
  engine: SlaEngine,
  rules: TicketRules = DEFAULT_RULES,
): Result<Draft> {
  const ev = (type: EventType, text?: string, data?: NewEvent['data'], internal = false): NewEvent => ({
    at,
    type,
    actor,
    text,
    internal,
    data,
  });
  switch (cmd.kind) {
    case 'take': {
      const closed = needOpen(t, 'take ownership');
      if (closed) return fail(closed);
      if (t.owner?.id === actor.id) return fail(illegalMove(`You already own ${t.id}.`));
      if (t.owner !== undefined) {
        return fail(
          new DomainError(
            'STALE_TICKET',
            `${t.owner.name} already took ownership of ${t.id}. Use Reassign to take it over.`,
            {
              by: t.owner.name,
            },
          ),
        );
      }
      const acks = ownerAcks(engine, t, actor, at, ev, '');
      return ok({
        fields: { owner: person(actor), ...acks.fields },
        events: [ev('owner-changed', undefined, { from: null, to: actor.name }, true), ...acks.events],
        what: 'took ownership',
      });
    }
    case 'assign': {
      const closed = needOpen(t, 'reassign');
      if (closed) return fail(closed);
      const name = cleanLine(cmd.to.name, 'name', LIMITS.name);
      if (!name.ok) return name;
      if (cmd.to.id.length === 0 || cmd.to.id.length > LIMITS.id)
        return fail(invalidInput('The engineer to assign is not valid.', 'owner'));
      if (t.owner?.id === cmd.to.id) return fail(illegalMove(`${name.value} already owns ${t.id}.`));
      return ok({
        fields: { owner: { id: cmd.to.id, name: name.value } },
        events: [ev('owner-changed', undefined, { from: t.owner?.name ?? null, to: name.value }, true)],
        what: `assigned it to ${name.value}`,
      });
    }
    case 'reply':
    case 'ask':
    case 'workaround': {
      const doing =
        cmd.kind === 'reply'
          ? 'reply'
          : cmd.kind === 'ask'
            ? 'ask the customer for information'
            : 'deliver a work-around';
      const closed = needOpen(t, doing);
      if (closed) return fail(closed);
      const text = cleanText(cmd.text, 'message', LIMITS.message);
      if (!text.ok) return text;
      const resumed = endPause(t, at);
      const current = resumed.status ?? t.status;
      // Whoever first writes to the customer on an unowned ticket owns it from then on (said in the timeline).
      const takes = rules.ownerOnFirstReply && t.owner === undefined && actor.role !== 'system';
      const acks = takes
        ? ownerAcks(engine, t, actor, at, ev, ' with the first reply')
        : { fields: {}, events: [] };
      const owning = takes ? { owner: person(actor), ...acks.fields } : {};
      const owned = takes
        ? [
            ev('owner-changed', 'Took ownership with the first reply', { from: null, to: actor.name }, true),
            ...acks.events,
          ]
        : [];
      if (cmd.kind === 'ask') {
        if (t.pauses.length >= LIMITS.pauses)
          return fail(
            illegalMove(
              `${t.id} has waited on the customer ${LIMITS.pauses} times; no more pauses can be recorded.`,
            ),
          );
        return ok({
          fields: {
            ...owning,
            ...toCustomer(t, at),
            ...resumed,
            status: 'waiting-on-customer',
            resumeStatus: current === 'new' ? 'responded' : current,
            pauses: [...(resumed.pauses ?? t.pauses), { start: at }],
          },
          events: [...owned, ev('info-requested', text.value)],
          what: 'asked the customer for information',
        });
      }
      if (cmd.kind === 'workaround') {
        return ok({
          fields: {
            ...owning,
            ...toCustomer(t, at),
            ...resumed,
            status: 'workaround-delivered',
            ...(t.workaroundMetAt === undefined ? { workaroundMetAt: at } : {}),
          },
          events: [...owned, ev('workaround-delivered', text.value)],
          what: 'delivered a work-around',
        });
      }
      return ok({
        fields: {
          ...owning,
          ...toCustomer(t, at),
          ...resumed,
          status: current === 'new' ? 'responded' : current,
        },
        events: [...owned, withFiles(ev('engineer-reply', text.value), cmd.files)],
        what: 'replied to the customer',
      });
    }
    case 'customer-message': {
      if (t.status === 'closed')
        return fail(illegalMove(`${t.id} is closed. Reopen it or file a new ticket.`));
      const text = cleanText(cmd.text, 'message', LIMITS.message);
      if (!text.ok) return text;
      const resumed = endPause(t, at);
      const events = [
        ev(t.status === 'waiting-on-customer' ? 'customer-answered' : 'customer-message', text.value),
      ];
      // The requester writing from their chat shows it works: messages for them go there again.
      const chat =
        cmd.chat !== undefined && actor.id === t.requester.id
          ? { customerChat: cmd.chat, chatUnreachable: undefined }
          : {};
      return ok({
        fields: { ...resumed, ...chat },
        events,
        what: t.status === 'waiting-on-customer' ? 'answered' : 'wrote',
      });
    }
    case 'change-priority': {
      const closed = needOpen(t, 'change the priority');
      if (closed) return fail(closed);
      const to = parsePriority(cmd.to);
      if (!to.ok) return to;
      if (cmd.to === t.priority) return fail(illegalMove(`${t.id} is already ${t.priority}.`));
      const reason = cleanText(cmd.reason, 'reason', LIMITS.reason);
      if (!reason.ok) return reason;
      if (t.priorityChanges.length >= LIMITS.priorityChanges)
        return fail(illegalMove(`${t.id} has changed priority too many times.`));
      const changes = [
        ...t.priorityChanges,
        { at, from: t.priority, to: cmd.to, by: person(actor), reason: reason.value },
      ];
      const before = ticketSla(engine, t).sla;
      const after = ticketSla(engine, { ...t, priority: cmd.to, priorityChanges: changes }).sla;
      const raised = priorityRank(cmd.to) < priorityRank(t.priority);
      return ok({
        fields: { priority: cmd.to, priorityChanges: changes },
        events: [
          ev('priority-changed', reason.value, {
            from: t.priority,
            to: cmd.to,
            direction: raised ? 'raised' : 'lowered',
            oldResponseDue: before.responseDue,
            newResponseDue: after.responseDue,
            oldWorkaroundDue: before.workaroundDue,
            newWorkaroundDue: after.workaroundDue,
          }),
        ],
        what: `${raised ? 'raised' : 'lowered'} the priority to ${cmd.to}`,
      });
    }
    case 'fix': {
      if (t.status === 'closed') return fail(illegalMove(`${t.id} is closed.`));
      const release = cleanLine(cmd.release, 'release', LIMITS.release);
      if (!release.ok) return release;
      const text = cleanText(cmd.text ?? '', 'message', LIMITS.message, true);
      if (!text.ok) return text;
      return ok({
        fields: { fix: { release: release.value, at, by: person(actor) } },
        events: [ev('fix-recorded', text.value === '' ? undefined : text.value, { release: release.value })],
        what: `recorded a permanent fix in release ${release.value}`,
      });
    }
    case 'resolve': {
      const closed = needOpen(t, 'resolve');
      if (closed) return fail(closed);
      const text = cleanText(cmd.text ?? '', 'message', LIMITS.message, true);
      if (!text.ok) return text;
      const resumed = endPause(t, at);
      return ok({
        fields: {
          ...toCustomer(t, at),
          ...resumed,
          status: 'resolved',
          resumeStatus: undefined,
          resolvedAt: at,
          ...(t.workaroundMetAt === undefined ? { workaroundMetAt: at } : {}),
        },
        events: [ev('resolved', text.value === '' ? undefined : text.value)],
        what: 'resolved it',
      });
    }
    case 'close': {
      if (t.status !== 'resolved')
        return fail(illegalMove(`Only a resolved ticket can be closed; ${t.id} is ${t.status}.`));
      return ok({ fields: { status: 'closed', closedAt: at }, events: [ev('closed')], what: 'closed it' });
    }
    case 'reopen': {
      if (t.status !== 'resolved' && t.status !== 'closed')
        return fail(illegalMove(`${t.id} is ${t.status}, not resolved or closed.`));
      const reason = cleanText(cmd.reason ?? '', 'reason', LIMITS.reason, true);
      if (!reason.ok) return reason;
      return ok({
        fields: {
          status: t.responseMetAt === undefined ? 'new' : 'responded',
          resolvedAt: undefined,
          closedAt: undefined,
        },
        events: [ev('reopened', reason.value === '' ? undefined : reason.value)],
        what: 'reopened it',
      });
    }
    case 'note': {
      const text = cleanText(cmd.text, 'note', LIMITS.message);
      if (!text.ok) return text;
      return ok({
        fields: {},
        events: [ev('internal-note', text.value, undefined, true)],
        what: 'added an internal note',
      });
    }
    case 'escalate': {
      const closed = needOpen(t, 'escalate');
      if (closed) return fail(closed);
      // The cooldown first: nobody is asked for a reason for an escalation that cannot happen yet.
      const next = nextEscalationAt(engine.policy.escalation.customerCooldownMinutes, t, at);
      if (next !== undefined) {
        return fail(
          new DomainError(
            'RATE_LIMITED',
            `${t.id} was escalated recently; it can be escalated again after the cooldown.`,
            { nextAllowedAt: next },
          ),
        );
      }
      const reason = cleanText(cmd.reason, 'reason', LIMITS.reason);
      if (!reason.ok) return reason;
      return ok({
        fields: { lastEscalationAt: at },
        events: [ev('escalation-requested', reason.value)],
        what: 'asked for escalation',
      });
    }
    case 'delivery':
      return deliveryChange(t, cmd, at, ev);
    case 'attach':
      return planAttach(t, actor, cmd, ev);
    case 'detach':
      return planDetach(t, actor, cmd, ev);
    case 'link-thread':
      return ok({
        fields: { thread: cmd.thread },
        events: [],
        what: 'posted the ticket in the support channel',
      });
    case 'record': {
      const text = cleanText(cmd.text, 'message', LIMITS.message);
      if (!text.ok) return text;
      const key = cmd.data?.['key'];
      // A key marks something done once: a warning posted, a page chain scheduled, a page acknowledged.
      const notified =
        typeof key === 'string' && !t.notified.includes(key) ? { notified: [...t.notified, key] } : {};
      return ok({
        fields: notified,
        events: [ev(cmd.type, text.value, cmd.data, true)],
        what: cmd.type.replace('-', ' '),
      });
    }
  }
}
