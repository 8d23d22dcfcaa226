// The monthly SLA report: a customer sees their own; staff pick the customer. Targets met per priority,
// breaches with their tickets, time waiting on the customer (clause (e)), the month's availability; the
// same report as a CSV download and a printable page.
import {
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { authorizedFetch } from '../api/client';
import { useApi } from '../api/useApi';
import { Empty, ErrorState, HeaderRow, Loading, When } from '../components/Bits';
import { useSession } from '../components/Zone';

interface SlaReport {
  readonly month: string;
  readonly customerName: string;
  readonly partial: boolean;
  readonly filed: number;
  readonly targets: readonly {
    priority: string;
    target: string;
    due: number;
    met: number;
    breached: number;
    open: number;
  }[];
  readonly breaches: readonly {
    ticketId: string;
    title: string;
    priority: string;
    target: string;
    due: number;
    metAt: number | null;
    lateMinutes: number;
  }[];
  readonly paused: readonly { ticketId: string; title: string; minutes: number }[];
  readonly pausedMinutes: number;
  readonly availability: {
    readonly figures: {
      availability: number;
      target: number;
      met: boolean;
      outageMinutes: number;
      excludedMinutes: number;
      minutes: number;
    };
  };
}

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    alignItems: 'end',
    flexWrap: 'wrap',
    marginBottom: tokens.spacingVerticalL,
  },
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  scroll: { overflowX: 'auto' },
});

const TARGET: Readonly<Record<string, string>> = { response: 'Response', workaround: 'Work-around' };
const pct = (x: number): string => `${(Math.floor(x * 1_000_000) / 10_000).toFixed(4)} %`;

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
  const [month, setMonth] = useState(() => new Date(me.now).toISOString().slice(0, 7));
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
          <Field label="Customer">
            <Select
              value={tenant}
              onChange={(_e, d) => {
                setTenant(d.value);
              }}
            >
              {(me.customers ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
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
      {failed !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{failed}</MessageBarBody>
        </MessageBar>
      )}
      {staff && tenant === '' ? (
        <Empty title="No customers">Set CUSTOMER_TENANTS to see customers’ reports.</Empty>
      ) : load.kind === 'loading' ? (
        <Loading label="Loading the report…" />
      ) : load.kind === 'error' ? (
        <ErrorState message={load.message} onRetry={refresh} />
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
        {r.customerName} · {r.month}
        {r.partial ? ' · month in progress: figures so far' : ''} · {r.filed} ticket{r.filed === 1 ? '' : 's'}{' '}
        filed
      </Caption1>
      <div className={s.cards}>
        <Card>
          <CardHeader
            header={<Subtitle2>Availability</Subtitle2>}
            description={<Caption1>target {pct(a.target)}</Caption1>}
          />
          <Text size={600} weight="semibold" data-testid="report-availability">
            {pct(a.availability)}
          </Text>
          <Text>
            {a.met ? 'Met' : 'Missed'} · {a.outageMinutes} min down · {a.excludedMinutes} min excluded
          </Text>
        </Card>
        <Card>
          <CardHeader header={<Subtitle2>Breaches</Subtitle2>} />
          <Text size={600} weight="semibold" data-testid="report-breaches">
            {r.breaches.length}
          </Text>
        </Card>
        <Card>
          <CardHeader header={<Subtitle2>Waiting on you (e)</Subtitle2>} />
          <Text size={600} weight="semibold">
            {r.pausedMinutes} min
          </Text>
        </Card>
      </div>
      <h3>Targets due this month</h3>
      {due.length === 0 ? (
        <Empty title="Nothing fell due">No response or work-around target fell due this month.</Empty>
      ) : (
        <div className={s.scroll}>
          <Table size="small" aria-label="Targets due this month">
            <HeaderRow labels={['Priority', 'Target', 'Due', 'Met', 'Breached', 'Open']} />
            <TableBody>
              {due.map((t) => (
                <TableRow key={`${t.priority}-${t.target}`}>
                  <TableCell>{t.priority}</TableCell>
                  <TableCell>{TARGET[t.target] ?? t.target}</TableCell>
                  <TableCell>{t.due}</TableCell>
                  <TableCell>{t.met}</TableCell>
                  <TableCell>{t.breached}</TableCell>
                  <TableCell>{t.open}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <h3>Breaches</h3>
      {r.breaches.length === 0 ? (
        <Empty title="No breach">Every target due this month was met.</Empty>
      ) : (
        <div className={s.scroll}>
          <Table size="small" aria-label="Breaches">
            <HeaderRow labels={['Ticket', 'Title', 'Target', 'Due', 'Met', 'Minutes late']} />
            <TableBody>
              {r.breaches.map((b) => (
                <TableRow key={`${b.ticketId}-${b.target}`}>
                  <TableCell>
                    <a href={`#/ticket/${encodeURIComponent(b.ticketId)}`}>{b.ticketId}</a>
                  </TableCell>
                  <TableCell>{b.title}</TableCell>
                  <TableCell>
                    {b.priority} {TARGET[b.target] ?? b.target}
                  </TableCell>
                  <TableCell>
                    <When t={b.due} />
                  </TableCell>
                  <TableCell>{b.metAt === null ? 'not yet' : <When t={b.metAt} />}</TableCell>
                  <TableCell>{b.lateMinutes}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {r.paused.length > 0 && (
        <>
          <h3>Time waiting on you (exclusion (e))</h3>
          <Table size="small" aria-label="Time waiting on the customer">
            <HeaderRow labels={['Ticket', 'Title', 'Minutes']} />
            <TableBody>
              {r.paused.map((p) => (
                <TableRow key={p.ticketId}>
                  <TableCell>{p.ticketId}</TableCell>
                  <TableCell>{p.title}</TableCell>
                  <TableCell>{p.minutes}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </>
  );
}
