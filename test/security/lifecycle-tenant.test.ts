// Lifecycle events from the staff tenant only: a team deleted, the app removed, or the bot removed as a member,
// sent from another tenant (a customer naming the vendor's team id) must not make the app forget the support
// or managers' channel; ignored and audited. From the staff tenant, for the registered team, they still do.
import type { TableClient } from '@azure/data-tables';
import type { App } from '../../src/app';
import { TableSettings } from '../../src/adapters/storage/settings';
import { CONTOSO } from '../fixtures/filing';
import { channelMessage, DEFAULT_TEAM_ID, post, type JsonObject } from '../support/activities';
import { lifecycleEvents } from '../faults/lifecycle';
import { startWithConnector } from '../support/authed';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const MIKE = 'a11ce000-0000-4000-8000-00000000000m'.replace('m', 'e');
const CHANNEL = '19:supportchannel@thread.tacv2';
const MANAGERS = '19:managerschannel@thread.tacv2';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-24T09:00:00-05:00') };

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer`,
      STAFF_MANAGERS: `${MIKE}=Mike Manager`,
    },
  }));
});
afterAll(() => stop());

const url = () => `${app.url}/api/messages`;
/** Fresh from storage, as another instance would read it. */
const settings = () =>
  new TableSettings(app.storage.clients[`${app.config.tablePrefix}settings`] as TableClient, 0);
const staff = (aad: string, name: string, channelId: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  userId: `29:${name}`,
  aadObjectId: aad,
  userName: name,
  channel: { channelId, channelName: 'Support' },
});

async function register(): Promise<void> {
  for (const [who, text] of [
    [staff(ALICE, 'Alice', CHANNEL), 'use this channel for support'],
    [staff(MIKE, 'Mike', MANAGERS), 'use this channel for managers'],
  ] as const) {
    const res = await post(url(), channelMessage({ ...who, text }));
    expect(res.status).toBe(200);
  }
  expect((await settings().supportChannel())?.teamId).toBe(DEFAULT_TEAM_ID);
  expect((await settings().managersChannel())?.teamId).toBe(DEFAULT_TEAM_ID);
}

const EVENTS = ['teamDeleted', 'installationUpdate remove', 'bot removed'];
const eventOf =
  (name: string) =>
  (tenantId: string, teamId: string): JsonObject => {
    const found = lifecycleEvents(connector.serviceUrl, tenantId, teamId).find(([n]) => n === name);
    if (found === undefined) throw new Error(`no event ${name}`);
    return found[1];
  };

beforeAll(register);

describe.each(EVENTS)('%s', (name) => {
  const make = eventOf(name);
  it('from a customer tenant naming the vendor team: ignored, both channels kept, the attempt audited', async () => {
    const day = new Date(clock.now).toISOString().slice(0, 10);
    // Rows of one instant come back in no particular order: count the refusals of this tenant.
    const refusals = async () =>
      (await app.deps.audit.day(day)).filter(
        (e) => e.action === 'channel.forget' && e.outcome === 'refused' && e.tenantId === CONTOSO,
      ).length;
    const before = await refusals();
    const res = await post(url(), make(CONTOSO, DEFAULT_TEAM_ID));
    expect(res.status).toBe(200);
    expect((await settings().supportChannel())?.channelId).toBe(CHANNEL);
    expect((await settings().managersChannel())?.channelId).toBe(MANAGERS);
    expect(await refusals()).toBe(before + 1);
  });

  it('with no tenant at all: ignored', async () => {
    const e = make(VENDOR, DEFAULT_TEAM_ID);
    const { tenant: _t, ...channelData } = e['channelData'] as JsonObject;
    const { tenantId: _c, ...conversation } = e['conversation'] as JsonObject;
    await post(url(), { ...e, channelData, conversation });
    expect((await settings().supportChannel())?.channelId).toBe(CHANNEL);
  });

  it('from the staff tenant for another team: nothing forgotten', async () => {
    await post(url(), make(VENDOR, '19:otherteam@thread.tacv2'));
    expect((await settings().supportChannel())?.channelId).toBe(CHANNEL);
    expect((await settings().managersChannel())?.channelId).toBe(MANAGERS);
  });

  it('from the staff tenant for the registered team: both channels forgotten', async () => {
    await post(url(), make(VENDOR.toUpperCase(), DEFAULT_TEAM_ID));
    expect(await settings().supportChannel()).toBeNull();
    expect(await settings().managersChannel()).toBeNull();
    await register();
  });
});
