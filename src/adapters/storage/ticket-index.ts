// The cross-tenant ticket index (ticketindex table): each open ticket's queue row (by next deadline) and due
// row (by next notice), spread over INDEX_SHARDS partitions, and the tenants that ever filed.
// Every change that moves a ticket's index rows raises the head's index generation (`ig`), which is part of
// the rows' keys: a key, once stale, is never needed again, so stale rows can be deleted without checking.
// Rows are written before the ticket, so a crash leaves at worst a stale row, never a missing one.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { pause, type Backoff } from '../../domain/kit/retry';
import type { Ticket } from '../../domain/tickets/model';
import { prefixEnd } from './keys';
import { readRange, type Row } from './kit/range';
import { storageStatus } from './kit/status';
import {
  INDEX_SCHEMA,
  INDEX_SHARDS,
  indexKeys,
  indexPk,
  OLD_IDX,
  rowPk,
  TENANTS,
  tenantRk,
} from './ticket-keys';

/** Rewrites of a queue row that failed beside its change: tried again 200 ms later, then 400 ms… (5 tries). */
const RETOUCH: Backoff = { baseMs: 200, maxMs: 3_200, jitter: 'none' };
const RETOUCH_TRIES = 5;

export interface IndexOptions {
  /** Real time, for the age of index rows (default Date.now). */
  readonly wallNow?: () => number;
  /** Runs cleanup after the answer (see TicketRepoOptions.later); absent: done before returning. */
  readonly later?: ((key: string, work: () => Promise<void>) => void) | undefined;
}

export class TicketIndex {
  /** Stale index rows waiting to be deleted, and whether their deletion is scheduled. */
  private readonly stale = new Set<string>();
  private cleaning = false;
  /** Tenants whose n| row this instance has written (it never changes, so once is enough). */
  private readonly knownTenants = new Set<string>();

  constructor(
    private readonly index: TableClient,
    private readonly o: IndexOptions,
  ) {}

  wallNow(): number {
    return (this.o.wallNow ?? Date.now)();
  }

  /**
   * Moves index rows still in the single partition of older versions to their shards (copy, then delete:
   * safe to interrupt and to run on several instances at once). Returns how many rows moved.
   */
  async upgrade(): Promise<number> {
    let moved = 0;
    for (;;) {
      const rows = await readRange(this.index, { pk: OLD_IDX, from: '', to: '~', limit: 100 });
      if (rows.length === 0) return moved;
      for (const row of rows) {
        const { partitionKey: _pk, rowKey, etag: _etag, timestamp: _ts, ...props } = row;
        const rk = rowKey ?? '';
        const pk = rk.startsWith('n|') ? TENANTS : rowPk(rk);
        await this.index.upsertEntity({ partitionKey: pk, rowKey: rk, ...props }, 'Replace');
        await this.index.deleteEntity(OLD_IDX, rk).catch((err: unknown) => {
          if (storageStatus(err) !== 404) throw err;
        });
        moved++;
      }
    }
  }

  /** Records that a tenant has filed (once per tenant and instance). */
  async addTenant(tenantId: string): Promise<void> {
    if (this.knownTenants.has(tenantId)) return;
    await this.index.upsertEntity(
      { partitionKey: TENANTS, rowKey: tenantRk(tenantId), sv: INDEX_SCHEMA, tenantId },
      'Replace',
    );
    this.knownTenants.add(tenantId);
  }

  /** Every tenant that ever filed. */
  async tenants(): Promise<string[]> {
    const rows = await readRange(this.index, {
      pk: TENANTS,
      from: 'n|',
      to: prefixEnd('n|'),
      limit: 100_000,
    });
    return rows.map((r) => String(r['tenantId']));
  }

  /** The index rows of a ticket at a generation (only its queue row with `queueOnly`). */
  private actions(t: Ticket, gen: number, queueOnly = false): TransactionAction[] {
    const keys = indexKeys(t, gen);
    const pk = indexPk(t.id);
    const base = {
      sv: INDEX_SCHEMA,
      tenantId: t.tenantId,
      ticketId: t.id,
      version: t.version,
      writtenAt: this.wallNow(),
    };
    const actions: TransactionAction[] = [];
    if (keys.queue !== null)
      actions.push(['upsert', { partitionKey: pk, rowKey: keys.queue, ...base }, 'Replace']);
    if (keys.due !== null && !queueOnly)
      actions.push([
        'upsert',
        { partitionKey: pk, rowKey: keys.due, ...base, dueAt: t.sla.nextNoticeAt ?? 0 },
        'Replace',
      ]);
    return actions;
  }

  /** Writes a ticket's index rows at a generation (one transaction: they share a shard). */
  async write(t: Ticket, gen: number): Promise<void> {
    const rows = this.actions(t, gen);
    if (rows.length > 0) await this.index.submitTransaction(rows);
  }

  /** Rewrites a ticket's queue row (none when it is not open); false when storage failed (never throws). */
  async touchQueue(t: Ticket, gen: number): Promise<boolean> {
    const [row] = this.actions(t, gen, true);
    if (row?.[0] !== 'upsert') return true;
    try {
      await this.index.upsertEntity(row[1], 'Replace');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Tries again, after the answer, a queue row rewrite that failed while its change was saved (until it
   * lands, other instances' queues may keep the ticket as they last read it, QUEUE_CACHE_MS at most).
   */
  retouchLater(t: Ticket, gen: number): void {
    const retry = async (): Promise<void> => {
      for (let attempt = 0; attempt < RETOUCH_TRIES; attempt++) {
        if (await this.touchQueue(t, gen)) return;
        await pause(attempt, RETOUCH);
      }
    };
    if (this.o.later === undefined) void retry();
    else this.o.later(`queue-touch:${t.id}`, retry);
  }

  /** Rows stale for good: deleted after the answer when possible, else now. */
  async retire(rows: readonly (string | null)[]): Promise<void> {
    if (this.o.later === undefined) await this.drop(rows);
    else this.dropLater(rows);
  }

  /**
   * Deletes stale index rows after the answer, gathered: the rows of many changes go in one transaction per
   * shard. Until then readers skip them (a row counts only while its key matches the ticket's head).
   */
  private dropLater(rows: readonly (string | null)[]): void {
    for (const rk of rows) if (rk !== null) this.stale.add(rk);
    if (this.cleaning || this.stale.size === 0 || this.o.later === undefined) return;
    this.cleaning = true;
    this.o.later('index-cleanup', async () => {
      this.cleaning = false;
      const keys = [...this.stale];
      this.stale.clear();
      const byShard = new Map<string, string[]>();
      for (const rk of keys) byShard.set(rowPk(rk), [...(byShard.get(rowPk(rk)) ?? []), rk]);
      // The shards side by side: one after another, a busy storage makes the cleanup hold its slot 8 times as long.
      await Promise.all(
        [...byShard.values()].map(async (group) => {
          for (let i = 0; i < group.length; i += 100) await this.drop(group.slice(i, i + 100));
        }),
      );
    });
  }

  /** Deletes index rows of one shard: one transaction when all exist, else one by one (a missing row is fine). */
  async drop(rows: readonly (string | null)[]): Promise<void> {
    const keys = [...new Set(rows.filter((rk): rk is string => rk !== null))];
    if (keys.length > 1) {
      try {
        await this.index.submitTransaction(
          keys.map((rk): TransactionAction => ['delete', { partitionKey: rowPk(rk), rowKey: rk }]),
        );
        return;
      } catch (err) {
        if (storageStatus(err) !== 404) throw err;
      }
    }
    await Promise.all(
      keys.map((rk) =>
        this.index.deleteEntity(rowPk(rk), rk).catch((err: unknown) => {
          if (storageStatus(err) !== 404) throw err;
        }),
      ),
    );
  }

  /**
   * Index rows of every shard in one RowKey range (from `from`, or after it), merged in key order: up to
   * `limit` rows, and only rows before the point where a shard that was cut short could still hold a smaller key.
   */
  async shardRange(
    range: { readonly from: string; readonly after?: boolean; readonly to: string },
    limit: number,
    perShard: number = limit,
  ): Promise<{ rows: Row[]; complete: boolean }> {
    const shards = await Promise.all(
      Array.from({ length: INDEX_SHARDS }, (_, k) =>
        readRange(this.index, { pk: `x${k}`, ...range, limit: perShard }),
      ),
    );
    let bound: string | undefined;
    for (const rows of shards) {
      const last = rows.length >= perShard ? rows[rows.length - 1]?.rowKey : undefined;
      if (last !== undefined && (bound === undefined || last < bound)) bound = last;
    }
    const merged = shards
      .flat()
      .filter((r) => bound === undefined || (r.rowKey ?? '') <= bound)
      .sort((a, b) => ((a.rowKey ?? '') < (b.rowKey ?? '') ? -1 : 1));
    return { rows: merged.slice(0, limit), complete: bound === undefined && merged.length <= limit };
  }
}
