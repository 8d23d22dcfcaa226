// The queue's question, read from `GET /api/queue`'s parameters: which tickets (lifecycle, SLA state,
// priority, customer, owner, dates in the support zone, text) and in which order. Bad input names its field.
import { DateTime } from 'luxon';
import type { Instant } from '../../domain/sla';
import { isPriority } from '../../domain/tickets/fields';
import { OPEN_STATUSES, type Ticket } from '../../domain/tickets/model';
import type { Principal } from './auth';
import type { QueueSort, QueueState, TicketRow } from './contract';
import { listParam } from './params';
import { badRequest, isProblem, type Parsed } from './route';

export type Lifecycle = Exclude<QueueState, 'all'>;
const LIFECYCLES: readonly QueueState[] = ['open', 'resolved', 'closed', 'all'];
/** SLA states of a row; also accepted in `state` (older links), meaning open tickets in that state. */
const SLA_STATES: ReadonlySet<string> = new Set(['on-track', 'at-risk', 'breached', 'paused', 'met']);
const SORTS: readonly QueueSort[] = ['deadline', 'priority', 'customer', 'owner', 'updated'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const QUEUE_MAX = 200;

export interface QueueQuery {
  readonly lifecycle: ReadonlySet<Lifecycle>;
  readonly sla: ReadonlySet<string>;
  readonly priorities: ReadonlySet<string>;
  readonly customers: ReadonlySet<string>;
  readonly owners: ReadonlySet<string>;
  /** Lowercase search text ('' for none). */
  readonly text: string;
  /** Updated (or resolved) in [from, to): the support zone's days, `to` the day after the last one. */
  readonly range: { readonly on: 'updated' | 'resolved'; readonly from?: Instant; readonly to?: Instant };
  readonly sort: QueueSort;
  readonly desc: boolean;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/** The start of a "2026-11-25" day in `zone` (plus `days`), or the 400 that names the field. */
function dayParam(
  raw: string | undefined,
  field: string,
  zone: string,
  days: number,
): Parsed<Instant | undefined> {
  if (raw === undefined || raw === '') return undefined;
  const bad = badRequest(`${field} must be a real date like 2026-11-25.`, field);
  if (!DATE.test(raw)) return bad;
  try {
    const dt = DateTime.fromISO(raw, { zone });
    return dt.isValid ? dt.startOf('day').plus({ days }).toMillis() : bad;
  } catch {
    return bad;
  }
}

/** The queue's question from the query string; `zone`: the support zone the dates are days of. */
export function queueQuery(
  q: Readonly<Record<string, string>>,
  p: Principal,
  zone: string,
): Parsed<QueueQuery> {
  const priorities = listParam(q['priority']);
  if (priorities.some((x) => !isPriority(x)))
    return badRequest('priority must be P1, P2 or P3 (comma-separated).', 'priority');
  const states = [...listParam(q['state']), ...listParam(q['sla'])];
  const bad = states.find((x) => !SLA_STATES.has(x) && !(LIFECYCLES as readonly string[]).includes(x));
  if (bad !== undefined)
    return badRequest(
      'state must be open, resolved, closed or all; sla on-track, at-risk, breached, paused or met.',
      'state',
    );
  const named = states.filter((x): x is QueueState => (LIFECYCLES as readonly string[]).includes(x));
  const lifecycle = new Set<Lifecycle>(
    named.includes('all')
      ? ['open', 'resolved', 'closed']
      : named.length > 0
        ? (named as Lifecycle[])
        : ['open'],
  );
  const owners = listParam(q['owner']).map((x) => x.toLowerCase());
  if (q['mine'] === '1' || q['mine'] === 'true') owners.push(p.userId.toLowerCase());
  const text = (q['q'] ?? '').trim().toLowerCase();
  if (text.length > 200) return badRequest('search text is at most 200 characters.', 'q');
  const on = q['date'] ?? 'updated';
  if (on !== 'updated' && on !== 'resolved') return badRequest('date must be updated or resolved.', 'date');
  const from = dayParam(q['from'], 'from', zone, 0);
  if (isProblem(from)) return from;
  const to = dayParam(q['to'], 'to', zone, 1);
  if (isProblem(to)) return to;
  if (from !== undefined && to !== undefined && from >= to)
    return badRequest('to must be the same day as from or later.', 'to');
  const sort = q['sort'] ?? 'deadline';
  if (!(SORTS as readonly string[]).includes(sort))
    return badRequest('sort must be deadline, priority, customer, owner or updated.', 'sort');
  const dir = q['dir'] ?? 'asc';
  if (dir !== 'asc' && dir !== 'desc') return badRequest('dir must be asc or desc.', 'dir');
  const limit = Math.min(QUEUE_MAX, Math.max(1, Number(q['limit'] ?? 50) || 50));
  const cursor = q['next'] === undefined || q['next'] === '' ? undefined : q['next'];
  return {
    lifecycle,
    sla: new Set(states.filter((x) => SLA_STATES.has(x))),
    priorities: new Set(priorities),
    // Customers see their own tenant only: a customer filter means nothing to them.
    customers: new Set(p.role === 'customer' ? [] : listParam(q['customer']).map((x) => x.toLowerCase())),
    owners: new Set(owners),
    text,
    range: { on, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
    sort: sort as QueueSort,
    desc: dir === 'desc',
    limit,
    cursor,
  };
}

/** The whole open queue by next deadline, unfiltered: the one question the index answers page by page. */
export function plainQueue(q: QueueQuery): boolean {
  return (
    q.lifecycle.size === 1 &&
    q.lifecycle.has('open') &&
    q.sort === 'deadline' &&
    !q.desc &&
    q.sla.size + q.priorities.size + q.customers.size + q.owners.size === 0 &&
    q.text === '' &&
    q.range.from === undefined &&
    q.range.to === undefined
  );
}

const lifecycleOf = (t: Ticket): Lifecycle =>
  OPEN_STATUSES.has(t.status) ? 'open' : t.status === 'resolved' ? 'resolved' : 'closed';

/** Whether a ticket passes every filter but the text (checked apart: it may need the timeline). */
export function passes(t: Ticket, r: TicketRow, q: QueueQuery): boolean {
  if (!q.lifecycle.has(lifecycleOf(t))) return false;
  if (q.sla.size > 0 && !q.sla.has(r.state)) return false;
  if (q.priorities.size > 0 && !q.priorities.has(r.priority)) return false;
  if (q.customers.size > 0 && !q.customers.has(r.tenantId.toLowerCase())) return false;
  if (q.owners.size > 0 && !q.owners.has(r.owner === null ? 'none' : r.owner.id.toLowerCase())) return false;
  const { on, from, to } = q.range;
  if (from !== undefined || to !== undefined) {
    const at = on === 'updated' ? t.updatedAt : (t.resolvedAt ?? t.closedAt);
    if (at === undefined || (from !== undefined && at < from) || (to !== undefined && at >= to)) return false;
  }
  return true;
}

const PRIORITY_RANK: Readonly<Record<string, number>> = { P1: 1, P2: 2, P3: 3 };
const byDeadline = (a: TicketRow, b: TicketRow): number =>
  (a.next?.due ?? Infinity) - (b.next?.due ?? Infinity) || a.dispatchedAt - b.dispatchedAt;
const byText = (a: string | undefined, b: string | undefined): number =>
  a === b
    ? 0
    : a === undefined
      ? 1
      : b === undefined
        ? -1
        : a.localeCompare(b, 'en', { sensitivity: 'base' });

const ORDER: Readonly<Record<QueueSort, (a: TicketRow, b: TicketRow) => number>> = {
  deadline: byDeadline,
  priority: (a, b) => (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) || byDeadline(a, b),
  customer: (a, b) => byText(a.customerName, b.customerName) || byDeadline(a, b),
  owner: (a, b) => byText(a.owner?.name, b.owner?.name) || byDeadline(a, b),
  updated: (a, b) => a.updatedAt - b.updatedAt,
};

/** Rows in the query's order (ties by id, so pages never overlap; descending is ascending reversed). */
export function sortRows(rows: TicketRow[], q: QueueQuery): TicketRow[] {
  const order = ORDER[q.sort];
  const sign = q.desc ? -1 : 1;
  return rows.sort((a, b) => sign * (order(a, b) || a.id.localeCompare(b.id)));
}
