// Writers racing on one row (optimistic concurrency): try, and when another writer got there first, pause a
// few jittered milliseconds and try again from fresh reads.
import type { TableClient } from '@azure/data-tables';
import { CONTENTION, pause } from '../../../domain/kit/retry';
import { storageStatus } from './status';

/**
 * Runs `attempt` until it succeeds; a failure `isRace` says another writer caused is retried after a jittered
 * pause (`beforeRetry` first, e.g. to forget what was read), at most `retries` times.
 */
export async function retryRaces<T>(
  attempt: () => Promise<T>,
  o: {
    readonly isRace: (err: unknown) => boolean;
    readonly retries: number;
    readonly beforeRetry?: () => void;
  },
): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!o.isRace(err) || tries >= o.retries) throw err;
      o.beforeRetry?.();
      await pause(tries, CONTENTION);
    }
  }
}

/** A counter row: the next number to hand out, and the ETag it was read with. */
export interface CounterRead {
  readonly next: number;
  readonly etag: string;
}

/**
 * Hands out numbers of a shared counter row (`next`): `advance` writes the row's new value conditional on the
 * ETag it was read with (perhaps with other rows, in one transaction). A missing row is created at `first`;
 * an advance that fails with one of the `raceStatuses` is tried again from a fresh read, 51 times at most.
 */
export async function advanceCounter<T>(
  table: TableClient,
  row: { readonly pk: string; readonly rk: string; readonly sv: number; readonly first: number },
  raceStatuses: readonly number[],
  advance: (read: CounterRead) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const e = await table.getEntity<{ next: number }>(row.pk, row.rk);
      return await advance({ next: e.next, etag: e.etag });
    } catch (err) {
      const status = storageStatus(err);
      if (status === 404) {
        try {
          await table.createEntity({ partitionKey: row.pk, rowKey: row.rk, sv: row.sv, next: row.first });
        } catch (createErr) {
          if (storageStatus(createErr) !== 409) throw createErr;
        }
        continue;
      }
      if (status === undefined || !raceStatuses.includes(status) || attempt > 50) throw err;
      await pause(attempt, CONTENTION);
    }
  }
}
