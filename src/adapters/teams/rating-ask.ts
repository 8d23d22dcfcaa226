// After a resolution reached the customer's chat: one rating card for that resolution. The ask is recorded on
// the ticket first, under an action id of the resolution, so a second delivery of the resolution notice (the
// repair pass, another instance) finds it asked and sends nothing; then the card is sent.
import { ratingCard } from '../../domain/cards/customer/rating';
import { messageOf } from '../../domain/kit/errors';
import type { ChatRef, Ticket, TicketEvent } from '../../domain/tickets/model';
import { ratingOf } from '../../domain/tickets/rating';
import type { TeamsDeps } from './deps';
import { failureText } from './outbound';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };

type AskDeps = Pick<TeamsDeps, 'policy' | 'tickets' | 'now' | 'log' | 'outbound' | 'messages'>;

/** The action id that makes asking for a resolution's rating happen once across instances. */
export function ratingAskId(ticketId: string, resolvedAt: number): string {
  return `${ticketId}:rating:${resolvedAt}`;
}

/** Asks the customer to rate the resolution `e` (a delivered 'resolved' event); nothing when asked before. */
export async function askForRating(
  deps: AskDeps,
  ticket: Ticket,
  chat: ChatRef,
  e: TicketEvent,
): Promise<void> {
  if (e.type !== 'resolved' || ratingOf(ticket, e.at) !== undefined) return;
  let asked: Ticket;
  try {
    const acted = await deps.tickets.act(
      { kind: 'staff' },
      ticket.id,
      SYSTEM,
      { kind: 'ask-rating', resolvedAt: e.at },
      { actionId: ratingAskId(ticket.id, e.at) },
    );
    // Refused: reopened since, asked already (another delivery), or too many asks; a duplicate: asked already.
    if (!acted.ok || acted.value.duplicate) return;
    asked = acted.value.ticket;
  } catch (err) {
    deps.log.warn('could not record a rating request', { ticket: ticket.id, error: messageOf(err) });
    return;
  }
  const record = ratingOf(asked, e.at);
  if (record === undefined) return;
  const card = ratingCard(deps.policy, asked, record, {
    now: deps.now(),
    viewerZone: asked.requester.timeZone,
  });
  try {
    const sent = await deps.outbound.patiently(() =>
      deps.outbound.toCustomer(chat, card, `${asked.id}: rating`),
    );
    if (sent !== undefined)
      await deps.messages.remember(
        asked.tenantId,
        { conversationId: chat.conversationId, activityId: sent },
        asked.id,
      );
  } catch (err) {
    // Recorded as asked, so it is not sent twice; the log says it did not arrive.
    deps.log.warn('rating card not delivered', { ticket: asked.id, reason: failureText(err) });
  }
}
