// Claims on starting a ticket's thread, on real Azurite: one instance at a time, kept while its instance lives,
// taken over from a dead one, free again once released.
import { TableClient } from '@azure/data-tables';
import { TableThreadClaims } from '../../src/adapters/storage/thread-claims';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let azurite: TestAzurite;
let table: TableClient;
const alive = new Set(['a', 'b']);
const claims = (owner: string) => new TableThreadClaims(table, owner, (id) => Promise.resolve(alive.has(id)));

beforeAll(async () => {
  azurite = await startTestAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, uniqueTableName('claims'), {
    allowInsecureConnection: true,
  });
  await table.createTable();
});
afterAll(() => azurite.stop());

it('one instance at a time starts a thread; the claim is free once released', async () => {
  const [a, b] = [claims('a'), claims('b')];
  const won = await Promise.all([a.claim('TM-1'), b.claim('TM-1')]);
  expect(won.filter(Boolean)).toHaveLength(1);
  const [holder, other] = won[0] ? [a, b] : [b, a];
  expect(await holder.claim('TM-1')).toBe(true);
  expect(await other.claim('TM-1')).toBe(false);
  await holder.release('TM-1');
  expect(await other.claim('TM-1')).toBe(true);
  await other.release('TM-1');
  await other.release('TM-1');
});

it("a dead instance's claim is taken over, by one instance only", async () => {
  alive.add('dead');
  expect(await claims('dead').claim('TM-2')).toBe(true);
  expect(await claims('a').claim('TM-2')).toBe(false);
  alive.delete('dead');
  const won = await Promise.all([claims('a').claim('TM-2'), claims('b').claim('TM-2')]);
  expect(won.filter(Boolean)).toHaveLength(1);
});
