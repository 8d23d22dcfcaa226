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

/** A ticket's rows for its new contribution: its state row (conditional on what was counted), watch and breaches. */
function rowActions(pk: string, k: Contribution, state: StateRow | null): TransactionAction[] {
  const prev = state?.prev ?? null;
  const actions: TransactionAction[] = [];
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

/** What this instance last wrote of a ticket's state row (a cache: a stale ETag fails the transaction). */
interface StateRow {
  readonly etag: string;
  readonly version: number;
  readonly prev: Contribution;
}

/** A month's counter rows as last read or written, with their ETags. */
interface CounterRows {
  readonly counters: Map<Priority, Counters>;
  readonly etags: Map<Priority, string>;
}

/** Actions one ticket's change adds to a transaction, beside the counters. */
interface Change {
  readonly k: Contribution;
  readonly prev: Contribution | null;
  readonly actions: TransactionAction[];
}

/** An entity-group transaction holds at most 100 actions. */
const MAX_ACTIONS = 100;
/** How many tickets' state rows are remembered (beyond that, a change reads its row first). */
const STATE_CACHE = 20_000;
const ATTEMPTS = 50;

function conflict(err: unknown): boolean {
  const status = statusOf(err);
  return status === 412 || status === 409 || status === 404;
}

export class TableStatsRepo {
  private readonly states = new Map<string, StateRow>();
  private readonly months = new Map<string, CounterRows>();

  constructor(private readonly table: TableClient) {}

  /**
   * Counts a ticket's contribution, replacing what an earlier version of it added. Idempotent: an equal
   * or older version than the one counted does nothing. Returns whether anything changed.
   */
  async record(k: Contribution): Promise<boolean> {
    return (await this.recordMany([k])) > 0;
  }

  /**
   * Counts many contributions of one or more months: per month, the counters and up to about a dozen
   * tickets' rows go in one transaction, so a burst of changes costs a few requests instead of three per
   * change. The latest version of each ticket wins; returns how many tickets' counts changed.
   */
  async recordMany(ks: readonly Contribution[]): Promise<number> {
    const latest = new Map<string, Contribution>();
    for (const k of ks) {
      const seen = latest.get(k.ticketId);
      if (seen === undefined || seen.version < k.version) latest.set(k.ticketId, k);
    }
    const byMonth = new Map<string, Contribution[]>();
    for (const k of latest.values()) {
      const list = byMonth.get(k.month) ?? [];
      list.push(k);
      byMonth.set(k.month, list);
    }
    let changed = 0;
    for (const [month, list] of byMonth) changed += await this.recordMonth(month, list);
    return changed;
  }

  private async recordMonth(month: string, ks: readonly Contribution[]): Promise<number> {
    const pk = monthPk(month);
    let todo = [...ks];
    let changed = 0;
    for (let attempt = 0; todo.length > 0; attempt++) {
      try {
        const changes: Change[] = [];
        for (const k of todo) {
          const state = await this.stateOf(pk, k, attempt > 0);
          if (state !== null && state.version >= k.version) continue;
          changes.push({ k, prev: state?.prev ?? null, actions: rowActions(pk, k, state) });
        }
        todo = [];
        // Chunks that fit one transaction with the counters they touch.
        let chunk: Change[] = [];
        let size = 0;
        const flush = async (): Promise<void> => {
          if (chunk.length === 0) return;
          await this.submit(pk, month, await this.counterRows(month), chunk);
          changed += chunk.length;
          chunk = [];
          size = 0;
        };
        for (const c of changes) {
          if (size + c.actions.length + PRIORITIES.length > MAX_ACTIONS) await flush();
          chunk.push(c);
          size += c.actions.length;
        }
        todo = changes.map((c) => c.k);
        await flush();
        todo = [];
      } catch (err) {
        if (!conflict(err) || attempt >= ATTEMPTS) throw err;
        // Another instance (or an older count) got there first: forget what we knew and read again.
        this.months.delete(month);
        for (const k of todo) this.states.delete(k.ticketId);
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
    return changed;
  }

  /** One transaction: the changes' rows and the counters of the priorities they touch. */
  private async submit(
    pk: string,
    month: string,
    rows: CounterRows,
    chunk: readonly Change[],
  ): Promise<void> {
    const counters = new Map<Priority, Counters>();
    const countersOf = (p: Priority): Counters => {
      let c = counters.get(p);
      if (c === undefined) {
        c = structuredClone(rows.counters.get(p) ?? emptyCounters());
        counters.set(p, c);
      }
      return c;
    };
    for (const { k, prev } of chunk) {
      if (prev !== null) applyTo(countersOf(prev.priority), prev, -1);
      applyTo(countersOf(k.priority), k, 1);
    }
    const actions: TransactionAction[] = [];
    for (const [p, c] of counters) {
      const entity = {
        partitionKey: pk,
        rowKey: counterRk(p),
        sv: STATS_SCHEMA,
        counters: JSON.stringify(c),
      };
      const etag = rows.etags.get(p);
      actions.push(etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }]);
    }
    // Sub-responses come back in the order of the actions (their row keys are not reliably given).
    const stateAt = new Map<string, number>();
    for (const c of chunk) {
      stateAt.set(c.k.ticketId, actions.length);
      actions.push(...c.actions);
    }
    const res = await this.table.submitTransaction(actions);
    // What is stored now: the next chunk and the next batch start from it without reading.
    let at = 0;
    for (const [p, c] of counters) {
      rows.counters.set(p, c);
      const etag = res.subResponses[at++]?.etag;
      if (etag === undefined) this.months.delete(month);
      else rows.etags.set(p, etag);
    }
    for (const { k } of chunk) {
      const etag = res.subResponses[stateAt.get(k.ticketId) ?? -1]?.etag;
      this.states.delete(k.ticketId);
      if (etag !== undefined) this.remember(k.ticketId, { etag, version: k.version, prev: k });
    }
  }

  private remember(ticketId: string, row: StateRow): void {
    this.states.set(ticketId, row);
    if (this.states.size > STATE_CACHE) {
      const oldest = this.states.keys().next();
      if (oldest.done !== true) this.states.delete(oldest.value);
    }
  }

  /** The month's counter rows: remembered from the last transaction, or read in one query. */
  private async counterRows(month: string): Promise<CounterRows> {
    const known = this.months.get(month);
    if (known !== undefined) return known;
    const rows: CounterRows = { counters: new Map(), etags: new Map() };
    const iter = this.table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(monthPk(month))} and RowKey ge 'c|' and RowKey lt 'c|~'`,
      },
    });
    for await (const e of iter) {
      const p = (e.rowKey ?? '').slice(2) as Priority;
      if (!(PRIORITIES as readonly string[]).includes(p)) continue;
      rows.counters.set(p, countersFrom(e));
      rows.etags.set(p, e.etag);
    }
    this.months.set(month, rows);
    return rows;
  }

  /**
   * What is counted of a ticket: remembered, or read. A first version never seen here is taken as never
   * counted without reading (unless `verify`); if it was, creating its state row fails the transaction, and
   * the retry verifies.
   */
  private async stateOf(pk: string, k: Contribution, verify: boolean): Promise<StateRow | null> {
    const known = this.states.get(k.ticketId);
    if (known !== undefined) return known;
    if (k.version <= 1 && !verify) return null;
    try {
      const e = await this.table.getEntity(pk, stateRk(k.ticketId));
      const row = {
        etag: e.etag,
        version: Number(e['version']),
        prev: JSON.parse(String(e['contribution'])) as Contribution,
      };
      this.remember(k.ticketId, row);
      return row;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      return null;
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
