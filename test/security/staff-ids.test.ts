// Customers never see staff members' Entra object ids: a customer files a ticket, an engineer takes it,
// replies and asks from the support channel, a manager raises its priority and replies from the tab; then
// everything the customer can receive (the tab API's queue, ticket and timeline, the bot's cards and answers,
// every message sent to their chat) carries the staff's names, never their object ids. Staff views keep them.
import type { App } from '../../src/app';
import type { TicketDetail } from '../../src/adapters/api/contract';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { actionExecute, channelMessage, personalMessage, post, type JsonObject } from '../support/activities';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import { cardText } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import type { FakeEntra } from '../support/entra';
import { CONTOSO, ENGINEER, MANAGER, ssoClaims, STAFF_TENANT } from '../support/tab';

const CHANNEL = '19:supportchannel@thread.tacv2';
const ANN = 'cccccccc-0000-4000-8000-000000000001';
const STAFF_IDS = [ENGINEER, MANAGER];
let entra: FakeEntra;
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-25 08:00') };

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
  connector = await startFakeConnector({ tenantId: STAFF_TENANT });
});
afterAll(async () => {
  await stop();
  await connector.stop();
});

const url = () => `${app.url}/api/messages`;
const staff = (aad: string, name: string, threadId?: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: STAFF_TENANT,
  userId: `29:${name}`,
  aadObjectId: aad,
  userName: name,
  channel: { channelId: CHANNEL, channelName: 'Support', ...(threadId === undefined ? {} : { threadId }) },
});
const ann = () => ({
  serviceUrl: connector.serviceUrl,
  tenantId: CONTOSO,
  userId: '29:ann',
  aadObjectId: ANN,
  userName: 'Ann Customer',
});
const token = (tenant: string, oid: string) => entra.mintToken(ssoClaims(tenant, oid));

async function invoke(verb: string, data: JsonObject, who: object, replyToId = 'card'): Promise<unknown> {
  const res = await post(url(), actionExecute(verb, { verb, ...data }, { ...ann(), ...who, replyToId }));
  expect(res.status).toBe(200);
  return res.body;
}

async function api(method: 'GET' | 'POST', path: string, bearer: string, body?: unknown) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { text, body: (json ? JSON.parse(text) : text) as unknown };
}

async function stored(id: string): Promise<Ticket> {
  const r = await app.tickets.get({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value;
}

/** The staff object ids found in `text`, case-insensitively. */
const staffIdsIn = (text: string): string[] =>
  STAFF_IDS.filter((id) => text.toLowerCase().includes(id.toLowerCase()));

it('no staff object id reaches the customer anywhere; staff views keep them', async () => {
  await post(url(), channelMessage({ ...staff(ENGINEER, 'Eddie'), text: 'use this channel for support' }));
  // The customer files from the bot.
  const filed = await invoke(
    'ticket.submit',
    {
      requestId: '5a1d0000-0000-4000-8000-000000000001',
      title: 'Calls drop after 30 s',
      description: 'Every call drops.',
      category: 'outage',
      priority: 'P3',
    },
    {},
  );
  const id = /TM-\d+/.exec(cardText((filed as { value?: unknown }).value))?.[0] ?? '';
  expect(id).not.toBe('');
  await app.background.drain();
  const root = (await stored(id)).thread?.activityId ?? '';
  expect(root).not.toBe('');
  // The engineer works it from the support channel: take, reply, ask.
  const eddie = staff(ENGINEER, 'Eddie', root);
  for (const [verb, data] of [
    ['staff.take', {}],
    ['staff.reply', { message: 'Looking at it now.' }],
    ['staff.ask', { message: 'Which region are you in?' }],
  ] as const) {
    clock.now += 60_000;
    await invoke(verb, { ticketId: id, ...data }, eddie, 'root');
    await app.background.drain();
  }
  // The customer answers; the manager raises the priority, assigns it to herself and replies from the tab.
  clock.now += 60_000;
  await invoke(
    'ticket.answer',
    { ticketId: id, message: 'East US.', version: (await stored(id)).version },
    {},
  );
  const maria = token(STAFF_TENANT, MANAGER);
  for (const body of [
    { action: 'priority', to: 'P2', reason: 'More users affected' },
    { action: 'assign', to: MANAGER },
    { action: 'reply', text: 'A fix is on its way.' },
  ]) {
    clock.now += 60_000;
    await api('POST', `/api/tickets/${id}/actions`, maria, { requestId: `r-${clock.now}`, ...body });
    await app.background.drain();
  }
  // Staff keep the ids.
  const staffView = (await api('GET', `/api/tickets/${id}`, maria)).body as TicketDetail;
  expect(staffView.ticket.owner?.id).toBe(MANAGER);

  // Everything the customer can receive.
  const contoso = token(CONTOSO, ANN);
  const seen: [string, string][] = [];
  for (const path of [
    '/api/queue',
    '/api/queue?state=all',
    `/api/queue?text=${id}`,
    `/api/tickets/${id}`,
    '/api/me',
    '/api/status',
    '/api/availability',
    '/api/reports/sla?month=2026-11',
    '/api/reports/sla?month=2026-11&format=html',
    '/api/reports/sla?month=2026-11&format=csv',
  ]) {
    seen.push([`GET ${path}`, (await api('GET', path, contoso)).text]);
  }
  const detail = (await api('GET', `/api/tickets/${id}`, contoso)).body as TicketDetail;
  expect(detail.ticket.owner).toEqual({ id: `${id}:owner`, name: 'Maria Manager' });
  expect(detail.timeline.length).toBeGreaterThan(3);
  for (const [verb, data] of [
    ['ticket.show', { ticketId: id }],
    ['ticket.refresh', { ticketId: id }],
    ['tickets.mine', {}],
    ['help', {}],
  ] as const)
    seen.push([`invoke ${verb}`, JSON.stringify(await invoke(verb, data, {}))]);
  for (const text of ['my tickets', `status ${id}`, 'help']) {
    const res = await post(url(), personalMessage({ ...ann(), text }));
    seen.push([`message "${text}"`, JSON.stringify(res.body ?? null)]);
  }
  await app.background.drain();
  const toCustomer = connector.sent().filter((r) => r.conversationId?.startsWith(CHANNEL) !== true);
  expect(toCustomer.length).toBeGreaterThan(4);
  for (const r of toCustomer) seen.push([`sent to ${r.conversationId ?? '?'}`, JSON.stringify(r.body)]);
  const leaks = seen
    .map(([where, text]) => [where, staffIdsIn(text)] as const)
    .filter(([, ids]) => ids.length > 0)
    .map(([where, ids]) => `${where}: ${ids.join(', ')}`);
  expect(leaks).toEqual([]);
});
