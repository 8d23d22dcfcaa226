// The keys that sign download links (settings table, partition `link-key`, one row per UTC day): a random 32-byte
// key made by the first instance that signs that day, with an insert that fails when another instance made it
// first (then theirs is read and used). Every instance signs with the same key and restarts change nothing.
import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { storageStatus } from './kit/status';

const PK = 'link-key';
/** Days of keys kept in memory (today's and yesterday's are the only ones asked for). */
const CACHED = 3;

/** The signing key of each period (file-link-token.ts keyPeriod). */
export interface LinkKeys {
  /** The key of `period`; made when `create` and there is none yet, else undefined when there is none. */
  key(period: number, create: boolean): Promise<Buffer | undefined>;
}

const rowKey = (period: number): string => String(period).padStart(8, '0');

export class TableLinkKeys implements LinkKeys {
  private readonly cache = new Map<number, Buffer>();

  constructor(private readonly table: TableClient) {}

  async key(period: number, create: boolean): Promise<Buffer | undefined> {
    const held = this.cache.get(period);
    if (held !== undefined) return held;
    let key = await this.read(period);
    if (key === undefined && create) key = await this.make(period);
    if (key !== undefined) this.remember(period, key);
    return key;
  }

  private async read(period: number): Promise<Buffer | undefined> {
    try {
      const e = await this.table.getEntity<{ key: string }>(PK, rowKey(period));
      const key = Buffer.from(e.key, 'base64');
      return key.length === 32 ? key : undefined;
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      throw err;
    }
  }

  /** Inserts a new key for `period`; when another instance inserted one first, reads theirs. */
  private async make(period: number): Promise<Buffer | undefined> {
    const key = randomBytes(32);
    try {
      await this.table.createEntity({
        partitionKey: PK,
        rowKey: rowKey(period),
        key: key.toString('base64'),
      });
    } catch (err) {
      if (storageStatus(err) !== 409) throw err;
      return this.read(period);
    }
    await this.forget(period - 2);
    return key;
  }

  /**
   * Deletes a key no link can use any more (the day before yesterday's). Best effort: another instance may have
   * done it, and a row left behind signs nothing (only today's and yesterday's keys are read).
   */
  private async forget(period: number): Promise<void> {
    await this.table.deleteEntity(PK, rowKey(period)).catch(() => undefined);
  }

  private remember(period: number, key: Buffer): void {
    this.cache.set(period, key);
    while (this.cache.size > CACHED) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
  }
}
