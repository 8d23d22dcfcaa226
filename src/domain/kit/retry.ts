// Waiting and backing off: one place for every retry loop's pause, so each loop says only when to stop.

/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export interface Backoff {
  /** Pause before the second try, in ms. */
  readonly baseMs: number;
  /** No pause is longer than this. */
  readonly maxMs: number;
  /**
   * 'full': a random pause up to the exponential step (many writers of one row spread out);
   * 'none': exactly the exponential step (one caller waiting on something slow).
   */
  readonly jitter: 'full' | 'none';
}

/** The pause before try `attempt + 1` (attempt counts from 0): exponential, capped, jittered as asked. */
export function backoffMs(attempt: number, b: Backoff): number {
  const step = Math.min(b.maxMs, b.baseMs * 2 ** attempt);
  return b.jitter === 'full' ? Math.random() * step : step;
}

/** Sleeps the pause before try `attempt + 1`. */
export function pause(attempt: number, b: Backoff): Promise<void> {
  return sleep(backoffMs(attempt, b));
}

/** Writers racing on one row (optimistic concurrency): a few ms, spread out at random. */
export const CONTENTION: Backoff = { baseMs: 5, maxMs: 500, jitter: 'full' };
