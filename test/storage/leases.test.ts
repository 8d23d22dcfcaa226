// The lease primitive on real Azurite: a row is taken by one taker at a time, renewed by its holder, taken over
// once its holder is gone, and released only by whoever still holds it.
import type { TableClient } from '@azure/data-tables';
import { LeaseRows, leaseLive } from '../../src/adapters/storage/kit/lease';
import { REPAIR_LEASE, TableLease } from '../../src/adapters/storage/leases';
import { clientFromConnectionString } from '../../src/adapters/storage/tables';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let azurite: TestAzurite;
let table: TableClient;

beforeAll(async () => {
  azurite = await startTestAzurite();
  table = clientFromConnectionString(azurite.connectionString, uniqueTableName('leases'));
  await table.createTable();
});
afterAll(() => azurite.stop());

it('a lease is held until it runs out, renewed by its holder, and won by one of two takers', async () => {
  const lease = new TableLease(table, REPAIR_LEASE);
  expect(await lease.take('a', 1_000, 0)).toBe(true);
  expect(await lease.take('b', 2_000, 500)).toBe(false);
  expect(await lease.take('a', 3_000, 900)).toBe(true);
  expect(await lease.take('b', 5_000, 3_000)).toBe(true);
  expect(await lease.take('a', 6_000, 3_500)).toBe(false);
  const won = await Promise.all([lease.take('c', 9_000, 6_000), lease.take('d', 9_000, 6_000)]);
  expect(won.filter(Boolean)).toHaveLength(1);
  await table.deleteEntity('lease', REPAIR_LEASE);
  const again = await Promise.all([lease.take('x', 20_000, 10_000), lease.take('y', 20_000, 10_000)]);
  expect(again.filter(Boolean)).toHaveLength(1);
});

it('a claim row is kept by its holder, taken over when the judge says so, released only while still held', async () => {
  const rows = new LeaseRows(table, 'claims');
  const dead = new Set<string>();
  const judge = (me: string) => (held: Record<string, unknown>) =>
    held['owner'] === me ? 'keep' : dead.has(String(held['owner'])) ? 'take' : 'busy';
  expect(await rows.acquire('t1', { owner: 'a' }, judge('a'))).toBe(true);
  expect(await rows.acquire('t1', { owner: 'a' }, judge('a'))).toBe(true);
  expect(await rows.acquire('t1', { owner: 'b' }, judge('b'))).toBe(false);
  dead.add('a');
  expect(await rows.acquire('t1', { owner: 'b' }, judge('b'))).toBe(true);
  await rows.release('t1', (held) => held['owner'] === 'a');
  expect((await rows.read('t1'))?.['owner']).toBe('b');
  await rows.release('t1', (held) => held['owner'] === 'b');
  expect(await rows.read('t1')).toBeNull();
  await rows.release('t1');
});

it('a lease lives while its end is ahead', () => {
  expect(leaseLive(1_001, 1_000)).toBe(true);
  expect(leaseLive(1_000, 1_000)).toBe(false);
  expect(leaseLive(undefined, 0)).toBe(false);
});
