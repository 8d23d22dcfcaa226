// Only Teams may speak for a tenant: with a bot id, an activity from another channel (Web Chat, Direct Line),
// naming a service URL that is not Teams', or carrying a token from an issuer other than the Bot Framework's
// channel issuer (an emulator or tenant token) is answered 403 and never runs; a proper msteams activity still does.
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, personalMessage, post, type TeamsActivity } from '../support/activities';
import { startWithBotAuth } from '../support/authed';
import type { FakeConnector } from '../support/connector';
import { botFrameworkClaims, type FakeEntra } from '../support/entra';
import type { TestClock } from '../support/app';
import { snapshot } from '../faults/verify';

const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const PASSWORD = 'not-a-real-secret';
let connector: FakeConnector;
let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const lines: string[] = [];
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') };

beforeAll(async () => {
  ({ connector, entra, app, stop } = await startWithBotAuth({
    appId: APP_ID,
    password: PASSWORD,
    // Like the Bot Framework's real signing keys, endorsed for other channels as well as Teams: the SDK alone
    // would accept a Web Chat or Direct Line activity.
    entra: { endorsements: ['msteams', 'webchat', 'directline', 'emulator', 'slack'] },
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso`, TEAMS_SERVICE_HOSTS: '127.0.0.1' },
    log: createLogger({ json: true, sink: (line) => lines.push(line) }),
  }));
});
afterAll(() => stop());

const who = () => ({ serviceUrl: connector.serviceUrl, tenantId: CONTOSO, userId: '29:mallory' });
const hello = () => personalMessage({ ...who(), text: 'help' });
const filing = (): TeamsActivity =>
  actionExecute(
    'ticket.submit',
    {
      verb: 'ticket.submit',
      requestId: '0b3e7c1a-0000-4000-8000-000000000001',
      title: 'Forged',
      description: 'A ticket in Contoso’s name',
      category: 'question',
      priority: 'P3',
    },
    { ...who(), replyToId: 'form' },
  );
const token = (serviceUrl: string = connector.serviceUrl) =>
  entra.mintToken(botFrameworkClaims(APP_ID, serviceUrl));
/** A token the SDK's emulator path accepts: a tenant's Entra issuer, the bot's own app id. */
const tenantToken = () => {
  const seconds = Math.floor(Date.now() / 1000);
  return entra.mintToken({
    iss: `https://sts.windows.net/${CONTOSO}/`,
    tid: CONTOSO,
    ver: '1.0',
    appid: APP_ID,
    aud: APP_ID,
    nbf: seconds - 60,
    exp: seconds + 3600,
  });
};

it('a proper msteams activity from the Teams service URL with a channel token still works', async () => {
  connector.clear();
  const res = await post(`${app.url}/api/messages`, hello(), token());
  expect(res.status).toBe(200);
  await connector.waitFor((r) => r.activity !== undefined);
});

describe('anything else is 403 and nothing is processed or stored', () => {
  const localhostUrl = () => connector.serviceUrl.replace('127.0.0.1', 'localhost');
  const cases: [string, () => { body: TeamsActivity; token: string }, RegExp][] = [
    [
      'channel webchat',
      () => ({ body: { ...hello(), channelId: 'webchat' } as unknown as TeamsActivity, token: token() }),
      /msteams/,
    ],
    [
      'channel directline',
      () => ({ body: { ...filing(), channelId: 'directline' } as unknown as TeamsActivity, token: token() }),
      /msteams/,
    ],
    [
      'channel directlinease',
      () => ({
        body: { ...hello(), channelId: 'directlinease' } as unknown as TeamsActivity,
        token: token(),
      }),
      /msteams/,
    ],
    [
      'channel emulator',
      () => ({ body: { ...hello(), channelId: 'emulator' } as unknown as TeamsActivity, token: token() }),
      /msteams/,
    ],
    [
      'a service URL not on the Teams list',
      () => ({ body: { ...filing(), serviceUrl: localhostUrl() }, token: token(localhostUrl()) }),
      /Teams service URL/,
    ],
    [
      'the Direct Line service URL',
      () => ({
        body: { ...hello(), serviceUrl: 'https://directline.botframework.com/' },
        token: token('https://directline.botframework.com/'),
      }),
      /Teams service URL/,
    ],
    [
      'a service URL with credentials in it',
      () => {
        const url = connector.serviceUrl.replace('http://', 'http://user:pw@');
        return { body: { ...hello(), serviceUrl: url }, token: token(url) };
      },
      /Teams service URL/,
    ],
    ['a tenant (emulator-path) token', () => ({ body: filing(), token: tenantToken() }), /issuer/],
  ];
  it.each(cases)('%s', async (_name, make, reason) => {
    const { body, token: bearer } = make();
    const before = await snapshot(app.storage, app.config.tablePrefix);
    connector.clear();
    lines.length = 0;
    const res = await post(`${app.url}/api/messages`, body, bearer);
    expect(res.status).toBe(403);
    expect((res.body as { error: string }).error).toMatch(reason);
    await app.background.drain();
    expect(connector.requests()).toHaveLength(0);
    expect(await snapshot(app.storage, app.config.tablePrefix)).toEqual(before);
    // Told in the log, with the reason and never the token.
    const told = lines.filter((l) => l.includes('refused an activity not from Teams'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(reason);
    expect(told.join('\n')).not.toContain(bearer.split('.')[1] ?? bearer);
  });
});

it('the Teams service hosts are a setting: public Teams by default, no loopback in production', () => {
  expect(loadConfig({}).teams.serviceHosts).toEqual(['smba.trafficmanager.net']);
  expect(
    loadConfig({ TEAMS_SERVICE_HOSTS: 'smba.trafficmanager.net; smba.infra.gcc.teams.microsoft.com' }).teams
      .serviceHosts,
  ).toEqual(['smba.trafficmanager.net', 'smba.infra.gcc.teams.microsoft.com']);
  expect(() => loadConfig({ TEAMS_SERVICE_HOSTS: ' ' })).toThrow(/names no host/);
  expect(() => loadConfig({ TEAMS_SERVICE_HOSTS: 'https://x/' })).toThrow(/not a host name/);
  expect(() =>
    loadConfig({
      NODE_ENV: 'production',
      BOT_ID: APP_ID,
      BOT_PASSWORD: PASSWORD,
      TABLES_ENDPOINT: 'https://x.table.core.windows.net',
      AAD_APP_CLIENT_ID: APP_ID,
      HOST: '0.0.0.0',
      TEAMS_SERVICE_HOSTS: '127.0.0.1',
    }),
  ).toThrow(/loopback name, refused in production/);
});
