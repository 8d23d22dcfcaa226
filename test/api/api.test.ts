// The tab API over real HTTP: Teams SSO tokens minted by a loopback token authority's test key, checked
// for signature, issuer per tenant, audience, scope, expiry and tenant; roles from the configuration; a
// customer never learns about another tenant's tickets. Dashboard counters against real Azurite.
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { et } from '../fixtures';
import { startTestApp, untoldTickets, type TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { TestAzurite } from '../support/azurite';
import type { FakeEntra } from '../support/entra';
import {
  act,
  APP_ID_URI,
  CLIENT_ID,
  CONTOSO,
  ENGINEER,
  FABRIKAM,
  FOREIGN_TENANT,
  getJson,
  MANAGER,
  seed,
  ssoClaims,
  STAFF_TENANT,
  TAB_ENV,
} from '../support/tab';
import { TableStatsRepo } from '../../src/adapters/storage/stats-repo';
import { StatsService } from '../../src/domain/stats/service';
import { Background } from '../../src/background';
import { silentLogger } from '../../src/log';
import type { Ticket } from '../../src/domain/tickets/model';

let azurite: TestAzurite;
let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-25 08:00') };
const tickets: Record<string, Ticket> = {};

beforeAll(async () => {
  ({ azurite, entra, app, stop } = await startWithTabSso({ clock }));
  tickets['p2'] = await seed(app, clock, et('2026-11-25 08:00'), { priority: 'P2', title: 'Transfers fail' });
  await act(app, clock, et('2026-11-25 08:30'), tickets['p2'].id, { kind: 'reply', text: 'Looking now' });
  tickets['p1'] = await seed(app, clock, et('2026-11-25 09:00'), {
    priority: 'P1',
    category: 'outage',
    title: 'No calls at all',
  });
  tickets['fab'] = await seed(app, clock, et('2026-11-25 10:00'), {
    tenantId: FABRIKAM,
    customerName: 'Fabrikam',
    priority: 'P3',
    category: 'provisioning',
    title: 'New numbers not provisioned',
  });
  await act(app, clock, et('2026-11-25 10:05'), tickets['fab'].id, {
    kind: 'note',
    text: 'internal: check the carrier',
  });
  clock.now = et('2026-11-25 10:30');
  await app.background.drain();
});
afterAll(() => stop());

const token = (tenant: string, oid: string, over: Record<string, unknown> = {}, options = {}) =>
  entra.mintToken(ssoClaims(tenant, oid, over), options);
const manager = () => token(STAFF_TENANT, MANAGER);
const contoso = () => token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001');
const fabrikam = () => token(FABRIKAM, 'ffffffff-0000-4000-8000-000000000001');
const get = (path: string, t: string | undefined) => getJson(`${app.url}${path}`, t);

describe('tokens', () => {
  it.each([
    ['a manager', () => manager(), 'manager'],
    ['an engineer', () => token(STAFF_TENANT, ENGINEER), 'engineer'],
    ['a customer', () => contoso(), 'customer'],
    [
      'a v1 token (sts.windows.net issuer, Application ID URI audience)',
      () =>
        token(STAFF_TENANT, MANAGER, {
          iss: `https://sts.windows.net/${STAFF_TENANT}/`,
          aud: APP_ID_URI,
          ver: '1.0',
        }),
      'manager',
    ],
  ])('%s gets in with their role', async (_name, t, role) => {
    const res = await get('/api/me', t());
    expect(res.status).toBe(200);
    expect(res.body['role']).toBe(role);
  });

  it.each([
    ['no token', () => undefined],
    ['garbage', () => 'not.a.jwt'],
    ['an expired token', () => token(STAFF_TENANT, MANAGER, {}, { expired: true })],
    [
      'a token for another app (audience)',
      () => token(STAFF_TENANT, MANAGER, { aud: 'api://elsewhere/other' }),
    ],
    ['a token from another issuer', () => token(STAFF_TENANT, MANAGER, { iss: 'https://evil.example/v2.0' })],
    [
      "another tenant's issuer",
      () => token(STAFF_TENANT, MANAGER, { iss: `https://login.microsoftonline.com/${CONTOSO}/v2.0` }),
    ],
    ['a token without access_as_user', () => token(STAFF_TENANT, MANAGER, { scp: 'User.Read' })],
    ['a token with no scope at all', () => token(STAFF_TENANT, MANAGER, { scp: null })],
    ['a wrongly signed token', () => token(STAFF_TENANT, MANAGER, {}, { foreignKey: true })],
    ['a token signed with an unknown key', () => token(STAFF_TENANT, MANAGER, {}, { kid: 'unknown-kid' })],
    [
      'an unsigned token (alg none)',
      () => {
        const [, payload] = manager().split('.');
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload ?? ''}.`;
      },
    ],
    ['a token without a tenant', () => token(STAFF_TENANT, MANAGER, { tid: null })],
  ])('%s gets 401 and says nothing more', async (_name, t) => {
    const res = await get('/api/me', t());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Sign in again.' } });
  });

  it.each([
    ['a user of a tenant that is neither customer nor staff', () => token(FOREIGN_TENANT, MANAGER)],
    [
      'a staff-tenant user who is not staff',
      () => token(STAFF_TENANT, 'bbbbbbbb-0000-4000-8000-000000000009'),
    ],
  ])('%s gets 403', async (_name, t) => {
    const res = await get('/api/queue', t());
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'FORBIDDEN', message: 'You do not have access to SLA Desk.' },
    });
  });

  it.each(['/api/dashboard', '/api/whatif?priority=P1&at=2026-11-25T10:00:00-05:00', '/api/oncall'])(
    'a customer gets 403 from the staff route %s',
    async (path) => {
      const res = await get(path, contoso());
      expect(res.status).toBe(403);
    },
  );

  it('production refuses to start without the tab SSO app', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        BOT_ID: 'b0b0b0b0-0000-4000-8000-000000000000',
        TABLES_ENDPOINT: 'https://x.table.core.windows.net',
      }),
    ).toThrow(/AAD_APP_CLIENT_ID is required in production/);
    expect(() =>
      loadConfig({ AAD_APP_CLIENT_ID: CLIENT_ID, TAB_AUTH_JWKS_URL: 'http://keys.example.com/keys' }),
    ).toThrow(/TAB_AUTH_JWKS_URL must be https/);
  });
});

describe('tenants', () => {
  it("a customer asking for another tenant's ticket gets the same 404 as for a missing one", async () => {
    const other = await get(`/api/tickets/${tickets['fab']?.id ?? ''}`, contoso());
    const missing = await get('/api/tickets/TM-999999', contoso());
    expect(other.status).toBe(404);
    expect(other).toEqual(missing);
    expect(JSON.stringify(other.body)).not.toContain('Fabrikam');
  });

  it("a customer's queue holds only their tenant's tickets, and search by id finds no other's", async () => {
    const res = await get('/api/queue', contoso());
    const rows = res.body['rows'] as { id: string; tenantId: string }[];
    expect(rows.map((r) => r.id).sort()).toEqual([tickets['p1']?.id, tickets['p2']?.id].sort());
    expect(rows.every((r) => r.tenantId === CONTOSO)).toBe(true);
    const search = await get(`/api/queue?q=${tickets['fab']?.id ?? ''}`, contoso());
    expect(search.body['rows']).toEqual([]);
  });

  it('a customer sees their ticket and timeline without internal notes; staff see the notes', async () => {
    const id = tickets['fab']?.id ?? '';
    const customer = await get(`/api/tickets/${id}`, fabrikam());
    expect(customer.status).toBe(200);
    const types = (customer.body['timeline'] as { type: string }[]).map((e) => e.type);
    expect(types).toContain('created');
    expect(types).not.toContain('internal-note');
    expect(JSON.stringify(customer.body)).not.toContain('check the carrier');
    const staff = await get(`/api/tickets/${id}`, manager());
    expect((staff.body['timeline'] as { type: string }[]).map((e) => e.type)).toContain('internal-note');
  });
});

describe('the queue and the ticket', () => {
  it('lists open tickets of every tenant by next deadline with their states', async () => {
    const res = await get('/api/queue', manager());
    const rows = res.body['rows'] as { id: string; state: string; next: { due: number } | null }[];
    expect(rows.map((r) => [r.id, r.state])).toEqual([
      [tickets['p1']?.id, 'breached'],
      [tickets['fab']?.id, 'on-track'],
      [tickets['p2']?.id, 'on-track'],
    ]);
  });

  it('filters by priority, state, customer and text, and refuses bad filters', async () => {
    const ids = async (q: string) =>
      ((await get(`/api/queue?${q}`, manager())).body['rows'] as { id: string }[]).map((r) => r.id);
    expect(await ids('priority=P1')).toEqual([tickets['p1']?.id]);
    expect(await ids('state=breached')).toEqual([tickets['p1']?.id]);
    expect(await ids(`customer=${FABRIKAM}`)).toEqual([tickets['fab']?.id]);
    expect(await ids('q=transfers')).toEqual([tickets['p2']?.id]);
    expect((await get('/api/queue?priority=P9', manager())).status).toBe(400);
  });

  it('explains each deadline in words', async () => {
    const res = await get(`/api/tickets/${tickets['p1']?.id ?? ''}`, manager());
    const [response] = res.body['explanations'] as { reasons: { topic: string; text: string }[] }[];
    const text = response?.reasons.map((r) => r.text).join(' ') ?? '';
    expect(text).toContain('inside support hours');
    expect(text).toContain(
      'P1 response target (in-hours): 1 h (60 min), counted from the filing at Wed 25 Nov 2026 09:00 ET',
    );
    expect(text).toContain('continuous clock');
    expect(text).toContain('Breached');
  });

  it('what-if answers both deadlines and warnings from the engine', async () => {
    const res = await get('/api/whatif?priority=P2&at=2026-11-27T23:10:00-05:00', manager());
    expect(res.status).toBe(200);
    expect(res.body['window']).toBe('after-hours');
    expect((res.body['response'] as { due: number }).due).toBe(et('2026-11-30 05:10'));
    expect((res.body['workaround'] as { due: number }).due).toBe(et('2026-12-04 23:10'));
    const bad = await get('/api/whatif?priority=P2&at=2026-11-27T23:10', manager());
    expect(bad.status).toBe(400);
  });
});

describe('dashboard counters', () => {
  interface Fig {
    tickets: number;
    response: { onTime: number; breached: number; share: number | null };
    responseMedianMinutes: number | null;
  }
  const figures = async () => {
    const res = await get('/api/dashboard', manager());
    expect(res.status).toBe(200);
    return res.body as {
      current: { byPriority: Record<string, Fig> };
      breaches: { ticketId: string }[];
      atRisk: { ticketId: string }[];
    };
  };

  it("counts this month's targets per priority, with the open breach and what is at risk", async () => {
    const d = await figures();
    expect(d.current.byPriority['P1']).toMatchObject({
      tickets: 1,
      response: { onTime: 0, breached: 1, share: 0 },
    });
    expect(d.current.byPriority['P2']).toMatchObject({
      tickets: 1,
      response: { onTime: 1, breached: 0, share: 1 },
      responseMedianMinutes: 30,
    });
    expect(d.breaches.map((b) => b.ticketId)).toEqual([tickets['p1']?.id]);
    expect(d.atRisk.map((r) => r.ticketId)).toEqual([tickets['p1']?.id]);
  });

  it('counting a ticket again (a retried event) changes nothing', async () => {
    const before = await figures();
    const again = await app.stats.record(tickets['p2'] as Ticket);
    expect(again).toBe(false);
    expect(await figures()).toEqual(before);
  });

  it('two instances counting the same changes at once count each ticket once, at its newest version', async () => {
    const first = await seed(app, clock, et('2026-11-25 10:40'), { priority: 'P3', title: 'Concurrency' });
    await app.background.drain();
    clock.now = et('2026-11-25 10:45');
    const replied = await app.tickets.act(
      { kind: 'staff' },
      first.id,
      { id: ENGINEER, name: 'E', role: 'engineer' },
      {
        kind: 'reply',
        text: 'On it',
      },
    );
    if (!replied.ok) throw replied.error;
    const others = [0, 1, 2].map(
      () =>
        new StatsService({
          repo: new TableStatsRepo(
            app.storage.table(`${app.config.tablePrefix}stats`),
            app.storage.table(`${app.config.tablePrefix}statstickets`),
          ),
          engine: app.engine,
          tickets: app.tickets,
          background: new Background(silentLogger),
        }),
    );
    await Promise.all(others.flatMap((s) => [s.record(replied.value.ticket), s.record(first)]));
    const d = await figures();
    expect(d.current.byPriority['P3']).toMatchObject({ tickets: 2, response: { onTime: 1 } });
    expect(d.current.byPriority['P3']?.responseMedianMinutes).toBe(5);
  });
  it('changes an instance never counted (it stopped first) are caught up on the next start', async () => {
    clock.now = et('2026-11-25 10:55');
    const before = await figures();
    // Saved, but the listeners are never told: as if the instance stopped between the change and its counting.
    const replied = await untoldTickets(app, () => clock.now).act(
      { kind: 'staff' },
      tickets['fab']?.id ?? '',
      { id: ENGINEER, name: 'E', role: 'engineer' },
      { kind: 'reply', text: 'Provisioning now' },
    );
    expect(replied.ok).toBe(true);
    expect(await figures()).toEqual(before);
    expect(await app.stats.catchUp(clock.now)).toBe(1);
    const after = await figures();
    expect(after.current.byPriority['P3']?.response.onTime).toBe(
      (before.current.byPriority['P3']?.response.onTime ?? 0) + 1,
    );
    expect(await app.stats.catchUp(clock.now)).toBe(0);
  });
});

describe('local sign-in', () => {
  let local: App;
  beforeAll(async () => {
    local = await startTestApp({ connectionString: azurite.connectionString, clock, env: { ...TAB_ENV } });
  });
  afterAll(async () => {
    await local.stop();
  });

  it('issues tokens for configured personas that pass the same checks', async () => {
    const config = await getJson(`${local.url}/api/auth/config`, undefined);
    expect(config.body['mode']).toBe('local');
    const personas = config.body['personas'] as { id: string; role: string }[];
    expect(personas.map((p) => p.role)).toEqual(['manager', 'engineer', 'customer', 'customer']);
    const res = await fetch(
      `${local.url}/api/auth/local/token?persona=${encodeURIComponent(personas[0]?.id ?? '')}`,
      {
        method: 'POST',
      },
    );
    const { access_token: t } = (await res.json()) as { access_token: string };
    expect((await getJson(`${local.url}/api/me`, t)).body['role']).toBe('manager');
  });

  it('refuses a token the local issuer did not sign, and unknown personas', async () => {
    const forged = entra.mintToken(
      ssoClaims(STAFF_TENANT, MANAGER, {
        iss: `https://sign-in.sla-desk.invalid/${STAFF_TENANT}/v2.0`,
        aud: 'api://localhost/sla-desk-local',
      }),
    );
    expect((await getJson(`${local.url}/api/me`, forged)).status).toBe(401);
    const res = await fetch(`${local.url}/api/auth/local/token?persona=manager:someone`, { method: 'POST' });
    expect(res.status).toBe(400);
  });

  it('serves no local issuer when SSO is configured', async () => {
    const res = await fetch(`${app.url}/api/auth/local/token?persona=x`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});
