// What a customer is told when a ticket can no longer be reopened: when it was resolved, in their zone, and
// the offer of a new ticket linked to it (the button opens the filing form prefilled).
import { DateTime } from 'luxon';
import type { Policy } from '../../policy/schema';
import type { Instant } from '../../sla';
import type { Ticket } from '../../tickets/model';
import { card, escape, execute, text, type AdaptiveCard } from '../types';
import type { Clock } from './common';

/** A calendar date in the viewer's zone (the policy's when Teams did not say). */
function dateIn(policy: Policy, t: Instant, clock: Clock): string {
  return DateTime.fromMillis(t, { zone: clock.viewerZone ?? policy.timeZone }).toFormat('cccc d LLLL yyyy');
}

/**
 * @example reopenRefusal(policy, ticket, clock)
 *   // 'TM-1042 was resolved on Friday 27 November 2026, more than 14 days ago, so it cannot be reopened. …'
 */
export function reopenRefusal(policy: Policy, t: Pick<Ticket, 'id' | 'resolvedAt'>, clock: Clock): string {
  const on = t.resolvedAt === undefined ? '' : ` on ${dateIn(policy, t.resolvedAt, clock)}`;
  return `${t.id} was resolved${on}, more than ${policy.reopen.windowDays} days ago, so it cannot be reopened. Would you like to file a new ticket about it?`;
}

/** The refusal with a button that opens the filing form, prefilled and linked to the old ticket. */
export function reopenRefusedCard(
  policy: Policy,
  t: Pick<Ticket, 'id' | 'resolvedAt' | 'title'>,
  clock: Clock,
  reason: string,
): AdaptiveCard {
  return card(
    [
      text(`Reopen · ${t.id}`, { weight: 'bolder', size: 'medium' }),
      text(escape(t.title), { isSubtle: true, spacing: 'none' }),
      text(escape(reopenRefusal(policy, t, clock))),
    ],
    {
      actions: [
        execute(
          'File a new ticket',
          'ticket.follow-up',
          { ticketId: t.id, ...(reason === '' ? {} : { reason }) },
          { style: 'positive' },
        ),
      ],
    },
  );
}
