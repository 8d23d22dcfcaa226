// The cards customers see in their chat: welcome, the ticket form, the confirmation, a ticket, their list.
// Every piece of user text goes through escape(); times show the support zone and the viewer's.
import type { Policy } from '../policy/schema';
import type { Clock as SlaClock, Instant, Priority, TargetStatus } from '../sla';
import { PRIORITIES } from '../sla';
import { CATEGORIES, CATEGORY_LABELS, type Category, type Ticket, type TicketEvent } from '../tickets/model';
import { LIMITS } from '../tickets/commands';
import { card, escape, execute, text, type Action, type AdaptiveCard, type Element } from './types';
import { budgetLeft, duration, whenBoth } from './time';

export interface Contact {
  readonly phone: string;
  readonly email: string;
}

export interface Clock {
  readonly now: Instant;
  /** The viewer's IANA zone from Teams, when known. */
  readonly viewerZone: string | undefined;
}

const STATUS_LABELS: Readonly<Record<Ticket['status'], string>> = {
  new: 'New',
  responded: 'Responded',
  'waiting-on-customer': 'Waiting for your answer',
  'workaround-delivered': 'Work-around delivered',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const STATE_LABELS: Readonly<Record<TargetStatus['state'], string>> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  breached: 'Overdue',
  paused: 'Paused (waiting for you)',
  met: 'Met',
};

/** A button that opens a message box and sends it to the ticket (answers end a wait on the customer). */
function answerAction(t: Ticket, title: string): Action {
  return {
    type: 'Action.ShowCard',
    title,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: 'message',
          isMultiline: true,
          isRequired: true,
          maxLength: LIMITS.message,
          label: 'Message',
          errorMessage: 'Type a message',
        },
      ],
      actions: [execute('Send', 'ticket.answer', { ticketId: t.id, version: t.version })],
    },
  };
}

/** Teams re-renders the card with this verb when a user opens it, so countdowns are never stale. */
function refreshFor(ticketId: string, userId: string): NonNullable<AdaptiveCard['refresh']> {
  return {
    action: { type: 'Action.Execute', verb: 'ticket.refresh', data: { verb: 'ticket.refresh', ticketId } },
    userIds: [userId],
  };
}

function at(policy: Policy, t: Instant, clock: Clock): string {
  return whenBoth(t, policy.timeZone, policy.timeZoneLabel, clock.viewerZone, clock.now);
}

/** A deadline: like `at`, with local midnight as "end of <the day before>". */
function due(policy: Policy, t: Instant, clock: Clock): string {
  return whenBoth(t, policy.timeZone, policy.timeZoneLabel, clock.viewerZone, clock.now, true);
}

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
        'Type **new ticket** or just describe the problem. **my tickets** lists yours; **status TM-1042** shows one; **TM-1042: …** adds to it.',
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

export interface FormValues {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly category?: string | undefined;
  readonly priority?: string | undefined;
  readonly affectedUsers?: string | number | undefined;
  readonly callbackNumber?: string | undefined;
}

export interface FormView {
  readonly policy: Policy;
  readonly requestId: string;
  readonly values: FormValues;
  readonly errors: Readonly<Record<string, string>>;
  readonly suggestion?: { readonly priority: Priority; readonly reason: string } | undefined;
  /** A line for the customer above the fields (e.g. their message is longer than the description holds). */
  readonly notice?: string | undefined;
  /** Text past the description, sent back on submit and added to the timeline once filed. */
  readonly rest?: string | undefined;
}

/** The ticket form, prefilled; validation errors are shown in the card with what was typed kept. */
export function ticketFormCard(v: FormView): AdaptiveCard {
  const p = v.policy.priorities;
  const errorsFor = (field: string): Element[] => {
    const e = v.errors[field];
    return e === undefined ? [] : [text(escape(e), { color: 'attention', size: 'small', spacing: 'none' })];
  };
  const anyErrors = Object.keys(v.errors).length > 0;
  const priority = v.values.priority ?? v.suggestion?.priority ?? 'P3';
  return card(
    [
      text('New support ticket', { size: 'large', weight: 'bolder' }),
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'accent', weight: 'bolder' })]),
      ...(anyErrors
        ? [
            text(escape(v.errors['form'] ?? 'Please check the fields marked below.'), {
              color: 'attention',
              weight: 'bolder',
            }),
          ]
        : []),
      ...(v.suggestion === undefined
        ? []
        : [
            text(
              `Suggested priority: **${v.suggestion.priority}** (${escape(v.suggestion.reason)}). Change it if it does not fit.`,
              { isSubtle: true },
            ),
          ]),
      {
        type: 'Input.Text',
        id: 'title',
        label: 'Title',
        isRequired: true,
        errorMessage: 'A short title is required',
        maxLength: LIMITS.title,
        value: v.values.title ?? '',
      },
      ...errorsFor('title'),
      {
        type: 'Input.Text',
        id: 'description',
        label: 'What happens?',
        isMultiline: true,
        isRequired: true,
        errorMessage: 'Please describe the problem',
        maxLength: LIMITS.description,
        value: v.values.description ?? '',
      },
      ...errorsFor('description'),
      {
        type: 'Input.ChoiceSet',
        id: 'category',
        label: 'Category',
        style: 'compact',
        isRequired: true,
        errorMessage: 'Pick a category',
        value: v.values.category ?? 'question',
        choices: CATEGORIES.map((c: Category) => ({ title: CATEGORY_LABELS[c], value: c })),
      },
      ...errorsFor('category'),
      {
        type: 'Input.ChoiceSet',
        id: 'priority',
        label: 'Priority',
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Pick a priority',
        value: priority,
        choices: PRIORITIES.map((k) => ({ title: `${k}: ${p[k].name}`, value: k })),
      },
      ...errorsFor('priority'),
      {
        type: 'Container',
        style: 'emphasis',
        items: PRIORITIES.map((k) =>
          text(`**${k}** ${escape(p[k].definition)} _Example: ${escape(p[k].example)}_`, { size: 'small' }),
        ),
      },
      {
        type: 'Input.Number',
        id: 'affectedUsers',
        label: 'How many users or accounts are affected?',
        min: 0,
        max: 10_000_000,
        ...(v.values.affectedUsers === undefined || v.values.affectedUsers === ''
          ? {}
          : { value: Number(v.values.affectedUsers) }),
      },
      ...errorsFor('affectedUsers'),
      {
        type: 'Input.Text',
        id: 'callbackNumber',
        label: 'Callback number',
        style: 'tel',
        maxLength: LIMITS.callback,
        value: v.values.callbackNumber ?? '',
      },
      ...errorsFor('callbackNumber'),
    ],
    {
      actions: [
        execute(
          'File ticket',
          'ticket.submit',
          { requestId: v.requestId, ...(v.rest === undefined || v.rest === '' ? {} : { rest: v.rest }) },
          { style: 'positive' },
        ),
      ],
    },
  );
}

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

/**
 * The targets whose clocks ran until a pause that started at `start`: those not met by then.
 * @example "response and work-around clocks", "work-around clock"
 */
export function pausedClocks(
  ticket: Pick<Ticket, 'responseMetAt' | 'workaroundMetAt'>,
  start: Instant,
): string {
  const running = [
    ...(ticket.responseMetAt === undefined || ticket.responseMetAt > start ? ['response'] : []),
    ...(ticket.workaroundMetAt === undefined || ticket.workaroundMetAt > start ? ['work-around'] : []),
  ];
  return running.length === 0 ? '' : `${running.join(' and ')} clock${running.length > 1 ? 's' : ''}`;
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

export interface TargetLine {
  readonly label: string;
  readonly due: Instant | null;
  /** The clock its budget runs on, so time left is named for it ("of support-hours time"). */
  readonly clock: SlaClock;
  readonly status: TargetStatus;
}

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
    const body =
      e.text === undefined ? '' : `: ${escape(e.text.length > 400 ? `${e.text.slice(0, 400)}…` : e.text)}`;
    return text(`**${label}**${who}, ${at(v.policy, e.at, v.clock)}${body}`, { size: 'small' });
  });
  return card(
    [
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'accent', weight: 'bolder' })]),
      ...(v.alert === undefined ? [] : [text(escape(v.alert), { color: 'attention', weight: 'bolder' })]),
      text(`${t.id} · ${t.priority} · ${STATUS_LABELS[t.status]}`, { size: 'medium', weight: 'bolder' }),
      text(escape(t.title), { weight: 'bolder' }),
      {
        type: 'FactSet',
        facts: [
          ...lines,
          ...(t.owner === undefined ? [] : [{ title: 'Engineer', value: escape(t.owner.name) }]),
        ],
      },
      ...(events.length > 0 ? [{ type: 'Container' as const, separator: true, items: events }] : []),
    ],
    {
      actions: [
        ...(open
          ? [
              answerAction(t, t.status === 'waiting-on-customer' ? 'Answer' : 'Add a message'),
              {
                type: 'Action.ShowCard' as const,
                title: 'Escalate',
                card: {
                  type: 'AdaptiveCard' as const,
                  body: [
                    {
                      type: 'Input.Text' as const,
                      id: 'reason',
                      isMultiline: true,
                      isRequired: true,
                      maxLength: LIMITS.reason,
                      label: 'Why does this need escalation?',
                      errorMessage: 'Give a reason',
                    },
                  ],
                  actions: [
                    execute('Escalate', 'ticket.escalate', { ticketId: t.id }, { style: 'destructive' }),
                  ],
                },
              },
            ]
          : []),
        execute('Refresh', 'ticket.refresh', { ticketId: t.id }),
      ],
      refresh: refreshFor(t.id, v.userId),
    },
  );
}

export interface ListItem {
  readonly ticket: Ticket;
  readonly next: {
    readonly label: string;
    readonly due: Instant | null;
    readonly state: TargetStatus['state'];
  } | null;
}

/** The tenant's open tickets with their state and next deadline. */
export function myTicketsCard(
  policy: Policy,
  items: readonly ListItem[],
  clock: Clock,
  userId: string,
): AdaptiveCard {
  if (items.length === 0) {
    return card(
      [
        text('You have no open tickets.', { weight: 'bolder' }),
        text('Type **new ticket** or describe a problem to file one.'),
      ],
      {
        actions: [execute('New ticket', 'ticket.new', {}, { style: 'positive' })],
      },
    );
  }
  const shown = items.slice(0, 20);
  return card(
    [
      text(`Open tickets (${items.length})`, { size: 'medium', weight: 'bolder' }),
      ...shown.map(({ ticket: t, next }) => ({
        type: 'ColumnSet' as const,
        separator: true,
        columns: [
          {
            type: 'Column' as const,
            width: 'stretch',
            items: [
              text(`**${t.id}** · ${t.priority} · ${escape(t.title)}`, { maxLines: 2 }),
              text(
                next === null
                  ? STATUS_LABELS[t.status]
                  : `${STATUS_LABELS[t.status]} · ${next.label} ${next.due === null ? 'paused' : `due ${due(policy, next.due, clock)}`} · ${STATE_LABELS[next.state]}`,
                {
                  size: 'small',
                  isSubtle: true,
                  spacing: 'none',
                  color:
                    next?.state === 'breached'
                      ? 'attention'
                      : next?.state === 'at-risk'
                        ? 'warning'
                        : 'default',
                },
              ),
            ],
          },
          {
            type: 'Column' as const,
            width: 'auto',
            items: [
              { type: 'ActionSet' as const, actions: [execute('Open', 'ticket.show', { ticketId: t.id })] },
            ],
          },
        ],
      })),
      ...(items.length > shown.length
        ? [
            text(`…and ${items.length - shown.length} more. Type **status <id>** to open one.`, {
              isSubtle: true,
            }),
          ]
        : []),
    ],
    {
      refresh: {
        action: { type: 'Action.Execute', verb: 'tickets.mine', data: { verb: 'tickets.mine' } },
        userIds: [userId],
      },
    },
  );
}

const TO_CUSTOMER: Partial<Record<TicketEvent['type'], string>> = {
  'engineer-reply': 'Support replied',
  'info-requested': 'Support needs information',
  'workaround-delivered': 'Work-around',
  'fix-recorded': 'Permanent fix',
  resolved: 'Resolved',
  reopened: 'Reopened',
  'priority-changed': 'Priority changed',
};

/** True for events the customer is told about in their chat. */
export function isForCustomer(e: TicketEvent): boolean {
  return !e.internal && TO_CUSTOMER[e.type] !== undefined;
}

/** A message from support to the customer about one event: what happened and how to answer. */
export function customerNoticeCard(
  policy: Policy,
  ticket: Ticket,
  e: TicketEvent,
  clock: Clock,
): AdaptiveCard {
  const title = `${TO_CUSTOMER[e.type] ?? 'Update'} · ${ticket.id}`;
  const lines: Element[] = [
    text(title, { weight: 'bolder', size: 'medium' }),
    text(escape(ticket.title), { isSubtle: true, spacing: 'none' }),
  ];
  if (e.type === 'fix-recorded')
    lines.push(text(`The fix will be in release ${escape(String(e.data?.['release'] ?? ''))}.`));
  if (e.type === 'priority-changed')
    lines.push(text(`Now ${ticket.priority}: ${policy.priorities[ticket.priority].name}.`));
  if (e.text !== undefined) lines.push(text(escape(e.text)));
  const stopped = e.type === 'info-requested' ? pausedClocks(ticket, e.at) : '';
  if (stopped !== '')
    lines.push(
      text(`The ${stopped} ${stopped.endsWith('s') ? 'are' : 'is'} paused until you answer.`, {
        isSubtle: true,
        size: 'small',
      }),
    );
  if (ticket.sla.nextDeadline !== null && e.type !== 'resolved') {
    lines.push(
      text(`Next deadline: ${due(policy, ticket.sla.nextDeadline, clock)}.`, {
        isSubtle: true,
        size: 'small',
      }),
    );
  }
  const open = ticket.status !== 'resolved' && ticket.status !== 'closed';
  return card(lines, {
    actions: [
      ...(open ? [answerAction(ticket, e.type === 'info-requested' ? 'Answer' : 'Reply')] : []),
      execute('Show ticket', 'ticket.show', { ticketId: ticket.id }),
    ],
  });
}
