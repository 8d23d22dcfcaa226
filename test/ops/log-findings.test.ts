// What the operator's log says, over real HTTP with the fake connector and Azurite: a page that reaches nobody
// warns (ids and a reason code, no names); the deliveries a customer's turn starts carry their own ids and the
// conversation they post to, never the customer's chat; a failed turn is one error line; the rate-limit line
// names `tenant`; local mode's refusals say the real port, name the forwarding headers and are not a flood.
import { request } from 'node:http';
import type { App } from '../../src/app';
import { createLogger } from '../../src/log';
import { REFUSAL_LOG_KEYS, REFUSAL_LOG_WINDOW_MS, RefusalLog } from '../../src/adapters/http/guards';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { actionExecute, personalMessage, post } from '../support/activities';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';
import { fileWithThread, startTestApp, supportChannel, type TestClock } from '../support/app';
import { TAB_ENV } from '../support/tab';

const BOB = 'b0b00000-0000-4000-8000-000000000002';
const MARY = 'ma770000-0000-4000-8000-000000000003';
const CHANNEL = '19:findings-support@thread.tacv2';
const MANAGERS = '19:findings-managers@thread.tacv2';
const STAFF = {
  CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
  STAFF_TENANT_ID: VENDOR,
  STAFF_ENGINEERS: `${BOB}=Bob Engineer`,
  STAFF_MANAGERS: `${MARY}=Mary Manager`,
  ONCALL_ROTATION: JSON.stringify({
    start: '2026-11-23',
    handover: '09:00',
    weeks: [{ primary: BOB, secondary: BOB }],
  }),
};
const et = (local: string): number => Date.parse(`${local}-05:00`);

type Line = Record<string, unknown>;
let azurite: TestAzurite;
let connector: FakeConnector;

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.stop();
  await azurite.stop();
});

/** The app with a JSON debug logger whose lines land in `lines`, and its support and managers' channels set. */
async function world(clock: TestClock, lines: Line[], env: Record<string, string> = {}): Promise<App> {
  const app = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: { ...STAFF, ...env },
    log: createLogger({ json: true, level: 'debug', sink: (l) => lines.push(JSON.parse(l) as Line) }),
  });
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
  await app.deps.settings.setManagersChannel(supportChannel(MANAGERS, connector.serviceUrl, clock.now));
  return app;
}

const customer = {
  serviceUrl: '',
  tenantId: CONTOSO,
  userId: '29:findings-ann',
  userName: 'Ann Customer',
};

describe("a page that reaches nobody is in the operator's log at warn", () => {
  const lines: Line[] = [];
  const clock: TestClock = { now: et('2026-12-05T02:00:00') }; // Saturday: after hours, P1s are paged
  let app: App;
  let lift: () => void;
  beforeAll(async () => {
    app = await world(clock, lines);
    lift = connector.refuse({
      only: 'createConversation',
      member: BOB,
      status: 404,
      code: 'ConversationNotFound',
      message: 'Conversation not found.',
    });
  });
  afterAll(async () => {
    lift();
    await app.stop();
  });

  it("the refused 1:1 chat and the alarm: warn lines with ids and a reason code, no person's name", async () => {
    const t = await fileWithThread(
      app,
      aFiling({ priority: 'P1' }),
      CHANNEL,
      'findings-1',
      connector.serviceUrl,
    );
    await app.watcher.pass();
    await app.background.drain();
    await app.watcher.pass();
    await app.background.drain();
    const warns = lines.filter((l) => l['level'] === 'warn' && String(l['msg']).startsWith('page: '));
    const missed = warns.filter((l) => l['msg'] === 'page: could not reach the person in chat');
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({
      ticket: t.id,
      tenant: t.tenantId,
      to: BOB,
      role: 'primary',
      reason: 'CHAT_GONE',
      status: 404,
    });
    expect(String(missed[0]?.['entry'])).toContain('/d|');
    const thread = warns.filter((l) => l['msg'] === 'page: nobody reached; alarm posted in the thread');
    const managers = warns.filter(
      (l) => l['msg'] === 'page: nobody reached; alarm posted in the managers channel',
    );
    expect(thread).toHaveLength(1);
    expect(managers).toHaveLength(1);
    expect(thread[0]).toMatchObject({
      ticket: t.id,
      tenant: t.tenantId,
      conversation: t.thread?.conversationId,
    });
    expect(managers[0]).toMatchObject({ ticket: t.id, conversation: MANAGERS });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('Bob Engineer');
    expect(all).not.toContain('Mary Manager');
  });
});

describe("the jobs a customer's turn starts log their own ids, not the customer's chat", () => {
  const lines: Line[] = [];
  const clock: TestClock = { now: et('2026-11-24T10:00:00') }; // Tuesday, in support hours
  let app: App;
  beforeAll(async () => {
    app = await world(clock, lines);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('a P1 filed in a 1:1 chat: its announcement in the support channel names the thread, and the turn as cause', async () => {
    const submit = actionExecute(
      'ticket.submit',
      {
        verb: 'ticket.submit',
        requestId: '7d6c1a2b-0000-4000-8000-00000000f1d1',
        title: 'Calls drop',
        description: 'Calls drop after a minute.',
        category: 'outage',
        priority: 'P1',
        callbackNumber: '+1 555 0100',
      },
      { ...customer, serviceUrl: connector.serviceUrl, replyToId: 'root' },
    );
    const chat = submit.conversation.id;
    expect((await post(`${app.url}/api/messages`, submit)).status).toBe(200);
    await app.background.drain();
    await app.watcher.pass();
    await app.background.drain();
    const t = await app.tickets.get({ kind: 'staff' }, /TM-\d+/.exec(JSON.stringify(lines))?.[0] ?? '');
    if (!t.ok) throw t.error;
    const thread = t.value.thread?.conversationId ?? '';
    expect(thread.startsWith(CHANNEL)).toBe(true);

    const announced = lines.find((l) => l['msg'] === 'outbox: sent' && l['kind'] === 'announce');
    expect(announced).toMatchObject({ ticket: t.value.id, tenant: CONTOSO, conversation: thread });
    expect(announced?.['activity']).toBeUndefined();
    // Every line of a job (a pass, a delivery, background work) is its own: not the turn's activity or chat.
    const jobs = lines.filter((l) => 'job' in l || 'watcherPass' in l || 'entry' in l);
    expect(jobs.length).toBeGreaterThan(0);
    for (const l of jobs) {
      expect(l['conversation']).not.toBe(chat);
      expect(l['activity']).toBeUndefined();
    }
    // The turn is named as the cause of the work it started.
    expect(jobs.some((l) => l['cause'] === submit.id)).toBe(true);
    // The turn's own lines do carry the customer's chat.
    expect(lines.find((l) => l['activity'] === submit.id && l['msg'] === 'turn answered')).toMatchObject({
      conversation: chat,
    });
  });
});

describe('a failed turn and a throttled person', () => {
  const lines: Line[] = [];
  const clock: TestClock = { now: et('2026-11-24T10:00:00') };
  let app: App;
  beforeAll(async () => {
    app = await world(clock, lines, { RATE_LIMIT_USER: '2', RATE_LIMIT_WINDOW_S: '3600' });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('a turn whose replies Teams refuses writes one error line, with the stack and the failed apology', async () => {
    const conversationId = 'a:findings-gone';
    const lift = connector.refuse({
      only: ['replyToActivity', 'sendToConversation'],
      conversationId,
      status: 404,
      code: 'ConversationNotFound',
      message: 'Conversation not found.',
    });
    try {
      const hello = personalMessage({
        ...customer,
        serviceUrl: connector.serviceUrl,
        userId: '29:findings-gone',
        conversationId,
        text: 'my tickets',
      });
      expect((await post(`${app.url}/api/messages`, hello)).status).toBe(500);
      const errors = lines.filter((l) => l['level'] === 'error' && l['activity'] === hello.id);
      expect(errors.map((l) => l['msg'])).toEqual(['turn failed']);
      expect(errors[0]).toMatchObject({ conversation: conversationId, tenant: CONTOSO, type: 'message' });
      expect(String((errors[0]?.['err'] as { stack?: unknown } | undefined)?.stack)).toMatch(/\n\s+at /);
      expect(String(errors[0]?.['apologyNotSent'])).toMatch(/not found/i);
    } finally {
      lift();
    }
  });

  it("the rate-limit line names the tenant as the context does ('tenant', no 'tenantId')", async () => {
    for (let i = 0; i < 4; i++) {
      const hello = personalMessage({ ...customer, serviceUrl: connector.serviceUrl, text: 'my tickets' });
      await post(`${app.url}/api/messages`, hello);
    }
    const limited = lines.find((l) => l['msg'] === 'bot: rate limit reached');
    expect(limited).toMatchObject({ level: 'warn', tenant: CONTOSO, scope: 'user' });
    expect(limited).not.toHaveProperty('tenantId');
  });
});

describe('local mode: refusals name the real port and the headers, once a minute per reason and host', () => {
  const lines: Line[] = [];
  let app: App;
  beforeAll(async () => {
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock: { now: et('2026-11-25T10:00:00') },
      env: { ...TAB_ENV },
      log: createLogger({ json: true, level: 'debug', sink: (l) => lines.push(JSON.parse(l) as Line) }),
    });
  });
  afterAll(async () => {
    await app.stop();
  });

  /** A request with the given Host and other headers (fetch cannot set Host). */
  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; allow: unknown; text: string }> {
    const url = new URL(app.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, allow: res.headers['allow'], text });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }
  const refusals = (host: string): Line[] =>
    lines.filter(
      (l) => l['msg'] === 'local mode refused a request not made straight to loopback' && l['host'] === host,
    );

  it('the 421 says where to open the app: http://127.0.0.1 and the port the request reached', async () => {
    const res = await send('GET', '/healthz', { host: 'findings.example' });
    expect(res.status).toBe(421);
    const port = new URL(app.url).port;
    expect(res.text).toContain(`Open it at http://127.0.0.1:${port}.`);
    expect(res.text).not.toContain('<port>');
  });

  it('the 403 line names the forwarding headers that caused it', async () => {
    const host = `127.0.0.1:${new URL(app.url).port}`;
    const res = await send('GET', '/healthz', { host, 'x-forwarded-for': '203.0.113.9', via: '1.1 tunnel' });
    expect(res.status).toBe(403);
    const line = refusals(host).at(-1);
    expect(line).toMatchObject({ level: 'warn', status: 403 });
    expect(String(line?.['headers'])).toMatch(/x-forwarded-for/);
    expect(String(line?.['headers'])).toMatch(/via/);
  });

  it('ten refusals for one host in a minute: one line (each is still refused)', async () => {
    for (let i = 0; i < 10; i++)
      expect((await send('GET', '/healthz', { host: 'flood.example' })).status).toBe(421);
    expect(refusals('flood.example')).toHaveLength(1);
  });

  it('the next line after the minute counts the ones left out; at most REFUSAL_LOG_KEYS pairs are kept', () => {
    let now = 0;
    const log = new RefusalLog(() => now);
    expect(log.take('foreign host', 'a.example')).toBe(0);
    for (let i = 0; i < 5; i++) expect(log.take('foreign host', 'a.example')).toBeUndefined();
    expect(log.take('forwarded: via', 'a.example')).toBe(0);
    now += REFUSAL_LOG_WINDOW_MS;
    expect(log.take('foreign host', 'a.example')).toBe(5);
    expect(log.take('foreign host', 'a.example')).toBeUndefined();
    // A flood of distinct names forgets the oldest pairs rather than growing: a.example is logged again.
    for (let i = 0; i < REFUSAL_LOG_KEYS; i++) log.take('foreign host', `h${i}.example`);
    expect(log.take('foreign host', 'a.example')).toBe(0);
  });

  it('a verb an API route does not take: 405 in the API error shape, with Allow', async () => {
    const host = `127.0.0.1:${new URL(app.url).port}`;
    const res = await send('GET', '/api/auth/local/token', { host });
    expect(res.status).toBe(405);
    expect(String(res.allow)).toContain('POST');
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: 'METHOD_NOT_ALLOWED',
        message: expect.stringContaining('GET is not allowed') as unknown,
      },
    });
  });
});
