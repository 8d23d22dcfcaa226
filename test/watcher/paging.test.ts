// A P1 page always reaches a person, or says loudly that it did not: over real HTTP to the fake connector and
// real Azurite, with a test clock. A primary whose 1:1 chat Teams refuses (never installed: 500 "User not
// found" or 404; bot blocked: 403) or keeps failing (500), and an empty rotation: the thread says who was not
// reached, the chain and the warnings go on at their instants, exactly once, and the managers are alarmed.
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { channelMessage, personalMessage, post } from '../support/activities';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import {
  DEFAULT_TENANT_ID as VENDOR,
  startFakeConnector,
  type ConnectorRecord,
  type FakeConnector,
} from '../support/connector';
import { fileWithThread, startTestApp, type TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const MARY = 'ma770000-0000-4000-8000-000000000003';
const CAROL = 'ca701000-0000-4000-8000-000000000004';
const CHANNEL = '19:supportchannel@thread.tacv2';
const MANAGERS = '19:managers@thread.tacv2';
const et = (local: string): number => Date.parse(`${local}-05:00`);

let azurite: TestAzurite;
let connector: FakeConnector;
const cards: unknown[] = [];
let seq = 5000;

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.stop();
  await azurite.stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const STAFF = {
  CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
  STAFF_TENANT_ID: VENDOR,
  STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer;${CAROL}=Carol Engineer`,
  STAFF_MANAGERS: `${MARY}=Mary Manager`,
  P1_RESPONDERS: CAROL,
  OUTBOX_STUCK_ATTEMPTS: '3',
};
const ROTATION = JSON.stringify({
  start: '2026-11-23',
  handover: '09:00',
  weeks: [{ primary: BOB, secondary: ALICE }],
});

function staffIn(conversation: string, aad: string, name: string) {
  return {
    serviceUrl: connector.serviceUrl,
    tenantId: VENDOR,
    userId: `29:${name}`,
    aadObjectId: aad,
    userName: name,
    channel: { channelId: conversation, channelName: conversation === CHANNEL ? 'Support' : 'Managers' },
  };
}

async function world(
  clock: TestClock,
  env: Record<string, string>,
  channels: readonly ('support' | 'managers')[] = ['support', 'managers'],
): Promise<App> {
  const app = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: { ...STAFF, ...env },
  });
  for (const [where, what, who, name] of [
    ...(channels.includes('support')
      ? [[CHANNEL, 'use this channel for support', ALICE, 'Alice'] as const]
      : []),
    ...(channels.includes('managers')
      ? [[MANAGERS, 'use this channel for managers', MARY, 'Mary'] as const]
      : []),
  ]) {
    const res = await post(
      `${app.url}/api/messages`,
      channelMessage({ ...staffIn(where, who, name), text: what }),
    );
    expect(res.status).toBe(200);
  }
  return app;
}

/** A P1 filed at `at` through the service, with its thread in the support channel. */
async function seed(app: App, clock: TestClock, at: number): Promise<Ticket> {
  clock.now = at;
  return fileWithThread(app, aFiling({ priority: 'P1' }), CHANNEL, String(seq++), connector.serviceUrl);
}

async function step(app: App, clock: TestClock, t: number): Promise<void> {
  clock.now = t;
  await app.watcher.pass();
  await app.background.drain();
}

/** Accepted posts in the ticket's thread, as "summary: text" lines. */
function thread(t: Ticket, since: number): string[] {
  return connector
    .sent()
    .filter((r) => r.seq > since && r.conversationId === t.thread?.conversationId)
    .map((r) => `${String(r.activity?.summary)}: ${cardsOf(r.activity).map(cardText).join(' ')}`);
}

function managersPosts(since: number): ConnectorRecord[] {
  return connector.sent().filter((r) => r.seq > since && r.conversationId?.startsWith(MANAGERS) === true);
}

const chats = (aad: string, since: number): ConnectorRecord[] =>
  connector
    .requests()
    .filter(
      (r) => r.seq > since && r.operation === 'createConversation' && JSON.stringify(r.body).includes(aad),
    );

async function timeline(app: App, id: string): Promise<string[]> {
  const got = await app.tickets.timeline({ kind: 'staff' }, id);
  if (!got.ok) throw got.error;
  return got.value.events
    .filter((e) => e.type.startsWith('page') || e.type === 'paging-alarm')
    .map((e) => `${e.type}: ${e.text ?? ''}`);
}

describe.each([
  {
    refusal: '500 "User not found" (never installed)',
    status: 500,
    code: 'BadArgument',
    message: 'User not found',
    // The Bot Framework SDK tries a 500 three more times by itself within one attempt.
    tries: 4,
  },
  {
    refusal: '404 ConversationNotFound',
    status: 404,
    code: 'ConversationNotFound',
    message: 'Conversation not found.',
    tries: 1,
  },
  {
    refusal: '403 bot blocked',
    status: 403,
    code: 'BotDisabledByAdmin',
    message: 'The bot is blocked by the user.',
    tries: 1,
  },
])('the primary cannot be reached in chat: $refusal', ({ status, code, message, tries }) => {
  const clock: TestClock = { now: et('2026-12-05T02:00:00') };
  let app: App;
  let lift: () => void;
  beforeAll(async () => {
    app = await world(clock, { ONCALL_ROTATION: ROTATION });
    lift = connector.refuse({ only: 'createConversation', member: BOB, status, code, message });
  });
  afterAll(async () => {
    lift();
    await app.stop();
  });

  it('says so in the thread, alarms the managers once, and the chain and warnings go on on time, once each', async () => {
    const since = connector.requests().length;
    const t = await seed(app, clock, et('2026-12-05T02:00:00')); // Saturday: after hours
    await step(app, clock, et('2026-12-05T02:00:00'));
    await step(app, clock, et('2026-12-05T02:00:30'));
    // Tried once, not again: Teams said it will never get through.
    expect(chats(BOB, since)).toHaveLength(tries);
    const posts = thread(t, since);
    expect(posts[0]).toMatch(new RegExp(`^${t.id}: page, primary: `));
    expect(posts[1]).toContain('Could not reach <at>Bob Engineer</at> in chat:');
    expect(posts[1]).toContain('Unless someone acknowledges, the secondary on call is paged at');
    expect(posts[2]).toMatch(
      new RegExp(`^${t.id}: nobody reached: 🚨 ${t.id} · P1: nobody has been reached`),
    );
    expect(posts[2]).toContain('<at>Mary Manager</at>, <at>Carol Engineer</at>');
    expect(posts[2]).toContain('Not reached: Bob Engineer (primary on call)');
    const alarms = managersPosts(since);
    expect(alarms).toHaveLength(1);
    const alarm = cardsOf(alarms[0]?.activity)[0];
    cards.push(alarm, ...cardsOf(connector.sent().find((r) => r.seq > since)?.activity));
    expect(cardText(alarm)).toContain('nobody has been reached');
    expect(JSON.stringify(alarm)).toContain(MARY);

    // The 50 % warning at 03:00 and the secondary's page at 02:15 come at their instants, not later.
    await step(app, clock, et('2026-12-05T02:14:00'));
    expect(thread(t, since).filter((p) => p.includes('page, secondary'))).toEqual([]);
    await step(app, clock, et('2026-12-05T02:15:00'));
    expect(thread(t, since).filter((p) => p.startsWith(`${t.id}: page, secondary`))).toHaveLength(1);
    expect(chats(ALICE, since)).toHaveLength(1);
    await step(app, clock, et('2026-12-05T02:30:00'));
    expect(chats(MARY, since)).toHaveLength(1);
    await step(app, clock, et('2026-12-05T02:59:00'));
    expect(thread(t, since).filter((p) => p.startsWith(`${t.id}: warning`))).toEqual([]);
    await step(app, clock, et('2026-12-05T03:00:00'));
    expect(thread(t, since).filter((p) => p.startsWith(`${t.id}: warning`))).toEqual([
      expect.stringMatching(new RegExp(`^${t.id}: warning response 50: `)),
    ]);
    await step(app, clock, et('2026-12-05T04:00:00'));
    // Breach at 04:00 (after hours: 2 hours), exactly once; nothing posted twice; Bob's chat never tried again.
    const all = thread(t, since);
    expect(all.filter((p) => p.startsWith(`${t.id}: warning response 100`))).toHaveLength(1);
    expect(new Set(all).size).toBe(all.length);
    expect(chats(BOB, since)).toHaveLength(tries);
    expect(managersPosts(since)).toHaveLength(1);
    const lines = await timeline(app, t.id);
    expect(lines.filter((l) => !l.startsWith('paging-alarm'))).toEqual([
      expect.stringMatching(/^page-scheduled: On-call chain started: the primary on call now/),
      "page-sent: Paged Bob Engineer (primary on call) in the ticket's thread; a chat message to them follows.",
      expect.stringMatching(/^page-failed: Could not reach Bob Engineer \(primary on call\) in chat: .+\.$/),
      "page-sent: Paged Alice Engineer (secondary on call) in the ticket's thread; a chat message to them follows.",
      'page-reached: Reached Alice Engineer (secondary on call) in chat.',
      "page-sent: Paged Mary Manager (support manager) in the ticket's thread; a chat message to them follows.",
      'page-reached: Reached Mary Manager (support manager) in chat.',
    ]);
    // The thread's alarm and the managers' channel's are posted side by side (two conversations).
    expect(lines.filter((l) => l.startsWith('paging-alarm')).sort()).toEqual([
      "paging-alarm: Alarm posted in the managers' channel (Managers).",
      expect.stringMatching(
        /^paging-alarm: Nobody reached in chat \(Bob Engineer \(primary on call\): .+\)\. Alarm posted in the thread for Mary Manager, Carol Engineer\.$/,
      ),
    ]);
  });
});

describe('the primary’s chat keeps failing with 500', () => {
  const clock: TestClock = { now: et('2026-12-05T02:00:00') };
  let app: App;
  let lift: () => void;
  beforeAll(async () => {
    app = await world(clock, { ONCALL_ROTATION: ROTATION });
    lift = connector.refuse({
      only: 'createConversation',
      member: BOB,
      status: 500,
      code: 'InternalServerError',
      message: 'Injected 500.',
    });
  });
  afterAll(async () => {
    lift();
    await app.stop();
  });

  it('tells the thread once and retries a few times, then gives up and says so; the chain is never held', async () => {
    const since = connector.requests().length;
    const t = await seed(app, clock, et('2026-12-05T02:00:00'));
    for (let s = 0; s <= 300; s += 30) await step(app, clock, et('2026-12-05T02:00:00') + s * 1000);
    const posts = thread(t, since);
    expect(posts.filter((p) => p.includes('in chat yet: Teams answered 500. Trying again.'))).toHaveLength(1);
    expect(
      posts.filter((p) =>
        p.includes(
          'Could not reach <at>Bob Engineer</at> in chat: Teams kept failing (500) after 3 attempts.',
        ),
      ),
    ).toHaveLength(1);
    expect(chats(BOB, since)).toHaveLength(3 * 4); // 3 attempts, each with the SDK's own 3 quick retries
    await step(app, clock, et('2026-12-05T02:15:00'));
    expect(thread(t, since).filter((p) => p.startsWith(`${t.id}: page, secondary`))).toHaveLength(1);
    expect(await timeline(app, t.id)).toContainEqual(
      'page-failed: Could not reach Bob Engineer (primary on call) in chat: Teams kept failing (500) after 3 attempts.',
    );
  }, 120_000);
});

describe('nobody is on call (no rotation)', () => {
  const clock: TestClock = { now: et('2026-12-05T02:00:00') };
  let app: App;
  beforeAll(async () => {
    app = await world(clock, {});
  });
  afterAll(async () => {
    await app.stop();
  });

  it('raises the alarm at once in the thread and the managers’ channel, and the timeline says who was not paged', async () => {
    const since = connector.requests().length;
    const t = await seed(app, clock, et('2026-12-05T02:00:00'));
    await step(app, clock, et('2026-12-05T02:00:00'));
    const posts = thread(t, since);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('nobody has been reached');
    expect(posts[0]).toContain('Not reached: primary on call: nobody is on call as primary');
    expect(managersPosts(since)).toHaveLength(1);
    await step(app, clock, et('2026-12-05T02:15:00'));
    // The secondary's slot is empty too: recorded, no second alarm.
    expect(managersPosts(since)).toHaveLength(1);
    await step(app, clock, et('2026-12-05T02:30:00'));
    // The support manager is paged (Mary is the first of STAFF_MANAGERS).
    expect(thread(t, since).filter((p) => p.startsWith(`${t.id}: page, manager`))).toHaveLength(1);
    expect(chats(MARY, since)).toHaveLength(1);
    const lines = await timeline(app, t.id);
    expect(lines.filter((l) => !l.startsWith('paging-alarm'))).toEqual([
      expect.stringMatching(/^page-scheduled: /),
      'page-failed: Nobody paged as primary on call: nobody is on call as primary (no rotation or override covers now). Unless someone acknowledges, the secondary on call is paged at Sat 5 Dec 2026 02:15 ET.',
      'page-failed: Nobody paged as secondary on call: nobody is on call as secondary (no rotation or override covers now). Unless someone acknowledges, the support manager is paged at Sat 5 Dec 2026 02:30 ET.',
      "page-sent: Paged Mary Manager (support manager) in the ticket's thread; a chat message to them follows.",
      'page-reached: Reached Mary Manager (support manager) in chat.',
    ]);
    expect(lines.filter((l) => l.startsWith('paging-alarm')).sort()).toEqual([
      "paging-alarm: Alarm posted in the managers' channel (Managers).",
      'paging-alarm: Nobody reached in chat (primary on call: nobody is on call as primary (no rotation or override covers now)). Alarm posted in the thread for Mary Manager, Carol Engineer.',
    ]);
  });
});

describe('nobody in the whole chain can be reached, and no managers channel', () => {
  const clock: TestClock = { now: et('2026-12-05T02:00:00') };
  let app: App;
  const lifts: (() => void)[] = [];
  beforeAll(async () => {
    app = await world(clock, { ONCALL_ROTATION: ROTATION }, ['support']);
    for (const member of [BOB, ALICE, MARY])
      lifts.push(
        connector.refuse({
          only: 'createConversation',
          member,
          status: 403,
          code: 'BotDisabledByAdmin',
          message: 'The bot is blocked by the user.',
        }),
      );
  });
  afterAll(async () => {
    for (const lift of lifts) lift();
    await app.stop();
  });

  it('alarms when the primary is not reached and again when the last step is not, in the support channel', async () => {
    const since = connector.requests().length;
    const t = await seed(app, clock, et('2026-12-05T02:00:00'));
    await step(app, clock, et('2026-12-05T02:00:00'));
    await step(app, clock, et('2026-12-05T02:15:00'));
    await step(app, clock, et('2026-12-05T02:30:00'));
    const alarms = thread(t, since).filter((p) => p.startsWith(`${t.id}: nobody reached`));
    expect(alarms).toHaveLength(2);
    expect(alarms[0]).toContain(`🚨 ${t.id} · P1: nobody has been reached`);
    expect(alarms[1]).toContain(`🚨 ${t.id} · P1: nobody in the on-call chain has been reached`);
    for (const who of [
      'Bob Engineer (primary on call)',
      'Alice Engineer (secondary on call)',
      'Mary Manager (support manager)',
    ])
      expect(alarms[1]).toContain(`Not reached: ${who}: SLA Desk is blocked or turned off for them`);
    // No managers' channel: the alarms are posts of their own in the support channel, and say so.
    const own = connector
      .sent()
      .filter(
        (r) =>
          r.seq > since &&
          r.conversationId === CHANNEL &&
          r.activity?.summary === `${t.id}: nobody reached (managers)`,
      );
    expect(own).toHaveLength(2);
    expect(cardText(cardsOf(own[0]?.activity)[0])).toContain(
      `${t.id}'s thread, with its card and buttons, is in this channel.`,
    );
    const lines = await timeline(app, t.id);
    expect(lines.filter((l) => l.includes('no managers')).sort()).toEqual([
      "paging-alarm: Alarm posted on its own in the support channel (no managers' channel is set).",
      "paging-alarm: Alarm posted on its own in the support channel (no managers' channel is set).",
    ]);
    // The customer who was told "being paged" now reads that nobody has been reached, with the phone.
    connector.clear();
    const status = await post(
      `${app.url}/api/messages`,
      personalMessage({
        serviceUrl: connector.serviceUrl,
        tenantId: CONTOSO,
        userId: '29:ann',
        aadObjectId: 'aad-ann',
        userName: 'Ann Customer',
        text: `status ${t.id}`,
      }),
    );
    expect(status.status).toBe(200);
    const answer = await connector.waitFor((r) => r.activity?.attachments !== undefined);
    expect(cardText(cardsOf(answer.activity)[0])).toContain(
      'We have not reached an on-call engineer yet. For the fastest help call +1 413-331-6100 option 2.',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^paging-alarm: Nobody reached in chat by the whole on-call chain \(Bob Engineer .+; Alice Engineer .+; Mary Manager .+\)\. Alarm posted in the thread for Mary Manager, Carol Engineer\.$/,
      ),
    );
  });
});

describe('no support channel at all', () => {
  const clock: TestClock = { now: et('2026-12-05T02:00:00') };
  let app: App;
  beforeAll(async () => {
    app = await world(clock, { ONCALL_ROTATION: ROTATION }, []);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('says once on the timeline that nothing can be posted, and what to do', async () => {
    clock.now = et('2026-12-05T02:00:00');
    const filed = await app.tickets.file(aFiling({ priority: 'P1' }));
    if (!filed.ok) throw filed.error;
    for (const at of ['02:00:00', '02:01:00', '02:05:00', '02:20:00'])
      await step(app, clock, et(`2026-12-05T${at}`));
    const got = await app.tickets.timeline({ kind: 'staff' }, filed.value.ticket.id);
    if (!got.ok) throw got.error;
    expect(got.value.events.filter((e) => e.type === 'channel-missing').map((e) => e.text)).toEqual([
      "Nothing about this ticket (pages, warnings, its thread) can be posted: no support channel is set. A staff member says '@SLA Desk use this channel for support' in the channel that should get tickets; what waits is posted then.",
    ]);
  });
});
