// Work that continues after a request is answered (card updates, deliveries, batched counting): tracked,
// ordered per key, errors logged, and drained on shutdown so nothing is silently dropped mid-flight.
import type { Logger } from './log';

export class Background {
  private readonly pending = new Set<Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly log: Logger) {}

  /** Runs `work` after earlier work with the same key has finished (e.g. one ticket's card updates in order). */
  run(key: string, what: string, work: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => {
      this.log.error(`${what} failed`, { key, error: err instanceof Error ? err.message : String(err) });
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
   */
  soon(key: string, what: string, delayMs: number, work: () => Promise<void>): void {
    if (this.waiting.has(key)) return;
    const go = (): void => {
      clearTimeout(timer);
      if (this.waiting.get(key) !== go) return;
      this.waiting.delete(key);
      this.run(key, what, work);
    };
    const timer = setTimeout(go, delayMs);
    timer.unref();
    this.waiting.set(key, go);
  }

  /** True while work with this key is queued or running. */
  busy(key: string): boolean {
    return this.chains.has(key);
  }

  /** Resolves when everything started so far (and what it started) has finished. */
  async drain(): Promise<void> {
    for (;;) {
      for (const go of [...this.waiting.values()]) go();
      if (this.pending.size === 0) return;
      await Promise.all([...this.pending]);
    }
  }
}
