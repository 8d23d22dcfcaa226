// The tab's assign picker: the staff directory's roster with each person's role as `resolve` gives it —
// configured ids first, then the Entra group (the manager group before the engineer group). Graph is a
// loopback stand-in with tokens from a fake Entra.
import { loadConfig } from '../../src/config';
import { GraphClient } from '../../src/adapters/graph';
import type { Caller } from '../../src/domain/staff/caller';
import { StaffDirectory } from '../../src/domain/staff/directory';
import { silentLogger } from '../../src/log';
import { startFakeEntra, type FakeEntra } from '../support/entra';
import { startFakeGraph, type FakeGraph } from '../support/graph';

const VENDOR = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const SECRET = 'not-a-real-secret';
const ENGINEERS = 'e0000000-0000-4000-8000-00000000e001';
const MANAGERS = 'e0000000-0000-4000-8000-00000000e002';
const ERIN = 'a0000000-0000-4000-8000-000000000001'; // in the engineer group
const MIKE = 'a0000000-0000-4000-8000-000000000002'; // in the manager group
const BOTH = 'a0000000-0000-4000-8000-000000000003'; // in both
const CARL = 'a0000000-0000-4000-8000-000000000005'; // configured engineer, also in the manager group
const MAYA = 'a0000000-0000-4000-8000-000000000007'; // configured manager, in no group

let entra: FakeEntra;
let graph: FakeGraph;

beforeAll(async () => {
  entra = await startFakeEntra({ tokenLifetimeSeconds: 3600 });
  entra.registerApp(APP_ID, SECRET);
  graph = await startFakeGraph({ entra, tenantId: VENDOR });
  graph.setMembers(ENGINEERS, [ERIN, BOTH]);
  graph.setMembers(MANAGERS, [MIKE, BOTH, CARL]);
  graph.nameUsers({ [ERIN]: 'Erin Engineer', [MIKE]: 'Mike Manager', [BOTH]: 'Bea Both', [CARL]: 'Carl' });
});
afterAll(async () => {
  await graph.stop();
  await entra.stop();
});

function directory(): StaffDirectory {
  const config = loadConfig({
    BOT_ID: APP_ID,
    BOT_PASSWORD: SECRET,
    STAFF_TENANT_ID: VENDOR,
    STAFF_ENGINEERS: `${CARL}=Carl Configured`,
    STAFF_MANAGERS: `${MAYA}=Maya Configured`,
    STAFF_ENGINEER_GROUP: ENGINEERS,
    STAFF_MANAGER_GROUP: MANAGERS,
    GRAPH_ENDPOINT: graph.url,
    LOGIN_ENDPOINT: entra.url,
  });
  const graphClient = new GraphClient({
    endpoint: config.graph.endpoint,
    credential: {
      kind: 'client-secret',
      loginEndpoint: config.graph.loginEndpoint,
      tenantId: VENDOR,
      clientId: APP_ID,
      clientSecret: SECRET,
    },
  });
  return new StaffDirectory({ config, graph: graphClient, log: silentLogger });
}

const caller = (aadObjectId: string): Caller => ({
  tenantId: VENDOR,
  userId: `29:${aadObjectId}`,
  aadObjectId,
  name: 'Teams Name',
  zone: undefined,
  conversationId: 'tab',
  conversationType: 'tab',
  serviceUrl: '',
});

describe("the staff directory's people", () => {
  it('are the configured staff with their roles before the groups are read', () => {
    expect(directory().people()).toEqual([
      { id: CARL, name: 'Carl Configured', role: 'engineer' },
      { id: MAYA, name: 'Maya Configured', role: 'manager' },
    ]);
  });

  it('then the groups’ members, each with the role resolve gives them', async () => {
    const d = directory();
    await d.refreshRoster();
    const people = d.people();
    expect(people).toEqual([
      { id: CARL, name: 'Carl Configured', role: 'engineer' },
      { id: MAYA, name: 'Maya Configured', role: 'manager' },
      { id: BOTH, name: 'Bea Both', role: 'manager' },
      { id: ERIN, name: 'Erin Engineer', role: 'engineer' },
      { id: MIKE, name: 'Mike Manager', role: 'manager' },
    ]);
    for (const p of people) expect((await d.resolve(caller(p.id)))?.role).toBe(p.role);
  });
});
