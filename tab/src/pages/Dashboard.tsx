// The SLA dashboard: this month and the twelve before, per priority: share of response and work-around
// targets met, median and 90th-percentile time to first reply, paused hours; the month's missed deadlines
// and what is at risk now. Figures come from counters the server keeps as tickets change.
import {
  Caption1,
  Card,
  CardHeader,
  Link,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import {
  TARGET_LABELS,
  type Dashboard as DashboardData,
  type Figures,
  type MonthFigures,
  type Priority,
} from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { ShareBars } from '../components/Charts';
import { BigFigure, cardGrid, SPACED, TitledCard } from '../components/Cards';
import { DataTable } from '../components/DataTable';
import { SelectField } from '../components/Fields';
import { Empty, Pending, PriorityBadge, StateBadge, When } from '../components/Bits';
import { minutesText, percent } from '../components/time';

const PRIORITIES = ['P1', 'P2', 'P3'] as const;

const useStyles = makeStyles({
  top: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'end',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
  },
  cards: cardGrid('230px', SPACED),
  figure: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  charts: cardGrid('320px', { marginBottom: tokens.spacingVerticalL }),
});

function monthName(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return new Date(Date.UTC(y ?? 2000, (mo ?? 1) - 1, 15)).toLocaleString('en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

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
        description={<Caption1>{f.tickets} tickets</Caption1>}
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
      <FigureLine
        label="Median first reply"
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
        label="Missed (response / work-around)"
        value={`${f.response.late + f.response.breached} / ${f.workaround.late + f.workaround.breached}`}
        id={`${scope}-missed-${p}`}
        raw={f.response.late + f.response.breached + f.workaround.late + f.workaround.breached}
      />
      <FigureLine
        label="Paused (waiting on customer)"
        value={`${f.pausedHours} h`}
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
  'Median reply',
  'p90 reply',
  'Paused',
];

function FiguresTable({ m, caption }: { m: MonthFigures; caption: string }) {
  return (
    <DataTable
      label={caption}
      columns={FIGURE_COLUMNS}
      rows={[...PRIORITIES.map((p) => [p, m.byPriority[p]] as const), ['All', m.all] as const]}
      row={([p, f]) => (
        <TableRow key={p}>
          <TableCell>{p}</TableCell>
          <TableCell>{f.tickets}</TableCell>
          <TableCell>
            {percent(f.response.share)} ({f.response.onTime}/
            {f.response.onTime + f.response.late + f.response.breached})
          </TableCell>
          <TableCell>
            {percent(f.workaround.share)} ({f.workaround.onTime}/
            {f.workaround.onTime + f.workaround.late + f.workaround.breached})
          </TableCell>
          <TableCell>{minutesText(f.responseMedianMinutes)}</TableCell>
          <TableCell>{minutesText(f.responseP90Minutes)}</TableCell>
          <TableCell>{f.pausedHours} h</TableCell>
        </TableRow>
      )}
    />
  );
}

/** The first cells of a row about a ticket: its link and title, priority and customer. */
function TicketCells({
  r,
}: {
  r: { ticketId: string; title: string; priority: Priority; customerName: string };
}) {
  return (
    <>
      <TableCell>
        <Link href={`#/ticket/${r.ticketId}`}>{r.ticketId}</Link> {r.title}
      </TableCell>
      <TableCell>
        <PriorityBadge priority={r.priority} />
      </TableCell>
      <TableCell>{r.customerName}</TableCell>
    </>
  );
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
      <DataTable
        label="Tickets at risk now"
        columns={['Ticket', 'Priority', 'Customer', 'Owner', 'State', 'Deadline']}
        rows={d.atRisk}
        empty={
          <Empty title="Nothing at risk">No open ticket has used three quarters of a target's time.</Empty>
        }
        row={(r) => (
          <TableRow key={r.ticketId} data-testid="at-risk-row" data-id={r.ticketId}>
            <TicketCells r={r} />
            <TableCell>{r.owner ?? 'Unassigned'}</TableCell>
            <TableCell>
              <StateBadge state={r.state} />
            </TableCell>
            <TableCell>
              {TARGET_LABELS[r.target]} <When t={r.due} />
            </TableCell>
          </TableRow>
        )}
      />
      <h3>Missed deadlines in {monthName(d.month)}</h3>
      <DataTable
        label="Missed deadlines"
        columns={['Ticket', 'Priority', 'Customer', 'Target', 'Due', 'Outcome']}
        rows={d.breaches}
        empty={<Empty title="No missed deadline">Every target this month was met on time so far.</Empty>}
        row={(b) => (
          <TableRow key={`${b.ticketId}-${b.target}`} data-testid="breach-row" data-id={b.ticketId}>
            <TicketCells r={b} />
            <TableCell>{TARGET_LABELS[b.target]}</TableCell>
            <TableCell>
              <When t={b.due} />
            </TableCell>
            <TableCell>
              {b.kind === 'late' ? (
                <>
                  met late, <When t={b.metAt} />
                </>
              ) : b.kind === 'open' ? (
                'still open, overdue'
              ) : (
                'never met'
              )}
            </TableCell>
          </TableRow>
        )}
      />
    </section>
  );
}
