// Ticket commands: take a ticket and an actor's command, return the next ticket and its new events.
// Pure: `now` and the SLA engine come in as parameters; nothing here touches storage or Teams.
import type { Instant, SlaEngine } from '../sla';
import { fail, notAllowed, ok, type Result } from './errors';
import { checkTicketFields, cleanLine, firstError, LIMITS } from './fields';
import type { Actor, Ticket } from './model';
import { ticketSla } from './sla-view';
import { person, type Change, type Command, type CommandKind, type NewTicketInput } from './command-types';
import { DEFAULT_RULES, plan, type TicketRules } from './plan';

export type * from './command-types';

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
  const name = cleanLine(input.requester.name, 'name', LIMITS.name);
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
    lastPersonChange: { version: 1, at: now, by: person(actor), what: 'filed the ticket' },
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
  rules: TicketRules = DEFAULT_RULES,
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
  if (cmd.kind === 'detach' && actor.role !== 'manager' && actor.role !== 'system')
    return fail(notAllowed('Only a support manager can delete a file.'));
  const at = Math.max(now, t.updatedAt);
  const draft = plan(t, actor, cmd, at, engine, rules);
  if (!draft.ok) return draft;
  const { fields, events, what } = draft.value;
  const change = { at, by: person(actor), what };
  const base: Omit<Ticket, 'sla'> = {
    ...t,
    ...fields,
    updatedAt: at,
    version: t.version + 1,
    lastChange: change,
    ...(actor.role === 'system' ? {} : { lastPersonChange: { version: t.version + 1, ...change } }),
  };
  const { sla } = ticketSla(engine, base);
  return ok({ ticket: { ...base, sla }, events });
}
