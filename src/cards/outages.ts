// Outage cards: the form engineers record an outage with, the live outage card (end, edit, exclusion,
// approve/reject), the service status customers and staff ask for, and the managers' notices.
// User text is escaped; every button is an Action.Execute verb carrying the outage id and version.
import type { MonthAvailability } from '../sla';
import type { ExclusionCategory, Policy } from '../policy/schema';
import { EXCLUSION_CATEGORIES } from '../policy/schema';
import type { Instant } from '../sla';
import { OUTAGE_LIMITS, type Outage, type OutageChange } from '../outages/model';
import { localParts } from '../outages/time';
import type { NoticeKind } from '../outages/notices';
import { duration, when, whenBoth } from './time';
import { card, escape, execute, text, type Action, type AdaptiveCard, type Element } from './types';

/** What was typed into the record form, kept when the form comes back with an error. */
export interface OutageFormValues {
  readonly startDate?: string | undefined;
  readonly startTime?: string | undefined;
  readonly endDate?: string | undefined;
  readonly endTime?: string | undefined;
  readonly affected?: string | undefined;
  readonly cause?: string | undefined;
  readonly category?: string | undefined;
  readonly justification?: string | undefined;
}

export interface OutageFormView {
  readonly policy: Policy;
  readonly requestId: string;
  readonly now: Instant;
  readonly values?: OutageFormValues | undefined;
  readonly error?: string | undefined;
  /** Outages still ongoing, so nobody records the same one twice. */
  readonly ongoing?: readonly Outage[] | undefined;
}

export interface OutageView {
  readonly policy: Policy;
  readonly outage: Outage;
  /** The last history rows, oldest first. */
  readonly history: readonly OutageChange[];
  readonly now: Instant;
  /** A line at the top, e.g. "Only a manager can approve an exclusion." */
  readonly notice?: string | undefined;
}

export interface StatusView {
  readonly policy: Policy;
  readonly now: Instant;
  readonly ongoing: readonly Outage[];
  /** This month so far. */
  readonly month: MonthAvailability;
  /** The viewer's zone (customers see both times). */
  readonly viewerZone?: string | undefined;
  /** Staff see the figures in full and every outage of the month. */
  readonly staff?: { readonly outages: readonly Outage[] } | undefined;
}

const CHANGE_LABELS: Readonly<Record<OutageChange['type'], string>> = {
  recorded: 'Recorded',
  ended: 'Ended',
  edited: 'Edited',
  'exclusion-requested': 'Exclusion requested',
  'exclusion-withdrawn': 'Exclusion withdrawn',
  'exclusion-approved': 'Exclusion approved',
  'exclusion-rejected': 'Exclusion rejected',
};

const zoned = (policy: Policy, t: Instant, now: Instant): string =>
  `${when(t, policy.timeZone, now)} ${policy.timeZoneLabel}`;

export const percent = (x: number): string => `${(Math.floor(x * 1_000_000) / 10_000).toFixed(4)} %`;

function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const names = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${names[m - 1] ?? month} ${y}`;
}

function categoryChoices(policy: Policy, none: boolean): { title: string; value: string }[] {
  return [
    ...(none ? [{ title: 'No exclusion', value: 'none' }] : []),
    ...EXCLUSION_CATEGORIES.map((c) => ({
      title: `(${c}) ${policy.availability.exclusions[c].title}`,
      value: c,
    })),
  ];
}

function dateTimeInputs(
  prefix: 'start' | 'end' | 'editStart' | 'editEnd',
  label: string,
  v: { date?: string; time?: string },
  required: boolean,
): Element {
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.Date',
            id: `${prefix}Date`,
            label: `${label} date`,
            ...(v.date === undefined || v.date === '' ? {} : { value: v.date }),
            ...(required ? { isRequired: true, errorMessage: `${label} date is required` } : {}),
          },
        ],
      },
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.Time',
            id: `${prefix}Time`,
            label: `${label} time`,
            ...(v.time === undefined || v.time === '' ? {} : { value: v.time }),
            ...(required ? { isRequired: true, errorMessage: `${label} time is required` } : {}),
          },
        ],
      },
    ],
  };
}

function textInput(
  id: string,
  label: string,
  max: number,
  value: string | undefined,
  required: boolean,
  multiline = true,
): Element {
  return {
    type: 'Input.Text',
    id,
    label,
    isMultiline: multiline,
    maxLength: max,
    ...(value === undefined ? {} : { value: value.slice(0, max) }),
    ...(required ? { isRequired: true, errorMessage: `${label} is required` } : {}),
  };
}

/** The form an engineer records an outage with (times in the policy's zone). */
export function outageFormCard(v: OutageFormView): AdaptiveCard {
  const nowParts = localParts(v.now, v.policy.timeZone);
  const values = v.values ?? {};
  const ongoing = v.ongoing ?? [];
  return card(
    [
      text(`Record a ${escape(v.policy.availability.service)} outage`, { weight: 'bolder', size: 'medium' }),
      text(
        `Times in ${v.policy.timeZoneLabel} (${v.policy.timeZone}). Leave the end empty while it is ongoing.`,
        {
          isSubtle: true,
          spacing: 'none',
        },
      ),
      ...(ongoing.length === 0
        ? []
        : [
            text(
              `Ongoing now: ${ongoing.map((o) => `${o.id} (${escape(o.affected.slice(0, 60))}, since ${zoned(v.policy, o.start, v.now)})`).join('; ')}`,
              { color: 'warning', size: 'small' },
            ),
          ]),
      ...(v.error === undefined ? [] : [text(escape(v.error), { color: 'attention', weight: 'bolder' })]),
      dateTimeInputs(
        'start',
        'Start',
        { date: values.startDate ?? nowParts.date, time: values.startTime ?? nowParts.time },
        true,
      ),
      dateTimeInputs('end', 'End', { date: values.endDate ?? '', time: values.endTime ?? '' }, false),
      textInput('affected', 'What was affected', OUTAGE_LIMITS.affected, values.affected, true, false),
      textInput('cause', 'Cause (staff only)', OUTAGE_LIMITS.cause, values.cause, false),
      {
        type: 'Input.ChoiceSet',
        id: 'category',
        label: 'Exclusion (needs a manager’s approval; until then the minutes count as down)',
        style: 'compact',
        value: values.category === undefined || values.category === '' ? 'none' : values.category,
        choices: categoryChoices(v.policy, true),
      },
      textInput(
        'justification',
        'Why the exclusion applies',
        OUTAGE_LIMITS.justification,
        values.justification,
        false,
      ),
    ],
    {
      actions: [execute('Record outage', 'outage.record', { requestId: v.requestId }, { style: 'positive' })],
    },
  );
}

function exclusionText(policy: Policy, o: Outage, now: Instant): string | undefined {
  const ex = o.exclusion;
  if (ex === null) return undefined;
  const title = `(${ex.category}) ${policy.availability.exclusions[ex.category].title}`;
  switch (ex.status) {
    case 'requested':
      return `${title}: requested by ${escape(ex.requestedBy.name)}, awaiting a manager (counted as down until approved)`;
    case 'approved':
      return `${title}: approved by ${escape(ex.decidedBy?.name ?? 'a manager')} ${ex.decidedAt === undefined ? '' : zoned(policy, ex.decidedAt, now)}`;
    case 'rejected':
      return `${title}: rejected by ${escape(ex.decidedBy?.name ?? 'a manager')}${ex.note === undefined ? '' : ` (${escape(ex.note)})`}`;
  }
}

function showCard(title: string, body: readonly Element[], action: Action): Action {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, actions: [action] } };
}

/** The live card of one outage, with what can be done next. */
export function outageCard(v: OutageView): AdaptiveCard {
  const o = v.outage;
  const p = v.policy;
  const ongoing = o.end === null;
  const data = { outageId: o.id, version: o.version };
  const nowParts = localParts(v.now, p.timeZone);
  const startParts = localParts(o.start, p.timeZone);
  const endParts = o.end === null ? { date: '', time: '' } : localParts(o.end, p.timeZone);
  const ex = o.exclusion;
  const exText = exclusionText(p, o, v.now);
  const facts = [
    { title: 'Start', value: zoned(p, o.start, v.now) },
    {
      title: 'End',
      value: ongoing
        ? `ongoing (${duration(v.now - o.start)} so far)`
        : `${zoned(p, o.end, v.now)} (${duration(o.end - o.start)})`,
    },
    { title: 'Affected', value: escape(o.affected) },
    ...(o.cause === '' ? [] : [{ title: 'Cause', value: escape(o.cause) }]),
    ...(exText === undefined ? [] : [{ title: 'Exclusion', value: exText }]),
    ...(ex === null ? [] : [{ title: 'Justification', value: escape(ex.justification) }]),
    { title: 'Recorded by', value: `${escape(o.createdBy.name)}, ${zoned(p, o.createdAt, v.now)}` },
  ];
  const history = v.history.slice(-5).map((c) =>
    text(
      `**${CHANGE_LABELS[c.type]}** · ${escape(c.actor.name)} · ${zoned(p, c.at, v.now)}: ${escape(c.text.length > 200 ? `${c.text.slice(0, 200)}…` : c.text)}`,
      {
        size: 'small',
        spacing: 'none',
      },
    ),
  );
  const actions: Action[] = [];
  if (ongoing)
    actions.push(
      showCard(
        'End',
        [dateTimeInputs('end', 'End', nowParts, true)],
        execute('End outage', 'outage.end', data, { style: 'positive' }),
      ),
    );
  actions.push(
    showCard(
      'Edit',
      [
        dateTimeInputs('editStart', 'Start', startParts, true),
        dateTimeInputs('editEnd', 'End', endParts, false),
        textInput('editAffected', 'What was affected', OUTAGE_LIMITS.affected, o.affected, true, false),
        textInput('editCause', 'Cause (staff only)', OUTAGE_LIMITS.cause, o.cause, false),
      ],
      execute('Save changes', 'outage.edit', data),
    ),
  );
  if (ex?.status === 'requested') {
    actions.push(execute('Approve exclusion', 'outage.approve', data, { style: 'positive' }));
    actions.push(
      showCard(
        'Reject exclusion',
        [textInput('note', 'Why not', OUTAGE_LIMITS.note, undefined, true)],
        execute('Reject', 'outage.reject', data, { style: 'destructive' }),
      ),
    );
  } else {
    actions.push(
      showCard(
        ex === null ? 'Ask for exclusion' : 'Change exclusion',
        [
          {
            type: 'Input.ChoiceSet',
            id: 'category',
            label: 'Exclusion',
            style: 'compact',
            isRequired: true,
            errorMessage: 'Pick an exclusion',
            ...(ex === null ? {} : { value: ex.category }),
            choices: categoryChoices(p, false),
          },
          textInput(
            'justification',
            'Why the exclusion applies',
            OUTAGE_LIMITS.justification,
            undefined,
            true,
          ),
        ],
        execute('Ask a manager', 'outage.exclude', data),
      ),
    );
  }
  actions.push(execute('Refresh', 'outage.refresh', { outageId: o.id }));
  return card(
    [
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'attention', weight: 'bolder' })]),
      text(
        `${ongoing ? '🔴' : '✅'} ${o.id} · ${escape(p.availability.service)} outage · ${ongoing ? 'Ongoing' : 'Ended'}`,
        {
          weight: 'bolder',
          size: 'medium',
          color: ongoing ? 'attention' : 'good',
        },
      ),
      { type: 'FactSet', facts },
      ...(history.length === 0 ? [] : [text('History', { weight: 'bolder', separator: true }), ...history]),
    ],
    { actions },
  );
}

/** Whether the service is up, any ongoing outage, and this month's availability so far. */
export function serviceStatusCard(v: StatusView): AdaptiveCard {
  const p = v.policy;
  const m = v.month;
  const service = escape(p.availability.service);
  const at = (t: Instant): string => whenBoth(t, p.timeZone, p.timeZoneLabel, v.viewerZone, v.now);
  const body: Element[] = [
    v.ongoing.length === 0
      ? text(`✅ The ${service} is up`, { weight: 'bolder', size: 'medium', color: 'good' })
      : text(`🔴 ${v.ongoing.length === 1 ? 'An outage is' : `${v.ongoing.length} outages are`} ongoing`, {
          weight: 'bolder',
          size: 'medium',
          color: 'attention',
        }),
    ...v.ongoing.map((o) =>
      text(
        `${v.staff === undefined ? '' : `${o.id}: `}${escape(o.affected)}, since ${at(o.start)} (${duration(v.now - o.start)})`,
        {
          spacing: 'small',
        },
      ),
    ),
    ...(v.ongoing.length === 0
      ? []
      : [
          text('Our engineers are on it; this answer shows the latest.', {
            isSubtle: true,
            spacing: 'small',
          }),
        ]),
    text(`${monthName(m.month)} so far`, { weight: 'bolder', separator: true }),
    {
      type: 'FactSet',
      facts: [
        { title: 'Availability', value: percent(m.availability) },
        { title: 'Target', value: percent(m.target) },
        { title: 'Standing', value: m.met ? 'Within target' : 'Below target' },
        ...(v.staff === undefined
          ? []
          : [
              { title: 'Down', value: `${m.outageMinutes} min` },
              { title: 'Excluded', value: `${m.excludedMinutes} min` },
              {
                title: 'Error budget',
                value: `${m.budgetUsedMinutes} of ${m.budgetMinutes} min used, ${m.budgetLeftMinutes} left`,
              },
            ]),
      ],
    },
  ];
  if (v.staff !== undefined && v.staff.outages.length > 0) {
    body.push(text('This month’s outages', { weight: 'bolder', separator: true }));
    for (const o of v.staff.outages.slice(-10))
      body.push(
        text(
          `${o.id} · ${zoned(p, o.start, v.now)} – ${o.end === null ? 'ongoing' : zoned(p, o.end, v.now)} · ${escape(o.affected.slice(0, 80))}${o.exclusion === null ? '' : ` · (${o.exclusion.category}) ${o.exclusion.status}`}`,
          { size: 'small', spacing: 'none' },
        ),
      );
  }
  return card(body, {
    actions: [
      execute('Refresh', 'outage.status'),
      ...(v.staff === undefined
        ? [execute('New ticket', 'ticket.new')]
        : [execute('Record an outage', 'outage.new')]),
    ],
  });
}

/** The managers' channel: the month's summary, or an error-budget warning. */
export function budgetNoticeCard(
  policy: Policy,
  kind: NoticeKind,
  m: MonthAvailability,
  now: Instant,
  excluded: Readonly<Record<ExclusionCategory, number>>,
): AdaptiveCard {
  const service = escape(policy.availability.service);
  const title =
    kind === 'summary'
      ? `${service} availability, ${monthName(m.month)}: ${m.met ? 'met' : 'missed'}`
      : kind === 'half'
        ? `⚠️ Half of ${monthName(m.month)}’s error budget is used`
        : `🔴 ${monthName(m.month)}’s error budget is spent`;
  const ex = EXCLUSION_CATEGORIES.filter((c) => excluded[c] > 0).map((c) => `(${c}) ${excluded[c]} min`);
  return card(
    [
      text(title, {
        weight: 'bolder',
        size: 'medium',
        color:
          kind === 'summary' ? (m.met ? 'good' : 'attention') : kind === 'half' ? 'warning' : 'attention',
      }),
      {
        type: 'FactSet',
        facts: [
          { title: 'Availability', value: `${percent(m.availability)} (target ${percent(m.target)})` },
          { title: 'Minutes in month', value: m.minutes.toLocaleString('en-US') },
          { title: 'Down', value: `${m.outageMinutes} min` },
          { title: 'Excluded', value: ex.length === 0 ? 'none' : ex.join(', ') },
          {
            title: 'Error budget',
            value: `${m.budgetUsedMinutes} of ${m.budgetMinutes} min used, ${m.budgetLeftMinutes} left`,
          },
        ],
      },
      text(`As of ${zoned(policy, now, now)}.`, { isSubtle: true, size: 'small' }),
    ],
    { actions: [execute('Service status', 'outage.status')] },
  );
}
