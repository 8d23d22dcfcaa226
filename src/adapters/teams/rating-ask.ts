// After a resolution reached the customer's chat: one rating card for that resolution. The ask is recorded on
// the ticket under an action id of the resolution, so a second delivery of the resolution notice (the repair
// pass, another instance) finds it asked and asks nothing more. The card itself goes out like every customer
// message (customer-delivery.ts): its 'rating-asked' event is delivered, retried, reported on the timeline and
// the staff card when it does not arrive, and sent by the repair pass after a crash.
import { messageOf } from '../../domain/kit/errors';
import type { Ticket, TicketEvent } from '../../domain/tickets/model';
import { ratingOf } from '../../domain/tickets/rating';
import type { TeamsDeps } from './deps';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };

type AskDeps = Pick<TeamsDeps, 'tickets' | 'log'>;

/** The action id that makes asking for a resolution's rating happen once across instances. */
export function ratingAskId(ticketId: string, resolvedAt: number): string {
  return `${ticketId}:rating:${resolvedAt}`;
}

/** Asks the customer to rate the resolution `e` (a delivered 'resolved' event); nothing when asked before. */
export async function askForRating(deps: AskDeps, ticket: Ticket, e: TicketEvent): Promise<void> {
  if (e.type !== 'resolved' || ratingOf(ticket, e.at) !== undefined) return;
  try {
    // Refused when reopened since, asked already (another delivery) or asked too often: nothing to send.
    await deps.tickets.act(
      { kind: 'staff' },
      ticket.id,
      SYSTEM,
      { kind: 'ask-rating', resolvedAt: e.at },
      { actionId: ratingAskId(ticket.id, e.at) },
    );
  } catch (err) {
    deps.log.warn('could not record a rating request', { ticket: ticket.id, error: messageOf(err) });
  }
}
