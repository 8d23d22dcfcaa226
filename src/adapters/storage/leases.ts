// Leases on work that one instance at a time does (settings table, partition `lease`): one row per kind of
// work, `owner` and `until` (real time). The thread repair pass (row `thread-repair`) holds one.
import type { TableClient } from '@azure/data-tables';
import { LeaseRows, leaseLive } from './kit/lease';

const PK = 'lease';

/** The row of the thread repair pass's lease. */
export const REPAIR_LEASE = 'thread-repair';

export class TableLease {
  private readonly rows: LeaseRows;

  constructor(
    table: TableClient,
    private readonly name: string,
  ) {
    this.rows = new LeaseRows(table, PK);
  }

  /** Takes or renews the lease for `owner` until `until`; false while another owner holds it at `now`. */
  take(owner: string, until: number, now: number): Promise<boolean> {
    return this.rows.acquire(
      this.name,
      { owner, until },
      (held) => (held['owner'] !== owner && leaseLive(held['until'], now) ? 'busy' : 'take'),
      { readFirst: true },
    );
  }

  /** Gives the lease up if `owner` still holds it, so that another instance takes it at once (shutdown). */
  release(owner: string): Promise<void> {
    return this.rows.release(this.name, (held) => held['owner'] === owner);
  }
}
