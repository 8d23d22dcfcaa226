// Rate limits per user and per tenant on the bot and the tab API, and per client address for refused tokens:
// 429 with Retry-After (the bot: HTTP 429, a 429 invoke response, one "slow down" message a window), no storage
// work when throttled, one `throttled` audit row per bucket and window, and bounded memory. The window is an hour
// in the HTTP tests so that no token comes back while they run (nothing depends on timing).
import type { App } from '../../src/app';
import { Buckets, clientAddress, RateLimiter } from '../../src/adapters/http/rate-limit';
import { actionExecute, personalMessage, post } from '../support/activities';
import { startWithConnector } from '../support/authed';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, FABRIKAM, getJson, TAB_ENV } from '../support/tab';

/** The slow-down notice, naming the wait of its 429 (test/security/trial20 checks the words). */
const SLOW_DOWN =
  /^You're sending messages faster than I can take them; try again in \d+ (?:seconds?|minutes?)\.$/;

describe('token buckets', () => {
  const clock = { now: 1_000_000 };
  const limiter = () => new RateLimiter({ windowMs: 10_000, user: 3, tenant: 5, client: 2 }, () => clock.now);

  it('let a user burst, then refuse with when to retry, reported once a window', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) expect(l.take('t', 'u')).toEqual({ ok: true });
    expect(l.take('t', 'u')).toEqual({ ok: false, scope: 'user', retryAfterS: 4, first: true });
    expect(l.take('t', 'u')).toMatchObject({ ok: false, first: false });
    clock.now += 3_334; // a third of the window: one request back
    expect(l.take('t', 'u')).toEqual({ ok: true });
    expect(l.take('t', 'u')).toMatchObject({ ok: false, first: false });
    clock.now += 10_000;
    expect(l.take('t', 'u')).toEqual({ ok: true });
  });

  it("count a tenant's users together, without charging a refused user", () => {
    const l = limiter();
    for (const u of ['a', 'a', 'b', 'b', 'c']) expect(l.take('t', u)).toEqual({ ok: true });
    expect(l.take('t', 'd')).toMatchObject({ ok: false, scope: 'tenant', first: true });
    expect(l.take('other', 'd')).toEqual({ ok: true });
  });

  it('refuse a client address after its failed sign-ins only', () => {
    const l = limiter();
    expect(l.client('203.0.113.9')).toEqual({ ok: true });
    l.failed('203.0.113.9');
    l.failed('203.0.113.9');
    expect(l.client('203.0.113.9')).toMatchObject({ ok: false, scope: 'client' });
    expect(l.client('203.0.113.10')).toEqual({ ok: true });
  });

  it.each([
    ['the peer when not behind a proxy', { 'x-forwarded-for': '198.51.100.1' }, false, '127.0.0.1'],
    [
      "App Service's entry, without its port",
      { 'x-forwarded-for': '198.51.100.1, 203.0.113.9:51234' },
      true,
      '203.0.113.9',
    ],
    ['an IPv6 entry, without its port', { 'x-forwarded-for': '[2001:db8::1]:51234' }, true, '2001:db8::1'],
    ['the peer when there is no entry', {}, true, '127.0.0.1'],
  ])('key a client by %s', (_name, headers, behindProxy, expected) => {
    expect(clientAddress(headers, '127.0.0.1', behindProxy)).toBe(expected);
  });

  it('keep memory bounded: at most maxKeys buckets, idle ones dropped as others are used', () => {
    const b = new Buckets(3, 10_000, 100);
    for (let i = 0; i < 10_000; i++) b.take(`user-${i}`, clock.now);
    expect(b.size).toBe(100);
    clock.now += 10_000;
    for (let i = 0; i < 60; i++) b.take(`later-${i}`, clock.now);
    // Each use drops up to two buckets idle a whole window (full again, so nothing is lost).
    expect(b.size).toBe(60);
  });
});

describe('over HTTP', () => {
  let connector: FakeConnector;
  let app: App;
  let stop: () => Promise<void>;
  const clock = { now: Date.parse('2026-11-25T10:00:00-05:00') };
  const day = '2026-11-25';

  beforeAll(async () => {
    ({ connector, app, stop } = await startWithConnector({
      clock,
      env: {
        ...TAB_ENV,
        RATE_LIMIT_WINDOW_S: '3600',
        RATE_LIMIT_USER: '30',
        RATE_LIMIT_TENANT: '40',
        RATE_LIMIT_CLIENT: '5',
      },
    }));
  });
  afterAll(() => stop());

  const audit = async (action: string) => (await app.deps.audit.day(day)).filter((e) => e.action === action);

  async function tokenOf(persona: string): Promise<string> {
    const res = await fetch(`${app.url}/api/auth/local/token?persona=${persona}`, { method: 'POST' });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('a flood of refused look-ups gets 429s and a bounded audit trail', async () => {
    const token = await tokenOf(`customer:${CONTOSO}`);
    const answers: { status: number; retryAfter: string | null; body: unknown }[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${app.url}/api/tickets/TM-${9000 + i}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      answers.push({
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: await res.json(),
      });
    }
    expect(answers.filter((a) => a.status === 404)).toHaveLength(30);
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).toHaveLength(20);
    expect(answers.slice(30).every((a) => a.status === 429)).toBe(true);
    expect(Number(throttled[0]?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(throttled[0]?.body).toEqual({
      error: {
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringMatching(/^Too many requests; try again in \d+ seconds?\.$/) as unknown,
      },
    });
    // 30 refused look-ups recorded, the 20 throttled ones did no work: one `throttled` row for them all.
    expect(await audit('api.ticket')).toHaveLength(30);
    const rows = await audit('api.throttled');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'refused', tenantId: CONTOSO });
    expect(rows[0]?.reason).toContain('user rate limit');
  });

  it('an unauthenticated flood from one address is answered 429 after the allowance', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await getJson(`${app.url}/api/me`, `bad.token.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(await audit('api.throttled')).toHaveLength(2);
  });

  it('the bot answers a flooding person 429, and tells them once', async () => {
    connector.clear();
    const who = { serviceUrl: connector.serviceUrl, tenantId: FABRIKAM, userId: '29:flood' };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 34; i++) {
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(personalMessage({ ...who, text: 'help' })),
      });
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after') ?? retryAfter;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // A card press while throttled: a 429 invoke response in Teams' error shape.
    const press = await post(
      `${app.url}/api/messages`,
      actionExecute('ticket.status', { verb: 'ticket.status' }, { ...who, replyToId: 'card' }),
    );
    expect(press.status).toBe(429);
    expect(press.body).toMatchObject({
      statusCode: 429,
      type: 'application/vnd.microsoft.error',
      value: { code: 'TooManyRequests' },
    });
    expect(String((press.body as { value?: { message?: unknown } }).value?.message)).toMatch(SLOW_DOWN);
    await app.background.drain();
    const told = connector.sent().filter((r) => SLOW_DOWN.test(r.activity?.text ?? ''));
    expect(told).toHaveLength(1);
    expect(await audit('bot.throttled')).toHaveLength(1);
  });

  it("a tenant's users together are held to the tenant's limit", async () => {
    const tenant = '55555555-5555-4555-8555-555555555555';
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++) {
      const res = await post(
        `${app.url}/api/messages`,
        personalMessage({
          serviceUrl: connector.serviceUrl,
          tenantId: tenant,
          userId: `29:user-${i}`,
          text: 'hi',
        }),
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429]);
    const rows = (await audit('bot.throttled')).filter((r) => r.reason.includes('tenant rate limit'));
    expect(rows).toHaveLength(1);
  });
});
