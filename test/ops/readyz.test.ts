// /readyz against a real Azurite: ready while storage answers and the watcher loops; 503 naming what failed
// when the watcher stalls or storage stops answering (within the storage timeout); /healthz stays up.
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { silentLogger } from '../../src/log';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

const STORAGE_TIMEOUT_MS = 2_000;
let azurite: TestAzurite;
let app: App;

beforeAll(async () => {
  azurite = await startTestAzurite();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: uniqueTableName('r').slice(0, 30),
    // A real loop, fast: silent for more than 3 × 100 ms + 300 ms counts as stalled.
    WATCHER_INTERVAL_MS: '100',
    THREAD_REPAIR_INTERVAL_MS: '0',
  });
  app = await startApp({
    config,
    policy: DEFAULT_POLICY,
    log: silentLogger,
    noticeIntervalMs: 0,
    readiness: { storageTimeoutMs: STORAGE_TIMEOUT_MS, watcherSlackMs: 300 },
  });
});
afterAll(async () => {
  await app.stop();
  await azurite.stop();
});

async function get(path: string): Promise<{ status: number; body: { status?: string; failed?: string[] } }> {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: (await res.json()) as { status?: string; failed?: string[] } };
}

/** Asks /readyz until it answers `status` (at most `tries` times, 100 ms apart). */
async function readyzUntil(status: number, tries = 50): ReturnType<typeof get> {
  for (let i = 1; ; i++) {
    const res = await get('/readyz');
    if (res.status === status || i >= tries) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('is ready while storage answers and the watcher loops', async () => {
  const res = await readyzUntil(200);
  expect(res).toEqual({ status: 200, body: { status: 'ready', failed: [] } });
});

it('a stalled watcher makes it 503 with the reason; /healthz still answers 200', async () => {
  await app.watcher.stop();
  const res = await readyzUntil(503);
  expect(res.status).toBe(503);
  expect(res.body.status).toBe('not ready');
  expect(res.body.failed).toEqual([
    expect.stringMatching(/^watcher: no pass for \d+ s \(expected within \d+ s\)$/),
  ]);
  expect((await get('/healthz')).status).toBe(200);
});

it('storage stopped: 503 naming storage within the storage timeout, no secrets in the answer', async () => {
  await azurite.stop();
  const started = Date.now();
  const res = await get('/readyz');
  const took = Date.now() - started;
  expect(res.status).toBe(503);
  expect(res.body.failed?.[0]).toMatch(/^storage: (no answer within 2000 ms|unreachable)$/);
  // Answered by the timeout, not after the storage client's retries (plus room for a busy machine).
  expect(took).toBeLessThan(STORAGE_TIMEOUT_MS + 1_500);
  expect(JSON.stringify(res.body)).not.toMatch(/AccountKey|devstoreaccount1|127\.0\.0\.1/);
  expect((await get('/healthz')).status).toBe(200);
});
