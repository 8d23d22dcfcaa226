// Leases and claims: a row says who holds something (`owner`) and, for a lease, until when. It is acquired by
// creating it, or by replacing it by its ETag once its holder is gone (the lease ran out, the instance died),
// so two takers of one row never both win; its holder renews it by writing it and releases it by deleting it.
// Thread claims, notice marks, the repair lease and presence rows are rows of a LeaseRows; an outbox entry
// carries its claim itself and changes hands through `replaceByEtag`.
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { readRange, type Row } from './range';
import { lostRace, storageStatus } from './status';

/** A row's columns besides its keys. */
export type LeaseProps = Readonly<Record<string, string | number | boolean>>;

/**
 * What a taker makes of a row someone holds: `keep` it is the taker's own and stays as it is, `take` it may be
 * written over (its holder is gone, or it is the taker's own to renew), `busy` another holder keeps it.
 */
export type Verdict = 'keep' | 'take' | 'busy';

/** Whether a lease that runs until `until` still holds at `now` (a row without a number has run out). */
export function leaseLive(until: unknown, now: number): boolean {
  return typeof until === 'number' && until > now;
}

/** A conditional replace as it ended: the row's new ETag (undefined when the answer had none), or lost with why. */
export type Replaced =
  | { readonly kind: 'ok'; readonly etag: string | undefined }
  | { readonly kind: 'lost'; readonly status: number };

/**
 * Replaces a row if it is unchanged since it was read (its ETag); with `also`, rows of its partition that move
 * with it, in the same transaction. Lost when another writer changed, removed or created a row first.
 */
export async function replaceByEtag(
  table: TableClient,
  row: TableEntity,
  etag: string,
  also: readonly TransactionAction[] = [],
): Promise<Replaced> {
  try {
    if (also.length === 0) {
      const res = await table.updateEntity(row, 'Replace', { etag });
      return { kind: 'ok', etag: res.etag };
    }
    const res = await table.submitTransaction([['update', row, 'Replace', { etag }], ...also]);
    return { kind: 'ok', etag: res.subResponses[0]?.etag };
  } catch (err) {
    if (lostRace(err)) return { kind: 'lost', status: storageStatus(err) ?? 0 };
    throw err;
  }
}

/** The lease rows of one partition, one row per thing held. */
export class LeaseRows {
  constructor(
    private readonly table: TableClient,
    private readonly pk: string,
  ) {}

  /**
   * Takes row `rk` with `props`: creates it when absent; else `judge` looks at the row as held, and a `take`
   * replaces it by its ETag. False when the row is busy or another taker won. `readFirst` reads before
   * creating (for a row that exists nearly always: one request less each time).
   */
  async acquire(
    rk: string,
    props: LeaseProps,
    judge: (held: Row) => Verdict | Promise<Verdict>,
    o: { readonly readFirst?: boolean } = {},
  ): Promise<boolean> {
    const row = { partitionKey: this.pk, rowKey: rk, ...props };
    const readFirst = o.readFirst === true;
    if (!readFirst && (await this.create(row))) return true;
    const held = await this.read(rk);
    // Absent (or released in between): created, or tried again from the start.
    if (held === null) return readFirst ? this.create(row) : this.acquire(rk, props, judge);
    const verdict = await judge(held);
    if (verdict !== 'take') return verdict === 'keep';
    const r = await replaceByEtag(this.table, row, held.etag);
    if (r.kind === 'ok') return true;
    // Removed since it was read: a read-first taker creates it afresh, unless another taker did first.
    return readFirst && r.status === 404 && (await this.create(row));
  }

  /** Creates the row; false when it exists already. */
  private async create(row: TableEntity): Promise<boolean> {
    try {
      await this.table.createEntity(row);
      return true;
    } catch (err) {
      if (storageStatus(err) === 409) return false;
      throw err;
    }
  }

  /** Writes the row whoever holds it: a holder renewing its own lease, or recording what it did under it. */
  async put(rk: string, props: LeaseProps): Promise<void> {
    await this.table.upsertEntity({ partitionKey: this.pk, rowKey: rk, ...props }, 'Replace');
  }

  /** The row as held now, or null when nobody holds it. */
  async read(rk: string): Promise<Row | null> {
    try {
      return await this.table.getEntity(this.pk, rk);
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  /**
   * Deletes the row (nothing when it is gone already). With `still`, only while the row as read satisfies it,
   * by its ETag: a holder whose lease was taken over meanwhile deletes nothing.
   */
  async release(rk: string, still?: (held: Row) => boolean): Promise<void> {
    try {
      if (still === undefined) {
        await this.table.deleteEntity(this.pk, rk);
        return;
      }
      const held = await this.table.getEntity(this.pk, rk);
      if (!still(held)) return;
      await this.table.deleteEntity(this.pk, rk, { etag: held.etag });
    } catch (err) {
      const status = storageStatus(err);
      if (status === 404 || (still !== undefined && status === 412)) return;
      throw err;
    }
  }

  /** Every row of the partition (only the `select`ed properties). */
  all(select: readonly string[]): Promise<Row[]> {
    return readRange(this.table, { pk: this.pk, select });
  }
}
