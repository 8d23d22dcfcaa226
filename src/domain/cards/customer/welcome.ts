// The welcome card: what the bot does, the support hours, whether support is open now, and how to call.
import type { Policy } from '../../policy/schema';
import type { Instant } from '../../sla';
import { card, escape, execute, text, type AdaptiveCard } from '../types';
import { at, type Clock, type Contact } from './common';

/** The support hours in words, from the policy. */
export function hoursText(policy: Policy): string {
  const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  const days = [...policy.calendar.businessDays].sort((a, b) => a - b);
  const first = names[(days[0] ?? 1) - 1] ?? '';
  const last = names[(days[days.length - 1] ?? 5) - 1] ?? '';
  const span = days.length > 1 ? `${first} to ${last}` : first;
  return `${span}, ${policy.calendar.supportHours.open}–${policy.calendar.supportHours.close} ${policy.timeZoneLabel}`;
}

export interface WelcomeView {
  readonly policy: Policy;
  readonly contact: Contact;
  readonly open: boolean;
  readonly nextOpening: Instant;
  readonly clock: Clock;
  readonly customerName: string;
}

/** On install and on "help": what the bot does, hours, open now or not, how to call. */
export function welcomeCard(v: WelcomeView): AdaptiveCard {
  const status = v.open
    ? 'Support is open now.'
    : `Support is closed until ${at(v.policy, v.nextOpening, v.clock)}.`;
  return card(
    [
      text('SLA Desk', { size: 'large', weight: 'bolder' }),
      text(
        `Support for ${escape(v.customerName)} by the ${escape(v.policy.name)}: file a ticket here, see when a reply is due, follow it, answer questions and ask for escalation.`,
      ),
      {
        type: 'FactSet',
        facts: [
          { title: 'Support hours', value: hoursText(v.policy) },
          { title: 'Right now', value: status },
          { title: 'Phone', value: escape(v.contact.phone) },
          { title: 'Email', value: escape(v.contact.email) },
        ],
      },
      text(
        'Type **new ticket** or just describe the problem. **my tickets** lists yours; **status TM-1042** shows one; **TM-1042: …** adds to it; **reopen TM-1042: …** reopens it if the fix did not hold. To attach files, send them in this chat with **TM-1042: …** or with the problem.',
        { isSubtle: true, size: 'small' },
      ),
    ],
    {
      actions: [
        execute('New ticket', 'ticket.new', {}, { style: 'positive' }),
        execute('My tickets', 'tickets.mine'),
      ],
    },
  );
}
