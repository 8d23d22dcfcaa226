// The service status customers and staff ask for (up or not, this month's availability so far), and the
// managers' monthly summary and error-budget warnings.
import type { ExclusionCategory, Policy } from '../../policy/schema';
import { EXCLUSION_CATEGORIES } from '../../policy/schema';
import type { Instant, MonthAvailability } from '../../sla';
import type { Outage } from '../../outages/model';
import type { NoticeKind } from '../../outages/notices';
import { duration, whenBoth, zoned, type ViewBase } from '../time';
import { card, escape, execute, text, type AdaptiveCard, type Element } from '../types';
import { availabilityPercent as percent } from '../../reports/percent';

export interface StatusView extends ViewBase {
  readonly ongoing: readonly Outage[];
  /** This month so far. */
  readonly month: MonthAvailability;
  /** The viewer's zone (customers see both times). */
  readonly viewerZone?: string | undefined;
  /** Staff see the figures in full and every outage of the month. */
  readonly staff?: { readonly outages: readonly Outage[] } | undefined;
}

/** An availability as a percentage to four decimals, rounded down so it never reads better than it is. */

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
