// Ticket ids and the tenant each belongs to. Numbers come from one shared counter (ticketindex, `meta`), claimed
// per tenant in blocks: the counter's ETag-conditional update and the block's row are one transaction, so an
// id's tenant is its block's, and no row is written per ticket. Tickets filed before id blocks have an `i|` row.
import type { TableClient } from '@azure/data-tables';
import { prefixEnd } from './keys';
import { advanceCounter } from './kit/contention';
import { readRange } from './kit/range';
import { storageStatus } from './kit/status';
import {
  blockEntity,
  blockRk,
  idRk,
  INDEX_SCHEMA,
  indexPk,
  MAX_NUMBER,
  META,
  numberOf,
  SEQ,
  type IdBlock,
} from './ticket-keys';

export interface IdOptions {
  /** Ticket id prefix, e.g. "TM". */
  readonly prefix: string;
  /** First number handed out. */
  readonly firstNumber?: number;
  /** Ids claimed from the shared counter at a time, per tenant. */
  readonly block?: number;
}

export class TicketIds {
  /** Unused ids of this instance's blocks, per tenant. */
  private readonly ids = new Map<string, number[]>();
  private readonly claiming = new Map<string, Promise<void>>();
  /** Tenants of ids filed before id blocks, as read. */
  private readonly legacyTenants = new Map<string, string>();
  /** Id blocks seen, sorted by first number (blocks never change, so they are kept). */
  private readonly blocks: IdBlock[] = [];

  constructor(
    private readonly index: TableClient,
    private readonly o: IdOptions,
  ) {}

  async next(tenantId: string): Promise<string> {
    for (;;) {
      const n = this.ids.get(tenantId)?.shift();
      if (n !== undefined) return `${this.o.prefix}-${n}`;
      let claim = this.claiming.get(tenantId);
      if (claim === undefined) {
        claim = this.claimBlock(tenantId).finally(() => {
          this.claiming.delete(tenantId);
        });
        this.claiming.set(tenantId, claim);
      }
      await claim;
    }
  }

  /** Claims the next block of numbers for a tenant, recorded in the counter's transaction. */
  private claimBlock(tenantId: string): Promise<void> {
    const size = this.o.block ?? 20;
    const counter = { pk: META, rk: SEQ, sv: INDEX_SCHEMA, first: this.o.firstNumber ?? 1001 };
    return advanceCounter(this.index, counter, [412, 409], async ({ next, etag }) => {
      const block: IdBlock = { first: next, end: next + size, tenantId };
      await this.index.submitTransaction([
        [
          'update',
          { partitionKey: META, rowKey: SEQ, sv: INDEX_SCHEMA, next: block.end },
          'Replace',
          { etag },
        ],
        ['create', blockEntity(block)],
      ]);
      this.remember(block);
      this.ids.set(
        tenantId,
        Array.from({ length: size }, (_, i) => block.first + i),
      );
    });
  }

  /** Index of the last remembered block whose first number is at most `n` (-1 if none). */
  private blockAt(n: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.blocks[mid]?.first ?? 0) <= n) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }

  private remember(block: IdBlock): void {
    const at = this.blockAt(block.first);
    if (this.blocks[at]?.first !== block.first) this.blocks.splice(at + 1, 0, block);
  }

  /** The tenant of a number's block: remembered, or the first block row at or after its key (one query). */
  private async blockTenant(n: number): Promise<string | null> {
    const known = this.blocks[this.blockAt(n)];
    if (known !== undefined && n < known.end) return known.tenantId;
    const [row] = await readRange(this.index, { pk: META, from: blockRk(n), to: prefixEnd('b|'), limit: 1 });
    if (row === undefined) return null;
    const block: IdBlock = {
      first: Number(row['first']),
      end: Number(row['end']),
      tenantId: String(row['tenantId']),
    };
    if (!(block.first <= n && n < block.end)) return null;
    this.remember(block);
    return block.tenantId;
  }

  /** The tenant an id (a valid one) was handed out for, or null when it never was. */
  async tenantOf(id: string): Promise<string | null> {
    const n = numberOf(id);
    const tenant = Number.isSafeInteger(n) && n <= MAX_NUMBER ? await this.blockTenant(n) : null;
    if (tenant !== null) return tenant;
    // Tickets filed before id blocks have a row of their own.
    const cached = this.legacyTenants.get(id);
    if (cached !== undefined) return cached;
    try {
      const e = await this.index.getEntity<{ tenantId: string }>(indexPk(id), idRk(id));
      this.legacyTenants.set(id, e.tenantId);
      return e.tenantId;
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }
}
