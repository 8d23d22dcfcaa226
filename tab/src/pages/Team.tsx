// The Team view, for managers and engineers: open work per person (each linking to their queue), tickets
// filed and resolved per week with the backlog, SLA met % per engineer and per customer for a month, and
// that month's per-ticket SLA export as a CSV download. Weeks and months are the support zone's.
import { Button, Caption1, Field, Input, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import {
  TARGET_LABELS,
  type MetGroup,
  type MetTally,
  type SlaInsights,
  type Trend,
  type WeekTrend,
  type Workload,
  type WorkloadRowView,
} from '../../../src/adapters/api/contract';
import { authorizedFetch } from '../api/client';
import { useApi } from '../api/useApi';
import { Note, Pending } from '../components/Bits';
import { ColumnTable, type Column } from '../components/DataTable';
import { TrendChart } from '../components/TrendChart';
import { useSession } from '../components/Zone';
import { monthIn, plural } from '../components/time';

const useStyles = makeStyles({
  part: { marginBottom: tokens.spacingVerticalXXL, maxWidth: '100%' },
  bar: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    alignItems: 'end',
    flexWrap: 'wrap',
    marginBottom: tokens.spacingVerticalM,
  },
  caption: { display: 'block', marginBottom: tokens.spacingVerticalS },
});

/** Fetches a download with the bearer token and saves it (an anchor in the page: works in Teams' frame). */
async function saveDownload(path: string, fallbackName: string): Promise<string> {
  const r = await authorizedFetch(path);
  if (!r.ok) throw new Error(`The export failed: the server answered ${r.status}.`);
  const name = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}

const ownerHref = (r: WorkloadRowView): string =>
  `#/queue?owner=${encodeURIComponent(r.owner === null ? 'none' : r.owner.id)}`;

function WorkloadPart({ data }: { readonly data: Workload }) {
  const s = useStyles();
  const count = (key: 'open' | 'atRisk' | 'breached' | 'paused', label: string): Column<WorkloadRowView> => ({
    label,
    numeric: true,
    cell: (r) => <span data-testid={`workload-${key}`}>{r[key]}</span>,
  });
  return (
    <>
      <Caption1 className={s.caption}>
        {plural(data.tickets, 'open ticket')}, each counted once under its state in the queue.
        {data.truncated ? ` Only the first ${plural(data.tickets, 'open ticket')} were read.` : ''}
      </Caption1>
      <ColumnTable
        label="Open tickets per owner"
        testId="workload"
        rows={data.rows}
        rowKey={(r) => r.owner?.id ?? 'unassigned'}
        columns={[
          {
            label: 'Owner',
            cell: (r) => (
              <Link href={ownerHref(r)} data-testid="workload-owner">
                {r.owner === null ? 'Unassigned' : r.owner.name}
              </Link>
            ),
          },
          count('open', 'Open'),
          count('atRisk', 'At risk'),
          count('breached', 'Breached'),
          count('paused', 'Waiting on customer'),
        ]}
      />
    </>
  );
}

function TrendPart({ data }: { readonly data: Trend }) {
  const s = useStyles();
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: data.timeZone, day: 'numeric', month: 'short' });
  const full = new Intl.DateTimeFormat('en-GB', {
    timeZone: data.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  const first = data.weeks[0];
  const last = data.weeks[data.weeks.length - 1];
  const title =
    first === undefined || last === undefined
      ? 'Tickets filed and resolved per week'
      : `Tickets filed and resolved per week, and open at each week's end, weeks of ${day.format(first.start)} to ${day.format(last.start)}`;
  const n = (key: 'created' | 'resolved' | 'backlog', label: string): Column<WeekTrend> => ({
    label,
    numeric: true,
    cell: (w) => <span data-testid={`trend-${key}`}>{w[key]}</span>,
  });
  return (
    <>
      <Caption1 className={s.caption}>
        Weeks start Monday 00:00 {data.timeZoneLabel}. Counts every ticket open now and those filed since{' '}
        {full.format(data.since)}; a ticket reopened counts at its latest resolution.
      </Caption1>
      <TrendChart weeks={data.weeks} title={title} weekLabel={(t) => day.format(t)} />
      <ColumnTable
        label="Tickets filed and resolved per week"
        testId="trend"
        rows={data.weeks}
        rowKey={(w) => String(w.start)}
        columns={[
          {
            label: 'Week of',
            cell: (w) => (
              <span data-testid="trend-week">
                {full.format(w.start)}
                {w.partial ? ' (so far)' : ''}
              </span>
            ),
          },
          n('created', 'Filed'),
          n('resolved', 'Resolved'),
          n('backlog', 'Open at week end'),
        ]}
      />
    </>
  );
}

interface MetRow {
  readonly key: string;
  readonly name: string;
  readonly t: MetTally;
}

const targetLabel = (t: MetTally): string => (t.target === 'all' ? 'All targets' : TARGET_LABELS[t.target]);

function MetTable({ label, groups, who }: { label: string; groups: readonly MetGroup[]; who: string }) {
  const rows: MetRow[] = groups.flatMap((g) => g.targets.map((t) => ({ key: g.key, name: g.name, t })));
  const n = (key: 'due' | 'met' | 'breached' | 'open', title: string): Column<MetRow> => ({
    label: title,
    numeric: true,
    cell: (r) => <span data-testid={`met-${key}`}>{r.t[key]}</span>,
  });
  if (rows.length === 0) return <Text>No targets were due in this month.</Text>;
  return (
    <ColumnTable
      label={label}
      testId={label === 'SLA met per engineer' ? 'met-engineer' : 'met-customer'}
      rows={rows}
      rowKey={(r) => `${r.key}|${r.t.target}`}
      columns={[
        { label: who, cell: (r) => <span data-testid="met-name">{r.name}</span> },
        { label: 'Target', cell: (r) => <span data-testid="met-target">{targetLabel(r.t)}</span> },
        n('due', 'Due'),
        n('met', 'Met'),
        n('breached', 'Breached'),
        n('open', 'Still running'),
        {
          label: 'Met %',
          numeric: true,
          cell: (r) => <span data-testid="met-percent">{r.t.percent ?? '—'}</span>,
        },
      ]}
    />
  );
}

function SlaPart({ data }: { readonly data: SlaInsights }) {
  const s = useStyles();
  return (
    <>
      <Caption1 className={s.caption}>
        Targets whose deadline falls in {data.month} ({data.timeZoneLabel}){data.partial ? ', so far' : ''},
        by the ticket&apos;s owner now. {data.rule}
      </Caption1>
      <h4>Per engineer</h4>
      <MetTable label="SLA met per engineer" groups={data.byEngineer} who="Engineer" />
      <h4>Per customer</h4>
      <MetTable label="SLA met per customer" groups={data.byCustomer} who="Customer" />
    </>
  );
}

export function Team() {
  const s = useStyles();
  const { me } = useSession();
  const [month, setMonth] = useState(() => monthIn(me.now, me.timeZone));
  const [workload, reloadWorkload] = useApi<Workload>('/api/insights/workload');
  const [trend, reloadTrend] = useApi<Trend>('/api/insights/trend?weeks=12');
  const [sla, reloadSla] = useApi<SlaInsights>(`/api/insights/sla?month=${encodeURIComponent(month)}`);
  const [note, setNote] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const download = () => {
    setNote(null);
    setSaving(true);
    saveDownload(`/api/export/sla.csv?month=${encodeURIComponent(month)}`, `sla-${month}.csv`).then(
      (name) => {
        setSaving(false);
        setNote({ intent: 'success', text: `Saved ${name}.` });
      },
      (e: unknown) => {
        setSaving(false);
        setNote({ intent: 'error', text: e instanceof Error ? e.message : String(e) });
      },
    );
  };
  return (
    <section aria-labelledby="team-title">
      <h2 id="team-title" className="page-title">
        Team
      </h2>
      <section className={s.part} aria-labelledby="workload-title">
        <h3 id="workload-title">Open work per person</h3>
        <Pending load={workload} label="Loading the workload…" onRetry={reloadWorkload} />
        {workload.kind === 'ready' && <WorkloadPart data={workload.data} />}
      </section>
      <section className={s.part} aria-labelledby="trend-title">
        <h3 id="trend-title">Filed and resolved per week</h3>
        <Pending load={trend} label="Loading the trend…" onRetry={reloadTrend} />
        {trend.kind === 'ready' && <TrendPart data={trend.data} />}
      </section>
      <section className={s.part} aria-labelledby="sla-title">
        <h3 id="sla-title">SLA met per engineer and customer</h3>
        <div className={s.bar}>
          <Field label="Month">
            <Input
              type="month"
              value={month}
              data-testid="team-month"
              onChange={(_e, d) => {
                if (/^\d{4}-\d{2}$/.test(d.value)) setMonth(d.value);
              }}
            />
          </Field>
          <Button onClick={download} disabled={saving} data-testid="export-csv">
            {saving ? 'Preparing…' : `Download per-ticket SLA (CSV, ${month})`}
          </Button>
        </div>
        {note && (
          <Note intent={note.intent} testId="export-note">
            {note.text}
          </Note>
        )}
        <Pending load={sla} label="Loading the month…" onRetry={reloadSla} />
        {sla.kind === 'ready' && <SlaPart data={sla.data} />}
      </section>
    </section>
  );
}
