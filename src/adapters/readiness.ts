// /readyz's checks: storage answers a cheap request within a timeout, and the watcher's loop is alive.
// Each failure is one short sentence without secrets (no connection strings, no hosts' keys).
import { RestError, type TableClient } from '@azure/data-tables';

export interface ReadinessOptions {
  /** Real ms storage has to answer (default 2000). */
  readonly storageTimeoutMs?: number;
  /** Real ms a watcher loop may be silent beyond three of its intervals (default 5000). */
  readonly watcherSlackMs?: number;
}

/** The checks, as the server's `readiness` dependency: what failed, empty when ready. */
export function readiness(parts: {
  readonly settings: TableClient;
  readonly watcher: { health(slackMs: number): { sinceMs: number; limitMs: number } | undefined };
  readonly options?: ReadinessOptions | undefined;
}): () => Promise<string[]> {
  const timeoutMs = parts.options?.storageTimeoutMs ?? 2_000;
  const slackMs = parts.options?.watcherSlackMs ?? 5_000;
  return async () => {
    const failed: string[] = [];
    const storage = await storageAnswers(parts.settings, timeoutMs);
    if (storage !== undefined) failed.push(storage);
    const health = parts.watcher.health(slackMs);
    if (health !== undefined && health.sinceMs > health.limitMs)
      failed.push(
        `watcher: no pass for ${Math.round(health.sinceMs / 1000)} s (expected within ${Math.round(health.limitMs / 1000)} s)`,
      );
    return failed;
  };
}

/** Undefined when storage answered a point read (found or not) within `timeoutMs`, else why not. */
async function storageAnswers(table: TableClient, timeoutMs: number): Promise<string | undefined> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(`storage: no answer within ${timeoutMs} ms`);
    }, timeoutMs);
  });
  const read = table.getEntity('readyz', 'readyz', { abortSignal: abort.signal }).then(
    () => undefined,
    (err: unknown) =>
      err instanceof RestError && err.statusCode === 404
        ? undefined
        : `storage: ${err instanceof RestError && err.statusCode !== undefined ? `answered ${err.statusCode}` : 'unreachable'}`,
  );
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}
