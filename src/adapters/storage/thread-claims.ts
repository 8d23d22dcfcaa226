// Who is starting a ticket's thread in the support channel right now, so that two instances never post two
// root cards for one ticket (the instance that saved the ticket, still working through its queue, and another
// instance's repair pass). A claim is a lease row in the outbox table (partition `tclaim`), created if absent;
// it belongs to its instance while that instance is alive (its presence row), and is deleted once the thread
// is linked or the post failed. A claim of an instance that died is taken over.
import type { TableClient } from '@azure/data-tables';
import { LeaseRows } from './kit/lease';

const PK = 'tclaim';

export interface ThreadClaims {
  /** True when this instance may post the ticket's thread now (it holds the claim). */
  claim(ticketId: string): Promise<boolean>;
  /** Gives the claim up (the thread is linked, or the post failed and may be tried again). */
  release(ticketId: string): Promise<void>;
}

export class TableThreadClaims implements ThreadClaims {
  private readonly rows: LeaseRows;

  constructor(
    table: TableClient,
    private readonly owner: string,
    /** Whether an instance is alive (its presence lease has not run out). */
    private readonly isLive: (owner: string) => Promise<boolean>,
  ) {
    this.rows = new LeaseRows(table, PK);
  }

  claim(ticketId: string): Promise<boolean> {
    return this.rows.acquire(ticketId, { owner: this.owner }, async (held) => {
      const owner = held['owner'];
      if (owner === this.owner) return 'keep';
      return typeof owner === 'string' && (await this.isLive(owner)) ? 'busy' : 'take';
    });
  }

  release(ticketId: string): Promise<void> {
    return this.rows.release(ticketId);
  }
}
