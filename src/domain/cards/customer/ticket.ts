// One ticket as its customer sees it: state, deadlines with time left, the public timeline, and the
// answer and escalate buttons.
import type { Policy } from '../../policy/schema';
import { LIMITS } from '../../tickets/fields';
import type { Ticket, TicketEvent } from '../../tickets/model';
import { nextEscalationAt } from '../../tickets/plan';
import { showCard, textInput } from '../inputs';
import { STATE_LABELS, type TargetLine } from '../targets';
import { budgetLeft } from '../time';
import { card, clip, escape, execute, text, type AdaptiveCard } from '../types';
import { answerAction, at, due, refreshFor, statusLabel, type Clock } from './common';
import { reopenAction } from './notice';

export interface TicketView {
  readonly policy: Policy;
  readonly ticket: Ticket;
  readonly targets: readonly TargetLine[];
  readonly events: readonly TicketEvent[];
  readonly clock: Clock;
  readonly userId: string;
  /** A line that needs the customer's attention (no on-call engineer reached yet, with the phone). */
  readonly alert?: string | undefined;
  readonly notice?: string | undefined;
}

const EVENT_LABELS: Partial<Record<TicketEvent['type'], string>> = {
  created: 'Filed',
  'customer-message': 'You wrote',
  'customer-answered': 'You answered',
  'engineer-reply': 'Support replied',
  'info-requested': 'Support asked',
  'priority-changed': 'Priority changed',
  'workaround-delivered': 'Work-around',
  'fix-recorded': 'Permanent fix',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
  'escalation-requested': 'Escalation requested',
};

/** One ticket for its customer: state, deadlines with time left, the public timeline, actions. */
export function customerTicketCard(v: TicketView): AdaptiveCard {
  const t = v.ticket;
  const open = t.status !== 'resolved' && t.status !== 'closed';
  const lines = v.targets.map((l) => ({
    title: l.label,
    value:
      l.status.state === 'met'
        ? 'Met'
        : l.due === null
          ? `${STATE_LABELS[l.status.state]}; ${budgetLeft(l.status.businessLeftMs, l.clock)} left`
          : `${STATE_LABELS[l.status.state]}: due ${due(v.policy, l.due, v.clock)}${l.status.state === 'breached' ? '' : `, ${budgetLeft(l.status.businessLeftMs, l.clock)} left`}`,
  }));
  const events = v.events.slice(-8).map((e) => {
    const label = EVENT_LABELS[e.type] ?? e.type;
    const who = e.actor.role === 'customer' ? '' : ` (${escape(e.actor.name)})`;
    const body = e.text === undefined ? '' : `: ${escape(clip(e.text, 400))}`;
    return text(`**${label}**${who}, ${at(v.policy, e.at, v.clock)}${body}`, { size: 'small' });
  });
  return card(
    [
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'accent', weight: 'bolder' })]),
      ...(v.alert === undefined ? [] : [text(escape(v.alert), { color: 'attention', weight: 'bolder' })]),
      text(`${t.id} · ${t.priority} · ${statusLabel(t)}`, { size: 'medium', weight: 'bolder' }),
      text(escape(t.title), { weight: 'bolder' }),
      {
        type: 'FactSet',
        facts: [
          ...lines,
          ...(t.owner === undefined ? [] : [{ title: 'Engineer', value: escape(t.owner.name) }]),
          ...(t.reopened === undefined
            ? []
            : [{ title: 'Reopened', value: at(v.policy, t.reopened.at, v.clock) }]),
          ...(t.relatedTo === undefined ? [] : [{ title: 'Follows up', value: escape(t.relatedTo) }]),
        ],
      },
      ...(events.length > 0 ? [{ type: 'Container' as const, separator: true, items: events }] : []),
    ],
    {
      actions: [
        ...(open
          ? [
              answerAction(t, t.status === 'waiting-on-customer' ? 'Answer' : 'Add a message'),
              // In its cooldown the button answers with when it can be escalated again, asking for nothing.
              nextEscalationAt(v.policy.escalation.customerCooldownMinutes, t, v.clock.now) === undefined
                ? showCard(
                    'Escalate',
                    [
                      textInput('reason', 'Why does this need escalation?', LIMITS.reason, {
                        multiline: true,
                        required: 'Give a reason',
                      }),
                    ],
                    execute('Escalate', 'ticket.escalate', { ticketId: t.id }, { style: 'destructive' }),
                  )
                : execute('Escalate', 'ticket.escalate', { ticketId: t.id }),
            ]
          : [reopenAction(t)]),
        execute('Refresh', 'ticket.refresh', { ticketId: t.id }),
      ],
      refresh: refreshFor(t.id, v.userId),
    },
  );
}
