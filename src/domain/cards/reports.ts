// The customer's monthly SLA report as a card: targets met per priority, breaches with their tickets, time
// waiting on them (clause (e)) and the month's availability. User text (ticket titles) is escaped.
import type { CustomerReport } from '../reports/customer';
import { duration, minutesText } from '../reports/duration';
import { isoInZone } from '../sla';
import { card, clip, escape, execute, text, type AdaptiveCard, type Element } from './types';
import { availabilityPercent as percent } from '../reports/percent';
import { noWaitText, waitingHeading } from '../reports/words';
import { satisfactionSentence } from '../stats/satisfaction';

const TARGET = { response: 'Response', workaround: 'Work-around' } as const;

const wall = (t: number, zone: string, label: string): string =>
  `${isoInZone(t, zone).slice(0, 16).replace('T', ' ')} ${label}`;

/** The report card; `months` offers the previous months as buttons. */
export function customerReportCard(r: CustomerReport, previousMonth: string): AdaptiveCard {
  const due = r.targets.filter((t) => t.due > 0);
  const a = r.availability.figures;
  const body: Element[] = [
    text(`SLA report, ${r.month}: ${escape(r.customerName)}`, { weight: 'bolder', size: 'medium' }),
    text(
      `${r.partial ? 'Month in progress: figures so far. ' : ''}${r.filed} ticket${r.filed === 1 ? '' : 's'} filed. Times in ${r.timeZoneLabel}.`,
      { isSubtle: true, spacing: 'none' },
    ),
    text('Targets due this month', { weight: 'bolder', separator: true }),
    ...(due.length === 0
      ? [text('No response or work-around target fell due this month.', { isSubtle: true })]
      : [
          {
            type: 'FactSet' as const,
            facts: due.map((t) => ({
              title: `${t.priority} ${TARGET[t.target]}`,
              value: `${t.met} of ${t.due} met${t.breached > 0 ? `, ${t.breached} breached` : ''}${t.open > 0 ? `, ${t.open} open` : ''}`,
            })),
          },
        ]),
    text('Breaches', { weight: 'bolder', separator: true }),
    ...(r.breaches.length === 0
      ? [text('None.', { isSubtle: true })]
      : r.breaches
          .slice(0, 10)
          .map((b) =>
            text(
              `${b.ticketId} · ${b.priority} ${TARGET[b.target]} · ${escape(clip(b.title, 80))} · due ${wall(b.due, r.timeZone, r.timeZoneLabel)} · ${b.metAt === null ? 'not yet met' : 'met late'} (${duration(b.lateMinutes * 60_000)} late)`,
              { size: 'small', spacing: 'none' },
            ),
          )),
    ...(r.breaches.length > 10
      ? [text(`…and ${r.breaches.length - 10} more in the CSV.`, { isSubtle: true })]
      : []),
    text(waitingHeading(r.audience), { weight: 'bolder', separator: true }),
    text(
      r.paused.length === 0
        ? noWaitText(r.audience)
        : `${duration(r.pausedMinutes * 60_000)} over ${r.paused.length} ticket${r.paused.length === 1 ? '' : 's'}: ${r.paused
            .slice(0, 5)
            .map((p) => `${p.ticketId} ${duration(p.minutes * 60_000)}`)
            .join(', ')}`,
    ),
    ...(r.satisfaction === undefined
      ? []
      : [
          text('How we did', { weight: 'bolder', separator: true }),
          text(satisfactionSentence(r.satisfaction)),
        ]),
    text(`${escape(r.availability.service)} availability`, { weight: 'bolder', separator: true }),
    {
      type: 'FactSet',
      facts: [
        { title: 'Availability', value: `${percent(a.availability)} (target ${percent(a.target)})` },
        { title: 'Down', value: `${minutesText(a.outageMinutes, true)} of ${minutesText(a.minutes)}` },
        { title: 'Excluded', value: minutesText(a.excludedMinutes, true) },
        { title: 'Result', value: a.met ? 'Met' : 'Missed' },
      ],
    },
    text('The SLA Desk tab has this report as a CSV download and a printable page.', {
      isSubtle: true,
      size: 'small',
    }),
  ];
  return card(body, {
    actions: [execute(`Report for ${previousMonth}`, 'report.show', { month: previousMonth })],
  });
}
