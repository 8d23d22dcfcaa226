// The thread repair pass on real Azurite and the fake Bot Connector: open tickets whose thread was never
// posted (their instance died after the answer) get one, each exactly once, read a small page at a time.
import type { App } from '../../src/app';
import { ThreadRepair } from '../../src/adapters/bot/repair';
import { REPAIR_LEASE, TableLease } from '../../src/adapters/storage/leases';
import { aFiling } from '../fixtures/filing';
import { supportChannel, untoldTickets } from '../support/app';
import { startWithConnector } from '../support/authed';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';

const CHANNEL = '19:repairchannel@thread.tacv2';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock = { now: Date.parse('2026-11-24T10:00:00-05:00') };

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: { STAFF_TENANT_ID: VENDOR, THREAD_REPAIR_INTERVAL_MS: '0' },
  }));
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
});
afterAll(() => stop());

it('posts the thread of every open ticket that has none, once, past the grace period, over several pages', async () => {
  // 30 tickets saved but never told (no thread): more than a page of the pass. A service with no listeners
  // saves them, as an instance that died between saving and telling would have.
  const untold = untoldTickets(app, () => clock.now);
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const filed = await untold.file(aFiling({ requestId: `repair-${i}`, priority: 'P3' }));
    if (!filed.ok) throw filed.error;
    ids.push(filed.value.ticket.id);
  }
  const lease = new TableLease(app.storage.table(`${app.config.tablePrefix}settings`), REPAIR_LEASE);
  const repair = new ThreadRepair(app.deps, lease, {
    intervalMs: 0,
    graceMs: 120_000,
    owner: 'test',
  });
  // Within the grace period they are left to the instance that saved them.
  expect(await repair.pass()).toBe(0);
  clock.now += 10 * 60_000;
  // At most 20 a pass (Teams' limits); the next pass takes the rest.
  expect(await repair.pass()).toBe(20);
  await app.background.drain();
  expect(await repair.pass()).toBe(10);
  await app.background.drain();
  expect(await repair.pass()).toBe(0);
  const posted = connector
    .sent()
    .filter((r) => r.conversationId === CHANNEL)
    .map((r) => /TM-\d+/.exec(JSON.stringify(r.activity))?.[0]);
  expect([...posted].sort()).toEqual([...ids].sort());
  for (const id of ids) {
    const got = await app.tickets.get({ kind: 'staff' }, id);
    expect(got.ok && got.value.thread !== undefined).toBe(true);
  }
});
