// Reopening from the customer's chat: the resolution's Reopen button and "reopen TM-1042: why". Inside the
// policy's window the ticket is reopened and the customer told the new reply deadline; after it they are
// offered a new ticket linked to the old one. Another tenant's id is answered like a missing one.
import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { promiseSentence } from '../../domain/cards/customer/confirmation';
import { reopenRefusedCard } from '../../domain/cards/customer/reopen';
import type { AdaptiveCard } from '../../domain/cards/types';
import { LIMITS } from '../../domain/tickets/fields';
import { customerMayReopen } from '../../domain/tickets/rounds';
import { clockFor, customerOf, notCustomerText, sendCard, type Customer } from './deps';
import { formFor, urgentOf } from './filing';
import { actorOf, notFound, scopeOf, ticketCard, type FollowingDeps } from './following';
import { messageText } from './teams';

const COMMAND = /^\s*reopen\s+#?([A-Za-z]{1,8}-\d{1,10})\b\s*[:,-]?\s*([\s\S]*)$/i;
/** "reopen" without a ticket id ("reopen", "reopen my ticket"): asked which one. */
const BARE =
  /^\s*(?:please\s+)?reopen(?:\s+(?:my|the|a|this|that))?(?:\s+ticket)?\s*(?:please)?\s*[.!?]?\s*$/i;
/** The answer to a bare "reopen". */
export const WHICH_TICKET = 'Which ticket? For example: reopen TM-1042: what did not hold';
const withTicket = z.object({ ticketId: z.string().regex(/^[A-Za-z]{1,8}-\d{1,10}$/) });
// Bounded well past the limit, so an over-long reason gets the answer that names the limit.
const withReason = withTicket.extend({
  reason: z
    .string()
    .max(LIMITS.reason * 8)
    .optional(),
});

/** Reopens the caller's ticket, or says why not (after the window: the offer of a linked new ticket). */
async function reopen(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  reason: string,
  actionId: string | undefined,
): Promise<AdaptiveCard | string> {
  const found = await deps.tickets.get(scopeOf(customer), id);
  if (!found.ok)
    return found.error.code === 'TICKET_NOT_FOUND'
      ? notFound(deps, customer, 'ticket.reopen', id)
      : found.error.message;
  const clock = clockFor(customer.caller, deps);
  const t = found.value;
  const closed = t.status === 'resolved' || t.status === 'closed';
  if (closed && !customerMayReopen(deps.policy, t, clock.now))
    return reopenRefusedCard(deps.policy, t, clock, reason);
  if (!closed)
    return `${t.id} is still open, so there is nothing to reopen. To add to it, type "${t.id}: …".`;
  if (reason.trim() === '')
    return `Please say why ${t.id} did not hold, for example: reopen ${t.id}: the calls drop again.`;
  const acted = await deps.tickets.act(
    scopeOf(customer),
    id,
    actorOf(customer),
    { kind: 'reopen', reason },
    { actionId },
  );
  if (!acted.ok) {
    if (acted.error.code === 'TICKET_NOT_FOUND') return notFound(deps, customer, 'ticket.reopen', id);
    if (acted.error.details['reopenWindowPassed'] === true)
      return reopenRefusedCard(deps.policy, t, clock, reason);
    return acted.error.message;
  }
  const now = acted.value.ticket;
  const sentence = promiseSentence(
    deps.policy,
    now,
    deps.engine.calendar.inSupportHours(clock.now),
    deps.engine.calendar.nextOpening(clock.now),
    clock,
    await urgentOf(deps, now),
  );
  return ticketCard(deps, customer, now.id, `${now.id} is reopened. ${sentence}`);
}

/** The filing form for a ticket that could not be reopened: prefilled, and linked to it. */
async function followUpForm(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  reason: string,
): Promise<AdaptiveCard | string> {
  const found = await deps.tickets.get(scopeOf(customer), id);
  if (!found.ok)
    return found.error.code === 'TICKET_NOT_FOUND'
      ? notFound(deps, customer, 'ticket.follow-up', id)
      : found.error.message;
  return formFor(deps, reason, undefined, found.value);
}

export function register(app: Application, deps: FollowingDeps): void {
  app.message(BARE, async (context) => {
    const customer = customerOf(context, deps);
    await context.sendActivity(customer === undefined ? notCustomerText(deps.contact) : WHICH_TICKET);
  });
  app.message(COMMAND, async (context) => {
    const customer = customerOf(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    const m = COMMAND.exec(messageText(context));
    const id = (m?.[1] ?? '').toUpperCase();
    const result = await reopen(deps, customer, id, (m?.[2] ?? '').trim(), context.activity.id);
    await (typeof result === 'string' ? context.sendActivity(result) : sendCard(context, result));
  });
  app.adaptiveCards.actionExecute('ticket.reopen', async (context, _state, data) => {
    const customer = customerOf(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    const parsed = withReason.safeParse(data);
    if (!parsed.success) return 'That card is not valid any more.';
    const { ticketId, reason = '' } = parsed.data;
    return reopen(deps, customer, ticketId.toUpperCase(), reason, context.activity.id);
  });
  app.adaptiveCards.actionExecute('ticket.follow-up', async (context, _state, data) => {
    const customer = customerOf(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    const parsed = withReason.safeParse(data);
    if (!parsed.success) return 'That card is not valid any more.';
    const { ticketId, reason = '' } = parsed.data;
    return followUpForm(deps, customer, ticketId.toUpperCase(), reason.slice(0, LIMITS.description));
  });
}
