// Ticket commands: take a ticket and an actor's command, return the next ticket and its new events.
// Pure: `now` and the SLA engine come in as parameters; nothing here touches storage or Teams.
import type { Instant, Priority, SlaEngine } from '../sla';
import { priorityRank } from '../sla';
import { DomainError, fail, illegalMove, invalidInput, notAllowed, ok, type Result } from './errors';
import { checkTicketFields, cleanText, firstError, LIMITS, parsePriority } from './fields';
import {
  OPEN_STATUSES,
  type Actor,
  type ChatRef,
  type EventType,
  type Person,
  type Ticket,
  type TicketEvent,
  type TicketStatus,
  type ThreadRef,
} from './model';
import { ticketSla } from './sla-view';

export type NewEvent = Omit<TicketEvent, 'ticketId' | 'seq'>;

/** A command's outcome: the ticket as it is now and the events to append. */
export interface Change {
  readonly ticket: Ticket;
  readonly events: readonly NewEvent[];
}

/** What a customer files: the ticket's own fields, and the priority they chose. */
export type NewTicketInput = Pick<
  Ticket,
  | 'requestId'
  | 'tenantId'
  | 'customerName'
  | 'requester'
  | 'title'
  | 'description'
  | 'category'
  | 'priority'
  | 'affectedUsers'
  | 'callbackNumber'
  | 'customerChat'
>;

export type Command =
  | { readonly kind: 'take' }
  | { readonly kind: 'assign'; readonly to: Person }
  | { readonly kind: 'reply'; readonly text: string }
  | { readonly kind: 'ask'; readonly text: string }
  | {
      readonly kind: 'customer-message';
      readonly text: string;
      /** The requester's 1:1 chat it came from: deliveries go there again (a chat marked unreachable is not). */
      readonly chat?: ChatRef | undefined;
    }
  | { readonly kind: 'change-priority'; readonly to: Priority; readonly reason: string }
  | { readonly kind: 'workaround'; readonly text: string }
  | { readonly kind: 'fix'; readonly release: string; readonly text?: string | undefined }
  | { readonly kind: 'resolve'; readonly text?: string | undefined }
  | { readonly kind: 'close' }
  | { readonly kind: 'reopen'; readonly reason?: string | undefined }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'escalate'; readonly reason: string }
  | { readonly kind: 'link-thread'; readonly thread: ThreadRef }
  | {
      /** How a message for the customer fared: its issue is set (retrying, failed) or cleared (delivered). */
      readonly kind: 'delivery';
      readonly seq: number;
      /** When the message was written. */
      readonly at: Instant;
      readonly what: string;
      readonly state: 'retrying' | 'failed' | 'delivered';
      readonly reason: string;
      /** The chat itself is gone (app removed, conversation not found): later messages are not tried. */
      readonly unreachable?: boolean | undefined;
    }
  | {
      readonly kind: 'record';
      readonly type: RecordType;
      readonly text: string;
      readonly data?: Readonly<Record<string, string | number | boolean | null>> | undefined;
    };

export type CommandKind = Command['kind'];

/** What the app records on a ticket's timeline by itself (warnings, pages, deliveries). */
export type RecordType =
  | 'warning-sent'
  | 'page-sent'
  | 'page-acknowledged'
  | 'page-scheduled'
  | 'page-reached'
  | 'page-failed'
  | 'paging-alarm'
  | 'channel-missing'
  | 'delivery-failed'
  | 'delivery-recovered';

const STAFF_ONLY: ReadonlySet<CommandKind> = new Set([
  'take',
  'assign',
  'reply',
  'ask',
  'change-priority',
  'workaround',
  'fix',
  'resolve',
  'note',
]);
const CUSTOMER_ONLY: ReadonlySet<CommandKind> = new Set(['customer-message', 'escalate']);

function person(a: Actor): Person {
  return { id: a.id, name: a.name };
}

/**
 * Files a new ticket: window fixed at `now` (the dispatch instant), deadlines from the engine.
 * @example openTicket('TM-1042', input, Date.parse('2026-11-27T23:10-05:00'), engine)
 *   // ok: status 'new', window 'after-hours', sla.responseDue = Mon 2026-11-30 05:10 ET
 */
export function openTicket(
  id: string,
  input: NewTicketInput,
  now: Instant,
  engine: SlaEngine,
): Result<Change> {
  const fields = checkTicketFields(input);
  if (!fields.ok) return fail(firstError(fields.errors));
  const name = cleanText(input.requester.name, 'name', LIMITS.name);
  if (!name.ok) return name;
  const { title, description, category, priority, affectedUsers, callbackNumber } = fields.value;
  const actor: Actor = { id: input.requester.id, name: name.value, role: 'customer' };
  const base: Omit<Ticket, 'sla'> = {
    id,
    tenantId: input.tenantId,
    customerName: input.customerName,
    requester: { ...input.requester, name: name.value },
    title,
    description,
    category,
    initialPriority: priority,
    priority,
    status: 'new',
    affectedUsers,
    callbackNumber,
    customerChat: input.customerChat,
    dispatchedAt: now,
    window: engine.window(now),
    priorityChanges: [],
    pauses: [],
    notified: [],
    recent: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
    eventCount: 0,
    lastChange: { at: now, by: person(actor), what: 'filed the ticket' },
    requestId: input.requestId,
  };
  const { sla } = ticketSla(engine, base);
  const ticket: Ticket = { ...base, sla };
  return ok({
    ticket,
    events: [
      {
        at: now,
        type: 'created',
        actor,
        text: description,
        internal: false,
        data: {
          title,
          priority,
          window: ticket.window,
          responseDue: sla.responseDue,
          workaroundDue: sla.workaroundDue,
        },
      },
    ],
  });
}

interface Draft {
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
  const what = cleanText(cmd.what, 'what', LIMITS.name);
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

function plan(t: Ticket, actor: Actor, cmd: Command, at: Instant, engine: SlaEngine): Result<Draft> {
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
      return ok({
        fields: { owner: person(actor) },
        events: [ev('owner-changed', undefined, { from: null, to: actor.name }, true)],
        what: 'took ownership',
      });
    }
    case 'assign': {
      const closed = needOpen(t, 'reassign');
      if (closed) return fail(closed);
      const name = cleanText(cmd.to.name, 'name', LIMITS.name);
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
      if (cmd.kind === 'ask') {
        if (t.pauses.length >= LIMITS.pauses)
          return fail(
            illegalMove(
              `${t.id} has waited on the customer ${LIMITS.pauses} times; no more pauses can be recorded.`,
            ),
          );
        return ok({
          fields: {
            ...toCustomer(t, at),
            ...resumed,
            status: 'waiting-on-customer',
            resumeStatus: current === 'new' ? 'responded' : current,
            pauses: [...(resumed.pauses ?? t.pauses), { start: at }],
          },
          events: [ev('info-requested', text.value)],
          what: 'asked the customer for information',
        });
      }
      if (cmd.kind === 'workaround') {
        return ok({
          fields: {
            ...toCustomer(t, at),
            ...resumed,
            status: 'workaround-delivered',
            ...(t.workaroundMetAt === undefined ? { workaroundMetAt: at } : {}),
          },
          events: [ev('workaround-delivered', text.value)],
          what: 'delivered a work-around',
        });
      }
      return ok({
        fields: { ...toCustomer(t, at), ...resumed, status: current === 'new' ? 'responded' : current },
        events: [ev('engineer-reply', text.value)],
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
      const release = cleanText(cmd.release, 'release', LIMITS.release);
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
      const reason = cleanText(cmd.reason, 'reason', LIMITS.reason);
      if (!reason.ok) return reason;
      const cooldown = engine.policy.escalation.customerCooldownMinutes * 60_000;
      if (t.lastEscalationAt !== undefined && at < t.lastEscalationAt + cooldown) {
        return fail(
          new DomainError(
            'RATE_LIMITED',
            `${t.id} was escalated recently; it can be escalated again after the cooldown.`,
            {
              nextAllowedAt: t.lastEscalationAt + cooldown,
            },
          ),
        );
      }
      return ok({
        fields: { lastEscalationAt: at },
        events: [ev('escalation-requested', reason.value)],
        what: 'asked for escalation',
      });
    }
    case 'delivery':
      return deliveryChange(t, cmd, at, ev);
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

/**
 * Applies one command for one actor at `now`: checks the role and the lifecycle, updates the SLA.
 * Events are stamped no earlier than the ticket's last change, so timelines stay in order across instances.
 * @example apply(ticket, alice, { kind: 'reply', text: 'Looking now' }, now, engine)
 *   // ok: status 'responded', responseMetAt = now, one 'engineer-reply' event
 */
export function apply(
  t: Ticket,
  actor: Actor,
  cmd: Command,
  now: Instant,
  engine: SlaEngine,
): Result<Change> {
  if (STAFF_ONLY.has(cmd.kind) && actor.role !== 'engineer' && actor.role !== 'manager') {
    return fail(notAllowed('Only support staff can do that.'));
  }
  if (CUSTOMER_ONLY.has(cmd.kind) && actor.role !== 'customer')
    return fail(notAllowed('Only the customer can do that.'));
  const staff = actor.role === 'engineer' || actor.role === 'manager';
  const staffAck = cmd.kind === 'record' && cmd.type === 'page-acknowledged' && staff;
  if (
    (cmd.kind === 'record' || cmd.kind === 'link-thread' || cmd.kind === 'delivery') &&
    actor.role !== 'system' &&
    !staffAck
  ) {
    return fail(notAllowed('Only the app records warnings, pages and threads.'));
  }
  const at = Math.max(now, t.updatedAt);
  const draft = plan(t, actor, cmd, at, engine);
  if (!draft.ok) return draft;
  const { fields, events, what } = draft.value;
  const base: Omit<Ticket, 'sla'> = {
    ...t,
    ...fields,
    updatedAt: at,
    version: t.version + 1,
    lastChange: { at, by: person(actor), what },
  };
  const { sla } = ticketSla(engine, base);
  return ok({ ticket: { ...base, sla }, events });
}
