// What the customer is told once a ticket is filed: the promise sentence (when a reply is due, and for a
// ticket that pages, what happens now) and the confirmation card.
import type { Policy } from '../../policy/schema';
import type { Instant } from '../../sla';
import type { Ticket } from '../../tickets/model';
import { duration } from '../time';
import { card, escape, execute, text, type AdaptiveCard } from '../types';
import { at, due, refreshFor, type Clock } from './common';

/**
 * What happens now to a ticket that pages (a P1 after hours): `paged` when someone is on call as primary and
 * the watcher pages them; `nobody` when no one is, with `alerted` when the watcher alarms the support managers
 * (it posts to the support channel, so only when one is set). Undefined for tickets that do not page.
 */
export type Urgent =
  | { readonly kind: 'paged' }
  | { readonly kind: 'nobody'; readonly alerted: boolean; readonly phone: string }
  /** No support channel: nobody can be paged or alerted automatically. */
  | { readonly kind: 'unreachable'; readonly phone: string };

/**
 * The sentence that tells the customer when a reply is due; for a ticket that pages, what happens now comes first.
 * @example "Our on-call engineer is being paged now. Your P1 ticket will get a reply by Saturday 05:00 ET (within 2 h). Support hours resume Monday 04:00 ET."
 */
export function promiseSentence(
  policy: Policy,
  ticket: Ticket,
  open: boolean,
  nextOpening: Instant,
  clock: Clock,
  urgent?: Urgent,
): string {
  const parts: string[] = [];
  const reply = ticket.sla.responseDue;
  if (urgent === undefined) {
    parts.push(open ? 'Support is open now.' : `Support is closed until ${at(policy, nextOpening, clock)}.`);
    if (reply !== null)
      parts.push(`Your ${ticket.priority} ticket will get a reply by ${due(policy, reply, clock)}.`);
    return parts.join(' ');
  }
  const within = reply === null || reply <= clock.now ? '' : `, within ${duration(reply - clock.now)}`;
  if (urgent.kind === 'unreachable') {
    parts.push(
      `We could not alert our on-call team automatically: please call ${escape(urgent.phone)} now for this outage.`,
    );
    if (reply !== null)
      parts.push(
        `A reply to your ${ticket.priority} ticket is due by ${due(policy, reply, clock)}${within}.`,
      );
  } else if (urgent.kind === 'paged') {
    parts.push('Our on-call engineer is being paged now.');
    if (reply !== null)
      parts.push(`Your ${ticket.priority} ticket will get a reply by ${due(policy, reply, clock)}${within}.`);
  } else {
    parts.push(
      urgent.alerted
        ? `Nobody is on call to be paged automatically right now, so we are alerting our support managers now. For the fastest help call ${escape(urgent.phone)}.`
        : `Nobody is on call to be paged automatically right now; please call ${escape(urgent.phone)}.`,
    );
    if (reply !== null)
      parts.push(
        `A reply to your ${ticket.priority} ticket is due by ${due(policy, reply, clock)}${within}.`,
      );
  }
  if (!open) parts.push(`Support hours resume ${at(policy, nextOpening, clock)}.`);
  return parts.join(' ');
}

export interface ConfirmationView {
  readonly policy: Policy;
  readonly ticket: Ticket;
  readonly sentence: string;
  readonly clock: Clock;
  /** The requester's Teams id, so Teams refreshes the card for them. */
  readonly userId: string;
}

/** After filing: id, priority, window, both deadlines in both zones, and the plain sentence. */
export function confirmationCard(v: ConfirmationView): AdaptiveCard {
  const t = v.ticket;
  return card(
    [
      text(`Ticket ${t.id} filed`, { size: 'large', weight: 'bolder', color: 'good' }),
      text(escape(t.title), { weight: 'bolder' }),
      text(v.sentence),
      {
        type: 'FactSet',
        facts: [
          { title: 'Priority', value: `${t.priority}: ${v.policy.priorities[t.priority].name}` },
          { title: 'Window', value: t.window === 'in-hours' ? 'In support hours' : 'After hours' },
          {
            title: 'Response due',
            value: t.sla.responseDue === null ? 'Paused' : due(v.policy, t.sla.responseDue, v.clock),
          },
          {
            title: 'Work-around due',
            value: t.sla.workaroundDue === null ? 'Paused' : due(v.policy, t.sla.workaroundDue, v.clock),
          },
        ],
      },
    ],
    {
      actions: [
        execute('Show ticket', 'ticket.show', { ticketId: t.id }),
        execute('My tickets', 'tickets.mine'),
      ],
      refresh: refreshFor(t.id, v.userId),
    },
  );
}
