// The consent round trip's server side: /api/auth/config names the token authority (LOGIN_ENDPOINT) and the
// scope the sign-in window asks for; the sign-in window's pages are served with their own narrow CSP, and
// the tab's page keeps its own.
import restify from 'restify';
import type { App } from '../../src/app';
import { serveTab, start } from '../../src/adapters/server';
import { et } from '../fixtures';
import { startTestApp } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { APP_ID_URI, CLIENT_ID, TAB_ENV } from '../support/tab';

describe('the sign-in settings in Entra mode', () => {
  let azurite: TestAzurite;
  let app: App;
  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock: { now: et('2026-11-25 09:00') },
      env: {
        ...TAB_ENV,
        AAD_APP_CLIENT_ID: CLIENT_ID,
        TAB_API_AUDIENCE: APP_ID_URI,
        TAB_AUTH_JWKS_URL: 'http://127.0.0.1:9/keys',
        LOGIN_ENDPOINT: 'https://login.microsoftonline.us/',
      },
    });
  });
  afterAll(async () => {
    await app.stop();
    await azurite.stop();
  });

  it('name the authority and the scope of the consent window, and no personas', async () => {
    const res = await fetch(`${app.url}/api/auth/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      mode: 'entra',
      clientId: CLIENT_ID,
      consent: { loginEndpoint: 'https://login.microsoftonline.us', scope: `${APP_ID_URI}/access_as_user` },
      personas: [],
    });
  });
});

describe('the sign-in window pages as served', () => {
  let url = '';
  let stop = async (): Promise<void> => {};
  beforeAll(async () => {
    const server = restify.createServer();
    serveTab(server);
    const running = await start(server, '127.0.0.1', 0);
    url = running.url;
    stop = () => running.stop();
  });
  afterAll(() => stop());

  const cspOf = async (path: string): Promise<string[]> => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    return (res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
  };

  it.each(['/tab/auth-start.html', '/tab/auth-end.html'])(
    '%s: its own scripts, the settings and teams-js origins list only; never framed',
    async (path) => {
      expect(await cspOf(path)).toEqual([
        "default-src 'none'",
        "script-src 'self'",
        'img-src data:',
        "connect-src 'self' https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ]);
    },
  );

  it("the tab's own page keeps its policy: Teams may frame it", async () => {
    const csp = await cspOf('/tab/index.html');
    expect(csp.find((d) => d.startsWith('frame-ancestors'))).toContain('https://teams.microsoft.com');
    expect(csp).toContain("default-src 'self'");
  });
});
