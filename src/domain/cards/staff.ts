// The cards engineers work with in the support channel: the live root card of a ticket's thread, and
// short thread notes. User text is escaped; every action is an Action.Execute verb with the ticket id.
import type { Policy } from '../policy/schema';
import type { Instant } from '../sla';
import { PRIORITIES } from '../sla';
import { LIMITS } from '../tickets/fields';
import {
  eventTitle,
  isAssign,
  shownStatus,
  type ShownStatus,
  type TitledEvent,
} from '../tickets/event-labels';
import { latestRating, resolutionName } from '../tickets/rating';
import { CATEGORY_LABELS, OPEN_STATUSES, type Ticket, type TicketEvent } from '../tickets/model';
import { STATE_LABELS, type TargetLine } from './targets';
import { budgetLeft, dayTime, deadline, duration, zoned, type ViewBase } from './time';
import { showCard, textInput } from './inputs';
import {
  card,
  clip,
  escape,
  execute,
  text,
  type Action,
  type AdaptiveCard,
  type Element,
  type Verb,
} from './types';

export interface RootView extends ViewBase {
  readonly ticket: Ticket;
  readonly targets: readonly TargetLine[];
  /** The last few timeline events, oldest first. */
  readonly events: readonly TicketEvent[];
  readonly engineers: readonly { readonly id: string; readonly name: string }[];
  readonly now: Instant;
  /** A line at the top, e.g. "Bob took ownership first." */
  readonly notice?: string | undefined;
}

const STATUS: Readonly<Record<ShownStatus, string>> = {
  reopened: 'Reopened',
  new: 'New',
  responded: 'Responded',
  'waiting-on-customer': 'Waiting on customer',
  'workaround-delivered': 'Work-around delivered',
  resolved: 'Resolved',
  closed: 'Closed',
};

const COLORS = {
  'on-track': 'good',
  'at-risk': 'warning',
  breached: 'attention',
  paused: 'accent',
  met: 'good',
} as const;

/** A deadline: local midnight reads "end of <the day before>". */
function dueAt(policy: Policy, t: Instant, now: Instant): string {
  return `${deadline(t, policy.timeZone, now)} ${policy.timeZoneLabel}`;
}

function targetLine(policy: Policy, l: TargetLine, now: Instant): Element {
  const state =
    STATE_LABELS[l.status.state] === 'Paused (waiting for you)'
      ? 'Paused (waiting on customer)'
      : STATE_LABELS[l.status.state];
  // Met: when, as the tab says it ("Met Sun 6 Dec, 05:51 ET"), in one phrase with the state.
  if (l.status.state === 'met')
    return text(
      `**${l.label}** · Met${l.metAt === null ? '' : ` ${dayTime(l.metAt, policy.timeZone)} ${policy.timeZoneLabel}`}`,
      { color: COLORS.met, spacing: 'small' },
    );
  let detail: string;
  if (l.due === null) detail = `${budgetLeft(l.status.businessLeftMs, l.clock)} left; clock stopped`;
  else if (l.status.state === 'breached')
    detail = `was due ${dueAt(policy, l.due, now)} (${duration(now - l.due)} ago)`;
  else if (l.clock === 'continuous')
    detail = `due ${dueAt(policy, l.due, now)}: ${duration(l.status.businessLeftMs)} left`;
  else
    detail = `due ${dueAt(policy, l.due, now)}: ${budgetLeft(l.status.businessLeftMs, l.clock)} left (${duration(l.status.wallLeftMs ?? 0)} wall time)`;
  return text(`**${l.label}** · ${state} · ${detail}`, { color: COLORS[l.status.state], spacing: 'small' });
}

/** A required text box of several lines. */
const required = (id: string, label: string, max: number): Element =>
  textInput(id, label, max, { multiline: true, required: `${label} is required` });

/**
 * What has not reached the customer, one line each: still retrying, or failed with what to do instead.
 * @example deliveryLines(policy, ticket, now) // ['Reply of today 21:40 ET: not delivered yet (retrying) — Teams answered 503']
 */
export function deliveryLines(policy: Policy, t: Ticket, now: Instant): string[] {
  const call =
    t.callbackNumber === undefined
      ? 'Phone or email the customer (no callback number on the ticket).'
      : `Call the customer at ${t.callbackNumber} or email them.`;
  const lines = (t.undelivered ?? []).map((i) => {
    const what = `${i.what.charAt(0).toUpperCase()}${i.what.slice(1)} of ${zoned(policy, i.at, now)}`;
    return i.state === 'retrying'
      ? `${what}: not delivered yet (retrying) — ${i.reason}`
      : `${what} could not be delivered: ${i.reason}. ${call}`;
  });
  if (t.chatUnreachable !== undefined)
    lines.push(
      `Messages for the customer are not sent until they write again: their chat could not be reached (${t.chatUnreachable.reason}).`,
    );
  return lines;
}

/** A stored event as an event heading reads it. */
function titled(e: TicketEvent): TitledEvent {
  return { type: e.type, by: e.actor.name, data: e.data };
}

/** The live root card of a ticket's thread. */
export function rootCard(v: RootView): AdaptiveCard {
  const t = v.ticket;
  const open = OPEN_STATUSES.has(t.status);
  const data = { ticketId: t.id, version: t.version };
  const description = clip(t.description, 1500);
  const events = v.events
    .slice(-5)
    .map((e) =>
      text(
        `${e.internal ? '🔒 ' : ''}**${escape(eventTitle(titled(e), 'card'))}** · ${isAssign(titled(e)) ? 'by ' : ''}${escape(e.actor.name)}${e.via === 'tab' ? ' (from the tab)' : ''} · ${zoned(v.policy, e.at, v.now)}${e.text === undefined ? '' : `: ${escape(clip(e.text, 200))}`}`,
        { size: 'small', spacing: 'none' },
      ),
    );
  /** A box to write in, `<verb>Text` as bot/staff.ts reads it, and the button that sends it. */
  const writeCard = (title: string, verb: Verb, label: string, button: string): Action =>
    showCard(
      title,
      [required(`${verb.slice('staff.'.length)}Text`, label, LIMITS.message)],
      execute(button, verb, data),
    );
  const primary: Action[] = open
    ? [
        ...(t.owner === undefined
          ? [execute('Take ownership', 'staff.take', data, { style: 'positive' })]
          : []),
        writeCard('Reply', 'staff.reply', 'Reply to the customer', 'Send reply'),
        writeCard(
          'Ask for info',
          'staff.ask',
          // Asking answers the customer (the response is met by it): only an unmet work-around clock stops.
          t.workaroundMetAt === undefined
            ? 'Question for the customer (the work-around clock stops until they answer)'
            : 'Question for the customer',
          'Ask',
        ),
        writeCard('Work-around', 'staff.workaround', 'Work-around for the customer', 'Deliver work-around'),
        showCard(
          'Resolve',
          [
            textInput('resolveText', 'Resolution (sent to the customer)', LIMITS.message, {
              multiline: true,
            }),
          ],
          execute('Resolve', 'staff.resolve', data, { style: 'positive' }),
        ),
      ]
    : [execute('Reopen', 'staff.reopen', data)];
  const secondary: Action[] = [
    ...(open
      ? [
          showCard(
            'Priority',
            [
              {
                type: 'Input.ChoiceSet',
                id: 'priority',
                label: 'New priority',
                style: 'compact',
                isRequired: true,
                errorMessage: 'Pick a priority',
                value: t.priority,
                choices: PRIORITIES.map((p) => ({ title: `${p}: ${v.policy.priorities[p].name}`, value: p })),
              },
              required('reason', 'Why', LIMITS.reason),
            ],
            execute('Change priority', 'staff.priority', data),
          ),
          // An empty choice set is not a valid card: no one to pick, no Reassign.
          ...(v.engineers.length === 0
            ? []
            : [
                showCard(
                  'Reassign',
                  [
                    {
                      type: 'Input.ChoiceSet',
                      id: 'owner',
                      label: 'Engineer',
                      style: 'compact',
                      isRequired: true,
                      errorMessage: 'Pick an engineer',
                      choices: v.engineers.map((e) => ({ title: e.name, value: e.id })),
                    },
                  ],
                  execute('Reassign', 'staff.assign', data),
                ),
              ]),
        ]
      : []),
    showCard(
      'Fix',
      [
        textInput('release', 'Release with the permanent fix', LIMITS.release, {
          required: 'Name the release',
        }),
        textInput('fixText', 'Note (optional)', LIMITS.message, { multiline: true }),
      ],
      execute('Record fix', 'staff.fix', data),
    ),
    writeCard('Note', 'staff.note', 'Internal note (never shown to the customer)', 'Add note'),
    execute('Refresh', 'staff.refresh', { ticketId: t.id }),
  ];
  return card(
    [
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'attention', weight: 'bolder' })]),
      ...deliveryLines(v.policy, t, v.now).map((l) =>
        text(`⚠ ${escape(l)}`, { color: 'attention', weight: 'bolder', spacing: 'small' }),
      ),
      text(`${t.id} · ${t.priority} · ${STATUS[shownStatus(t)]} · ${escape(t.customerName)}`, {
        size: 'medium',
        weight: 'bolder',
      }),
      text(escape(t.title), { weight: 'bolder', spacing: 'small' }),
      text(`${t.priority}: ${escape(v.policy.priorities[t.priority].definition)}`, {
        size: 'small',
        isSubtle: true,
        spacing: 'none',
      }),
      text(escape(description), { spacing: 'small' }),
      {
        type: 'FactSet',
        facts: [
          { title: 'Owner', value: t.owner === undefined ? 'Nobody yet' : escape(t.owner.name) },
          { title: 'Requester', value: escape(t.requester.name) },
          { title: 'Category', value: CATEGORY_LABELS[t.category] },
          {
            title: 'Filed',
            value: `${zoned(v.policy, t.dispatchedAt, v.now)} (${t.window === 'in-hours' ? 'in support hours' : 'after hours'})`,
          },
          ...(t.reopened === undefined
            ? []
            : [
                {
                  title: `Round ${(t.rounds?.length ?? 0) + 1}`,
                  value: `reopened ${zoned(v.policy, t.reopened.at, v.now)} by ${escape(t.reopened.by.name)} (${t.reopened.window === 'in-hours' ? 'in support hours' : 'after hours'})`,
                },
              ]),
          ...(t.relatedTo === undefined ? [] : [{ title: 'Follows up', value: escape(t.relatedTo) }]),
          ...(t.affectedUsers === undefined ? [] : [{ title: 'Affected', value: String(t.affectedUsers) }]),
          ...(t.callbackNumber === undefined ? [] : [{ title: 'Callback', value: escape(t.callbackNumber) }]),
          ...(t.fix === undefined ? [] : [{ title: 'Fix', value: `release ${escape(t.fix.release)}` }]),
          ...ratingFact(v.policy, t),
          ...(t.attachmentCount === undefined || t.attachmentCount === 0
            ? []
            : [{ title: 'Files', value: String(t.attachmentCount) }]),
        ],
      },
      { type: 'Container', separator: true, items: v.targets.map((l) => targetLine(v.policy, l, v.now)) },
      ...(events.length > 0 ? [{ type: 'Container' as const, separator: true, items: events }] : []),
      { type: 'ActionSet', actions: primary },
    ],
    { actions: secondary, msteams: { width: 'Full' }, fallbackText: `${t.id} ${t.priority} ${t.title}` },
  );
}

/**
 * "Rated 4/5": the rating of the latest resolution rated, naming that resolution when the ticket has several
 * ("Rated 1/5 (resolution of Wed 9 Dec 2026 10:01 ET)").
 */
function ratingFact(policy: Policy, t: Ticket): { title: string; value: string }[] {
  const r = latestRating(t);
  if (r?.score === undefined) return [];
  const name = resolutionName(policy, t, r.resolvedAt);
  return [{ title: 'Rating', value: `Rated ${r.score}/5${name === undefined ? '' : ` (${name})`}` }];
}

/** A short card for a thread reply (deadline changes, customer messages). */
export function noteCard(title: string, lines: readonly string[]): AdaptiveCard {
  return card([text(title, { weight: 'bolder' }), ...lines.map((l) => text(l, { spacing: 'small' }))]);
}
