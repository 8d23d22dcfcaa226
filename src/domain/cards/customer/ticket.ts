// One ticket as its customer sees it: state, deadlines with time left, the public timeline, and the
// answer and escalate buttons.
import type { Policy } from '../../policy/schema';
import { LIMITS } from '../../tickets/fields';
import type { EventType, Ticket, TicketEvent } from '../../tickets/model';
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

/**
 * What each event is called on the customer's timeline; null for those they never see (staff-only events, which
 * are stored internal). Every type is listed, so a new one must be named here.
 */
export const CUSTOMER_EVENT_LABELS: Readonly<Record<EventType, string | null>> = {
  created: 'Filed',
  'customer-message': 'You wrote',
  'customer-answered': 'You answered',
  'engineer-reply': 'Support replied',
  'info-requested': 'Support asked',
  'internal-note': null,
  'priority-changed': 'Priority changed',
  'owner-changed': null,
  'workaround-delivered': 'Work-around',
  'fix-recorded': 'Permanent fix',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
  'escalation-requested': 'Escalation requested',
  'warning-sent': null,
  'page-sent': null,
  'page-acknowledged': null,
  'page-scheduled': null,
  'page-reached': null,
  'page-failed': null,
  'paging-alarm': null,
  'channel-missing': null,
  'delivery-failed': null,
  'delivery-recovered': null,
  'rating-asked': null,
  rated: 'You rated it',
  'attachment-added': 'File added',
  'attachment-removed': 'File removed',
  'follow-up-filed': null,
};

/**
 * An event's heading on the customer's timeline: "You rated 4 of 5", "You sent a file", "File added"; undefined
 * for an event they do not see, or of a type this build does not know (never its raw name).
 */
export function customerEventLabel(e: Pick<TicketEvent, 'type' | 'actor' | 'data'>): string | undefined {
  const labels: Readonly<Record<string, string | null | undefined>> = CUSTOMER_EVENT_LABELS;
  const label = labels[e.type] ?? undefined;
  const d = e.data ?? {};
  const score = d['score'];
  if (label === undefined) return undefined;
  if (e.type === 'rated' && typeof score === 'number') {
    const previous = d['previous'];
    const which = typeof d['resolution'] === 'string' ? ` for the ${d['resolution']}` : '';
    return typeof previous === 'number'
      ? `You changed your rating${which} from ${previous} to ${score} of 5`
      : `You rated ${score} of 5${which}`;
  }
  if (e.type === 'attachment-added' && e.actor.role === 'customer') return 'You sent a file';
  return label;
}

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
  const events = v.events
    .filter((e) => !e.internal && customerEventLabel(e) !== undefined)
    .slice(-8)
    .map((e) => {
      const label = customerEventLabel(e) ?? '';
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
