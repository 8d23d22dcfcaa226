// Staff by Entra group, end to end over real HTTP with authentication on: a member of the engineer group (not in
// STAFF_ENGINEERS) works a ticket; a user of the staff tenant in no staff group, and a customer, are refused and
// recorded. Entra, Microsoft Graph and the Bot Connector are loopback stand-ins.
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, channelMessage, post, type JsonObject } from '../support/activities';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardProblems, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';
import { botAuthOptions } from '../support/authed';
import { botFrameworkClaims, startFakeEntra, type FakeEntra } from '../support/entra';
import { startFakeGraph, type FakeGraph } from '../support/graph';
import { startTestApp, type TestClock } from '../support/app';
import { createLogger } from '../../src/log';

const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const PASSWORD = 'not-a-real-secret';
const ENGINEERS = 'e0000000-0000-4000-8000-00000000e001';
const MANAGERS = 'e0000000-0000-4000-8000-00000000e002';
const ERIN = 'a0000000-0000-4000-8000-000000000001'; // in the engineer group only
const MIKE = 'a0000000-0000-4000-8000-000000000002'; // in the manager group only
const MAX = 'a0000000-0000-4000-8000-000000000003'; // in the manager group only
const NINA = 'a0000000-0000-4000-8000-000000000004'; // of the vendor's tenant, in no staff group
const CHANNEL = '19:supportchannel@thread.tacv2';
let azurite: TestAzurite;
let connector: FakeConnector;
let entra: FakeEntra;
let graph: FakeGraph;
let app: App;
const clock: TestClock = { now: Date.parse('2026-11-24T09:00:00-05:00') }; // Tuesday, support hours
const cards: unknown[] = [];

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
  entra = await startFakeEntra();
  entra.registerApp(APP_ID, PASSWORD);
  graph = await startFakeGraph({ entra, tenantId: VENDOR });
  graph.setMembers(ENGINEERS, [ERIN]);
  graph.setMembers(MANAGERS, [MIKE, MAX]);
  graph.addUsers([NINA]);
  graph.nameUsers({ [ERIN]: 'Erin Engineer', [MIKE]: 'Mike Manager', [MAX]: 'Max Manager' });
  app = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: {
      BOT_ID: APP_ID,
      BOT_PASSWORD: PASSWORD,
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEER_GROUP: ENGINEERS,
      STAFF_MANAGER_GROUP: MANAGERS,
      GRAPH_ENDPOINT: graph.url,
      LOGIN_ENDPOINT: entra.url,
    },
    botAuth: botAuthOptions(entra, { appId: APP_ID, password: PASSWORD }),
  });
});
afterAll(async () => {
  await app.stop();
  await graph.stop();
  await entra.stop();
  await connector.stop();
  await azurite.stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const url = () => `${app.url}/api/messages`;
const token = () => entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl));
const customer = () => ({
  serviceUrl: connector.serviceUrl,
  tenantId: CONTOSO,
  userId: '29:ann',
  aadObjectId: ERIN, // the same object id as a staff member, from another tenant: it must not matter
  userName: 'Ann Customer',
});
const vendorUser = (aad: string, name: string, threadId?: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  userId: `29:${name}`,
  aadObjectId: aad,
  userName: name,
  channel: { channelId: CHANNEL, channelName: 'Support', ...(threadId === undefined ? {} : { threadId }) },
});

async function invoke(
  verb: string,
  data: JsonObject,
  who: ReturnType<typeof customer> | ReturnType<typeof vendorUser>,
): Promise<{ card?: Record<string, unknown>; message?: string }> {
  const res = await post(
    url(),
    actionExecute(verb, { verb, ...data }, { ...who, replyToId: 'root' }),
    token(),
  );
  expect(res.status).toBe(200);
  const body = res.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') {
    cards.push(body.value);
    return { card: body.value as Record<string, unknown> };
  }
  return { message: String(body.value) };
}

/** Membership checks made (the app also lists the groups' members for Reassign, with GET). */
const checks = () => graph.requests().filter((r) => r.method === 'POST');

async function ticket(id: string): Promise<Ticket> {
  const r = await app.tickets.get({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value;
}

let id = '';
let rootId = '';

it('a member of the staff manager group makes the channel the support channel', async () => {
  const res = await post(
    url(),
    channelMessage({ ...vendorUser(MIKE, 'Mike Manager'), text: 'use this channel for support' }),
    token(),
  );
  expect(res.status).toBe(200);
  const reply = await connector.waitFor((r) => r.activity?.text !== undefined);
  expect(reply.activity?.text).toContain('This channel is now the support channel');
  expect((await app.deps.settings.supportChannel())?.setBy).toBe('Mike Manager');
});

it('a member of the staff engineer group, not listed in STAFF_ENGINEERS, takes and works a ticket', async () => {
  const filed = await invoke(
    'ticket.submit',
    {
      requestId: '7d6c1a2b-0000-4000-8000-0000000000a1',
      title: 'Cannot add a user',
      description: 'The portal refuses new users.',
      category: 'provisioning',
      priority: 'P3',
    },
    customer(),
  );
  id = /TM-\d+/.exec(cardText(filed.card))?.[0] ?? '';
  expect(id).not.toBe('');
  await app.background.drain();
  rootId = connector.sent().find((r) => r.conversationId === CHANNEL)?.id ?? '';
  expect(rootId).not.toBe('');
  graph.clear();

  clock.now = Date.parse('2026-11-24T09:10:00-05:00');
  const taken = await invoke('staff.take', { ticketId: id }, vendorUser(ERIN, 'Erin Engineer', rootId));
  expect(cardText(taken.card)).toContain('Owner: Erin Engineer');
  const reply = await invoke(
    'staff.reply',
    { ticketId: id, message: 'Looking at it now.' },
    vendorUser(ERIN, 'Erin Engineer', rootId),
  );
  expect(cardText(reply.card)).toContain('**Response** · Met');
  const t = await ticket(id);
  expect(t.owner).toMatchObject({ id: ERIN, name: 'Erin Engineer' });
  const timeline = await app.tickets.timeline({ kind: 'staff' }, id);
  if (!timeline.ok) throw timeline.error;
  expect(
    timeline.value.events.filter((e) => e.actor.name === 'Erin Engineer').map((e) => e.actor.role),
  ).toEqual(['engineer', 'engineer']);
  // Two presses, one membership check: the answer is remembered.
  expect(checks().map((r) => [r.objectId, r.status])).toEqual([[ERIN, 200]]);
  await app.background.drain();
});

it('Reassign offers the groups’ members by name, and the ticket can be given to one of them', async () => {
  await app.deps.staff.refreshRoster();
  const card = await invoke('staff.refresh', { ticketId: id }, vendorUser(ERIN, 'Erin Engineer', rootId));
  const json = JSON.stringify(card.card);
  for (const [who, name] of [
    [ERIN, 'Erin Engineer'],
    [MIKE, 'Mike Manager'],
    [MAX, 'Max Manager'],
  ] as const) {
    expect(json).toContain(`{"title":"${name}","value":"${who}"}`);
  }
  expect(json).not.toContain(NINA);
  const given = await invoke(
    'staff.assign',
    { ticketId: id, owner: MIKE },
    vendorUser(ERIN, 'Erin Engineer', rootId),
  );
  expect(cardText(given.card)).toContain('Owner: Mike Manager');
  const stranger = await invoke(
    'staff.assign',
    { ticketId: id, owner: NINA },
    vendorUser(ERIN, 'Erin Engineer', rootId),
  );
  expect(stranger.message).toBe('Pick an engineer from the list.');
  expect((await ticket(id)).owner).toMatchObject({ id: MIKE, name: 'Mike Manager' });
  await app.background.drain();
});

it('a user of the staff tenant in no staff group, and a customer, are refused and recorded; nothing changes', async () => {
  const before = (await ticket(id)).version;
  graph.clear();
  const fromVendor = await invoke(
    'staff.note',
    { ticketId: id, message: 'x' },
    vendorUser(NINA, 'Nina Sales', rootId),
  );
  expect(fromVendor.message).toBe('Only support staff can do that.');
  const fromCustomer = await invoke('staff.resolve', { ticketId: id }, customer());
  expect(fromCustomer.message).toBe('Only support staff can do that.');
  expect((await ticket(id)).version).toBe(before);
  // Graph was asked about the vendor's user only; the customer's caller never reaches it.
  expect(checks().map((r) => r.objectId)).toEqual([NINA]);
  const audit = await app.deps.audit.day(new Date(clock.now).toISOString().slice(0, 10));
  expect(
    audit
      .filter((a) => a.outcome === 'refused' && a.target === id)
      .map((a) => `${a.action} ${a.tenantId ?? ''} ${a.userId ?? ''}`)
      .sort(),
  ).toEqual([`staff.note ${VENDOR} ${NINA}`, `staff.resolve ${CONTOSO} ${ERIN}`]);
});

it('when Graph is down, a group member is refused for that press only, and let in on the next', async () => {
  graph.failNext(503);
  // Max has not pressed anything yet, so nothing about him is remembered.
  const down = await invoke(
    'staff.note',
    { ticketId: id, message: 'Graph is down' },
    vendorUser(MAX, 'Max Manager', rootId),
  );
  expect(down.message).toBe('Only support staff can do that.');
  const up = await invoke(
    'staff.note',
    { ticketId: id, message: 'Graph is back' },
    vendorUser(MAX, 'Max Manager', rootId),
  );
  expect(cardText(up.card)).toContain('Graph is back');
});

it('in local mode the groups are ignored with one warning, and a group member is not staff', async () => {
  const lines: string[] = [];
  const local = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: { STAFF_TENANT_ID: VENDOR, STAFF_ENGINEER_GROUP: ENGINEERS, GRAPH_ENDPOINT: graph.url },
    log: createLogger({ json: false, level: 'warn', sink: (line) => lines.push(line) }),
  });
  try {
    expect(
      lines.filter((l) => l.includes('STAFF_ENGINEER_GROUP/STAFF_MANAGER_GROUP are ignored')),
    ).toHaveLength(1);
    graph.clear();
    const res = await post(
      `${local.url}/api/messages`,
      actionExecute(
        'staff.take',
        { verb: 'staff.take', ticketId: 'TM-1' },
        vendorUser(ERIN, 'Erin Engineer'),
      ),
    );
    expect((res.body as { value?: unknown }).value).toBe('Only support staff can do that.');
    expect(graph.requests()).toEqual([]);
  } finally {
    await local.stop();
  }
});
