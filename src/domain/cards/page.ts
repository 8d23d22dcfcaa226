// The page card of a P1 outside support hours: in the ticket's thread and in the engineer's chat, with an
// @mention and Acknowledge (acknowledging stops the steps of the chain not yet sent).
import type { Policy } from '../policy/schema';
import type { Instant } from '../sla';
import type { Ticket } from '../tickets/model';
import { deadline } from './time';
import { card, escape, execute, text, type AdaptiveCard } from './types';

export function pageCard(
  deps: { readonly policy: Policy; now(): Instant },
  ticket: Ticket,
  engineer: { id: string; name: string },
  acknowledged?: string,
): AdaptiveCard {
  const mention = `<at>${escape(engineer.name)}</at>`;
  return card(
    [
      text(`🔔 ${ticket.id} · ${ticket.priority} outside support hours`, {
        weight: 'bolder',
        size: 'medium',
        color: 'attention',
      }),
      text(`${mention}, you are on call: ${escape(ticket.customerName)} reports "${escape(ticket.title)}".`),
      text(
        ticket.sla.responseDue === null
          ? 'The response clock is paused.'
          : `Response due ${deadline(ticket.sla.responseDue, deps.policy.timeZone, deps.now())} ${deps.policy.timeZoneLabel}.`,
        { isSubtle: true },
      ),
      ...(acknowledged === undefined
        ? []
        : [text(escape(acknowledged), { color: 'good', weight: 'bolder' })]),
    ],
    {
      actions:
        acknowledged === undefined
          ? [execute('Acknowledge', 'page.ack', { ticketId: ticket.id }, { style: 'positive' })]
          : [],
      msteams: {
        entities: [{ type: 'mention', text: mention, mentioned: { id: engineer.id, name: engineer.name } }],
      },
    },
  );
}
