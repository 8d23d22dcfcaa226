// Which app instances are alive, so that a limit meant for the whole app (the per-tenant send rate) is shared
// among them: each instance keeps a lease row in the outbox table (partition `presence`), renews it while it
// delivers, and counts the rows whose lease has not run out. Real time: leases do not follow a simulated clock.
import type { TableClient } from '@azure/data-tables';
import { LeaseRows, leaseLive } from './kit/lease';

const PK = 'presence';
/** A row whose lease ended this many TTLs ago is deleted by whoever counts. */
const STALE_TTLS = 20;

export interface PresenceOptions {
  readonly instanceId: string;
  /** Real ms a row stays live without renewal (an instance that died stops counting after it). */
  readonly ttlMs: number;
  /** Real ms between renewals (and counts). */
  readonly everyMs: number;
  readonly realNow?: () => number;
}

/** The live instances, as the watcher's Presence port and the thread claims (`isLive`) need them. */
export class TablePresence {
  private readonly rows: LeaseRows;
  private timer: NodeJS.Timeout | undefined;
  private live = 1;
  private checkedAt = -Infinity;
  private pending: Promise<number> | undefined;

  constructor(
    table: TableClient,
    private readonly o: PresenceOptions,
  ) {
    this.rows = new LeaseRows(table, PK);
  }

  private now(): number {
    return (this.o.realNow ?? Date.now)();
  }

  /** Renews this instance's lease for another TTL. */
  private renew(): Promise<void> {
    return this.rows.put(this.o.instanceId, { until: this.now() + this.o.ttlMs });
  }

  /**
   * Live instances, this one included (at least 1). Renews this instance's row and counts again when the last
   * count is older than `everyMs`; if storage fails, the last count stands.
   */
  async count(fresh = false): Promise<number> {
    if (!fresh && this.now() - this.checkedAt < this.o.everyMs) return this.live;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<number> {
    const now = this.now();
    try {
      await this.rows.put(this.o.instanceId, { until: now + this.o.ttlMs });
      let live = 0;
      const gone: string[] = [];
      for (const row of await this.rows.all(['RowKey', 'until'])) {
        const until = typeof row['until'] === 'number' ? row['until'] : 0;
        if (row.rowKey === this.o.instanceId || leaseLive(until, now)) live++;
        else if (until < now - STALE_TTLS * this.o.ttlMs && row.rowKey !== undefined) gone.push(row.rowKey);
      }
      this.live = Math.max(1, live);
      // Rows of instances long gone (restarts get new ids): removed, a few at a time.
      for (const rk of gone.slice(0, 10)) await this.rows.release(rk).catch(() => undefined);
    } catch {
      // Storage is failing: the last count stands (deliveries fail on their own until it is back).
    }
    this.checkedAt = now;
    return this.live;
  }

  /** Renews this instance's row every 10 s (a third of the TTL at most) while the app runs (deliveries renew it too, and count). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(
      () => {
        this.renew().catch(() => undefined);
      },
      Math.min(10_000, this.o.ttlMs / 3),
    );
    this.timer.unref();
  }

  /** Whether an instance's row is live (its lease has not run out). */
  async isLive(instanceId: string): Promise<boolean> {
    if (instanceId === this.o.instanceId) return true;
    const row = await this.rows.read(instanceId);
    return row !== null && leaseLive(row['until'], this.now());
  }

  /** Leaves: the others stop counting this instance at once. */
  async leave(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.rows.release(this.o.instanceId);
  }
}
