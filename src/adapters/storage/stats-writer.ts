// Counting tickets into the dashboard's rows (layout: stats-rows.ts). What is counted of a ticket is its p| row
// if there is one, else its x| row. A change is one entity-group transaction of the month: counters, breach and
// watch rows, the p| row (created, or replaced by ETag) and the serial (by ETag), so it applies only over
// exactly the state it was computed from: a concurrent count of the month by another instance fails it, and it
// is retried from fresh reads. Then the x| rows are raised to the new versions (ETag-conditional, never
// lowered) and the p| rows deleted. A crash in between leaves p| rows, which the next count of the month
// finishes. So retries and instances neither double-count nor lose a change.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Priority } from '../../domain/sla';
import { PRIORITIES } from '../../domain/sla';
import { latestPerTicket, recount, type CountedChange } from '../../domain/stats/counting';
import { countKey, type Contribution, type Counters } from '../../domain/stats/figures';
import { retryRaces } from './kit/contention';
import { readRange } from './kit/range';
import { storageStatus } from './kit/status';
import {
  conflict,
  contributionOf,
  counterEntity,
  counterRk,
  countedEntity,
  countersFrom,
  etagsOf,
  monthPk,
  pendingRk,
  rowActions,
  SERIAL_RK,
  STATS_SCHEMA,
  stateRk,
} from './stats-rows';

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

/** An entity-group transaction holds at most 100 actions. */
const MAX_ACTIONS = 100;
/** How many tickets' x| rows are remembered (beyond that, a change reads its row first). */
const STATE_CACHE = 20_000;
/** Retries of a month's count that another writer got ahead of, and of raising one x| row. */
const ATTEMPTS = 50;
/** x| rows read at once. */
const READS = 32;

/** One ticket's change in a transaction, with its watch and breach rows. */
interface Change extends CountedChange {
  readonly actions: TransactionAction[];
}

export class StatsWriter {
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
    const byMonth = new Map<string, Contribution[]>();
    for (const k of latestPerTicket(ks)) {
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
    return retryRaces(
      async () => {
        // The month's rows first, then the tickets' x| rows: a count that lands in between changes the serial.
        const rows = await this.monthRows(month);
        await this.loadStates(month, [...todo.map((k) => countKey(k)), ...rows.pending.keys()]);
        const changes: Change[] = [];
        for (const k of todo) {
          const prev = this.countedOf(rows, countKey(k));
          if (prev !== null && prev.version >= k.version) continue;
          changes.push({ k, prev, actions: rowActions(pk, k, prev) });
        }
        todo = changes.map((c) => c.k);
        // Chunks that fit one transaction with the counters and serial they touch.
        let chunk: Change[] = [];
        let size = 0;
        const flush = async (): Promise<void> => {
          if (chunk.length === 0) return;
          await this.submit(month, rows, chunk);
          changed += chunk.length;
          const done = new Set(chunk.map((c) => countKey(c.k)));
          todo = todo.filter((k) => !done.has(countKey(k)));
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
      },
      {
        isRace: conflict,
        retries: ATTEMPTS,
        // Another instance counted the month meanwhile: forget what we knew of it and read again.
        beforeRetry: () => {
          this.forget(month);
        },
      },
    );
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
  private async submit(month: string, rows: MonthRows, chunk: readonly Change[]): Promise<void> {
    const pk = monthPk(month);
    const counters = recount((p) => rows.counters.get(p), chunk);
    const actions: TransactionAction[] = [];
    for (const [p, c] of counters) {
      const entity = counterEntity(month, p, c);
      const etag = rows.etags.get(p);
      actions.push(etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }]);
    }
    const serial = { partitionKey: pk, rowKey: SERIAL_RK, sv: STATS_SCHEMA, n: (rows.serial?.n ?? 0) + 1 };
    actions.push(
      rows.serial === null ? ['create', serial] : ['update', serial, 'Replace', { etag: rows.serial.etag }],
    );
    for (const c of chunk) {
      const entity = countedEntity(pk, pendingRk(countKey(c.k)), c.k);
      const pending = rows.pending.get(countKey(c.k));
      actions.push(
        pending === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: pending.etag }],
      );
      actions.push(...c.actions);
    }
    const known = etagsOf(actions, await this.table.submitTransaction(actions));
    // What is stored now: the next chunk and the next batch start from it without reading.
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
      const etag = known.get(pendingRk(countKey(k)));
      if (etag === undefined) this.months.delete(month);
      else rows.pending.set(countKey(k), { etag, k });
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
      const up = part.filter((p) => (this.states.get(countKey(p.k))?.counted?.version ?? 0) < p.k.version);
      try {
        if (up.length > 0) {
          const actions = up.map((p) => this.stateAction(pk, p.k));
          const known = etagsOf(actions, await this.tickets.submitTransaction(actions));
          for (const p of up) {
            const etag = known.get(stateRk(countKey(p.k)));
            if (etag === undefined) this.states.delete(countKey(p.k));
            else this.remember(countKey(p.k), { month, etag, counted: p.k });
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
          { partitionKey: pk, rowKey: pendingRk(countKey(p.k)) },
        ]),
      ];
      try {
        const etag = etagsOf(actions, await this.table.submitTransaction(actions)).get(SERIAL_RK);
        for (const p of part) rows.pending.delete(countKey(p.k));
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
    const entity = countedEntity(pk, stateRk(countKey(k)), k);
    const etag = this.states.get(countKey(k))?.etag ?? null;
    return etag === null ? ['create', entity] : ['update', entity, 'Replace', { etag }];
  }

  /** Raises one x| row to `k` unless it already holds that version or a newer one. */
  private async raise(month: string, k: Contribution): Promise<void> {
    const pk = monthPk(month);
    for (let attempt = 0; ; attempt++) {
      const state = await this.readState(month, countKey(k));
      if ((state.counted?.version ?? 0) >= k.version) return;
      try {
        const action = this.stateAction(pk, k);
        const entity = action[1];
        const res =
          state.etag === null
            ? await this.tickets.createEntity(entity)
            : await this.tickets.updateEntity(entity, 'Replace', { etag: state.etag });
        this.remember(countKey(k), { month, etag: res.etag ?? null, counted: k });
        if (res.etag === undefined) this.states.delete(countKey(k));
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
    const found = await readRange(this.table, { pk: monthPk(month), from: 'c|', through: SERIAL_RK });
    for (const e of found) {
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
}
