// The SLA dashboard's counters in Azure Table Storage, kept as tickets change (README "Storage"):
//   stats  PK m_<YYYY-MM>  RK c|<priority>        counters of the month's tickets of that priority
//                          RK x|<id>              what the ticket last added (its contribution and version)
//                          RK b|<id>|<target>     a missed deadline of that month (met late, or breached and closed)
//                          RK w|<at-risk time>|<id>  an open ticket of that month, from the time it is at risk
// A ticket's change is applied once: the state row's version says what is counted, and the counters, the state,
// the breach rows and the watch row of a month are one entity-group transaction conditional on their ETags, so
// retries and concurrent instances neither double-count nor lose a change, and no row is ever stale.
import { RestError, type TableClient, type TransactionAction } from '@azure/data-tables';
import { applyTo, emptyCounters, type Contribution, type Counters } from '../stats/figures';
import { PRIORITIES, type Instant, type Priority } from '../sla';
import { odata, timeKey } from './keys';

/** Schema version of every stats row. */
const STATS_SCHEMA = 1;
const monthPk = (month: string): string => `m_${month}`;
const counterRk = (p: Priority): string => `c|${p}`;
// After w|: a month's breaches, counters and watch rows (b| < c| < w|) are one range, read in one query.
const stateRk = (id: string): string => `x|${id}`;
const breachRk = (id: string, target: string): string => `b|${id}|${target}`;
const watchRk = (k: Contribution): string | null =>
  k.watchAt === null ? null : `w|${timeKey(k.watchAt)}|${k.ticketId}`;

function statusOf(err: unknown): number | undefined {
  return err instanceof RestError ? err.statusCode : undefined;
}

/** A missed deadline as stored for the month's list. */
export interface BreachRow {
  readonly ticketId: string;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  readonly target: 'response' | 'workaround';
  readonly priority: Priority;
  readonly due: Instant | null;
  readonly metAt: Instant | null;
}

function breaches(k: Contribution | null): Map<string, BreachRow> {
  const out = new Map<string, BreachRow>();
  if (k === null) return out;
  for (const target of ['response', 'workaround'] as const) {
    const f = k[target];
    if (f.outcome === 'late' || f.outcome === 'breached')
      out.set(breachRk(k.ticketId, target), {
        ticketId: k.ticketId,
        tenantId: k.tenantId,
        customerName: k.customerName,
        title: k.title,
        target,
        priority: k.priority,
        due: f.due,
        metAt: f.metAt,
      });
  }
  return out;
}

function breachFrom(e: Record<string, unknown>): BreachRow {
  const due = Number(e['due']);
  const metAt = Number(e['metAt']);
  return {
    ticketId: String(e['ticketId']),
    tenantId: String(e['tenantId']),
    customerName: String(e['customerName']),
    title: String(e['title']),
    target: e['target'] === 'workaround' ? 'workaround' : 'response',
    priority: String(e['priority']) as Priority,
    due: due < 0 ? null : due,
    metAt: metAt < 0 ? null : metAt,
  };
}

function countersFrom(e: Record<string, unknown>): Counters {
  try {
    return JSON.parse(String(e['counters'])) as Counters;
  } catch {
    return emptyCounters();
  }
}

export class TableStatsRepo {
  constructor(private readonly table: TableClient) {}

  /**
   * Counts a ticket's contribution, replacing what an earlier version of it added. Idempotent: an equal
   * or older version than the one counted does nothing. Returns whether anything changed.
   */
  async record(k: Contribution): Promise<boolean> {
    const pk = monthPk(k.month);
    for (let attempt = 0; ; attempt++) {
      let state: { etag: string; version: number; prev: Contribution } | null = null;
      try {
        const e = await this.table.getEntity(pk, stateRk(k.ticketId));
        state = {
          etag: e.etag,
          version: Number(e['version']),
          prev: JSON.parse(String(e['contribution'])) as Contribution,
        };
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      if (state !== null && state.version >= k.version) return false;
      const prev = state?.prev ?? null;
      const newWatch = watchRk(k);
      const oldWatch = prev === null ? null : watchRk(prev);
      const priorities = new Set<Priority>([k.priority, ...(prev === null ? [] : [prev.priority])]);
      const actions: TransactionAction[] = [];
      for (const p of priorities) {
        let counters = emptyCounters();
        let etag: string | undefined;
        try {
          const e = await this.table.getEntity(pk, counterRk(p));
          counters = countersFrom(e);
          etag = e.etag;
        } catch (err) {
          if (statusOf(err) !== 404) throw err;
        }
        if (prev !== null && prev.priority === p) applyTo(counters, prev, -1);
        if (k.priority === p) applyTo(counters, k, 1);
        const entity = {
          partitionKey: pk,
          rowKey: counterRk(p),
          sv: STATS_SCHEMA,
          counters: JSON.stringify(counters),
        };
        actions.push(etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }]);
      }
      const stateEntity = {
        partitionKey: pk,
        rowKey: stateRk(k.ticketId),
        sv: STATS_SCHEMA,
        version: k.version,
        contribution: JSON.stringify(k),
      };
      actions.push(
        state === null ? ['create', stateEntity] : ['update', stateEntity, 'Replace', { etag: state.etag }],
      );
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
      try {
        await this.table.submitTransaction(actions);
      } catch (err) {
        const status = statusOf(err);
        if ((status === 412 || status === 409 || status === 404) && attempt < 50) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
          continue;
        }
        throw err;
      }
      return true;
    }
  }

  /** The counted version of a ticket, or null when it was never counted. */
  async countedVersion(month: string, ticketId: string): Promise<number | null> {
    try {
      const e = await this.table.getEntity(monthPk(month), stateRk(ticketId));
      return Number(e['version']);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  /**
   * One query for what the dashboard needs of a month: its counters, its open tickets at risk by `now` (at
   * most `watchLimit`), and, when `breachLimit` > 0, its missed deadlines (at most that many).
   */
  async monthView(
    month: string,
    now: Instant,
    watchLimit: number,
    breachLimit: number,
  ): Promise<{ counters: Record<Priority, Counters>; watch: Contribution[]; breaches: BreachRow[] }> {
    const counters = Object.fromEntries(PRIORITIES.map((p) => [p, emptyCounters()])) as Record<
      Priority,
      Counters
    >;
    const watch: Contribution[] = [];
    const found: BreachRow[] = [];
    const from = breachLimit > 0 ? 'b|' : 'c|';
    const iter = this.table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(monthPk(month))} and RowKey ge '${from}' and RowKey lt ${odata(`w|${timeKey(now)}~`)}`,
      },
    });
    for await (const e of iter) {
      const rk = e.rowKey ?? '';
      if (rk.startsWith('c|')) {
        const p = rk.slice(2) as Priority;
        if ((PRIORITIES as readonly string[]).includes(p)) counters[p] = countersFrom(e);
      } else if (rk.startsWith('w|')) {
        if (watch.length < watchLimit) watch.push(JSON.parse(String(e['contribution'])) as Contribution);
        else break;
      } else if (rk.startsWith('b|') && found.length < breachLimit) found.push(breachFrom(e));
    }
    return { counters, watch, breaches: found };
  }

  /** The watch row key a contribution should have (for checking rows against the ticket). */
  static watchKey(k: Contribution): string | null {
    return watchRk(k);
  }
}
