// The SLA dashboard: this month and the twelve before, per priority: share of response and work-around
// targets met, median and 90th-percentile time to first reply, paused hours; the month's missed deadlines
// and what is at risk now. Figures come from counters the server keeps as tickets change.
import { Caption1, Card, CardHeader, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import {
  TARGET_LABELS,
  type Clock,
  type Dashboard as DashboardData,
  type Figures,
  type MonthFigures,
  type Priority,
} from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { ShareBars } from '../components/Charts';
import { BigFigure, cardGrid, SPACED, TitledCard } from '../components/Cards';
import { CellTable } from '../components/DataTable';
import { SelectField } from '../components/Fields';
import { Empty, Pending, PriorityBadge, StateBadge, When } from '../components/Bits';
import { duration, minutesText, monthLabel, percent } from '../components/time';
import { noMissText } from '../components/words';
import { ticketsCounted } from '../../../src/domain/stats/count-words';
import { SatisfactionSection } from './SatisfactionSection';

const PRIORITIES = ['P1', 'P2', 'P3'] as const;

const useStyles = makeStyles({
  top: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'end',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
  },
  cards: cardGrid('min(230px, 100%)', SPACED),
  figure: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  charts: cardGrid('min(320px, 100%)', { marginBottom: tokens.spacingVerticalL }),
});

const monthName = monthLabel;

const CLOCK_WORDS: Readonly<Record<Clock, string>> = {
  continuous: 'continuous',
  'support-hours': 'support-hours',
  'business-days': 'business-day',
};

/** The clock(s) a row's reply times are read on: "continuous clock", "support-hours or business-day clock". */
export function clockLabel(clocks: readonly Clock[]): string {
  if (clocks.length === 0) return 'target clock';
  if (clocks.includes('continuous') && clocks.length > 1) return "each target's own clock";
  return `${clocks.map((c) => CLOCK_WORDS[c]).join(' or ')} clock`;
}

/** A reply percentile on its target's clock, wall time beside when it differs. */
function replyText(onClock: number | null, wall: number | null): string {
  const clock = minutesText(onClock);
  return wall === null || wall === onClock ? clock : `${clock} (wall ${minutesText(wall)})`;
}

const pausedText = (f: Figures): string =>
  `${duration(f.pausedMinutes * 60_000, true)}${f.waitingNow > 0 ? ` · ${f.waitingNow} waiting now` : ''}`;

function FigureLine({
  label,
  value,
  id,
  raw,
}: {
  label: string;
  value: string;
  id: string;
  raw: number | null;
}) {
  const s = useStyles();
  return (
    <div className={s.figure}>
      <Caption1>{label}</Caption1>
      <Text weight="semibold" data-testid={id} data-value={raw === null ? '' : String(raw)}>
        {value}
      </Text>
    </div>
  );
}

function PriorityCard({ p, f, scope }: { p: string; f: Figures; scope: string }) {
  return (
    <Card>
      <CardHeader
        header={<PriorityBadge priority={p} />}
        description={<Caption1>{ticketsCounted(f)}</Caption1>}
      />
      <BigFigure testId={`${scope}-response-share-${p}`} value={f.response.share ?? ''}>
        {percent(f.response.share)}
      </BigFigure>
      <Caption1>response targets met</Caption1>
      <FigureLine
        label="Work-around targets met"
        value={percent(f.workaround.share)}
        id={`${scope}-workaround-share-${p}`}
        raw={f.workaround.share}
      />
      <Caption1>First reply, on the {clockLabel(f.responseClocks)}:</Caption1>
      <FigureLine
        label="Median"
        value={minutesText(f.responseMedianMinutes)}
        id={`${scope}-median-${p}`}
        raw={f.responseMedianMinutes}
      />
      <FigureLine
        label="90th percentile"
        value={minutesText(f.responseP90Minutes)}
        id={`${scope}-p90-${p}`}
        raw={f.responseP90Minutes}
      />
      <FigureLine
        label="Wall time, median / 90th"
        value={`${minutesText(f.responseWallMedianMinutes)} / ${minutesText(f.responseWallP90Minutes)}`}
        id={`${scope}-wall-${p}`}
        raw={f.responseWallP90Minutes}
      />
      <FigureLine
        label="Missed (response / work-around)"
        value={`${f.response.late + f.response.breached} / ${f.workaround.late + f.workaround.breached}`}
        id={`${scope}-missed-${p}`}
        raw={f.response.late + f.response.breached + f.workaround.late + f.workaround.breached}
      />
      <FigureLine
        label="Waiting on customer (wall time, open waits to now)"
        value={pausedText(f)}
        id={`${scope}-paused-${p}`}
        raw={f.pausedHours}
      />
    </Card>
  );
}

const FIGURE_COLUMNS = [
  'Priority',
  'Tickets',
  'Response met',
  'Work-around met',
  'Clock',
  'Median reply',
  'p90 reply',
  'Waiting on customer',
];

const metText = (t: Figures['response']): string =>
  `${percent(t.share)} (${t.onTime}/${t.onTime + t.late + t.breached})`;

function FiguresTable({ m, caption }: { m: MonthFigures; caption: string }) {
  return (
    <CellTable
      label={caption}
      columns={FIGURE_COLUMNS}
      rows={[...PRIORITIES.map((p) => [p, m.byPriority[p]] as const), ['All', m.all] as const]}
      rowKey={([p]) => p}
      cells={([p, f]) => [
        p,
        f.tickets,
        metText(f.response),
        metText(f.workaround),
        clockLabel(f.responseClocks),
        replyText(f.responseMedianMinutes, f.responseWallMedianMinutes),
        replyText(f.responseP90Minutes, f.responseWallP90Minutes),
        pausedText(f),
      ]}
    />
  );
}

/** The first cells of a row about a ticket: its link and title, priority and customer. */
function ticketCells(r: { ticketId: string; title: string; priority: Priority; customerName: string }) {
  return [
    <>
      <Link href={`#/ticket/${r.ticketId}`}>{r.ticketId}</Link> {r.title}
    </>,
    <PriorityBadge key="p" priority={r.priority} />,
    r.customerName,
  ];
}

export function Dashboard() {
  const s = useStyles();
  const [month, setMonth] = useState('');
  const [load, refresh] = useApi<DashboardData>(`/api/dashboard${month ? `?month=${month}` : ''}`, 60_000);
  if (load.kind !== 'ready') return <Pending load={load} label="Loading the dashboard…" onRetry={refresh} />;
  const d = load.data;
  const choices = [...d.months].reverse().map((m) => m.month);
  return (
    <section aria-labelledby="dash-title">
      <div className={s.top}>
        <h2 id="dash-title" className="page-title">
          SLA dashboard · {monthName(d.month)}
        </h2>
        <SelectField
          label="Month"
          value={month || d.month}
          onChange={setMonth}
          options={choices.map((m) => [m, monthName(m)] as const)}
        />
      </div>
      {d.current.all.tickets === 0 && d.lastTwelve.all.tickets === 0 ? (
        <Empty title="No tickets yet">The figures fill in as tickets are filed and answered.</Empty>
      ) : null}
      <div className={s.cards}>
        {PRIORITIES.map((p) => (
          <PriorityCard key={p} p={p} f={d.current.byPriority[p]} scope="month" />
        ))}
      </div>
      <div className={s.charts}>
        <TitledCard title="Response targets met, by month">
          <ShareBars
            title="Share of response targets met in each of the last 13 months"
            bars={d.months.map((m) => ({
              label: m.month.slice(5),
              value: m.all.response.share,
              text: percent(m.all.response.share, 0),
            }))}
            target={0.95}
          />
        </TitledCard>
        <TitledCard title="This month by priority">
          <ShareBars
            title="Share of response and work-around targets met this month, by priority"
            bars={PRIORITIES.flatMap((p) => [
              {
                label: `${p} resp`,
                value: d.current.byPriority[p].response.share,
                text: percent(d.current.byPriority[p].response.share, 0),
              },
              {
                label: `${p} w-a`,
                value: d.current.byPriority[p].workaround.share,
                text: percent(d.current.byPriority[p].workaround.share, 0),
              },
            ])}
          />
        </TitledCard>
      </div>
      <h3>{monthName(d.month)} in numbers</h3>
      <FiguresTable m={d.current} caption={`Figures for ${monthName(d.month)}`} />
      <h3>The twelve months before</h3>
      <FiguresTable m={d.lastTwelve} caption="Figures for the twelve months before" />
      <h3>At risk now</h3>
      <CellTable
        label="Tickets at risk now"
        columns={['Ticket', 'Priority', 'Customer', 'Owner', 'State', 'Deadline']}
        rows={d.atRisk}
        empty={
          <Empty title="Nothing at risk">No open ticket has used three quarters of a target's time.</Empty>
        }
        rowKey={(r) => r.ticketId}
        rowProps={(r) => ({ 'data-testid': 'at-risk-row', 'data-id': r.ticketId })}
        cells={(r) => [
          ...ticketCells(r),
          r.owner ?? 'Unassigned',
          <StateBadge key="s" state={r.state} />,
          <>
            {TARGET_LABELS[r.target]} <When t={r.due} />
          </>,
        ]}
      />
      <h3>Missed deadlines in {monthName(d.month)}</h3>
      <CellTable
        label="Missed deadlines"
        columns={['Ticket', 'Priority', 'Customer', 'Target', 'Due', 'Outcome']}
        rows={d.breaches}
        empty={<Empty title="No missed deadline">{noMissText(d.current.all)}</Empty>}
        rowKey={(b) => `${b.ticketId}-${b.target}`}
        rowProps={(b) => ({ 'data-testid': 'breach-row', 'data-id': b.ticketId })}
        cells={(b) => [
          ...ticketCells(b),
          TARGET_LABELS[b.target],
          <When key="d" t={b.due} />,
          b.kind === 'late' ? (
            <>
              met late, <When t={b.metAt} />
            </>
          ) : b.kind === 'open' ? (
            'still open, overdue'
          ) : (
            'never met'
          ),
        ]}
      />
      <Caption1>
        Reply times are counted on the clock each response target uses (support hours or business days for P2
        and P3, continuous for P1; time waiting on the customer left out), wall time beside. Waiting on the
        customer is wall time, open waits counted up to now. Durations are cut, never rounded up: to the
        second under an hour, to the minute beyond. Reply percentiles are counted in steps (to the minute
        below 8 h, to 5 min below 3 days, to 30 min below 30 days) and each shows the start of its step.
      </Caption1>
      {d.satisfaction === undefined ? null : <SatisfactionSection months={d.satisfaction} />}
    </section>
  );
}
