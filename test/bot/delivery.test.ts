// The timeline and the staff card tell the truth about delivery to the customer's chat, over real HTTP with
// the fake connector and Azurite: a reply Teams keeps failing shows "not delivered yet (retrying)" until it
// arrives; a chat Teams refuses for good is marked and not tried again until the customer writes; a stuck or
// failed message is announced once in the managers' channel.
import type { App } from '../../src/app';
import type { Ticket, TicketEvent } from '../../src/domain/tickets/model';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, personalMessage, post, type JsonObject } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, type ConnectorRecord, type FakeConnector } from '../support/connector';
import { supportChannel, type TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const CHANNEL = '19:supportchannel@thread.tacv2';
const MANAGERS = '19:managers@thread.tacv2';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-24T10:00:00-05:00') }; // Tuesday, in support hours
const cards: unknown[] = [];

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer`,
      DELIVERY_ALERT_MINUTES: '5',
    },
    // Retries a few times a second and gives up after 20 s, so failures play out quickly.
    patience: { baseMs: 50, capMs: 200, maxMs: 20_000 },
  }));
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
  await app.deps.settings.setManagersChannel(supportChannel(MANAGERS, connector.serviceUrl, clock.now));
});
afterAll(async () => {
  await stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const url = () => `${app.url}/api/messages`;
const customer = (user: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: CONTOSO,
  userId: `29:${user}`,
  userName: `${user} Customer`,
  timezone: 'America/Chicago',
});
const alice = (threadId: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  userId: '29:alice',
  aadObjectId: ALICE,
  userName: 'Alice',
  channel: { channelId: CHANNEL, channelName: 'Support', threadId },
});

async function invoke(
  verb: string,
  data: JsonObject,
  who: ReturnType<typeof customer> | ReturnType<typeof alice>,
): Promise<string> {
  const res = await post(url(), actionExecute(verb, { verb, ...data }, { ...who, replyToId: 'root' }));
  expect(res.status).toBe(200);
  const body = res.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') {
    cards.push(body.value);
    return cardText(body.value);
  }
  return String(body.value);
}

async function ticket(id: string): Promise<Ticket> {
  const r = await app.tickets.get({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value;
}

async function timeline(id: string): Promise<readonly TicketEvent[]> {
  const r = await app.tickets.timeline({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value.events;
}

/** The root card of a ticket's thread as Teams shows it now. */
function rootText(t: Ticket): string {
  const card = cardsOf(connector.current(t.thread?.activityId ?? ''))[0];
  cards.push(card);
  return cardText(card);
}

/** Files a ticket as `user` (with a callback number) and waits for its thread; the ticket and its chat id. */
async function file(user: string, title: string): Promise<{ t: Ticket; chat: string }> {
  const text = await invoke(
    'ticket.submit',
    {
      requestId: `7d6c1a2b-0000-4000-8000-${String(Date.now()).slice(-12)}`,
      title,
      description: 'Calls drop after a minute.',
      category: 'outage',
      priority: 'P1',
      callbackNumber: '+1 555 0100',
    },
    customer(user),
  );
  const id = /TM-\d+/.exec(text)?.[0] ?? '';
  await app.background.drain();
  const t = await ticket(id);
  expect(t.thread).toBeDefined();
  expect(t.customerChat).toBeDefined();
  return { t, chat: t.customerChat?.conversationId ?? '' };
}

async function reply(t: Ticket, message: string): Promise<void> {
  await invoke('staff.reply', { ticketId: t.id, message }, alice(t.thread?.activityId ?? ''));
}

/** Updates of the ticket's root card whose text has `text`. */
const rootUpdate =
  (t: Ticket, text: string) =>
  (r: ConnectorRecord): boolean =>
    r.operation === 'updateActivity' &&
    r.activityId === t.thread?.activityId &&
    cardText(cardsOf(r.activity)[0]).includes(text);

/** Posts in the managers' channel about this ticket that say `text`. */
function announcements(t: Ticket, text: string): string[] {
  return connector
    .sent()
    .filter((r) => r.conversationId === MANAGERS)
    .map((r) => cardText(cardsOf(r.activity)[0]))
    .filter((s) => s.includes(t.id) && s.includes(text));
}

describe('a reply that Teams fails to deliver for a while', () => {
  it('shows "not delivered yet (retrying)" on the root card, then goes once delivered; the timeline keeps both', async () => {
    const { t, chat } = await file('ann', 'Calls drop');
    connector.clear();
    connector.failNext(6, { status: 503, retryAfterSeconds: 0, only: 'replyToActivity' });
    await reply(t, 'We are on it.');
    await connector.waitFor(rootUpdate(t, 'not delivered yet (retrying) — Teams answered 503'), 20_000);
    await app.background.drain();

    const after = await ticket(t.id);
    expect(after.undelivered ?? []).toEqual([]);
    expect(rootText(after)).not.toContain('not delivered');
    const arrived = connector.sent().filter((r) => r.conversationId === chat);
    expect(arrived).toHaveLength(1);
    expect(cardText(cardsOf(arrived[0]?.activity)[0])).toContain('We are on it.');
    const texts = (await timeline(t.id)).map((e) => `${e.type}: ${e.text ?? ''}`);
    expect(texts).toContain(
      'delivery-failed: The reply has not reached the customer yet (retrying): Teams answered 503',
    );
    expect(texts).toContain('delivery-recovered: The reply reached the customer.');
    // Not stuck past the 5 minutes: the managers' channel heard nothing.
    expect(announcements(t, '')).toEqual([]);
  }, 60_000);
});

describe.each([
  {
    teams: '403 (bot blocked)',
    user: 'ben',
    status: 403,
    code: 'Forbidden',
    message: 'The bot is blocked by the user.',
    reason: 'SLA Desk is blocked or turned off for them',
  },
  {
    teams: '404 ConversationNotFound',
    user: 'cleo',
    status: 404,
    code: 'ConversationNotFound',
    message: 'Conversation not found.',
    reason: 'the chat no longer exists (SLA Desk was removed or the chat deleted)',
  },
])('a reply to a chat Teams answers $teams', ({ user, status, code, message, reason }) => {
  let t: Ticket;
  let chat = '';
  let allow: () => void = () => undefined;

  it('is shown as not delivered with what to do, and the chat is marked unreachable', async () => {
    ({ t, chat } = await file(user, `Chat refused ${status}`));
    allow = connector.refuse({ conversationId: chat, status, code, message });
    connector.clear();
    await reply(t, 'First answer.');
    await app.background.drain();

    const after = await ticket(t.id);
    expect(after.chatUnreachable?.reason).toBe(reason);
    expect(after.undelivered).toEqual([expect.objectContaining({ state: 'failed', reason })]);
    expect(rootText(after)).toContain(
      `could not be delivered: ${reason}. Call the customer at +1 555 0100 or email them.`,
    );
    // A lasting refusal is not retried: one attempt (the SDK does not retry 4xx).
    expect(connector.requests().filter((r) => r.conversationId === chat)).toHaveLength(1);
    expect(announcements(t, 'could not be delivered to the customer')).toHaveLength(1);
  }, 60_000);

  it('a second reply is not sent to Teams at all, and is recorded as not delivered', async () => {
    connector.clear();
    await reply(t, 'Second answer.');
    await app.background.drain();

    expect(connector.requests().filter((r) => r.conversationId === chat)).toEqual([]);
    const after = await ticket(t.id);
    expect(after.undelivered?.map((i) => i.state)).toEqual(['failed', 'failed']);
    expect(after.undelivered?.[1]?.reason).toBe(`not sent, because an earlier message found that ${reason}`);
    expect(rootText(after)).toContain('Messages for the customer are not sent until they write again');
    const failed = (await timeline(t.id)).filter((e) => e.type === 'delivery-failed');
    expect(failed.map((e) => e.text)).toContain(
      `The reply could not be delivered to the customer: ${after.undelivered?.[1]?.reason ?? ''}`,
    );
  }, 60_000);

  it('the customer writing again clears the mark, and the next reply reaches them', async () => {
    allow();
    const res = await post(
      url(),
      personalMessage({ ...customer(user), text: `${t.id}: I added the app back.` }),
    );
    expect(res.status).toBe(200);
    await app.background.drain();
    expect((await ticket(t.id)).chatUnreachable).toBeUndefined();

    connector.clear();
    await reply(t, 'Third answer.');
    await app.background.drain();
    const arrived = connector.sent().filter((r) => r.conversationId === chat);
    expect(arrived.map((r) => cardText(cardsOf(r.activity)[0])).join('\n')).toContain('Third answer.');
    expect(rootText(await ticket(t.id))).not.toContain('Messages for the customer are not sent');
  }, 60_000);
});

describe('a delivery stuck past DELIVERY_ALERT_MINUTES', () => {
  it('is announced exactly once in the managers channel, with what to do', async () => {
    const { t, chat } = await file('dan', 'Stuck reply');
    connector.clear();
    const recover = connector.refuse({
      conversationId: chat,
      status: 503,
      code: 'ServiceUnavailable',
      message: 'Teams is busy.',
    });
    await reply(t, 'Still looking.');
    await connector.waitFor(rootUpdate(t, 'not delivered yet (retrying)'), 20_000);
    // Six minutes later on the app's clock, retries still failing.
    clock.now += 6 * 60_000;
    await connector.waitFor(
      (r) => r.conversationId === MANAGERS && cardText(cardsOf(r.activity)[0]).includes(t.id),
      20_000,
    );
    // Retries go on failing after the announcement, then Teams recovers.
    const seen = connector.requests().length;
    await connector.waitFor((r) => r.seq > seen && r.conversationId === chat && r.status === 503, 20_000);
    await connector.waitFor((r) => r.seq > seen + 1 && r.conversationId === chat && r.status === 503, 20_000);
    recover();
    await app.background.drain();

    const posts = announcements(t, 'has not reached the customer');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(
      `${t.id} (Contoso, P1): Alice Engineer's reply of Tue 24 Nov 2026 10:00 ET has not reached the customer for 6 min (Teams answered 503; still retrying).`,
    );
    expect(posts[0]).toContain("Call the customer at +1 555 0100 or check Teams' service health.");
    expect(announcements(t, '')).toHaveLength(1);
    const after = await ticket(t.id);
    expect(after.undelivered ?? []).toEqual([]);
    const events = await timeline(t.id);
    const seq = events.find((e) => e.type === 'engineer-reply')?.seq ?? 0;
    expect(after.notified).toContain(`delivery:${seq}:stuck`);
    expect(events.map((e) => e.text)).toContain('The reply reached the customer.');
    expect(
      events.filter((e) => e.text?.endsWith("Posting this in the managers' channel.") === true),
    ).toHaveLength(1);
  }, 60_000);
});
