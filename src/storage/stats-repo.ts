// The SLA dashboard's counters in Azure Table Storage, kept as tickets change (docs/storage.md):
//   stats        PK m_<YYYY-MM>  RK c|<priority>          counters of the month's tickets of that priority
//                                RK b|<id>|<target>       a missed deadline of that month (met late, or breached and closed)
//                                RK p|<id>                a ticket's contribution just counted, until its x| row has it
//                                RK s|                    the month's serial: every counting transaction changes it
//                                RK w|<at-risk time>|<id> an open ticket of that month, from the time it is at risk
//   statstickets PK m_<YYYY-MM>  RK x|<id>                what a ticket's counts hold (its contribution and version)
// The stats table stays small (counters, missed deadlines, open tickets), so the dashboard's queries are cheap;
// the one row per ticket ever counted lives in statstickets and is only read by key.
// What is counted of a ticket is its p| row if there is one, else its x| row. A change is one entity-group
// transaction of the month: counters, breach and watch rows, the p| row (created, or replaced by ETag) and the
// serial (by ETag), so it applies only over exactly the state it was computed from: a concurrent count of the
// month by another instance fails it, and it is retried from fresh reads. Then the x| rows are raised to the
// new versions (ETag-conditional, never lowered) and the p| rows deleted. A crash in between leaves p| rows,
// which the next count of the month finishes. So retries and instances neither double-count nor lose a change.
import {
  RestError,
  type TableClient,
  type TableEntity,
  type TableTransactionResponse,
  type TransactionAction,
} from '@azure/data-tables';
import { applyTo, emptyCounters, type Contribution, type Counters } from '../stats/figures';
import { PRIORITIES, type Instant, type Priority } from '../sla';
import { odata, timeKey } from './keys';
import { storageStatus } from './kit/status';

/** Schema version of every stats row. */
const STATS_SCHEMA = 1;
const monthPk = (month: string): string => `m_${month}`;
const counterRk = (p: Priority): string => `c|${p}`;
const pendingRk = (id: string): string => `p|${id}`;
const SERIAL_RK = 's|';
const stateRk = (id: string): string => `x|${id}`;
const breachRk = (id: string, target: string): string => `b|${id}|${target}`;
const watchRk = (k: Contribution): string | null =>
  k.watchAt === null ? null : `w|${timeKey(k.watchAt)}|${k.ticketId}`;

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

/**
 * The ETags a transaction's answer gives, by row key. Sub-responses come back in the order of the actions
 * (the SDK's own lookup by row key compares against the URL-encoded key, which misses keys with `|`).
 */
function etagsOf(actions: readonly TransactionAction[], res: TableTransactionResponse): Map<string, string> {
  const out = new Map<string, string>();
  actions.forEach((a, i) => {
    const etag = res.subResponses[i]?.etag;
    if (etag !== undefined && a[0] !== 'delete') out.set(a[1].rowKey, etag);
  });
  return out;
}

function contributionOf(e: Record<string, unknown>): Contribution | null {
  const text = e['contribution'];
  if (typeof text !== 'string' || text === '') return null;
  return JSON.parse(text) as Contribution;
}

/** The watch and breach rows that move from what was counted (`prev`) to `k`. */
function rowActions(pk: string, k: Contribution, prev: Contribution | null): TransactionAction[] {
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

/** A ticket's x| row as last read or written here: its ETag (null: no row) and what it holds. */
interface StateRow {
  readonly month: string;
  readonly etag: string | null;
  readonly counted: Contribution | null;
}

/** A p| row: a contribution counted and not yet copied to its x| row. */
interface PendingRow {
  readonly etag: string;
  readonly k: Contribution;
}

/**
 * A month's rows of the stats table that counting needs, as last read or written here, with their ETags.
 * Valid while no other writer counted the month since (the serial's ETag proves it in the next transaction).
 */
interface MonthRows {
  readonly counters: Map<Priority, Counters>;
  readonly etags: Map<Priority, string>;
  serial: { readonly n: number; readonly etag: string } | null;
  readonly pending: Map<string, PendingRow>;
}

/** One ticket's change in a transaction. */
interface Change {
  readonly k: Contribution;
  readonly prev: Contribution | null;
  readonly actions: TransactionAction[];
}

/** An entity-group transaction holds at most 100 actions. */
const MAX_ACTIONS = 100;
/** How many tickets' x| rows are remembered (beyond that, a change reads its row first). */
const STATE_CACHE = 20_000;
const ATTEMPTS = 50;
/** x| rows read at once. */
const READS = 32;

/** Another writer got there first (or a row it moved is gone); a missing table is no conflict. */
function conflict(err: unknown): boolean {
  const status = storageStatus(err);
  if (
    status === 404 &&
    err instanceof RestError &&
    JSON.stringify(err.details ?? {}).includes('TableNotFound')
  )
    return false;
  return status === 412 || status === 409 || status === 404;
}

/** What the dashboard reads of one month. */
export interface MonthView {
  readonly counters: Record<Priority, Counters>;
  /** Open tickets at risk by the time asked for, earliest first. */
  readonly watch: Contribution[];
}

function emptyByPriority(): Record<Priority, Counters> {
  return Object.fromEntries(PRIORITIES.map((p) => [p, emptyCounters()])) as Record<Priority, Counters>;
}

export class TableStatsRepo {
  private readonly states = new Map<string, StateRow>();
  private readonly months = new Map<string, MonthRows>();
  /** Counting runs one batch at a time (the caches are shared). */
  private running: Promise<unknown> = Promise.resolve();

  /**
   * @param table the stats table (counters, missed deadlines, watch, pending and serial rows)
   * @param tickets the statstickets table (one x| row per ticket and month)
   */
  constructor(
    private readonly table: TableClient,
    private readonly tickets: TableClient,
  ) {}

  /**
   * Counts a ticket's contribution, replacing what an earlier version of it added. Idempotent: an equal
   * or older version than the one counted does nothing. Returns whether anything changed.
   */
  async record(k: Contribution): Promise<boolean> {
    return (await this.recordMany([k])) > 0;
  }

  /**
   * Counts many contributions of one or more months: per month, the counters and up to about a dozen
   * tickets' rows go in one transaction, so a burst of changes costs a few requests instead of several per
   * change. The latest version of each ticket wins; returns how many tickets' counts changed.
   */
  recordMany(ks: readonly Contribution[]): Promise<number> {
    const run = this.running.then(
      () => this.recordAll(ks),
      () => this.recordAll(ks),
    );
    this.running = run.catch(() => undefined);
    return run;
  }

  private async recordAll(ks: readonly Contribution[]): Promise<number> {
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
    for (let attempt = 0; ; attempt++) {
      try {
        // The month's rows first, then the tickets' x| rows: a count that lands in between changes the serial.
        const rows = await this.monthRows(month);
        await this.loadStates(month, [...todo.map((k) => k.ticketId), ...rows.pending.keys()]);
        const changes: Change[] = [];
        for (const k of todo) {
          const prev = this.countedOf(rows, k.ticketId);
          if (prev !== null && prev.version >= k.version) continue;
          changes.push({ k, prev, actions: rowActions(pk, k, prev) });
        }
        todo = changes.map((c) => c.k);
        // Chunks that fit one transaction with the counters and serial they touch.
        let chunk: Change[] = [];
        let size = 0;
        const flush = async (): Promise<void> => {
          if (chunk.length === 0) return;
          await this.submit(pk, rows, chunk);
          changed += chunk.length;
          const done = new Set(chunk.map((c) => c.k.ticketId));
          todo = todo.filter((k) => !done.has(k.ticketId));
          chunk = [];
          size = 0;
        };
        for (const c of changes) {
          if (size + c.actions.length + 1 + PRIORITIES.length + 1 > MAX_ACTIONS) await flush();
          chunk.push(c);
          size += c.actions.length + 1;
        }
        await flush();
        await this.settle(month, rows);
        return changed;
      } catch (err) {
        if (!conflict(err) || attempt >= ATTEMPTS) throw err;
        // Another instance counted the month meanwhile: forget what we knew of it and read again.
        this.forget(month);
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
  }

  /** What the counters hold of a ticket now: its p| row, else its x| row (loaded by `loadStates`). */
  private countedOf(rows: MonthRows, ticketId: string): Contribution | null {
    return rows.pending.get(ticketId)?.k ?? this.states.get(ticketId)?.counted ?? null;
  }

  private forget(month: string): void {
    this.months.delete(month);
    for (const [id, s] of this.states) if (s.month === month) this.states.delete(id);
  }

  /** One transaction: the changes' rows, their p| rows, the counters of the priorities they touch, the serial. */
  private async submit(pk: string, rows: MonthRows, chunk: readonly Change[]): Promise<void> {
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
    const serial = { partitionKey: pk, rowKey: SERIAL_RK, sv: STATS_SCHEMA, n: (rows.serial?.n ?? 0) + 1 };
    actions.push(
      rows.serial === null ? ['create', serial] : ['update', serial, 'Replace', { etag: rows.serial.etag }],
    );
    for (const c of chunk) {
      const entity = {
        partitionKey: pk,
        rowKey: pendingRk(c.k.ticketId),
        sv: STATS_SCHEMA,
        version: c.k.version,
        contribution: JSON.stringify(c.k),
      };
      const pending = rows.pending.get(c.k.ticketId);
      actions.push(
        pending === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: pending.etag }],
      );
      actions.push(...c.actions);
    }
    const known = etagsOf(actions, await this.table.submitTransaction(actions));
    // What is stored now: the next chunk and the next batch start from it without reading.
    const month = pk.slice(2);
    const serialEtag = known.get(SERIAL_RK);
    if (serialEtag === undefined) {
      this.months.delete(month);
      return;
    }
    rows.serial = { n: serial.n, etag: serialEtag };
    for (const [p, c] of counters) {
      rows.counters.set(p, c);
      const etag = known.get(counterRk(p));
      if (etag === undefined) this.months.delete(month);
      else rows.etags.set(p, etag);
    }
    for (const { k } of chunk) {
      const etag = known.get(pendingRk(k.ticketId));
      if (etag === undefined) this.months.delete(month);
      else rows.pending.set(k.ticketId, { etag, k });
    }
  }

  /**
   * Copies the month's p| rows to their x| rows (raising, never lowering, each by ETag), then deletes them
   * in one transaction conditional on the serial (so only rows this view knows are deleted).
   */
  private async settle(month: string, rows: MonthRows): Promise<void> {
    if (rows.pending.size === 0) return;
    const pk = monthPk(month);
    const list = [...rows.pending.values()];
    const raised: PendingRow[] = [];
    for (let i = 0; i < list.length; i += MAX_ACTIONS) {
      const part = list.slice(i, i + MAX_ACTIONS);
      const up = part.filter((p) => (this.states.get(p.k.ticketId)?.counted?.version ?? 0) < p.k.version);
      try {
        if (up.length > 0) {
          const actions = up.map((p) => this.stateAction(pk, p.k));
          const known = etagsOf(actions, await this.tickets.submitTransaction(actions));
          for (const p of up) {
            const etag = known.get(stateRk(p.k.ticketId));
            if (etag === undefined) this.states.delete(p.k.ticketId);
            else this.remember(p.k.ticketId, { month, etag, counted: p.k });
          }
        }
      } catch (err) {
        if (!conflict(err)) throw err;
        for (const p of up) await this.raise(month, p.k);
      }
      raised.push(...part);
    }
    if (this.months.get(month) !== rows || rows.serial === null) return;
    const serial = { partitionKey: pk, rowKey: SERIAL_RK, sv: STATS_SCHEMA, n: rows.serial.n + 1 };
    for (let i = 0; i < raised.length; i += MAX_ACTIONS - 1) {
      const part = raised.slice(i, i + MAX_ACTIONS - 1);
      const actions: TransactionAction[] = [
        ['update', serial, 'Replace', { etag: rows.serial.etag }],
        ...part.map((p): TransactionAction => [
          'delete',
          { partitionKey: pk, rowKey: pendingRk(p.k.ticketId) },
        ]),
      ];
      try {
        const etag = etagsOf(actions, await this.table.submitTransaction(actions)).get(SERIAL_RK);
        for (const p of part) rows.pending.delete(p.k.ticketId);
        if (etag === undefined) {
          this.forget(month);
          return;
        }
        rows.serial = { n: serial.n, etag };
        serial.n++;
      } catch (err) {
        // Another instance counted the month or settled these rows meanwhile: the next count reads again.
        if (!conflict(err)) throw err;
        this.forget(month);
        return;
      }
    }
  }

  private stateAction(pk: string, k: Contribution): TransactionAction {
    const entity = TableStatsRepo.stateEntity(pk, k);
    const etag = this.states.get(k.ticketId)?.etag ?? null;
    return etag === null ? ['create', entity] : ['update', entity, 'Replace', { etag }];
  }

  /** Raises one x| row to `k` unless it already holds that version or a newer one. */
  private async raise(month: string, k: Contribution): Promise<void> {
    const pk = monthPk(month);
    for (let attempt = 0; ; attempt++) {
      const state = await this.readState(month, k.ticketId);
      if ((state.counted?.version ?? 0) >= k.version) return;
      try {
        const action = this.stateAction(pk, k);
        const entity = action[1];
        const res =
          state.etag === null
            ? await this.tickets.createEntity(entity)
            : await this.tickets.updateEntity(entity, 'Replace', { etag: state.etag });
        this.remember(k.ticketId, { month, etag: res.etag ?? null, counted: k });
        if (res.etag === undefined) this.states.delete(k.ticketId);
        return;
      } catch (err) {
        if (!conflict(err) || attempt >= ATTEMPTS) throw err;
      }
    }
  }

  private remember(ticketId: string, row: StateRow): void {
    this.states.delete(ticketId);
    this.states.set(ticketId, row);
    if (this.states.size > STATE_CACHE) {
      const oldest = this.states.keys().next();
      if (oldest.done !== true) this.states.delete(oldest.value);
    }
  }

  /**
   * The month's counters, p| rows and serial: remembered from the last transaction, or read in one query
   * (then what was remembered of the month's x| rows is dropped: it must be read after these rows).
   */
  private async monthRows(month: string): Promise<MonthRows> {
    const known = this.months.get(month);
    if (known !== undefined) return known;
    this.forget(month);
    const rows: MonthRows = { counters: new Map(), etags: new Map(), serial: null, pending: new Map() };
    const iter = this.table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(monthPk(month))} and RowKey ge 'c|' and RowKey le '${SERIAL_RK}'`,
      },
    });
    for await (const e of iter) {
      const rk = e.rowKey ?? '';
      if (rk === SERIAL_RK) rows.serial = { n: Number(e['n']) || 0, etag: e.etag };
      else if (rk.startsWith('p|')) {
        const k = contributionOf(e);
        if (k !== null) rows.pending.set(rk.slice(2), { etag: e.etag, k });
      } else if (rk.startsWith('c|')) {
        const p = rk.slice(2) as Priority;
        if (!(PRIORITIES as readonly string[]).includes(p)) continue;
        rows.counters.set(p, countersFrom(e));
        rows.etags.set(p, e.etag);
      }
    }
    this.months.set(month, rows);
    return rows;
  }

  /** Reads the x| rows of the tickets not remembered, a few dozen at a time. */
  private async loadStates(month: string, ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => this.states.get(id)?.month !== month);
    for (let i = 0; i < missing.length; i += READS)
      await Promise.all(missing.slice(i, i + READS).map((id) => this.readState(month, id)));
  }

  private async readState(month: string, ticketId: string): Promise<StateRow> {
    let row: StateRow;
    try {
      const e = await this.tickets.getEntity(monthPk(month), stateRk(ticketId));
      row = { month, etag: e.etag, counted: contributionOf(e) };
    } catch (err) {
      if (storageStatus(err) !== 404) throw err;
      row = { month, etag: null, counted: null };
    }
    this.remember(ticketId, row);
    return row;
  }

  /** The counted version of a ticket, or null when it was never counted. */
  async countedVersion(month: string, ticketId: string): Promise<number | null> {
    for (const [client, rk] of [
      [this.table, pendingRk(ticketId)],
      [this.tickets, stateRk(ticketId)],
    ] as const) {
      try {
        const e = await client.getEntity(monthPk(month), rk);
        return Number(e['version']);
      } catch (err) {
        if (storageStatus(err) !== 404) throw err;
      }
    }
    return null;
  }

  /**
   * Moves x| rows that older versions kept in the stats table to statstickets (raising, never lowering),
   * then deletes them. Run on start, before counting. Returns how many rows moved.
   */
  async upgrade(): Promise<number> {
    let moved = 0;
    const iter = this.table.listEntities({
      queryOptions: { filter: `RowKey ge 'x|' and RowKey lt 'x|~'` },
    });
    for await (const e of iter) {
      const k = contributionOf(e);
      const month = (e.partitionKey ?? '').slice(2);
      if (k !== null) await this.raise(month, k);
      await this.table
        .deleteEntity(e.partitionKey ?? '', e.rowKey ?? '', { etag: e.etag })
        .catch((err: unknown) => {
          if (!conflict(err)) throw err;
        });
      moved++;
    }
    this.months.clear();
    this.states.clear();
    return moved;
  }

  /**
   * What the dashboard needs of some months, in one query: each month's counters and its open tickets at
   * risk by `now` (at most `watchLimit` a month, earliest first). One key range per month, c| up to the
   * watch rows due by `now` (the few p| and s| rows between are skipped; missed deadlines, b|, come before).
   */
  async monthsView(
    months: readonly string[],
    now: Instant,
    watchLimit: number,
  ): Promise<Map<string, MonthView>> {
    const out = new Map<string, MonthView>(
      months.map((m) => [m, { counters: emptyByPriority(), watch: [] }]),
    );
    const pks = months.map(monthPk).sort();
    const first = pks[0];
    const last = pks[pks.length - 1];
    if (first === undefined || last === undefined) return out;
    const iter = this.table.listEntities({
      queryOptions: {
        filter:
          `PartitionKey ge ${odata(first)} and PartitionKey le ${odata(last)} and ` +
          `RowKey ge 'c|' and RowKey lt ${odata(`w|${timeKey(now)}~`)}`,
      },
    });
    for await (const e of iter) {
      const view = out.get((e.partitionKey ?? '').slice(2));
      if (view === undefined) continue;
      const rk = e.rowKey ?? '';
      if (rk.startsWith('c|')) {
        const p = rk.slice(2) as Priority;
        if ((PRIORITIES as readonly string[]).includes(p)) view.counters[p] = countersFrom(e);
      } else if (rk.startsWith('w|') && view.watch.length < watchLimit) {
        const k = contributionOf(e);
        if (k !== null) view.watch.push(k);
      }
    }
    return out;
  }

  /** A month's missed deadlines (at most `limit`, in key order), in one query. */
  async breachesOf(month: string, limit: number): Promise<BreachRow[]> {
    const found: BreachRow[] = [];
    if (limit <= 0) return found;
    const pages = this.table
      .listEntities({
        queryOptions: {
          filter: `PartitionKey eq ${odata(monthPk(month))} and RowKey ge 'b|' and RowKey lt 'b|~'`,
        },
      })
      .byPage({ maxPageSize: Math.min(1000, limit) });
    for await (const page of pages) {
      for (const e of page) {
        found.push(breachFrom(e));
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  /**
   * What the dashboard needs of one month: its counters, its open tickets at risk by `now` (at most
   * `watchLimit`), and, when `breachLimit` > 0, its missed deadlines (at most that many).
   */
  async monthView(
    month: string,
    now: Instant,
    watchLimit: number,
    breachLimit: number,
  ): Promise<{ counters: Record<Priority, Counters>; watch: Contribution[]; breaches: BreachRow[] }> {
    const [views, found] = await Promise.all([
      this.monthsView([month], now, watchLimit),
      this.breachesOf(month, breachLimit),
    ]);
    const view = views.get(month) ?? { counters: emptyByPriority(), watch: [] };
    return { ...view, breaches: found };
  }

  /**
   * The rows of a counted, settled ticket: its watch and missed-deadline rows in the stats table and its x|
   * row in statstickets (for writing a data set straight into the tables, as the bench does).
   */
  static settledRows(k: Contribution): { stats: TableEntity[]; counted: TableEntity } {
    const pk = monthPk(k.month);
    const stats = rowActions(pk, k, null).flatMap((a) => (a[0] === 'upsert' ? [a[1]] : []));
    return { stats, counted: this.stateEntity(pk, k) };
  }

  /** A month's counter row of one priority (for writing a data set straight into the tables). */
  static counterRow(month: string, p: Priority, c: Counters): TableEntity {
    return {
      partitionKey: monthPk(month),
      rowKey: counterRk(p),
      sv: STATS_SCHEMA,
      counters: JSON.stringify(c),
    };
  }

  private static stateEntity(pk: string, k: Contribution): TableEntity {
    return {
      partitionKey: pk,
      rowKey: stateRk(k.ticketId),
      sv: STATS_SCHEMA,
      version: k.version,
      contribution: JSON.stringify(k),
    };
  }

  /** The watch row key a contribution should have (for checking rows against the ticket). */
  static watchKey(k: Contribution): string | null {
    return watchRk(k);
  }
}
