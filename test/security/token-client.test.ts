// Tokens for this app only: the tab API takes a Teams SSO token only when Teams, Microsoft 365 or Outlook (their
// published client ids) or SLA Desk itself obtained it (`azp` in v2 tokens, `appid` in v1); a token another client
// application got for the same API is refused 401, saying why, and recorded in the audit log.
import { decodeJwt } from 'jose';
import type { App } from '../../src/app';
import { LOCAL_CLIENT_ID, TEAMS_CLIENT_IDS } from '../../src/adapters/api/auth';
import { LocalIssuer } from '../../src/adapters/api/local-sign-in';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import { APP_ID_URI, CLIENT_ID, CONTOSO, getJson, ssoClaims } from '../support/tab';

const USER = 'cccccccc-0000-4000-8000-000000000001';
const FOREIGN = '0f0f0f0f-1111-4222-8333-444444444444';
let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock = { now: Date.parse('2026-11-25T10:00:00-05:00') };

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
});
afterAll(() => stop());

const { azp: _azp, ...bare } = ssoClaims(CONTOSO, USER);
const me = (token: string) => getJson(`${app.url}/api/me`, token);

it('lists the hosts of Microsoft\'s "Configure your tab app in Microsoft Entra ID"', () => {
  expect(TEAMS_CLIENT_IDS).toEqual(
    expect.arrayContaining([
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      '4765445b-32c6-49b0-83e6-1d93765276ca',
      '0ec893e0-5785-4de6-99da-4ed124e5296c',
      'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
      '27922004-5251-4030-b22d-91ecd9a37ea4',
    ]),
  );
});

it.each([...TEAMS_CLIENT_IDS, CLIENT_ID, CLIENT_ID.toUpperCase()])(
  'a v2 token obtained by %s gets in',
  async (azp) => {
    const res = await me(entra.mintToken({ ...bare, azp }));
    expect(res.status).toBe(200);
    expect(res.body['role']).toBe('customer');
  },
);

it('a v1 token carries its client as appid', async () => {
  const v1 = { ...bare, iss: `https://sts.windows.net/${CONTOSO}/`, aud: APP_ID_URI, ver: '1.0' };
  expect((await me(entra.mintToken({ ...v1, appid: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' }))).status).toBe(
    200,
  );
  expect((await me(entra.mintToken({ ...v1, appid: FOREIGN }))).status).toBe(401);
});

it.each([
  ['another client application', { ...bare, azp: FOREIGN }],
  ['no client application', bare],
  ['the Bot Framework', { ...bare, azp: 'e0000000-0000-4000-8000-00000000b07f' }],
])('a token of %s is refused, saying why, and recorded', async (_name, claims) => {
  const target = typeof claims['azp'] === 'string' ? claims['azp'] : 'none';
  const recorded = async () =>
    (await app.deps.audit.day('2026-11-25')).filter((e) => e.action === 'api.token' && e.target === target);
  const before = (await recorded()).length;
  const res = await me(entra.mintToken(claims));
  expect(res.status).toBe(401);
  expect(res.body).toEqual({
    error: {
      code: 'FOREIGN_CLIENT',
      message:
        'This sign-in was issued to another application. Open SLA Desk in Teams or Microsoft 365 and sign in there.',
    },
  });
  const rows = (await recorded()).slice(before);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ outcome: 'refused', tenantId: CONTOSO, userId: USER });
  expect(rows[0]?.reason).toContain('/api/me');
});

it('local tokens name the local sign-in as their client', async () => {
  const issuer = await LocalIssuer.create();
  const { token } = await issuer.mint(
    { id: 'x', role: 'customer', name: 'X', tenantId: CONTOSO, userId: USER },
    Date.now(),
  );
  expect(decodeJwt(token)['azp']).toBe(LOCAL_CLIENT_ID);
});
