// Work that continues after a request is answered (card updates, deliveries, batched counting): tracked,
// ordered per key, errors logged, and drained on shutdown so nothing is silently dropped mid-flight.
// Requests come first: while any is in flight, at most BUSY_SLOTS pieces of work run at once and the rest wait
// until the requests are answered (or at most FOREGROUND_FIRST_MAX_MS, so nothing starves under constant load).
import { jobLogContext, withExactLogContext, type Logger } from './log';

/** The longest a piece of work waits for requests in flight to be answered before it starts anyway. */
export const FOREGROUND_FIRST_MAX_MS = 500;
/**
 * Pieces of work run at once while requests are in flight. More let the card updates of a burst of presses
 * compete with the answers to the next ones (the staff bench's bursts of 20 got slower with 4).
 */
export const BUSY_SLOTS = 1;

export class Background {
  private readonly pending = new Set<Promise<boolean>>();
  /** Per key, the last work queued: resolves true when it finished, false when it failed. */
  private readonly chains = new Map<string, Promise<boolean>>();
  private readonly waiting = new Map<string, () => void>();
  /** Work ready to start, waiting for the requests in flight. */
  private readonly gated = new Set<() => void>();
  /** Jobs waiting between steps for the requests in flight to be answered. */
  private readonly idleWaiters = new Set<() => void>();
  private running = 0;
  private inFlight = 0;
  /** Told when the last request in flight is answered (see `answered`). */
  private readonly quiet = new Set<() => void>();

  constructor(private readonly log: Logger) {}

  /**
   * Tells that a request started; call the returned function once it is answered. While requests are in flight,
   * at most BUSY_SLOTS pieces of background work run, so a burst of button presses is answered before the card
   * updates.
   */
  request(): () => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.release();
      if (this.inFlight === 0) for (const wake of this.quiet) wake();
    };
  }

  /** Resolves true once no request is in flight, or false after `timeoutMs` with some still in flight. */
  answered(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (answered: boolean): void => {
        clearTimeout(timer);
        this.quiet.delete(wake);
        resolve(answered);
      };
      const wake = (): void => {
        done(true);
      };
      const timer = setTimeout(() => {
        done(false);
      }, timeoutMs);
      this.quiet.add(wake);
    });
  }

  /** Starts gated work the state allows: all of it when no request is in flight, else up to BUSY_SLOTS running. */
  private release(): void {
    for (const start of this.gated) {
      if (this.inFlight > 0 && this.running >= BUSY_SLOTS) return;
      start();
    }
    for (const wake of this.idleWaiters) if (this.inFlight === 0) wake();
  }

  /** Resolves once no request is in flight, or after FOREGROUND_FIRST_MAX_MS (for long jobs between steps). */
  yieldToRequests(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, FOREGROUND_FIRST_MAX_MS);
      this.idleWaiters.add(wake);
    });
  }

  /** Resolves when this work may start (see `request`), counting it as running from then. */
  private gate(): Promise<void> {
    if (this.inFlight === 0 || this.running < BUSY_SLOTS) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const start = (): void => {
        clearTimeout(timer);
        this.gated.delete(start);
        this.running++;
        resolve();
      };
      const timer = setTimeout(start, FOREGROUND_FIRST_MAX_MS);
      this.gated.add(start);
    });
  }

  /**
   * Runs `work` after earlier work with the same key has finished (e.g. one ticket's card updates in order).
   * `steady` work does not wait for requests in flight nor take a slot (see `soon`).
   */
  run(key: string, what: string, work: () => Promise<void>, steady = false): void {
    const previous = this.chains.get(key) ?? Promise.resolve(true);
    // Its log lines carry the job's key and the ids it is about; the turn that started it is only its cause
    // (the job posts elsewhere: its conversation is not the turn's).
    const fields = jobLogContext({ job: key });
    const next: Promise<boolean> = previous
      .then(() => (steady ? undefined : this.gate()))
      .then(async () => {
        try {
          await withExactLogContext(fields, work);
        } finally {
          if (!steady) {
            this.running--;
            this.release();
          }
        }
        return true;
      })
      .catch((err: unknown) => {
        withExactLogContext(fields, () => {
          this.log.error(`${what} failed`, { err });
        });
        return false;
      });
    this.chains.set(key, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /**
   * Runs `work` under `key` after `delayMs`, so that what arrives meanwhile is handled together (a batch);
   * a call while one is already waiting for the key does nothing. `drain()` starts waiting work at once.
   * `steady`: the batch starts on time even while requests are in flight. For work that runs one batch at a
   * time anyway: held back behind requests, its batches would grow and land on storage in bursts.
   */
  soon(key: string, what: string, delayMs: number, work: () => Promise<void>, steady = false): void {
    if (this.waiting.has(key)) return;
    const go = (): void => {
      clearTimeout(timer);
      if (this.waiting.get(key) !== go) return;
      this.waiting.delete(key);
      this.run(key, what, work, steady);
    };
    const timer = setTimeout(go, delayMs);
    timer.unref();
    this.waiting.set(key, go);
  }

  /**
   * Waits (at most `timeoutMs`) for the work queued so far under `key`: true when it all finished (the last
   * piece without error), false when the last piece failed, undefined when it is still running at the timeout.
   */
  async settled(key: string, timeoutMs: number): Promise<boolean | undefined> {
    const tail = this.chains.get(key);
    if (tail === undefined) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, timeoutMs);
    });
    try {
      return await Promise.race([tail, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True while work with this key is queued or running. */
  busy(key: string): boolean {
    return this.chains.has(key);
  }

  /**
   * Resolves when everything started so far (and what it started) has finished: true, or false when
   * `timeoutMs` passed first (shutdown does not wait for ever).
   */
  async drain(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await this.settle();
      return true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.settle().then(() => true as const), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async settle(): Promise<void> {
    for (;;) {
      for (const go of [...this.waiting.values()]) go();
      if (this.pending.size === 0) return;
      await Promise.all([...this.pending]);
    }
  }
}
