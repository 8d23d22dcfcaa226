// Ticket ids and the tenant each belongs to. Numbers come from one shared counter (ticketindex, `meta`), claimed
// per tenant in blocks: the counter's ETag-conditional update and the block's row are one transaction, so an
// id's tenant is its block's, and no row is written per ticket. Tickets filed before id blocks have an `i|` row.
// A block running low is topped up after the answer (with `later`), and a claim starts from the counter as
// this instance last wrote it: another instance's claim since fails the ETag, and only then is it read.
import type { TableClient } from '@azure/data-tables';
import { prefixEnd } from './keys';
import { advanceCounter } from './kit/contention';
import { readRange } from './kit/range';
import { storageStatus } from './kit/status';
import type { CounterRead } from './kit/contention';
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
  /**
   * Runs work after the answer (the app's tracked background work): the next block is claimed there when a
   * tenant's block runs low. Absent: a block is claimed when the last one is used up.
   */
  readonly later?: ((key: string, work: () => Promise<void>) => void) | undefined;
}

/** Statuses of a counter claim that another writer got to first (the counter's ETag, or the block row). */
const RACES = [412, 409];

export class TicketIds {
  /** Unused ids of this instance's blocks, per tenant. */
  private readonly ids = new Map<string, number[]>();
  private readonly claiming = new Map<string, Promise<void>>();
  /** Tenants of ids filed before id blocks, as read. */
  private readonly legacyTenants = new Map<string, string>();
  /** The counter as this instance last wrote it (a claim tries it before reading the row). */
  private counter: CounterRead | undefined;
  /** Id blocks seen, sorted by first number (blocks never change, so they are kept). */
  private readonly blocks: IdBlock[] = [];

  constructor(
    private readonly index: TableClient,
    private readonly o: IdOptions,
  ) {}

  async next(tenantId: string): Promise<string> {
    for (;;) {
      const left = this.ids.get(tenantId);
      const n = left?.shift();
      if (n !== undefined) {
        if (this.low(tenantId)) this.topUp(tenantId);
        return `${this.o.prefix}-${n}`;
      }
      await this.claim(tenantId);
    }
  }

  private size(): number {
    return this.o.block ?? 20;
  }

  /** The claim of a tenant's next block in flight, or a new one. */
  private claim(tenantId: string): Promise<void> {
    let claim = this.claiming.get(tenantId);
    if (claim === undefined) {
      claim = this.claimBlock(tenantId).finally(() => {
        this.claiming.delete(tenantId);
      });
      this.claiming.set(tenantId, claim);
    }
    return claim;
  }

  /** A quarter of a block or less is left for the tenant. */
  private low(tenantId: string): boolean {
    return (this.ids.get(tenantId)?.length ?? 0) <= this.size() / 4;
  }

  /** Claims the tenant's next block after the answer, unless a claim is in flight or there is no `later`. */
  private topUp(tenantId: string): void {
    if (this.o.later === undefined || this.claiming.has(tenantId)) return;
    this.o.later(`ticket-ids:${tenantId}`, () =>
      this.low(tenantId) ? this.claim(tenantId) : Promise.resolve(),
    );
  }

  /**
   * Claims the next block of numbers for a tenant, recorded in the counter's transaction: first from the
   * counter as this instance last wrote it, then, if another writer moved it since, from a fresh read.
   */
  private async claimBlock(tenantId: string): Promise<void> {
    const known = this.counter;
    if (known !== undefined) {
      try {
        await this.advance(tenantId, known);
        return;
      } catch (err) {
        const status = storageStatus(err);
        if (status === undefined || ![...RACES, 404].includes(status)) throw err;
        this.counter = undefined;
      }
    }
    const counter = { pk: META, rk: SEQ, sv: INDEX_SCHEMA, first: this.o.firstNumber ?? 1001 };
    await advanceCounter(this.index, counter, RACES, (read) => this.advance(tenantId, read));
  }

  /** Moves the counter on from `read` by a block for the tenant, and records the block (one transaction). */
  private async advance(tenantId: string, read: CounterRead): Promise<void> {
    const size = this.size();
    const block: IdBlock = { first: read.next, end: read.next + size, tenantId };
    const res = await this.index.submitTransaction([
      [
        'update',
        { partitionKey: META, rowKey: SEQ, sv: INDEX_SCHEMA, next: block.end },
        'Replace',
        { etag: read.etag },
      ],
      ['create', blockEntity(block)],
    ]);
    // Sub-responses come back in the order of the actions: the counter is the first.
    const etag = res.subResponses[0]?.etag;
    this.counter = etag === undefined ? undefined : { next: block.end, etag };
    this.remember(block);
    this.ids.set(tenantId, [
      ...(this.ids.get(tenantId) ?? []),
      ...Array.from({ length: size }, (_, i) => block.first + i),
    ]);
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
