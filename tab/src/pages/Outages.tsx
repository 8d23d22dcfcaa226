// Outages for staff: record one (times in the support zone), end it, ask for an exclusion; managers approve
// or reject exclusions. The server checks every rule; this page shows its answers as they come.
import {
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Input,
  TableCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { MonthOutages, OutageSaved, StaffOutage } from '../../../src/adapters/api/contract';
import { postJson } from '../api/client';
import { useApi } from '../api/useApi';
import { DataTable } from '../components/DataTable';
import { Empty, Note, Pending } from '../components/Bits';
import { SelectField } from '../components/Fields';
import { OutageCells } from '../components/OutageCells';
import { useSession } from '../components/Zone';

const CATEGORIES = [
  ['a', '(a) Customer act or omission'],
  ['b', '(b) Force majeure (including Microsoft)'],
  ['c', '(c) Third party or local access provider'],
  ['d', '(d) Customer’s network connection'],
  ['e', '(e) Customer’s delay in responding'],
] as const;

const useStyles = makeStyles({
  form: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
    padding: tokens.spacingHorizontalM,
  },
  wide: { gridColumn: '1 / -1' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

export function Outages() {
  const s = useStyles();
  const { me } = useSession();
  const [load, refresh] = useApi<MonthOutages>('/api/outages', 60_000);
  const [form, setForm] = useState({
    start: '',
    end: '',
    affected: '',
    cause: '',
    category: '',
    justification: '',
  });
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (_e: unknown, d: { value: string }) => {
    setForm((f) => ({ ...f, [k]: d.value }));
  };

  const run = (work: Promise<OutageSaved>, done: string) => {
    setBusy(true);
    setMessage(null);
    work
      .then(
        (r) => {
          setMessage({ intent: 'success', text: `${r.outage.id}: ${done}` });
          refresh();
        },
        (e: unknown) => {
          setMessage({ intent: 'error', text: e instanceof Error ? e.message : String(e) });
        },
      )
      .finally(() => {
        setBusy(false);
      });
  };
  const record = () => {
    run(
      postJson('/api/outages', {
        start: form.start,
        end: form.end === '' ? null : form.end,
        affected: form.affected,
        cause: form.cause,
        ...(form.category === ''
          ? {}
          : { exclusion: { category: form.category, justification: form.justification } }),
        requestId: crypto.randomUUID(),
      }),
      'recorded',
    );
  };
  const change = (o: StaffOutage, body: Record<string, unknown>, done: string) => {
    run(postJson(`/api/outages/${encodeURIComponent(o.id)}`, { ...body, version: o.version }), done);
  };
  /** A button on an outage's row that asks for one change. */
  const act = (o: StaffOutage, label: string, action: string, done: string, primary = false) => (
    <Button
      size="small"
      {...(primary ? { appearance: 'primary' as const } : {})}
      disabled={busy}
      onClick={() => {
        change(o, { action }, done);
      }}
    >
      {label}
    </Button>
  );

  return (
    <section aria-labelledby="outages-title">
      <h2 id="outages-title" className="page-title">
        Outages
      </h2>
      <Card>
        <CardHeader
          header={<span>Record a Core Service outage</span>}
          description={
            <Caption1>
              Times in {me.timeZoneLabel} ({me.timeZone}); leave the end empty while it is ongoing.
            </Caption1>
          }
        />
        <div className={s.form}>
          <Field label={`Start (${me.timeZoneLabel})`} required>
            <Input type="datetime-local" value={form.start} onChange={set('start')} />
          </Field>
          <Field label={`End (${me.timeZoneLabel})`}>
            <Input type="datetime-local" value={form.end} onChange={set('end')} />
          </Field>
          <Field label="What was affected" required>
            <Input value={form.affected} maxLength={500} onChange={set('affected')} />
          </Field>
          <SelectField
            label="Exclusion (needs a manager’s approval)"
            value={form.category}
            onChange={(category) => {
              setForm((f) => ({ ...f, category }));
            }}
            options={CATEGORIES}
            blank="No exclusion"
          />
          <Field label="Cause (staff only)" className={s.wide}>
            <Textarea value={form.cause} maxLength={2000} onChange={set('cause')} />
          </Field>
          {form.category !== '' && (
            <Field label="Why the exclusion applies" required className={s.wide}>
              <Textarea value={form.justification} maxLength={1000} onChange={set('justification')} />
            </Field>
          )}
          <Button appearance="primary" disabled={busy} onClick={record}>
            Record outage
          </Button>
        </div>
      </Card>
      {message !== null && (
        <Note intent={message.intent} testId="outage-message">
          {message.text}
        </Note>
      )}
      <h3>This month</h3>
      {load.kind !== 'ready' ? (
        <Pending load={load} label="Loading outages…" onRetry={refresh} />
      ) : (
        <DataTable
          label="This month’s outages"
          columns={['Outage', 'Start', 'End', 'Affected', 'Exclusion', 'Actions']}
          rows={load.data.outages}
          empty={<Empty title="No outage recorded">No Core Service outage was recorded this month.</Empty>}
          row={(o) => (
            <TableRow key={o.id}>
              <OutageCells o={o} />
              <TableCell>
                {o.exclusion === null
                  ? 'none: counts as down'
                  : `(${o.exclusion.category}) ${o.exclusion.status}: ${o.exclusion.justification}`}
              </TableCell>
              <TableCell>
                <div className={s.actions}>
                  {o.end === null && act(o, 'End now', 'end', 'ended')}
                  {o.exclusion?.status === 'requested' && me.role === 'manager' && (
                    <>
                      {act(o, 'Approve exclusion', 'approve-exclusion', 'exclusion approved', true)}
                      {act(o, 'Reject', 'reject-exclusion', 'exclusion rejected')}
                    </>
                  )}
                </div>
              </TableCell>
            </TableRow>
          )}
        />
      )}
    </section>
  );
}
