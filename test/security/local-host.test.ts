// Local mode answers only loopback names: a request for another host (a dev tunnel, a web page that rebound its
// DNS name to 127.0.0.1) or one relayed by a proxy is refused before any route runs, on the bot, the tab API, the
// tab's files and the local sign-in, so no local token is issued and nothing is read. Production is not guarded.
import { request } from 'node:http';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { guarded, isLoopbackHost, localDoor, localRefusal } from '../../src/adapters/http/guards';
import { personalMessage } from '../support/activities';
import { startWithConnector } from '../support/authed';
import type { FakeConnector } from '../support/connector';
import { TAB_ENV } from '../support/tab';

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock: { now: Date.parse('2026-11-25T10:00:00-05:00') },
    env: { ...TAB_ENV },
  }));
});
afterAll(() => stop());

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request to the app with the given Host and other headers (fetch cannot set Host). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const url = new URL(app.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const port = () => new URL(app.url).port;
const tokenPath = '/api/auth/local/token?persona=manager:aaaaaaaa-0000-4000-8000-000000000001';

describe('loopback names', () => {
  it.each([
    ['localhost', true],
    ['localhost:3978', true],
    ['LOCALHOST:3978', true],
    ['tab.localhost:3978', true],
    ['127.0.0.1', true],
    ['127.0.0.1:3978', true],
    ['127.255.3.4:80', true],
    ['[::1]:3978', true],
    ['[::1]', true],
    ['attacker.example', false],
    ['attacker.example:3978', false],
    ['localhost.attacker.example', false],
    ['127.0.0.1.nip.io', false],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['0.0.0.0:3978', false],
    ['[::2]:3978', false],
    ['localhost:3978:1', false],
    ['localhost.', false],
    ['', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('refuses forwarding headers even with a loopback Host', () => {
    for (const h of [
      'forwarded',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-forwarded-proto',
      'x-original-host',
      'x-forwarded-server',
      'via',
      'x-real-ip',
    ])
      expect(localRefusal({ host: 'localhost:3978', [h]: 'x' })?.status).toBe(403);
    expect(localRefusal({ host: 'localhost:3978', accept: '*/*' })).toBeUndefined();
  });
});

describe('in local mode, a request for another host', () => {
  const foreign = { host: 'attacker.example' };

  it('gets no local token (421, saying why)', async () => {
    const res = await send('POST', tokenPath, foreign);
    expect(res.status).toBe(421);
    expect(res.text).not.toContain('access_token');
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('LOCAL_ONLY');
    expect(body.error.message).toContain('attacker.example');
    expect(body.error.message).toContain('local mode');
  });

  it('is refused on every door: tab API, tab files, health, the bot (whose turn never runs)', async () => {
    connector.clear();
    const activity = personalMessage({ serviceUrl: connector.serviceUrl, text: 'help' });
    for (const [method, path, body] of [
      ['GET', '/api/auth/config', undefined],
      ['GET', '/api/auth/local/keys', undefined],
      ['GET', '/api/queue', undefined],
      ['GET', '/tab/index.html', undefined],
      ['GET', '/healthz', undefined],
      ['POST', '/api/messages', activity],
    ] as const) {
      const res = await send(method, path, foreign, body);
      expect([path, res.status]).toEqual([path, 421]);
    }
    await app.background.drain();
    expect(connector.requests()).toEqual([]);
  });

  it('with a local token obtained on loopback, still reads nothing', async () => {
    const ok = await send('POST', tokenPath, { host: `127.0.0.1:${port()}` });
    expect(ok.status).toBe(200);
    const { access_token: token } = JSON.parse(ok.text) as { access_token: string };
    const res = await send('GET', '/api/queue', { ...foreign, authorization: `Bearer ${token}` });
    expect(res.status).toBe(421);
    expect(res.text).not.toContain('rows');
  });

  it('relayed by a proxy or tunnel (forwarding headers) is refused with 403', async () => {
    for (const extra of [
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-forwarded-host': 'tunnel.example' },
      { 'x-forwarded-proto': 'https' },
      { forwarded: 'for=203.0.113.9;host=tunnel.example' },
      { 'x-original-host': 'tunnel.example' },
    ]) {
      const res = await send('POST', tokenPath, { host: `localhost:${port()}`, ...extra });
      expect([extra, res.status]).toEqual([extra, 403]);
      expect(res.text).not.toContain('access_token');
      expect(res.text).toContain('proxy or tunnel');
    }
  });

  it('while loopback names get in', async () => {
    for (const host of [
      `127.0.0.1:${port()}`,
      `localhost:${port()}`,
      `tab.localhost:${port()}`,
      `[::1]:${port()}`,
    ]) {
      const res = await send('GET', '/api/auth/config', { host });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });
});

describe('which requests are guarded', () => {
  const base = { TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
  it('all in local mode; all but the bot with only the local sign-in; none in production', () => {
    expect(guarded(loadConfig(base))).toBe('all');
    expect(guarded(loadConfig({ ...base, BOT_ID: 'b', BOT_PASSWORD: 'p' }))).toBe('all but the bot');
    const production = loadConfig({
      ...base,
      NODE_ENV: 'production',
      BOT_ID: 'b',
      BOT_PASSWORD: 'p',
      AAD_APP_CLIENT_ID: '9d0c6f3e-2a4b-4c5d-8e6f-7a8b9c0d1e2f',
    });
    expect(guarded(production)).toBe('none');
    expect(localDoor(production, () => undefined)).toBeUndefined();
  });
});
