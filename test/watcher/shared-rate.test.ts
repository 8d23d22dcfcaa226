// The per-tenant rate (OUTBOX_TENANT_RATE) holds for the app as a whole, not per instance: two instances on one
// Azurite deliver 24 warnings that come due together, and the support tenant never gets more than the rate in
// any second; each instance counts the live ones through its presence row and takes its share.
import type { App } from '../../src/app';
import { TablePresence } from '../../src/adapters/storage/presence';
import { TableClient } from '@azure/data-tables';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';
import { fileWithThread, startTestApp, supportChannel, type TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const CHANNEL = '19:supportchannel@thread.tacv2';
const et = (local: string): number => Date.parse(`${local}-05:00`);
const RATE = 4;
const TICKETS = 24;

let azurite: TestAzurite;
let connector: FakeConnector;
const apps: App[] = [];
const clock: TestClock = { now: et('2026-11-23T08:00:00') };
const prefix = uniqueTableName('r').slice(0, 20);

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
  for (const name of ['one', 'two'])
    apps.push(
      await startTestApp({
        connectionString: azurite.connectionString,
        clock,
        env: {
          TABLE_PREFIX: prefix,
          INSTANCE_ID: name,
          CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
          STAFF_TENANT_ID: VENDOR,
          STAFF_ENGINEERS: `${ALICE}=Alice Engineer`,
          OUTBOX_TENANT_RATE: String(RATE),
        },
      }),
    );
});
afterAll(async () => {
  for (const app of apps) await app.stop();
  await connector.stop();
  await azurite.stop();
});

it('two instances together send no more than OUTBOX_TENANT_RATE a second to the tenant', async () => {
  const [one, two] = apps;
  if (one === undefined || two === undefined) throw new Error('apps not started');
  await one.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
  // P3 tickets filed at 08:00 with threads: their 50 % warnings all come due at 10:00 (no card update with them).
  for (let i = 0; i < TICKETS; i++) {
    await fileWithThread(one, aFiling({ priority: 'P3' }), CHANNEL, String(7000 + i), connector.serviceUrl);
  }
  await Promise.all(apps.map((a) => a.background.drain()));
  // Both instances joined when they started; each counts again every 2 s (real time) while it sends.
  await new Promise((r) => setTimeout(r, 2_100));
  connector.clear();
  clock.now = et('2026-11-23T10:00:00');
  await Promise.all(apps.map((a) => a.watcher.pass()));
  // A second pass each: what one instance left (lanes raced) is delivered.
  await Promise.all(apps.map((a) => a.watcher.pass()));

  const warnings = connector
    .sent()
    .filter((r) => r.operation === 'replyToActivity' && (r.activity?.summary ?? '').includes(': warning '));
  expect(warnings).toHaveLength(TICKETS);
  expect(new Set(warnings.map((r) => r.activity?.summary)).size).toBe(TICKETS);
  // Both instances sent (the share is a split, not one instance doing all).
  expect(apps.every((a) => a.watcher.delivery.metrics.sent > 0)).toBe(true);
  // Within any 3 s, at most 3 × RATE sends, give or take two (the limiter counts each send until it ends, so
  // arrivals keep to its windows however the requests bunch up on the way). One instance alone sends RATE a
  // second by itself, so two without a shared rate would send all 24 within 3 s.
  const times = warnings.map((r) => r.at).sort((a, b) => a - b);
  let worst = 0;
  for (let hi = 0, lo = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= 3000) lo++;
    worst = Math.max(worst, hi - lo + 1);
  }
  expect(worst).toBeLessThanOrEqual(3 * RATE + 2);
  expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(((TICKETS - 2 * RATE) / RATE) * 1000);
}, 60_000);

it('counts live instances: a leaving one stops counting at once, a dead one when its lease runs out', async () => {
  const table = TableClient.fromConnectionString(azurite.connectionString, uniqueTableName('presence'), {
    allowInsecureConnection: true,
  });
  await table.createTable();
  let now = 1_000_000;
  const at = (id: string) =>
    new TablePresence(table, { instanceId: id, ttlMs: 30_000, everyMs: 2_000, realNow: () => now });
  const [a, b, c] = [at('a'), at('b'), at('c')];
  expect(await a.count()).toBe(1);
  await b.count();
  await c.count();
  now += 2_000;
  expect(await a.count()).toBe(3);
  await b.leave();
  now += 2_000;
  expect(await a.count()).toBe(2);
  await c.count();
  // c dies (renews no more): after its lease it no longer counts.
  now += 29_000;
  expect(await a.count()).toBe(2);
  now += 2_000;
  expect(await a.count()).toBe(1);
  // Counted again within `everyMs`: the last count, no storage request.
  await c.count();
  expect(await a.count()).toBe(1);
});
