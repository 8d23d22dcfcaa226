// Work that continues after a request is answered (card updates, deliveries): tracked, ordered per key,
// errors logged, and drained on shutdown so nothing is silently dropped mid-flight.
import type { Logger } from './log';

export class Background {
  private readonly pending = new Set<Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();

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

  /** True while work with this key is queued or running. */
  busy(key: string): boolean {
    return this.chains.has(key);
  }

  /** Resolves when everything started so far (and what it started) has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
