// The monthly SLA report: a customer sees their own; staff pick the customer. Targets met per priority,
// breaches with their tickets, time waiting on the customer (clause (e)), the month's availability; the
// same report as a CSV download and a printable page.
import {
  Button,
  Caption1,
  Field,
  Input,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { TARGET_LABELS, type SlaReport } from '../../../src/adapters/api/contract';
import { authorizedFetch } from '../api/client';
import { useApi } from '../api/useApi';
import { cardGrid, TitledCard } from '../components/Cards';
import { DataTable } from '../components/DataTable';
import { Empty, Note, Pending, When } from '../components/Bits';
import { byName, SelectField } from '../components/Fields';
import { useSession } from '../components/Zone';
import { minutesText, monthIn, monthLabel, plural } from '../components/time';
import { noBreachText } from '../components/words';
import { availabilityPercent } from '../../../src/domain/reports/percent';
import { waitingHeading, waitingLabel } from '../../../src/domain/reports/words';
import { satisfactionSentence } from '../../../src/domain/stats/satisfaction-words';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    alignItems: 'end',
    flexWrap: 'wrap',
    marginBottom: tokens.spacingVerticalL,
  },
  cards: cardGrid('220px'),
});

const pct = (x: number): string => availabilityPercent(x);
/** Report minutes in words, to the second under an hour: the reports' own rule. */
const span = (m: number): string => minutesText(m, true);

async function download(path: string, fallbackName: string): Promise<void> {
  const r = await authorizedFetch(path);
  if (!r.ok) throw new Error(`The server answered ${r.status}.`);
  const name = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

async function printable(path: string): Promise<void> {
  const r = await authorizedFetch(path);
  if (!r.ok) throw new Error(`The server answered ${r.status}.`);
  const frame = document.createElement('iframe');
  frame.title = 'Printable report';
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.srcdoc = await r.text();
  frame.onload = () => {
    frame.contentWindow?.print();
    setTimeout(() => {
      frame.remove();
    }, 60_000);
  };
  document.body.appendChild(frame);
}

export function Reports() {
  const s = useStyles();
  const { me } = useSession();
  // The month in the support zone: at 20:00 ET on 31 October it is still October's report, not November's.
  const [month, setMonth] = useState(() => monthIn(me.now, me.timeZone));
  const [tenant, setTenant] = useState(me.customers?.[0]?.id ?? '');
  const [failed, setFailed] = useState<string | null>(null);
  const staff = me.role !== 'customer';
  const query = `month=${encodeURIComponent(month)}${staff ? `&tenant=${encodeURIComponent(tenant)}` : ''}`;
  const [load, refresh] = useApi<SlaReport>(staff && tenant === '' ? null : `/api/reports/sla?${query}`);
  const act = (work: Promise<void>) => {
    setFailed(null);
    work.catch((e: unknown) => {
      setFailed(e instanceof Error ? e.message : String(e));
    });
  };
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title" className="page-title">
        SLA report
      </h2>
      <div className={s.bar}>
        <Field label="Month">
          <Input
            type="month"
            value={month}
            onChange={(_e, d) => {
              if (/^\d{4}-\d{2}$/.test(d.value)) setMonth(d.value);
            }}
          />
        </Field>
        {staff && (
          <SelectField label="Customer" value={tenant} onChange={setTenant} options={byName(me.customers)} />
        )}
        <Button
          onClick={() => {
            act(download(`/api/reports/sla?${query}&format=csv`, `sla-report-${month}.csv`));
          }}
        >
          Download CSV
        </Button>
        <Button
          onClick={() => {
            act(printable(`/api/reports/sla?${query}&format=html`));
          }}
        >
          Print
        </Button>
      </div>
      {failed !== null && <Note intent="error">{failed}</Note>}
      {staff && tenant === '' ? (
        <Empty title="No customers">Set CUSTOMER_TENANTS to see customers’ reports.</Empty>
      ) : load.kind !== 'ready' ? (
        <Pending load={load} label="Loading the report…" onRetry={refresh} />
      ) : (
        <ReportBody r={load.data} />
      )}
    </section>
  );
}

function ReportBody({ r }: { readonly r: SlaReport }) {
  const s = useStyles();
  const a = r.availability.figures;
  const due = r.targets.filter((t) => t.due > 0);
  return (
    <>
      <Caption1>
        {r.customerName} · {monthLabel(r.month)}
        {r.partial ? ' · month in progress: figures so far' : ''} · {plural(r.filed, 'ticket')} filed
      </Caption1>
      <div className={s.cards}>
        <TitledCard title="Availability" caption={`target ${pct(a.target)}`}>
          <Text size={600} weight="semibold" data-testid="report-availability">
            {pct(a.availability)}
          </Text>
          <Text>
            {a.met ? 'Met' : 'Missed'} · {span(a.outageMinutes)} down · {span(a.excludedMinutes)} excluded
          </Text>
        </TitledCard>
        <TitledCard title="Breaches">
          <Text size={600} weight="semibold" data-testid="report-breaches">
            {r.breaches.length}
          </Text>
        </TitledCard>
        <TitledCard
          title={waitingLabel(r.audience)}
          caption="the customer’s delay in responding (contract exclusion e)"
        >
          <Text size={600} weight="semibold">
            {span(r.pausedMinutes)}
          </Text>
        </TitledCard>
        {r.satisfaction !== undefined && (
          <TitledCard title="How we did" caption="ratings of the month’s resolutions, 1 to 5">
            <Text data-testid="report-satisfaction">{satisfactionSentence(r.satisfaction)}</Text>
          </TitledCard>
        )}
      </div>
      <Caption1 as="p" data-testid="rounding-rule">
        Percentages are cut, never rounded up, to 4 decimals; durations are cut (to the second under an hour).
      </Caption1>
      <h3>Targets due this month</h3>
      <DataTable
        label="Targets due this month"
        columns={['Priority', 'Target', 'Due', 'Met', 'Breached', 'Open']}
        rows={due}
        empty={<Empty title="Nothing fell due">No response or work-around target fell due this month.</Empty>}
        row={(t) => (
          <TableRow key={`${t.priority}-${t.target}`}>
            <TableCell>{t.priority}</TableCell>
            <TableCell>{TARGET_LABELS[t.target]}</TableCell>
            <TableCell>{t.due}</TableCell>
            <TableCell>{t.met}</TableCell>
            <TableCell>{t.breached}</TableCell>
            <TableCell>{t.open}</TableCell>
          </TableRow>
        )}
      />
      <h3>Breaches</h3>
      <DataTable
        label="Breaches"
        columns={['Ticket', 'Title', 'Target', 'Due', 'Met', 'Late by']}
        rows={r.breaches}
        empty={<Empty title="No breach">{noBreachText(r)}</Empty>}
        row={(b) => (
          <TableRow key={`${b.ticketId}-${b.target}`}>
            <TableCell>
              <a href={`#/ticket/${encodeURIComponent(b.ticketId)}`}>{b.ticketId}</a>
            </TableCell>
            <TableCell>{b.title}</TableCell>
            <TableCell>
              {b.priority} {TARGET_LABELS[b.target]}
            </TableCell>
            <TableCell>
              <When t={b.due} />
            </TableCell>
            <TableCell>{b.metAt === null ? 'not yet' : <When t={b.metAt} />}</TableCell>
            <TableCell>{span(b.lateMinutes)}</TableCell>
          </TableRow>
        )}
      />
      {r.paused.length > 0 && (
        <>
          <h3>{waitingHeading(r.audience)}</h3>
          <DataTable
            label="Time waiting on the customer"
            columns={['Ticket', 'Title', 'Waited']}
            rows={r.paused}
            scroll={false}
            row={(p) => (
              <TableRow key={p.ticketId}>
                <TableCell>{p.ticketId}</TableCell>
                <TableCell>{p.title}</TableCell>
                <TableCell>{span(p.minutes)}</TableCell>
              </TableRow>
            )}
          />
        </>
      )}
    </>
  );
}
