// The queue: open tickets by next deadline with live countdowns; filters, search; refreshes itself.
// Customers see their own tenant's tickets (open first, then recently closed).
import {
  Button,
  Caption1,
  Field,
  Input,
  Link,
  Switch,
  TableCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { QueuePage, TicketRow } from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { DataTable } from '../components/DataTable';
import { Countdown, Empty, Pending, PriorityBadge, StateBadge, When } from '../components/Bits';
import { byName, SelectField, type Choice } from '../components/Fields';
import { useNow, useSession } from '../components/Zone';

const REFRESH_MS = 30_000;
const PRIORITY: readonly Choice[] = [
  ['P1', 'P1'],
  ['P2', 'P2'],
  ['P3', 'P3'],
];
const STATES: readonly Choice[] = [
  ['breached', 'Breached'],
  ['at-risk', 'At risk'],
  ['paused', 'Paused'],
  ['on-track', 'On track'],
];

const useStyles = makeStyles({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
    marginBottom: tokens.spacingVerticalM,
  },
  search: { minWidth: '220px', flexGrow: 1, maxWidth: '360px' },
  status: { display: 'flex', justifyContent: 'space-between', marginBottom: tokens.spacingVerticalS },
  title: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  table: { minWidth: '900px' },
});

export function Queue() {
  const s = useStyles();
  const { me, offsetMs } = useSession();
  const staff = me.role !== 'customer';
  const [priority, setPriority] = useState('');
  const [state, setState] = useState('');
  const [customer, setCustomer] = useState('');
  const [owner, setOwner] = useState('');
  const [mine, setMine] = useState(false);
  const [text, setText] = useState('');
  const [limit, setLimit] = useState(50);
  const path = useMemo(() => {
    const q = new URLSearchParams();
    if (priority) q.set('priority', priority);
    if (state) q.set('state', state);
    if (customer) q.set('customer', customer);
    if (owner) q.set('owner', owner);
    if (mine) q.set('mine', '1');
    if (text.trim()) q.set('q', text.trim());
    q.set('limit', String(limit));
    return `/api/queue?${q.toString()}`;
  }, [priority, state, customer, owner, mine, text, limit]);
  const [load, refresh] = useApi<QueuePage>(path, REFRESH_MS);
  const now = useNow(offsetMs);
  const filtering = Boolean(text || priority || state || customer || owner || mine);

  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title" className="page-title">
        {staff ? 'Queue' : `${me.customerName ?? 'Your'} tickets`}
      </h2>
      <div className={s.filters} role="search">
        <Field label="Search" className={s.search}>
          <Input
            value={text}
            placeholder={staff ? 'Ticket id or text' : 'Ticket id or title'}
            onChange={(_e, d) => setText(d.value)}
          />
        </Field>
        <SelectField
          label="Priority"
          blank="All"
          value={priority}
          onChange={setPriority}
          options={PRIORITY}
        />
        <SelectField
          label="State"
          blank="All"
          value={state}
          onChange={setState}
          options={staff ? STATES : [...STATES, ['closed', 'Closed']]}
        />
        {staff && (
          <>
            <SelectField
              label="Customer"
              blank="All"
              value={customer}
              onChange={setCustomer}
              options={byName(me.customers)}
            />
            <SelectField
              label="Owner"
              blank="Anyone"
              value={owner}
              onChange={setOwner}
              options={[['none', 'Unassigned'], ...byName(me.staff)]}
              disabled={mine}
            />
            <Switch label="Mine" checked={mine} onChange={(_e, d) => setMine(d.checked)} />
          </>
        )}
      </div>
      <Pending load={load} label="Loading tickets…" onRetry={refresh} />
      {load.kind === 'ready' && (
        <>
          <div className={s.status}>
            <Caption1 aria-live="polite">
              {load.data.rows.length} {load.data.rows.length === 1 ? 'ticket' : 'tickets'} · refreshes every
              30 s{load.refreshing ? ' · refreshing…' : ''}
            </Caption1>
            <Button size="small" appearance="subtle" onClick={refresh}>
              Refresh now
            </Button>
          </div>
          <DataTable
            label="Tickets by next deadline"
            className={s.table}
            columns={[
              'Ticket',
              'Priority',
              staff && 'Customer',
              'Title',
              'Owner',
              'State',
              'Next deadline',
              'Time left',
            ]}
            rows={load.data.rows}
            empty={
              <Empty title={filtering ? 'No ticket matches' : 'Nothing open'}>
                {filtering
                  ? 'Change the filters or the search to see more.'
                  : staff
                    ? 'Every ticket is answered. New tickets appear here as customers file them.'
                    : 'You have no open tickets. File one by chatting with SLA Desk in Teams.'}
              </Empty>
            }
            row={(r) => <Row key={r.id} r={r} staff={staff} now={now} fetchedAt={load.data.now} />}
          />
          {load.data.next !== null && (
            <Button
              appearance="secondary"
              onClick={() => setLimit((l) => Math.min(200, l + 50))}
              disabled={limit >= 200}
            >
              Show more
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function Row({
  r,
  staff,
  now,
  fetchedAt,
}: {
  readonly r: TicketRow;
  readonly staff: boolean;
  readonly now: number;
  readonly fetchedAt: number;
}) {
  const s = useStyles();
  return (
    <TableRow data-testid="queue-row" data-id={r.id} data-state={r.state}>
      <TableCell>
        <Link href={`#/ticket/${r.id}`}>{r.id}</Link>
      </TableCell>
      <TableCell>
        <PriorityBadge priority={r.priority} />
      </TableCell>
      {staff && <TableCell>{r.customerName}</TableCell>}
      <TableCell className={s.title}>
        <span title={r.title}>{r.title}</span>
      </TableCell>
      <TableCell>{r.owner?.name ?? <Caption1>Unassigned</Caption1>}</TableCell>
      <TableCell>
        <StateBadge state={r.state} />
      </TableCell>
      <TableCell>
        {r.next ? (
          <>
            <Caption1>{r.next.label} </Caption1>
            <When t={r.next.due} />
          </>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>{r.next ? <Countdown target={r.next} now={now} fetchedAt={fetchedAt} /> : '—'}</TableCell>
    </TableRow>
  );
}
