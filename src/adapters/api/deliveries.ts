// Where the customer's messages of a ticket stand, for the tab after a staff action: each message the customer
// is told in their chat (a reply, a question, a work-around…) after a given event, as sending, delivered,
// retrying, failed or not sent for want of a chat. The ticket's undelivered list says what went wrong; the
// notice log says what Teams accepted.
import { isForCustomer } from '../../domain/cards/customer/notice';
import type { Ticket, TicketEvent } from '../../domain/tickets/model';
import type { DeliveryView } from './contract';

/** Which customer messages Teams has accepted (the notice log, written after each delivery). */
export interface DeliveryLog {
  wasDelivered(ticketId: string, seq: number): Promise<boolean>;
}

function contactWords(t: Ticket): string {
  return t.callbackNumber === undefined
    ? 'Phone or email the customer (no callback number on the ticket).'
    : `Call the customer at ${t.callbackNumber} or email them.`;
}

/**
 * The customer messages after event `since` (the rating card, which follows a resolution by itself, left
 * out) and where each stands.
 * @example await deliveryViews(ticket, events, 41, log) // [{ seq: 42, state: 'delivered', text: 'Delivered to the customer’s chat.' }]
 */
export async function deliveryViews(
  t: Ticket,
  events: readonly TicketEvent[],
  since: number,
  log: DeliveryLog | undefined,
): Promise<DeliveryView[]> {
  const messages = events.filter((e) => e.seq > since && e.type !== 'rating-asked' && isForCustomer(e));
  const views: DeliveryView[] = [];
  for (const e of messages) {
    const issue = t.undelivered?.find((i) => i.seq === e.seq);
    if (issue !== undefined) {
      views.push(
        issue.state === 'retrying'
          ? {
              seq: e.seq,
              state: 'retrying',
              text: `Not delivered to the customer's chat yet (retrying): ${issue.reason}.`,
            }
          : {
              seq: e.seq,
              state: 'failed',
              text: `Not delivered to the customer's chat: ${issue.reason}. ${contactWords(t)}`,
            },
      );
    } else if ((await log?.wasDelivered(t.id, e.seq)) === true) {
      views.push({ seq: e.seq, state: 'delivered', text: "Delivered to the customer's chat." });
    } else if (t.customerChat === undefined) {
      views.push({
        seq: e.seq,
        state: 'no-chat',
        text: `Not sent: the customer has no chat with SLA Desk yet. ${contactWords(t)}`,
      });
    } else {
      views.push({ seq: e.seq, state: 'sending', text: "Delivering it to the customer's chat…" });
    }
  }
  return views;
}
