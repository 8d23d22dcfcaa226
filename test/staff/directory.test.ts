// Staff by Entra group: the directory asks Microsoft Graph (a loopback stand-in, with tokens from a fake Entra)
// which staff groups a caller of the staff tenant is in, and never asks about anyone else.
import type { Caller } from '../../src/domain/staff/caller';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/log';
import { MAX_ROSTER, roleOf, StaffDirectory } from '../../src/domain/staff/directory';
import { GraphClient } from '../../src/adapters/graph';
import { startFakeEntra, type FakeEntra } from '../support/entra';
import { startFakeGraph, startFakeManagedIdentity, type FakeGraph } from '../support/graph';
import { ManagedIdentityCredential } from '@azure/identity';

const VENDOR = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const CUSTOMER = '11111111-1111-4111-8111-111111111111';
const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const SECRET = 'not-a-real-secret';
const ENGINEERS = 'e0000000-0000-4000-8000-00000000e001';
const MANAGERS = 'e0000000-0000-4000-8000-00000000e002';
const ERIN = 'a0000000-0000-4000-8000-000000000001'; // in the engineer group
const MIKE = 'a0000000-0000-4000-8000-000000000002'; // in the manager group
const BOTH = 'a0000000-0000-4000-8000-000000000003'; // in both
const NINA = 'a0000000-0000-4000-8000-000000000004'; // in the directory, in no staff group
const CARL = 'a0000000-0000-4000-8000-000000000005'; // configured engineer, also in the manager group
const GONE = 'a0000000-0000-4000-8000-000000000006'; // not in the directory

let entra: FakeEntra;
let graph: FakeGraph;

beforeAll(async () => {
  entra = await startFakeEntra({ tokenLifetimeSeconds: 3600 });
  entra.registerApp(APP_ID, SECRET);
  graph = await startFakeGraph({ entra, tenantId: VENDOR });
  graph.setMembers(ENGINEERS, [ERIN, BOTH]);
  graph.setMembers(MANAGERS, [MIKE, BOTH, CARL]);
  graph.addUsers([NINA]);
});
afterAll(async () => {
  await graph.stop();
  await entra.stop();
});

function caller(aadObjectId: string | undefined, tenantId = VENDOR, name = 'Teams Name'): Caller {
  return {
    tenantId,
    userId: `29:${aadObjectId ?? 'x'}`,
    aadObjectId,
    name,
    zone: undefined,
    conversationId: '19:support@thread.tacv2',
    conversationType: 'channel',
    serviceUrl: 'http://127.0.0.1:1/',
  };
}

interface Setup {
  readonly directory: StaffDirectory;
  readonly clock: { now: number };
  readonly warnings: string[];
  readonly tokens: () => number;
}

/** A fresh directory (empty caches) with its own token cache; counts are of requests made from now on. */
function setup(
  over: { ttlMs?: number; maxEntries?: number; timeoutMs?: number; secret?: string } = {},
): Setup {
  graph.clear();
  const before = entra.tokenRequests().length;
  const clock = { now: Date.parse('2026-11-25T15:00:00Z') };
  const warnings: string[] = [];
  const log: Logger = createLogger({
    json: false,
    level: 'warn',
    sink: (line) => {
      warnings.push(line);
    },
  });
  const config = loadConfig({
    BOT_ID: APP_ID,
    BOT_PASSWORD: over.secret ?? SECRET,
    STAFF_TENANT_ID: VENDOR,
    STAFF_ENGINEERS: `${CARL}=Carl Configured`,
    STAFF_ENGINEER_GROUP: ENGINEERS,
    STAFF_MANAGER_GROUP: MANAGERS,
    GRAPH_ENDPOINT: graph.url,
    LOGIN_ENDPOINT: entra.url,
  });
  const client = new GraphClient({
    endpoint: config.graph.endpoint,
    credential: {
      kind: 'client-secret',
      loginEndpoint: config.graph.loginEndpoint,
      tenantId: VENDOR,
      clientId: APP_ID,
      clientSecret: over.secret ?? SECRET,
    },
    timeoutMs: over.timeoutMs ?? 3000,
    clock: () => clock.now,
  });
  const directory = new StaffDirectory({
    config,
    graph: client,
    log,
    clock: () => clock.now,
    ...(over.ttlMs === undefined ? {} : { ttlMs: over.ttlMs }),
    ...(over.maxEntries === undefined ? {} : { maxEntries: over.maxEntries }),
  });
  return { directory, clock, warnings, tokens: () => entra.tokenRequests().length - before };
}

describe('the role rule', () => {
  const groups = { engineer: 'g-eng', manager: 'g-mgr' };
  it.each([
    [['g-eng'], 'engineer'],
    [['G-MGR'], 'manager'],
    [['g-eng', 'g-mgr'], 'manager'],
    [['g-other'], undefined],
    [[], undefined],
  ] as const)('membership %j gives %s', (memberOf, role) => {
    expect(roleOf(memberOf, groups)).toBe(role);
  });
  it('a group that is not configured gives nothing', () => {
    expect(roleOf(['g-eng'], { engineer: undefined, manager: 'g-mgr' })).toBeUndefined();
  });
});

describe('a caller of the staff tenant', () => {
  it('in the engineer group is an engineer, named as in Teams; Graph is asked about both groups as the bot', async () => {
    const { directory, tokens } = setup();
    const staff = await directory.resolve(caller(ERIN, VENDOR, 'Erin Engineer'));
    expect(staff).toEqual({
      caller: caller(ERIN, VENDOR, 'Erin Engineer'),
      role: 'engineer',
      name: 'Erin Engineer',
    });
    const [request, ...more] = graph.requests();
    expect(more).toEqual([]);
    expect(request).toMatchObject({
      method: 'POST',
      path: `/v1.0/users/${ERIN}/checkMemberGroups`,
      tokenTenant: VENDOR,
      status: 200,
    });
    expect([...(request?.groupIds ?? [])].sort()).toEqual([ENGINEERS, MANAGERS].sort());
    expect(tokens()).toBe(1);
    const token = entra.tokenRequests().at(-1);
    expect(token).toMatchObject({
      tenant: VENDOR,
      grantType: 'client_credentials',
      clientId: APP_ID,
      scope: `${graph.url}/.default`,
      secret: 'matched',
      status: 200,
    });
  });

  it('in the manager group is a manager; in both, a manager', async () => {
    const { directory } = setup();
    expect((await directory.resolve(caller(MIKE)))?.role).toBe('manager');
    expect((await directory.resolve(caller(BOTH)))?.role).toBe('manager');
  });

  it('configured in STAFF_ENGINEERS keeps that role and name, without a Graph request', async () => {
    const { directory, tokens } = setup();
    expect(await directory.resolve(caller(CARL.toUpperCase()))).toMatchObject({
      role: 'engineer',
      name: 'Carl Configured',
    });
    expect(graph.requests()).toEqual([]);
    expect(tokens()).toBe(0);
  });

  it('in no staff group, or not in the directory at all, is not staff', async () => {
    const { directory } = setup();
    expect(await directory.resolve(caller(NINA))).toBeUndefined();
    expect(await directory.resolve(caller(GONE))).toBeUndefined();
    expect(graph.requests().map((r) => r.status)).toEqual([200, 404]);
    // Both answers are definite, so they are remembered.
    expect(await directory.resolve(caller(NINA))).toBeUndefined();
    expect(await directory.resolve(caller(GONE))).toBeUndefined();
    expect(graph.requests()).toHaveLength(2);
  });

  it('without an Entra object id, or with one that is not a GUID, is not staff and Graph is not asked', async () => {
    const { directory, tokens } = setup();
    expect(await directory.resolve(caller(undefined))).toBeUndefined();
    expect(await directory.resolve(caller('../../groups'))).toBeUndefined();
    expect(graph.requests()).toEqual([]);
    expect(tokens()).toBe(0);
  });
});

describe('a caller of another tenant', () => {
  it('is never staff and causes no request at all, even with a staff member’s object id', async () => {
    const { directory, tokens } = setup();
    expect(await directory.resolve(caller(ERIN, CUSTOMER))).toBeUndefined();
    expect(await directory.resolve(caller(CARL, CUSTOMER))).toBeUndefined();
    expect(await directory.resolve(undefined)).toBeUndefined();
    expect(graph.requests()).toEqual([]);
    expect(tokens()).toBe(0);
  });
});

describe('when Graph fails', () => {
  it('a 500 means not staff for that call only: it is logged and not remembered', async () => {
    const { directory, warnings } = setup();
    graph.failNext(500);
    expect(await directory.resolve(caller(ERIN))).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/staff group check failed.*500/);
    expect((await directory.resolve(caller(ERIN)))?.role).toBe('engineer');
    expect(graph.requests().map((r) => r.status)).toEqual([500, 200]);
  });

  it('a request that takes longer than the timeout means not staff, and is not remembered', async () => {
    const { directory, warnings } = setup({ timeoutMs: 200 });
    graph.stallNext(2000);
    const started = Date.now();
    expect(await directory.resolve(caller(MIKE))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1900);
    expect(warnings.join('\n')).toMatch(/timed out/);
    expect((await directory.resolve(caller(MIKE)))?.role).toBe('manager');
  });

  it('a 401 from Graph drops the token, so the next call gets a new one', async () => {
    const { directory, tokens } = setup();
    expect((await directory.resolve(caller(ERIN)))?.role).toBe('engineer');
    graph.failNext(401);
    expect(await directory.resolve(caller(MIKE))).toBeUndefined();
    expect((await directory.resolve(caller(MIKE)))?.role).toBe('manager');
    expect(tokens()).toBe(2);
  });

  it('a refused token (wrong secret) means not staff, logged, and Graph is not asked', async () => {
    const { directory, warnings } = setup({ secret: 'wrong' });
    expect(await directory.resolve(caller(ERIN))).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/token request answered 401/);
    expect(graph.requests()).toEqual([]);
  });
});

describe('caching', () => {
  it('one token serves many users until shortly before it expires', async () => {
    const { directory, clock, tokens } = setup();
    await directory.resolve(caller(ERIN));
    await directory.resolve(caller(MIKE));
    await directory.resolve(caller(NINA));
    expect(tokens()).toBe(1);
    clock.now += 54 * 60_000; // the token lives 60 min and is renewed 5 min before
    await directory.resolve(caller(BOTH));
    expect(tokens()).toBe(1);
    clock.now += 2 * 60_000;
    await directory.resolve(caller(GONE));
    expect(tokens()).toBe(2);
  });

  it('an answer is kept for the TTL, then asked again', async () => {
    const { directory, clock } = setup({ ttlMs: 10 * 60_000 });
    await directory.resolve(caller(ERIN));
    clock.now += 9 * 60_000;
    expect((await directory.resolve(caller(ERIN)))?.role).toBe('engineer');
    expect(graph.requests()).toHaveLength(1);
    clock.now += 2 * 60_000;
    graph.setMembers(ENGINEERS, [BOTH]); // Erin left the group
    expect(await directory.resolve(caller(ERIN))).toBeUndefined();
    expect(graph.requests()).toHaveLength(2);
    graph.setMembers(ENGINEERS, [ERIN, BOTH]);
  });

  it('twenty presses at once by one user make one token request and one Graph request', async () => {
    const { directory, tokens } = setup();
    const all = await Promise.all(Array.from({ length: 20 }, () => directory.resolve(caller(MIKE))));
    expect(all.map((s) => s?.role)).toEqual(Array.from({ length: 20 }, () => 'manager'));
    expect(graph.requests()).toHaveLength(1);
    expect(tokens()).toBe(1);
  });

  it('remembers at most maxEntries users, forgetting the oldest answer first', async () => {
    const { directory } = setup({ maxEntries: 2 });
    await directory.resolve(caller(ERIN));
    await directory.resolve(caller(MIKE));
    await directory.resolve(caller(NINA)); // Erin is forgotten
    await directory.resolve(caller(NINA));
    await directory.resolve(caller(MIKE));
    expect(graph.requests()).toHaveLength(3);
    await directory.resolve(caller(ERIN));
    expect(graph.requests()).toHaveLength(4);
  });
});

describe('the pick list of owners (Reassign)', () => {
  beforeAll(() => {
    graph.nameUsers({
      [ERIN]: 'Erin Engineer',
      [MIKE]: 'Mike Manager',
      [BOTH]: 'Bea Both',
      [CARL]: 'Carl in Graph',
    });
  });
  afterEach(() => {
    graph.setPageSize(999);
  });

  it('is the configured staff, then the groups’ members by name, read page by page', async () => {
    const { directory } = setup();
    expect(directory.roster()).toEqual([{ id: CARL, name: 'Carl Configured' }]);
    graph.setPageSize(1);
    await directory.refreshRoster();
    expect(directory.roster()).toEqual([
      { id: CARL, name: 'Carl Configured' },
      { id: BOTH, name: 'Bea Both' },
      { id: ERIN, name: 'Erin Engineer' },
      { id: MIKE, name: 'Mike Manager' },
    ]);
    const listed = graph.requests().filter((r) => r.method === 'GET');
    expect(listed).toHaveLength(5); // one member a page: 2 pages of engineers, 3 of managers
    expect(listed.every((r) => r.status === 200 && r.tokenTenant === VENDOR)).toBe(true);
    expect(directory.nameOf(ERIN.toUpperCase())).toBe('Erin Engineer');
    expect(directory.nameOf(CARL)).toBe('Carl Configured');
    expect(directory.nameOf(NINA)).toBeUndefined();
  });

  it('offers at most MAX_ROSTER people, the configured ones first', async () => {
    const many = Array.from(
      { length: 150 },
      (_, i) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    graph.setMembers(ENGINEERS, many);
    try {
      const { directory } = setup();
      await directory.refreshRoster();
      const roster = directory.roster();
      expect(roster).toHaveLength(MAX_ROSTER);
      expect(roster[0]).toEqual({ id: CARL, name: 'Carl Configured' });
      expect(directory.nameOf(many[149] ?? '')).toBe(many[149]); // no display name: the id stands in
    } finally {
      graph.setMembers(ENGINEERS, [ERIN, BOTH]);
    }
  });

  it('keeps the last members read when Graph fails, and says so', async () => {
    const { directory, warnings } = setup();
    await directory.refreshRoster();
    graph.failNext(503, 2);
    await directory.refreshRoster();
    expect(warnings.join('\n')).toMatch(/reading the staff groups failed.*503/);
    expect(directory.roster().map((m) => m.id)).toEqual([CARL, BOTH, ERIN, MIKE]);
  });

  it('without an identity to ask Graph with, is the configured staff only and nobody is asked', async () => {
    graph.clear();
    const directory = new StaffDirectory({
      config: loadConfig({
        STAFF_TENANT_ID: VENDOR,
        STAFF_MANAGERS: `${CARL}=Carl`,
        STAFF_ENGINEER_GROUP: ENGINEERS,
      }),
      graph: undefined,
      log: createLogger({ json: false, sink: () => undefined }),
    });
    directory.start();
    await directory.refreshRoster();
    await directory.stop();
    expect(directory.roster()).toEqual([{ id: CARL, name: 'Carl' }]);
    expect(await directory.resolve(caller(ERIN))).toBeUndefined();
    expect(graph.requests()).toEqual([]);
  });
});

describe('as a managed identity (the Azure deployment: BOT_TYPE UserAssignedMSI)', () => {
  it('gets its Graph token from the identity endpoint, for the bot’s client id', async () => {
    const msi = await startFakeManagedIdentity(entra, VENDOR);
    const saved = { endpoint: process.env['IDENTITY_ENDPOINT'], header: process.env['IDENTITY_HEADER'] };
    // ManagedIdentityCredential reads these itself, as it does on App Service.
    process.env['IDENTITY_ENDPOINT'] = msi.endpoint;
    process.env['IDENTITY_HEADER'] = msi.header;
    try {
      graph.clear();
      const config = loadConfig({
        BOT_ID: APP_ID,
        BOT_TYPE: 'UserAssignedMSI',
        BOT_TENANT_ID: VENDOR,
        STAFF_TENANT_ID: VENDOR,
        STAFF_ENGINEER_GROUP: ENGINEERS,
        GRAPH_ENDPOINT: graph.url,
      });
      const directory = new StaffDirectory({
        config,
        graph: new GraphClient({
          endpoint: config.graph.endpoint,
          credential: {
            kind: 'managed-identity',
            source: new ManagedIdentityCredential({ clientId: APP_ID }),
          },
        }),
        log: createLogger({ json: false, sink: () => undefined }),
      });
      expect((await directory.resolve(caller(ERIN)))?.role).toBe('engineer');
      expect(await directory.resolve(caller(NINA))).toBeUndefined();
      expect(msi.requests()).toEqual([{ resource: graph.url, clientId: APP_ID }]);
      expect(graph.requests().map((r) => [r.objectId, r.tokenTenant, r.status])).toEqual([
        [ERIN, VENDOR, 200],
        [NINA, VENDOR, 200],
      ]);
    } finally {
      if (saved.endpoint === undefined) delete process.env['IDENTITY_ENDPOINT'];
      else process.env['IDENTITY_ENDPOINT'] = saved.endpoint;
      if (saved.header === undefined) delete process.env['IDENTITY_HEADER'];
      else process.env['IDENTITY_HEADER'] = saved.header;
      await msi.stop();
    }
  });
});

describe('configuration', () => {
  const base = {
    STAFF_TENANT_ID: VENDOR,
    STAFF_ENGINEER_GROUP: ENGINEERS,
    BOT_ID: APP_ID,
    BOT_PASSWORD: SECRET,
  };
  it('reads the groups (lower-case) and the public cloud endpoints by default', () => {
    const c = loadConfig({ ...base, STAFF_MANAGER_GROUP: MANAGERS.toUpperCase() });
    expect(c.staff.groups).toEqual({ engineer: ENGINEERS, manager: MANAGERS });
    expect(c.graph).toEqual({
      endpoint: 'https://graph.microsoft.com',
      loginEndpoint: 'https://login.microsoftonline.com',
    });
    expect(loadConfig({ GRAPH_ENDPOINT: 'https://graph.microsoft.us/' }).graph.endpoint).toBe(
      'https://graph.microsoft.us',
    );
  });
  it.each([
    [{ ...base, STAFF_TENANT_ID: '' }, /STAFF_ENGINEER_GROUP needs STAFF_TENANT_ID/],
    [{ ...base, BOT_PASSWORD: '' }, /STAFF_ENGINEER_GROUP needs BOT_PASSWORD/],
    [{ ...base, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: CUSTOMER }, /BOT_TENANT_ID must be STAFF_TENANT_ID/],
    [
      { ...base, BOT_PASSWORD: '', BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: CUSTOMER },
      /a UserAssignedMSI bot can only read groups of its own tenant/,
    ],
    [{ ...base, STAFF_ENGINEER_GROUP: 'Support Engineers' }, /STAFF_ENGINEER_GROUP: an Entra object id/],
    [{ ...base, GRAPH_ENDPOINT: 'http://graph.example.com' }, /GRAPH_ENDPOINT: an https URL/],
    [{ ...base, LOGIN_ENDPOINT: 'not a url' }, /LOGIN_ENDPOINT/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
  it('accepts a managed-identity bot of the staff tenant', () => {
    const c = loadConfig({ ...base, BOT_PASSWORD: '', BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: VENDOR });
    expect(c.staff.groups.engineer).toBe(ENGINEERS);
  });
  it('accepts groups in local mode (the app warns that they are ignored there)', () => {
    const c = loadConfig({ STAFF_TENANT_ID: VENDOR, STAFF_MANAGER_GROUP: MANAGERS });
    expect(c.bot.mode).toBe('local');
    expect(c.staff.groups.manager).toBe(MANAGERS);
  });
});
