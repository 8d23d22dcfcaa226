// Who is starting a ticket's thread in the support channel right now, so that two instances never post two
// root cards for one ticket (the instance that saved the ticket, still working through its queue, and another
// instance's repair pass). A claim is a row in the outbox table (partition `tclaim`), created if absent; it
// belongs to its instance while that instance is alive (its presence row), and is deleted once the thread is
// linked or the post failed. A claim of an instance that died is taken over.
import type { TableClient } from '@azure/data-tables';
import { storageStatus } from './status';

const PK = 'tclaim';

export interface ThreadClaims {
  /** True when this instance may post the ticket's thread now (it holds the claim). */
  claim(ticketId: string): Promise<boolean>;
  /** Gives the claim up (the thread is linked, or the post failed and may be tried again). */
  release(ticketId: string): Promise<void>;
}

export class TableThreadClaims implements ThreadClaims {
  constructor(
    private readonly table: TableClient,
    private readonly owner: string,
    /** Whether an instance is alive (its presence lease has not run out). */
    private readonly isLive: (owner: string) => Promise<boolean>,
  ) {}

  async claim(ticketId: string): Promise<boolean> {
    try {
      await this.table.createEntity({ partitionKey: PK, rowKey: ticketId, owner: this.owner });
      return true;
    } catch (err) {
      if (storageStatus(err) !== 409) throw err;
    }
    let held;
    try {
      held = await this.table.getEntity<{ owner?: string }>(PK, ticketId);
    } catch (err) {
      // Released in between: try once more.
      if (storageStatus(err) === 404) return this.claim(ticketId);
      throw err;
    }
    if (held.owner === this.owner) return true;
    if (typeof held.owner === 'string' && (await this.isLive(held.owner))) return false;
    try {
      await this.table.updateEntity({ partitionKey: PK, rowKey: ticketId, owner: this.owner }, 'Replace', {
        etag: held.etag,
      });
      return true;
    } catch (err) {
      const status = storageStatus(err);
      if (status === 412 || status === 404) return false;
      throw err;
    }
  }

  async release(ticketId: string): Promise<void> {
    try {
      await this.table.deleteEntity(PK, ticketId);
    } catch (err) {
      if (storageStatus(err) !== 404) throw err;
    }
  }
}
