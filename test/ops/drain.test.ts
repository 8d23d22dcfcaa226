// Graceful drain, on the real process (tsx src/index.ts, local mode, a test Azurite): SIGTERM while a turn waits
// on a slow Bot Connector; the turn is answered and its reply delivered, later connections are refused,
// the instance's presence row is released, and the process exits 0 within DRAIN_TIMEOUT_MS.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { CONTOSO } from '../fixtures/filing';
import { personalMessage, post } from '../support/activities';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';
import { startFakeConnector, type FakeConnector } from '../support/connector';

const DRAIN_TIMEOUT_MS = 8_000;
const REPLY_DELAY_MS = 1_500;
let azurite: TestAzurite;
let connector: FakeConnector;
let child: ChildProcessWithoutNullStreams | undefined;
const prefix = uniqueTableName('d').slice(0, 30);

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
});
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await connector.stop();
  await azurite.stop();
});

/** Resolves with the first stdout line's match of `pattern` (rejects when the process exits first). */
function waitForLine(
  proc: ChildProcessWithoutNullStreams,
  out: { text: string },
  pattern: RegExp,
): Promise<string> {
  return new Promise((done, fail) => {
    const look = (): boolean => {
      const m = pattern.exec(out.text);
      if (m === null) return false;
      proc.stdout.off('data', look);
      proc.off('exit', exited);
      done(m[1] ?? m[0]);
      return true;
    };
    const exited = (): void => {
      fail(new Error(`exited before ${String(pattern)}:\n${out.text}`));
    };
    proc.stdout.on('data', look);
    proc.once('exit', exited);
    look();
  });
}

/** The outbox table's presence rows (one per live instance). */
async function presenceRows(): Promise<unknown[]> {
  const rows: unknown[] = [];
  const outbox = TableClient.fromConnectionString(azurite.connectionString, `${prefix}outbox`, {
    allowInsecureConnection: true,
  });
  for await (const row of outbox.listEntities({ queryOptions: { filter: "PartitionKey eq 'presence'" } }))
    rows.push(row.rowKey);
  return rows;
}

it('SIGTERM mid-turn: the reply goes out, the presence row is released, exit 0 within the bound', async () => {
  const out = { text: '' };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: resolve(__dirname, '../..'),
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      TABLES_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: prefix,
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      LOG_JSON: 'true',
      LOG_LEVEL: 'debug',
      DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
    },
  });
  child = proc;
  proc.stdout.on('data', (c: Buffer) => (out.text += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out.text += c.toString()));
  const exit = new Promise<number | null>((done) =>
    proc.once('exit', (code) => {
      done(code);
    }),
  );
  const url = await waitForLine(proc, out, /listening on (http:\/\/127\.0\.0\.1:\d+)/);

  // The instance counts among the live ones (its presence row) while it runs.
  expect(await presenceRows()).toHaveLength(1);

  connector.hang(REPLY_DELAY_MS, 1);
  const hello = personalMessage({ serviceUrl: connector.serviceUrl, tenantId: CONTOSO, text: 'help' });
  const turn = post(`${url}/api/messages`, hello);
  await connector.waitFor((r) => r.activity !== undefined);
  const signalled = Date.now();
  proc.kill('SIGTERM');
  await waitForLine(proc, out, /SIGTERM: draining/);
  // A new connection is refused once draining starts.
  const late = await fetch(`${url}/healthz`).then(
    (r) => r.status,
    () => 'refused',
  );
  expect(['refused', 503]).toContain(late);

  expect((await turn).status).toBe(200);
  expect(connector.sent().some((r) => r.conversationId === hello.conversation.id)).toBe(true);
  expect(await exit).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(DRAIN_TIMEOUT_MS);
  expect(out.text).toMatch(/"msg":"stopped"/);

  expect(await presenceRows()).toEqual([]);
});
