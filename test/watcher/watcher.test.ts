// The deadline watcher in one app instance, over real HTTP to the fake connector and real Azurite, with a
// test clock: warnings at the right instants per priority and window, nights and weekends, pauses, priority
// changes, met targets; the P1 paging chain and Acknowledge; on-call overrides; 429/503 from Teams.
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice, ann, CONTOSO } from '../fixtures/filing';
import { actionExecute, channelMessage, post } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';
import { fileWithThread, type TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const MARY = 'ma770000-0000-4000-8000-000000000003';
const CAROL = 'ca701000-0000-4000-8000-000000000004';
const CHANNEL = '19:supportchannel@thread.tacv2';
const et = (local: string): number => Date.parse(`${local}-05:00`);
const MIN = 60_000;

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-23T08:00:00') };
const cards: unknown[] = [];
let seq = 1000;

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer;${CAROL}=Carol Engineer`,
      STAFF_MANAGERS: `${MARY}=Mary Manager`,
      P1_RESPONDERS: `${ALICE};${CAROL}`,
      OUTBOX_STUCK_ATTEMPTS: '2',
      ONCALL_ROTATION: JSON.stringify({
        start: '2026-11-23',
        handover: '09:00',
        weeks: [{ primary: BOB, secondary: ALICE }],
      }),
    },
  }));
  await post(
    `${app.url}/api/messages`,
    channelMessage({ ...engineer(ALICE, 'Alice'), text: 'use this channel for support' }),
  );
});
afterAll(async () => {
  await stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

function engineer(aad: string, name: string, threadId?: string) {
  return {
    serviceUrl: connector.serviceUrl,
    tenantId: VENDOR,
    userId: `29:${name}`,
    aadObjectId: aad,
    userName: name,
    channel: { channelId: CHANNEL, channelName: 'Support', ...(threadId === undefined ? {} : { threadId }) },
  };
}

/** Files a ticket at `at` straight through the service and gives it a thread in the channel. */
async function seed(priority: 'P1' | 'P2' | 'P3', at: number): Promise<Ticket> {
  clock.now = at;
  return fileWithThread(app, aFiling({ priority }), CHANNEL, String(seq++), connector.serviceUrl);
}

async function step(t: number): Promise<void> {
  clock.now = t;
  await app.watcher.pass();
  await app.background.drain();
}

/** Summaries of the posts in the support channel's threads that start with `prefix`. */
function summaries(prefix: string): string[] {
  return connector
    .sent()
    .filter((r) => r.conversationId?.startsWith(CHANNEL) === true)
    .map((r) => r.activity?.summary)
    .filter((s): s is string => typeof s === 'string' && s.startsWith(prefix))
    .map((s) => s.slice(prefix.length));
}
const warnings = (id: string): string[] => summaries(`${id}: warning `);

/** Each warning appears at its instant and not a minute before. */
async function expectWarnings(id: string, expected: readonly [string, string][]): Promise<void> {
  for (const [local, label] of expected) {
    const before = warnings(id).length;
    await step(et(local) - MIN);
    expect(warnings(id).slice(before)).toEqual([]);
    await step(et(local));
    expect(warnings(id).slice(before)).toEqual([label]);
  }
}

describe('warnings come at the right instants', () => {
  it('P1 in support hours: 50/75/90 % and breach at 10:30, 10:45, 10:54 and 11:00, @mentioning the on-call engineer', async () => {
    const t = await seed('P1', et('2026-11-25T10:00:00'));
    await expectWarnings(t.id, [
      ['2026-11-25T10:30:00', 'response 50'],
      ['2026-11-25T10:45:00', 'response 75'],
      ['2026-11-25T10:54:00', 'response 90'],
      ['2026-11-25T11:00:00', 'response 100'],
    ]);
    const posts = connector
      .sent()
      .filter((r) => r.activity?.summary?.startsWith(`${t.id}: warning`) === true);
    const card = cardsOf(posts[1]?.activity)[0];
    cards.push(card);
    const text = cardText(card);
    expect(text).toContain(`${t.id} · 75 % of the response time used`);
    expect(text).toContain('<at>Bob Engineer</at> (on call)');
    expect(text).toContain('15 min left');
    expect(JSON.stringify(card)).toContain(`"mentioned":{"id":"${BOB}","name":"Bob Engineer"}`);
    expect(JSON.stringify(card)).toContain('"verb":"staff.reply"');
    expect(posts.every((p) => p.conversationId === t.thread?.conversationId)).toBe(true);
    // The root card turned breached.
    const root = connector.current(t.thread?.activityId ?? '');
    expect(cardText(cardsOf(root)[0])).toContain('Overdue');
    // Announced at filing, inside support hours, to the P1 responders.
    const announced = connector.sent().find((r) => r.activity?.summary === `${t.id}: P1 announced`);
    const a = cardsOf(announced?.activity)[0];
    cards.push(a);
    expect(cardText(a)).toContain('<at>Alice Engineer</at>, <at>Carol Engineer</at>');
    // Nothing twice: another pass at the same instant sends nothing.
    const count = connector.sent().length;
    await step(et('2026-11-25T11:00:00'));
    expect(connector.sent().length).toBe(count);
  });

  it('P2 filed Friday night: nothing over the weekend; at Monday 04:00 only the highest held warning (75 %), then 90 % and breach', async () => {
    const t = await seed('P2', et('2026-11-27T23:10:00'));
    for (const local of ['2026-11-28T12:00:00', '2026-11-29T23:59:00', '2026-11-30T03:59:00']) {
      await step(et(local));
      expect(warnings(t.id)).toEqual([]);
    }
    await expectWarnings(t.id, [
      ['2026-11-30T04:00:00', 'response 75'],
      ['2026-11-30T04:34:00', 'response 90'],
      ['2026-11-30T05:10:00', 'response 100'],
    ]);
  });

  it('P1 after hours goes out at any hour: Saturday 03:00 warns at 04:00, 04:30, 04:48 and 05:00', async () => {
    const t = await seed('P1', et('2026-11-28T03:00:00'));
    await expectWarnings(t.id, [
      ['2026-11-28T04:00:00', 'response 50'],
      ['2026-11-28T04:30:00', 'response 75'],
      ['2026-11-28T04:48:00', 'response 90'],
      ['2026-11-28T05:00:00', 'response 100'],
    ]);
  });

  it('a pause holds warnings back and moves them: P1 Tuesday 09:00 waiting on the customer 10:00–15:00', async () => {
    const t = await seed('P1', et('2026-11-24T09:00:00'));
    clock.now = et('2026-11-24T10:00:00');
    // Asking meets the response target; the work-around clock (2 days continuous) stops until the answer.
    const asked = await app.tickets.act({ kind: 'staff' }, t.id, alice, {
      kind: 'ask',
      text: 'Which accounts?',
    });
    if (!asked.ok) throw asked.error;
    await step(et('2026-11-24T14:59:00'));
    expect(warnings(t.id)).toEqual([]);
    clock.now = et('2026-11-24T15:00:00');
    const answered = await app.tickets.act({ kind: 'tenant', tenantId: CONTOSO }, t.id, ann, {
      kind: 'customer-message',
      text: 'Accounts 1 and 2',
    });
    if (!answered.ok) throw answered.error;
    // Without the pause 50 % would fire Wednesday 09:00.
    await step(et('2026-11-25T09:00:00'));
    expect(warnings(t.id)).toEqual([]);
    await expectWarnings(t.id, [
      ['2026-11-25T14:00:00', 'workaround 50'],
      ['2026-11-26T02:00:00', 'workaround 75'],
      ['2026-11-26T09:12:00', 'workaround 90'],
      ['2026-11-26T14:00:00', 'workaround 100'],
    ]);
  });

  it('raising P3 to P1 moves the pending warnings to the new deadline', async () => {
    const t = await seed('P3', et('2026-12-01T09:00:00'));
    clock.now = et('2026-12-01T09:10:00');
    const raised = await app.tickets.act({ kind: 'staff' }, t.id, alice, {
      kind: 'change-priority',
      to: 'P1',
      reason: 'All users down',
    });
    if (!raised.ok) throw raised.error;
    await expectWarnings(t.id, [
      ['2026-12-01T09:40:00', 'response 50'],
      ['2026-12-01T09:55:00', 'response 75'],
      ['2026-12-01T10:04:00', 'response 90'],
      ['2026-12-01T10:10:00', 'response 100'],
    ]);
  });

  it('a met target gets no more warnings', async () => {
    const t = await seed('P2', et('2026-12-02T10:00:00'));
    clock.now = et('2026-12-02T10:50:00');
    const replied = await app.tickets.act({ kind: 'staff' }, t.id, alice, { kind: 'reply', text: 'On it' });
    if (!replied.ok) throw replied.error;
    for (const local of [
      '2026-12-02T11:00:00',
      '2026-12-02T11:30:00',
      '2026-12-02T12:00:00',
      '2026-12-02T13:00:00',
    ])
      await step(et(local));
    expect(warnings(t.id)).toEqual([]);
  });
});

describe('P1 paging outside support hours', () => {
  const pages = (id: string): string[] => summaries(`${id}: page, `);
  const direct = (aad: string, since: number): number =>
    connector
      .requests()
      .filter(
        (r) => r.seq > since && r.operation === 'createConversation' && JSON.stringify(r.body).includes(aad),
      ).length;

  it('pages the primary at once, the secondary after 15 minutes, the manager after 30, in the thread and 1:1', async () => {
    const since = connector.requests().length;
    const t = await seed('P1', et('2026-12-05T02:00:00')); // Saturday
    await step(et('2026-12-05T02:00:00'));
    expect(pages(t.id)).toEqual(['primary']);
    expect(direct(BOB, since)).toBe(1);
    await step(et('2026-12-05T02:14:00'));
    expect(pages(t.id)).toEqual(['primary']);
    await step(et('2026-12-05T02:15:00'));
    expect(pages(t.id)).toEqual(['primary', 'secondary']);
    expect(direct(ALICE, since)).toBe(1);
    await step(et('2026-12-05T02:29:00'));
    expect(pages(t.id)).toEqual(['primary', 'secondary']);
    await step(et('2026-12-05T02:30:00'));
    expect(pages(t.id)).toEqual(['primary', 'secondary', 'manager']);
    expect(direct(MARY, since)).toBe(1);
    const manager = connector.sent().find((r) => r.activity?.summary === `${t.id}: page, manager`);
    const card = cardsOf(manager?.activity)[0];
    cards.push(card);
    expect(cardText(card)).toContain('<at>Mary Manager</at>');
    await step(et('2026-12-05T03:30:00'));
    expect(pages(t.id)).toEqual(['primary', 'secondary', 'manager']);
    const timeline = await app.tickets.timeline({ kind: 'staff' }, t.id);
    if (!timeline.ok) throw timeline.error;
    expect(
      timeline.value.events.filter((e) => e.type.startsWith('page-')).map((e) => `${e.type}: ${e.text}`),
    ).toEqual([
      'page-scheduled: On-call chain started: the primary on call now, the secondary at Sat 5 Dec 2026 02:15 ET, the support manager at Sat 5 Dec 2026 02:30 ET, until someone acknowledges',
      "page-sent: Paged Bob Engineer (primary on call) in the ticket's thread; a chat message to them follows.",
      'page-reached: Reached Bob Engineer (primary on call) in chat.',
      "page-sent: Paged Alice Engineer (secondary on call) in the ticket's thread; a chat message to them follows.",
      'page-reached: Reached Alice Engineer (secondary on call) in chat.',
      "page-sent: Paged Mary Manager (support manager) in the ticket's thread; a chat message to them follows.",
      'page-reached: Reached Mary Manager (support manager) in chat.',
    ]);
  });

  it('Acknowledge stops the chain', async () => {
    const t = await seed('P1', et('2026-12-05T05:00:00'));
    await step(et('2026-12-05T05:00:00'));
    expect(pages(t.id)).toEqual(['primary']);
    clock.now = et('2026-12-05T05:05:00');
    const res = await post(
      `${app.url}/api/messages`,
      actionExecute(
        'page.ack',
        { verb: 'page.ack', ticketId: t.id },
        { ...engineer(BOB, 'Bob'), replyToId: 'x' },
      ),
    );
    expect(res.status).toBe(200);
    await step(et('2026-12-05T05:15:00'));
    await step(et('2026-12-05T05:30:00'));
    await step(et('2026-12-05T06:30:00'));
    expect(pages(t.id)).toEqual(['primary']);
  });
});

describe('on call from the channel', () => {
  const say = async (
    text: string,
    who = ALICE,
    name = 'Alice',
    entities: unknown[] = [],
  ): Promise<string> => {
    connector.clear();
    const activity = channelMessage({ ...engineer(who, name), text });
    const withMentions = { ...activity, entities: [...(activity.entities ?? []), ...entities] };
    const res = await post(`${app.url}/api/messages`, withMentions);
    expect(res.status).toBe(200);
    const reply = await connector.waitFor((r) => typeof r.activity?.text === 'string');
    return String(reply.activity?.text);
  };
  const carol = {
    type: 'mention',
    text: '<at>Carol Engineer</at>',
    mentioned: { id: '29:carol', name: 'Carol Engineer' },
  };

  it('answers who is on call, takes an override with a mention and a local time, and pages the override', async () => {
    clock.now = et('2026-12-07T10:00:00'); // Monday
    expect(await say('who is on call?')).toContain('Primary: Bob Engineer (rotation)');
    const set = await say('on-call: <at>Carol Engineer</at> until Friday 18:00', ALICE, 'Alice', [carol]);
    expect(set).toContain('Carol Engineer is the primary on call until');
    expect(set).toContain('18:00 ET');
    const who = await say('who is on call?');
    expect(who).toContain('Primary: Carol Engineer (override until');
    expect(who).toContain('Secondary: Alice Engineer (rotation)');
    expect(who).toContain('Support manager: Mary Manager');
    const t = await seed('P1', et('2026-12-07T23:00:00'));
    await step(et('2026-12-07T23:00:00'));
    const page = connector.sent().find((r) => r.activity?.summary === `${t.id}: page, primary`);
    expect(cardText(cardsOf(page?.activity)[0])).toContain('<at>Carol Engineer</at>');
    clock.now = et('2026-12-11T18:00:00');
    expect(await say('who is on call?')).toContain('Primary: Bob Engineer (rotation)');
  });

  it('refuses bad times and strangers clearly, changing nothing', async () => {
    clock.now = et('2026-12-08T10:00:00');
    expect(
      await say('on-call: <at>Carol Engineer</at> until Fryday 18:00', ALICE, 'Alice', [carol]),
    ).toContain('I do not know the day "Fryday"');
    expect(await say('on-call: <at>Carol Engineer</at> until 25:00', ALICE, 'Alice', [carol])).toContain(
      'is not a time of day',
    );
    expect(
      await say('on-call: <at>Carol Engineer</at> until 2026-12-01 18:00', ALICE, 'Alice', [carol]),
    ).toContain('already passed');
    expect(await say('on-call: <at>Carol Engineer</at>', ALICE, 'Alice', [carol])).toContain(
      'Say until when',
    );
    expect(
      await say('on-call: <at>Carol Engineer</at> until Friday 18:00', CAROL.replace('ca7', 'fff'), 'Eve', [
        carol,
      ]),
    ).toContain('Only support staff');
    // Only the override set before stands.
    expect(await say('who is on call?')).toContain(
      'Primary: Carol Engineer (override until Friday 18:00 ET, set by Alice Engineer)',
    );
  });
});

describe('delivery when Teams throttles and fails', () => {
  it('429 with Retry-After and 503 for a while: everything arrives afterwards, in order per thread, within the rate limit', async () => {
    const real0 = Date.now();
    const sim0 = et('2026-12-09T12:00:00');
    // The clock runs with real time from here, so backoff delays come due.
    Object.defineProperty(clock, 'now', {
      get: () => sim0 + (Date.now() - real0),
      set: () => undefined,
      configurable: true,
    });
    const tickets: Ticket[] = [];
    for (let i = 0; i < 6; i++) {
      tickets.push(
        await fileWithThread(app, aFiling({ priority: 'P1' }), CHANNEL, String(seq++), connector.serviceUrl),
      );
    }
    await app.background.drain();
    // Two hours later every response threshold of every ticket is due at once.
    const later = 2 * 60 * MIN;
    Object.defineProperty(clock, 'now', {
      get: () => sim0 + later + (Date.now() - real0),
      set: () => undefined,
      configurable: true,
    });
    connector.clear();
    connector.failNext(9, { status: 429, retryAfterSeconds: 1, only: ['replyToActivity', 'updateActivity'] });
    connector.failNext(6, { status: 503, only: ['replyToActivity', 'updateActivity'] });
    const deadline = Date.now() + 40_000;
    const done = (): boolean => tickets.every((t) => warnings(t.id).length === 4);
    while (!done() && Date.now() < deadline) {
      await app.watcher.pass();
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const t of tickets)
      expect(warnings(t.id)).toEqual(['response 50', 'response 75', 'response 90', 'response 100']);
    expect(connector.requests().filter((r) => r.status === 429).length).toBe(9);
    expect(connector.requests().filter((r) => r.status === 503).length).toBe(6);
    // At most 7 accepted messages in any second in one thread.
    const byThread = new Map<string, number[]>();
    for (const r of connector.sent()) {
      const list = byThread.get(r.conversationId ?? '') ?? [];
      list.push(r.at);
      byThread.set(r.conversationId ?? '', list);
    }
    for (const times of byThread.values())
      for (let i = 7; i < times.length; i++)
        expect((times[i] ?? 0) - (times[i - 7] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(app.watcher.delivery.metrics.inDoubt).toBe(0);
  }, 60_000);

  it('a delivery that keeps failing is kept, shown to staff as stuck, retried, and delivered once Teams recovers', async () => {
    const real0 = Date.now();
    const sim0 = et('2026-12-10T12:00:00');
    Object.defineProperty(clock, 'now', {
      get: () => sim0 + (Date.now() - real0),
      set: () => undefined,
      configurable: true,
    });
    const t = await seed('P2', sim0);
    const start = sim0 + 60 * MIN; // 50 %
    Object.defineProperty(clock, 'now', {
      get: () => start + (Date.now() - real0),
      set: () => undefined,
      configurable: true,
    });
    connector.failNext(1_000, { status: 502, only: 'replyToActivity' });
    const deadline = Date.now() + 40_000;
    const stuck = async (): Promise<boolean> =>
      (await app.watcher.pendingDeliveries()).some((r) => r.lane === t.id && r.attempts >= 2);
    while (!(await stuck()) && Date.now() < deadline) {
      await app.watcher.pass();
      await new Promise((r) => setTimeout(r, 200));
    }
    // Teams recovers; no pass runs until staff have looked.
    connector.clearFaults();
    connector.clear();
    const res = await post(
      `${app.url}/api/messages`,
      channelMessage({ ...engineer(ALICE, 'Alice'), text: 'stuck deliveries' }),
    );
    expect(res.status).toBe(200);
    const reply = await connector.waitFor((r) => typeof r.activity?.text === 'string');
    // Earlier tickets' work-around warnings came due too and fail the same way: all are listed.
    expect(reply.activity?.text).toMatch(/^\d+ stuck deliver(?:y|ies) \(still retried, never dropped\):/);
    expect(reply.activity?.text).toMatch(
      new RegExp(
        `- ${t.id} w\\\\\\|response\\\\\\|050: \\d+ attempts, next try [^;]+; last error: 502 Injected 502\\.`,
      ),
    );
    while (warnings(t.id).length === 0 && Date.now() < deadline + 30_000) {
      await app.watcher.pass();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(warnings(t.id)).toEqual(['response 50']);
    expect((await app.watcher.pendingDeliveries()).some((r) => r.lane === t.id)).toBe(false);
  }, 90_000);
});

describe('outbox retention', () => {
  it('finished entries are deleted OUTBOX_RETENTION_DAYS (7) after they finished; failing ones are kept and listed', async () => {
    Object.defineProperty(clock, 'now', {
      value: et('2026-12-14T10:00:00'),
      writable: true,
      configurable: true,
    });
    const sent = await seed('P1', et('2026-12-14T10:00:00'));
    await step(et('2026-12-14T10:30:00'));
    expect(warnings(sent.id)).toEqual(['response 50']);
    const announce = `a|${sent.dispatchedAt}`;
    expect((await app.outbox.get(sent.id, announce))?.state).toBe('done');
    expect((await app.outbox.get(sent.id, 'w|response|050'))?.state).toBe('done');

    connector.failNext(100_000, { status: 502, only: 'replyToActivity' });
    const failing = await seed('P1', et('2026-12-14T11:00:00'));
    await step(et('2026-12-14T11:01:00'));
    // Six days on: nothing finished is old enough yet.
    await step(et('2026-12-20T10:00:00'));
    expect((await app.outbox.get(sent.id, 'w|response|050'))?.state).toBe('done');
    // Eight days on: the sent entries are gone (in batches, a pass or two), the failing ones stay.
    for (let i = 0; i < 3; i++) await step(et('2026-12-22T11:00:00') + i * 2 * MIN);
    expect(await app.outbox.get(sent.id, 'w|response|050')).toBeNull();
    expect(await app.outbox.get(sent.id, announce)).toBeNull();
    const kept = await app.outbox.get(failing.id, `a|${failing.dispatchedAt}`);
    expect(kept?.state).toBe('pending');
    expect(kept?.lastError).toMatch(/502/);
    expect(
      (await app.watcher.pendingDeliveries()).some((r) => r.lane === failing.id && r.attempts >= 2),
    ).toBe(true);
    connector.clearFaults();
  }, 60_000);
});
