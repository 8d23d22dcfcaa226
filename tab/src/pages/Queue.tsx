// The queue: open, resolved or closed tickets with live countdowns; filters, dates, sort and a debounced
// search, all kept in the URL; cards on a phone, a table from 640 px; staff select tickets to take or assign.
// Customers see their own tenant's tickets.
import { Button, Caption1, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { QueuePage, TicketRow } from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { Empty, Pending } from '../components/Bits';
import { useNow, useSession } from '../components/Zone';
import { BulkBar, type BulkAnswer } from './queue/Bulk';
import { activeFilters, Filters } from './queue/Filters';
import { dirOf, dirParam, queryString, useNarrower, useQueueParams, type QueueParams } from './queue/params';
import { QueueCards, QueueTable } from './queue/Rows';

const REFRESH_MS = 30_000;
/** Typing pause before a search is sent. */
const DEBOUNCE_MS = 300;
const SHOWN_MAX = 200;

const useStyles = makeStyles({
  search: { flexGrow: 1, minWidth: 0, maxWidth: '420px' },
  top: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'end',
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalM,
  },
  status: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    justifyContent: 'space-between',
    alignItems: 'center',
    marginBottom: tokens.spacingVerticalS,
  },
  section: { minWidth: 0 },
});

/** The API path of the queue for `p` (customers' filters on customer and owner mean nothing to them). */
function apiPath(p: QueueParams, staff: boolean, limit: number): string {
  const q = new URLSearchParams(queryString(staff ? p : { ...p, customer: '', owner: '', mine: '' }));
  q.set('dir', dirOf(p));
  q.set('limit', String(limit));
  return `/api/queue?${q.toString()}`;
}

const LIFECYCLES = ['open', 'resolved', 'closed'] as const;

/**
 * For a search that found nothing in `state` ('' for open): which states it looked in, and the offer to
 * look in the others too; null when it looked in every state already.
 */
function widerSearch(state: string): { only: string; offer: string } | null {
  const asked = state === '' ? ['open'] : state.split(',');
  if (asked.includes('all')) return null;
  const others = LIFECYCLES.filter((x) => !asked.includes(x));
  if (others.length === 0) return null;
  const words = (list: readonly string[]) => list.join(list.length > 2 ? ', ' : ' and ');
  return {
    only: `Only ${words(LIFECYCLES.filter((x) => asked.includes(x)))} tickets were searched.`,
    offer: `Search ${words(others)} tickets too`,
  };
}
/** `value`, once it has not changed for `ms`. */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function Queue() {
  const s = useStyles();
  const { me, offsetMs } = useSession();
  const staff = me.role !== 'customer';
  const phone = useNarrower(640);
  const compact = useNarrower(1024);
  const [params, change] = useQueueParams();
  const [text, setText] = useState(params.q);
  const typed = useDebounced(text, DEBOUNCE_MS);
  // Only the settled text goes to the URL (and so to the API); a URL change (Back) updates the box.
  useEffect(() => change({ q: typed.trim() }), [typed, change]);
  useEffect(() => {
    setText((t) => (t.trim() === params.q ? t : params.q));
  }, [params.q]);

  const [limit, setLimit] = useState(50);
  const path = apiPath(params, staff, limit);
  const [load, refresh] = useApi<QueuePage>(path, REFRESH_MS);
  const now = useNow(offsetMs);

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [failures, setFailures] = useState<ReadonlyMap<string, string>>(new Map());
  const [updated, setUpdated] = useState<ReadonlyMap<string, TicketRow>>(new Map());
  const data = load.kind === 'ready' ? load.data : null;
  // A new answer replaces the rows a bulk action sent back.
  useEffect(() => setUpdated(new Map()), [data]);
  const rows = useMemo(
    () => (data === null ? [] : data.rows.map((r) => updated.get(r.id) ?? r)),
    [data, updated],
  );
  const shownIds = useMemo(() => new Set(rows.map((r) => r.id)), [rows]);
  const chosen = [...selected].filter((id) => shownIds.has(id));

  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((cur) => {
      const next = new Set(cur);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const toggleAll = (on: boolean) => setSelected(on ? new Set(shownIds) : new Set());
  // After a bulk action that empties the selection, its bar (and the button pressed) goes: focus moves to the
  // checkbox of the first ticket acted on, where the keyboard user was working.
  const [land, setLand] = useState<string | null>(null);
  useEffect(() => {
    if (land === null) return;
    setLand(null);
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    document.querySelector<HTMLElement>(`input[data-pick="${CSS.escape(land)}"]`)?.focus();
  }, [land]);
  const bulkDone = (answer: BulkAnswer) => {
    const failed = new Map<string, string>();
    const rowsBack = new Map(updated);
    for (const r of answer.results) {
      if (r.ok) rowsBack.set(r.id, r.row);
      else failed.set(r.id, r.message);
    }
    setFailures(failed);
    setUpdated(rowsBack);
    setSelected(new Set(failed.keys()));
    setLand(answer.results[0]?.id ?? null);
    refresh();
  };
  const sortBy = (column: string) =>
    change(
      params.sort === column
        ? { dir: dirParam(column, dirOf(params) === 'desc' ? 'asc' : 'desc') }
        : { sort: column, dir: '' },
    );

  const filtering = params.q !== '' || activeFilters(params, staff) > 0;
  const widen = params.q === '' ? null : widerSearch(params.state);
  const rowsProps = {
    rows,
    staff,
    now,
    fetchedAt: data?.now ?? now,
    selected,
    toggle,
    toggleAll,
    failures,
    params,
    sortBy,
  };

  return (
    <section aria-labelledby="queue-title" className={s.section}>
      <h2 id="queue-title" className="page-title">
        {staff ? 'Queue' : `${me.customerName ?? 'Your'} tickets`}
      </h2>
      <div className={s.top} role="search">
        <Field label="Search" className={s.search}>
          <Input
            type="search"
            value={text}
            placeholder={staff ? 'Id, words of the ticket, replies or notes' : 'Id or words of the ticket'}
            onChange={(_e, d) => setText(d.value)}
          />
        </Field>
        {phone && <Filters params={params} change={change} me={me} phone />}
      </div>
      {!phone && <Filters params={params} change={change} me={me} phone={false} />}
      {staff && (
        <BulkBar ids={chosen} staff={me.staff ?? []} done={bulkDone} clear={() => setSelected(new Set())} />
      )}
      <Pending load={load} label="Loading tickets…" onRetry={refresh} />
      {data !== null && (
        <>
          <div className={s.status}>
            <Caption1 aria-live="polite" data-testid="queue-count">
              {data.rows.length} {data.rows.length === 1 ? 'ticket' : 'tickets'}
              {data.next === null ? '' : ' shown, more below'}
              {data.complete
                ? ''
                : ' (only 2,000 tickets were looked at: narrow the dates or filters to reach the others)'}
              {' · refreshes every 30 s'}
              {load.kind === 'ready' && load.refreshing ? ' · refreshing…' : ''}
            </Caption1>
            <Button size="small" appearance="subtle" onClick={refresh}>
              Refresh now
            </Button>
          </div>
          {rows.length === 0 ? (
            <>
              <Empty title={filtering ? 'No ticket matches' : 'Nothing open'}>
                {filtering
                  ? `Change the filters or the search to see more.${widen === null ? '' : ` ${widen.only}`}`
                  : staff
                    ? 'Every ticket is answered. New tickets appear here as customers file them.'
                    : 'You have no open tickets. File one by chatting with SLA Desk in Teams.'}
              </Empty>
              {widen !== null && (
                <Button appearance="primary" onClick={() => change({ state: 'all', sla: '' })}>
                  {widen.offer}
                </Button>
              )}
            </>
          ) : phone ? (
            <QueueCards {...rowsProps} />
          ) : (
            <QueueTable {...rowsProps} compact={compact} />
          )}
          {data.next !== null && (
            <Button
              appearance="secondary"
              onClick={() => setLimit((l) => Math.min(SHOWN_MAX, l + 50))}
              disabled={limit >= SHOWN_MAX}
            >
              {limit >= SHOWN_MAX ? 'Showing the first 200: narrow the filters' : 'Show more'}
            </Button>
          )}
        </>
      )}
    </section>
  );
}
