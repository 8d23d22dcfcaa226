// Reports as CSV (one row per figure, outage or ticket) and as a clean printable HTML page.
// Pure: every text is escaped; times in the policy's zone.
import { EXCLUSION_CATEGORIES } from '../policy/schema';
import { isoInZone, type Instant } from '../sla';
import type { AvailabilityReport, Counted } from './availability';
import type { CustomerReport } from './customer';
import { toCsv, type Cell } from './csv';
import { minutesText } from './duration';
import { availabilityPercent } from './percent';
import { satisfactionSentence } from '../stats/satisfaction';
import { noWaitText, waitingHeading } from './words';

const COUNTED: Readonly<Record<Counted, string>> = {
  down: 'down',
  excluded: 'excluded',
  'down-exclusion-requested': 'down (exclusion awaiting approval)',
  'down-exclusion-rejected': 'down (exclusion rejected)',
};

const TARGET = { response: 'Response', workaround: 'Work-around' } as const;

const iso = (t: Instant | null, zone: string): string => (t === null ? '' : isoInZone(t, zone));
const wall = (t: Instant | null, zone: string, label: string): string =>
  t === null ? 'ongoing' : `${isoInZone(t, zone).slice(0, 16).replace('T', ' ')} ${label}`;
const percent = (x: number): string => availabilityPercent(x);
/** Minutes in words, to the second under an hour ("4 min 19 s"): the rule of every duration shown. */
const span = (m: number): string => html(minutesText(m, true));

/** The figure rows shared by both reports: [item, value, unit]. */
function figureRows(r: AvailabilityReport): [string, Cell, string][] {
  const f = r.figures;
  return [
    ['month', r.month, ''],
    ['time zone', r.timeZone, ''],
    ['service', r.service, ''],
    ['complete', !r.partial, ''],
    ['minutes in month', f.minutes, 'minutes'],
    ['down minutes', f.outageMinutes, 'minutes'],
    ...EXCLUSION_CATEGORIES.map((c): [string, Cell, string] => [
      `excluded (${c}) ${r.exclusionTitles[c]}`,
      f.excludedByCategory[c],
      'minutes',
    ]),
    ['excluded minutes', f.excludedMinutes, 'minutes'],
    ['availability', f.availability, 'ratio'],
    ['target', f.target, 'ratio'],
    ['error budget', f.budgetMinutes, 'minutes'],
    ['budget used', f.budgetUsedMinutes, 'minutes'],
    ['budget left', f.budgetLeftMinutes, 'minutes'],
    ['result', f.met ? 'met' : 'missed', ''],
  ];
}

export const AVAILABILITY_CSV_HEADER = [
  'section',
  'item',
  'id',
  'what',
  'start',
  'end',
  'value',
  'unit',
] as const;

/** The availability report as CSV: one row per figure, then one per outage. */
export function availabilityCsv(r: AvailabilityReport): string {
  const rows: Cell[][] = figureRows(r).map(([item, value, unit]) => [
    'availability',
    item,
    '',
    '',
    '',
    '',
    value,
    unit,
  ]);
  for (const o of r.outages) {
    const ex = o.exclusion === null ? '' : ` (${o.exclusion.category})`;
    rows.push([
      'outage',
      `${COUNTED[o.counted]}${ex}`,
      o.id,
      o.affected,
      iso(o.start, r.timeZone),
      iso(o.end, r.timeZone),
      o.minutesInMonth,
      'minutes',
    ]);
  }
  return toCsv(AVAILABILITY_CSV_HEADER, rows);
}

export const CUSTOMER_CSV_HEADER = [
  'section',
  'item',
  'priority',
  'target',
  'ticket',
  'title',
  'due',
  'met_at',
  'value',
  'unit',
] as const;

/** The customer's report as CSV: figures, per-priority tallies, one row per breach and per waiting ticket. */
export function customerCsv(r: CustomerReport): string {
  const z = r.timeZone;
  const rows: Cell[][] = [
    ['report', 'customer', '', '', '', '', '', '', r.customerName, ''],
    ['report', 'tickets filed', '', '', '', '', '', '', r.filed, 'tickets'],
  ];
  for (const t of r.targets)
    for (const item of ['due', 'met', 'breached', 'open'] as const)
      rows.push(['targets', item, t.priority, t.target, '', '', '', '', t[item], 'targets']);
  for (const b of r.breaches)
    rows.push([
      'breach',
      b.metAt === null ? 'breached, not yet met' : 'breached, met late',
      b.priority,
      b.target,
      b.ticketId,
      b.title,
      iso(b.due, z),
      iso(b.metAt, z),
      b.lateMinutes,
      'minutes late',
    ]);
  for (const p of r.paused)
    rows.push([
      'waiting on customer (e)',
      'paused',
      '',
      '',
      p.ticketId,
      p.title,
      '',
      '',
      p.minutes,
      'minutes',
    ]);
  rows.push(['waiting on customer (e)', 'total', '', '', '', '', '', '', r.pausedMinutes, 'minutes']);
  for (const [item, value, unit] of figureRows(r.availability))
    rows.push(['availability', item, '', '', '', '', '', '', value, unit]);
  return toCsv(CUSTOMER_CSV_HEADER, rows);
}

/** Escapes text for HTML element content and attribute values. */
export function html(text: string | number): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 "Segoe UI", system-ui, -apple-system, sans-serif; color: #242424; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
.sub { color: #616161; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e0e0e0; vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #0e700e; font-weight: 600; } .missed { color: #b10e1c; font-weight: 600; }
.none { color: #616161; }
@media (max-width: 40rem) { body { margin: 1rem auto; padding: 0 .5rem; } th, td { padding: .3rem .25rem; } }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } tr { break-inside: avoid; } h2 { break-after: avoid; } }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

function figuresTable(r: AvailabilityReport): string {
  const f = r.figures;
  const row = (k: string, v: string, cls = 'num'): string =>
    `<tr><th scope="row">${html(k)}</th><td class="${cls}">${v}</td></tr>`;
  return `<table class="figures"><tbody>
${row('Length of the month', `${span(f.minutes)} (${html(f.minutes.toLocaleString('en-US'))} minutes)`)}
${row('Down', span(f.outageMinutes))}
${EXCLUSION_CATEGORIES.map((c) => row(`Excluded (${c}) ${r.exclusionTitles[c]}`, span(f.excludedByCategory[c]))).join('\n')}
${row('Availability', html(percent(f.availability)))}
${row('Target', html(percent(f.target)))}
${row('Error budget', span(f.budgetMinutes))}
${row('Budget used / left', `${span(f.budgetUsedMinutes)} / ${span(f.budgetLeftMinutes)}`)}
${row('Result', f.met ? '<span class="met">Met</span>' : '<span class="missed">Missed</span>', '')}
</tbody></table>`;
}

function outagesTable(r: AvailabilityReport): string {
  if (r.outages.length === 0) return '<p class="none">No Core Service outage was recorded this month.</p>';
  const head =
    '<tr><th>Outage</th><th>Start</th><th>End</th><th>Affected</th><th class="num">Duration in the month</th><th>Counted</th></tr>';
  const rows = r.outages.map(
    (o) =>
      `<tr><td>${html(o.id)}</td><td>${html(wall(o.start, r.timeZone, r.timeZoneLabel))}</td><td>${html(wall(o.end, r.timeZone, r.timeZoneLabel))}</td><td>${html(o.affected)}</td><td class="num">${span(o.minutesInMonth)}</td><td>${html(COUNTED[o.counted])}${o.exclusion === null ? '' : ` (${html(o.exclusion.category)})`}</td></tr>`,
  );
  return `<table><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function subtitle(r: {
  partial: boolean;
  generatedAt: Instant;
  timeZone: string;
  timeZoneLabel: string;
}): string {
  return `<p class="sub">${r.partial ? 'Month in progress: figures so far. ' : ''}Generated ${html(wall(r.generatedAt, r.timeZone, r.timeZoneLabel))}. Times in ${html(r.timeZone)}. Percentages are cut, never rounded up, to 4 decimals; durations to the minute (to the second under an hour).</p>`;
}

/** The availability report as a printable page. */
export function availabilityHtml(r: AvailabilityReport): string {
  return page(
    `${r.service} availability ${r.month}`,
    `<h1>${html(r.service)} availability, ${html(r.month)}</h1>
${subtitle(r)}
${figuresTable(r)}
<h2>Outages</h2>
${outagesTable(r)}`,
  );
}

/** The customer's monthly SLA report as a printable page. */
export function customerHtml(r: CustomerReport): string {
  const tally = r.targets
    .filter((t) => t.due > 0)
    .map(
      (t) =>
        `<tr><td>${t.priority}</td><td>${TARGET[t.target]}</td><td class="num">${t.due}</td><td class="num">${t.met}</td><td class="num">${t.breached}</td><td class="num">${t.open}</td></tr>`,
    );
  const breaches = r.breaches.map(
    (b) =>
      `<tr><td>${html(b.ticketId)}</td><td>${html(b.title)}</td><td>${b.priority}</td><td>${TARGET[b.target]}</td><td>${html(wall(b.due, r.timeZone, r.timeZoneLabel))}</td><td>${b.metAt === null ? 'not yet' : html(wall(b.metAt, r.timeZone, r.timeZoneLabel))}</td><td class="num">${span(b.lateMinutes)}</td></tr>`,
  );
  const paused = r.paused.map(
    (p) =>
      `<tr><td>${html(p.ticketId)}</td><td>${html(p.title)}</td><td class="num">${span(p.minutes)}</td></tr>`,
  );
  return page(
    `SLA report ${r.customerName} ${r.month}`,
    `<h1>SLA report: ${html(r.customerName)}, ${html(r.month)}</h1>
${subtitle(r)}
<p>${r.filed} ticket${r.filed === 1 ? '' : 's'} filed this month.</p>
<h2>Targets due this month</h2>
${tally.length === 0 ? '<p class="none">No response or work-around target fell due this month.</p>' : `<table><thead><tr><th>Priority</th><th>Target</th><th class="num">Due</th><th class="num">Met</th><th class="num">Breached</th><th class="num">Open</th></tr></thead><tbody>\n${tally.join('\n')}\n</tbody></table>`}
<h2>Breaches</h2>
${breaches.length === 0 ? '<p class="none">No target was breached.</p>' : `<table><thead><tr><th>Ticket</th><th>Title</th><th>Priority</th><th>Target</th><th>Due</th><th>Met</th><th class="num">Late by</th></tr></thead><tbody>\n${breaches.join('\n')}\n</tbody></table>`}
<h2>${html(waitingHeading(r.audience))}</h2>
${paused.length === 0 ? `<p class="none">${html(noWaitText(r.audience))}</p>` : `<table><thead><tr><th>Ticket</th><th>Title</th><th class="num">Waited</th></tr></thead><tbody>\n${paused.join('\n')}\n<tr><th colspan="2">Total</th><td class="num">${span(r.pausedMinutes)}</td></tr></tbody></table>`}
${r.satisfaction === undefined ? '' : `<h2>How we did</h2>\n<p>${html(satisfactionSentence(r.satisfaction))}</p>\n`}<h2>${html(r.availability.service)} availability</h2>
${figuresTable(r.availability)}
${outagesTable(r.availability)}`,
  );
}
