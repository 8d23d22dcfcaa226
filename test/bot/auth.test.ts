// Authentication on /api/messages with a bot id configured: only a valid Bot Framework token gets in;
// anything else is 401 and the turn never runs. Microsoft's token authority is a loopback stand-in.
import type { App } from '../../src/app';
import { CONTOSO } from '../fixtures/filing';
import { personalMessage, post } from '../support/activities';
import { startWithBotAuth } from '../support/authed';
import type { FakeConnector } from '../support/connector';
import { botFrameworkClaims, type FakeEntra } from '../support/entra';
import type { TestClock } from '../support/app';
import { loadConfig } from '../../src/config';

const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const PASSWORD = 'not-a-real-secret';
let connector: FakeConnector;
let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') };

beforeAll(async () => {
  ({ connector, entra, app, stop } = await startWithBotAuth({
    appId: APP_ID,
    password: PASSWORD,
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso` },
  }));
});
afterAll(() => stop());

const hello = () => personalMessage({ serviceUrl: connector.serviceUrl, tenantId: CONTOSO, text: 'help' });
const claims = () => botFrameworkClaims(APP_ID, connector.serviceUrl);

it('a valid token gets in, and the reply carries a token from the authority', async () => {
  connector.clear();
  const res = await post(`${app.url}/api/messages`, hello(), entra.mintToken(claims()));
  expect(res.status).toBe(200);
  const reply = await connector.waitFor((r) => r.activity !== undefined);
  expect(reply.authorization).toMatch(/^Bearer ey/);
  expect(entra.verifyToken((reply.authorization ?? '').slice(7))).toBeDefined();
});

it.each([
  ['no token', () => undefined],
  ['an expired token', () => entra.mintToken(claims(), { expired: true })],
  ['a wrongly signed token', () => entra.mintToken(claims(), { foreignKey: true })],
  ['a token for another bot', () => entra.mintToken(claims(), { audience: 'someone-else' })],
  ['a token from another issuer', () => entra.mintToken(claims(), { issuer: 'https://evil.example' })],
  [
    'a token for another service URL',
    () => entra.mintToken(botFrameworkClaims(APP_ID, 'https://smba.trafficmanager.net/amer/')),
  ],
  ['a token signed with an unknown key', () => entra.mintToken(claims(), { kid: 'unknown-kid' })],
  ['garbage', () => 'not.a.jwt'],
])('%s gets 401 and nothing is processed', async (_name, token) => {
  connector.clear();
  const res = await post(`${app.url}/api/messages`, hello(), token());
  expect(res.status).toBe(401);
  expect(JSON.stringify(res.body)).toBe('{"error":"unauthorized"}');
  await new Promise((r) => setTimeout(r, 100));
  expect(connector.requests()).toHaveLength(0);
});

describe('local mode', () => {
  it('is refused in production and off loopback', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', TABLES_ENDPOINT: 'https://x.table.core.windows.net' }),
    ).toThrow(/BOT_ID is required in production/);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/only listens on loopback/);
  });
});
