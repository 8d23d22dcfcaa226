// The rows of the SLA dashboard's counters (docs/storage.md):
//   stats        PK m_<YYYY-MM>  RK c|<priority>          counters of the month's tickets of that priority
//                                RK b|<id>|<target>       a missed deadline of that month (met late, or breached and closed)
//                                RK p|<id>                a ticket's contribution just counted, until its x| row has it
//                                RK s|                    the month's serial: every counting transaction changes it
//                                RK w|<at-risk time>|<id> an open ticket of that month, from the time it is at risk
//   statstickets PK m_<YYYY-MM>  RK x|<id>                what a ticket's counts hold (its contribution and version)
// The stats table stays small (counters, missed deadlines, open tickets), so the dashboard's queries are cheap;
// the one row per ticket ever counted lives in statstickets and is only read by key.
import {
  RestError,
  type TableEntity,
  type TableTransactionResponse,
  type TransactionAction,
} from '@azure/data-tables';
import type { Priority } from '../../domain/sla';
import { countKey, emptyCounters, type Contribution, type Counters } from '../../domain/stats/figures';
import { missedDeadlines, type BreachRow } from '../../domain/stats/counting';
import { timeKey } from './keys';
import { storageStatus } from './kit/status';

/** Schema version of every stats row. */
export const STATS_SCHEMA = 1;
export const monthPk = (month: string): string => `m_${month}`;
export const counterRk = (p: Priority): string => `c|${p}`;
export const pendingRk = (id: string): string => `p|${id}`;
export const SERIAL_RK = 's|';
export const stateRk = (id: string): string => `x|${id}`;
const breachRk = (id: string, target: string): string => `b|${id}|${target}`;
export const watchRk = (k: Contribution): string | null =>
  k.watchAt === null ? null : `w|${timeKey(k.watchAt)}|${countKey(k)}`;

/** The month's missed-deadline rows of a contribution, by row key. */
function breaches(k: Contribution | null): Map<string, BreachRow> {
  return new Map(missedDeadlines(k).map((b) => [breachRk(countKey(b), b.target), b]));
}

export function breachFrom(e: Record<string, unknown>): BreachRow {
  const due = Number(e['due']);
  const metAt = Number(e['metAt']);
  return {
    ticketId: String(e['ticketId']),
    ...(typeof e['round'] === 'number' && e['round'] > 1 ? { round: e['round'] } : {}),
    tenantId: String(e['tenantId']),
    customerName: String(e['customerName']),
    title: String(e['title']),
    target: e['target'] === 'workaround' ? 'workaround' : 'response',
    priority: String(e['priority']) as Priority,
    due: due < 0 ? null : due,
    metAt: metAt < 0 ? null : metAt,
  };
}

export function countersFrom(e: Record<string, unknown>): Counters {
  try {
    return JSON.parse(String(e['counters'])) as Counters;
  } catch {
    return emptyCounters();
  }
}

export function contributionOf(e: Record<string, unknown>): Contribution | null {
  const text = e['contribution'];
  if (typeof text !== 'string' || text === '') return null;
  return JSON.parse(text) as Contribution;
}

/**
 * The ETags a transaction's answer gives, by row key. Sub-responses come back in the order of the actions
 * (the SDK's own lookup by row key compares against the URL-encoded key, which misses keys with `|`).
 */
export function etagsOf(
  actions: readonly TransactionAction[],
  res: TableTransactionResponse,
): Map<string, string> {
  const out = new Map<string, string>();
  actions.forEach((a, i) => {
    const etag = res.subResponses[i]?.etag;
    if (etag !== undefined && a[0] !== 'delete') out.set(a[1].rowKey, etag);
  });
  return out;
}

/** The watch and breach rows that move from what was counted (`prev`) to `k`. */
export function rowActions(pk: string, k: Contribution, prev: Contribution | null): TransactionAction[] {
  const actions: TransactionAction[] = [];
  const newWatch = watchRk(k);
  const oldWatch = prev === null ? null : watchRk(prev);
  if (oldWatch !== null && oldWatch !== newWatch)
    actions.push(['delete', { partitionKey: pk, rowKey: oldWatch }]);
  if (newWatch !== null)
    actions.push([
      'upsert',
      {
        partitionKey: pk,
        rowKey: newWatch,
        sv: STATS_SCHEMA,
        at: k.watchAt ?? 0,
        contribution: JSON.stringify(k),
      },
      'Replace',
    ]);
  const before = breaches(prev);
  const after = breaches(k);
  for (const rk of before.keys())
    if (!after.has(rk)) actions.push(['delete', { partitionKey: pk, rowKey: rk }]);
  for (const [rk, b] of after)
    actions.push([
      'upsert',
      { partitionKey: pk, rowKey: rk, sv: STATS_SCHEMA, ...b, due: b.due ?? -1, metAt: b.metAt ?? -1 },
      'Replace',
    ]);
  return actions;
}

/** A month's counter row of one priority. */
export function counterEntity(month: string, p: Priority, c: Counters): TableEntity {
  return {
    partitionKey: monthPk(month),
    rowKey: counterRk(p),
    sv: STATS_SCHEMA,
    counters: JSON.stringify(c),
  };
}

/** A ticket's x| row (or, keyed `p|`, its pending row): what its counts hold. */
export function countedEntity(pk: string, rowKey: string, k: Contribution): TableEntity {
  return { partitionKey: pk, rowKey, sv: STATS_SCHEMA, version: k.version, contribution: JSON.stringify(k) };
}

/** Another writer got there first (or a row it moved is gone); a missing table is no conflict. */
export function conflict(err: unknown): boolean {
  const status = storageStatus(err);
  if (
    status === 404 &&
    err instanceof RestError &&
    JSON.stringify(err.details ?? {}).includes('TableNotFound')
  )
    return false;
  return status === 412 || status === 409 || status === 404;
}
