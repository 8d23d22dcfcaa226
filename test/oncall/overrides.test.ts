// On-call overrides in Table Storage (real Azurite): shared by every reader, expired ones removed after a week,
// and read as spans for the tab.
import { TableClient } from '@azure/data-tables';
import { TableOverrides } from '../../src/adapters/storage/overrides';
import type { Override } from '../../src/domain/oncall/schedule';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

const et = (local: string): number => Date.parse(`${local}-05:00`);
let azurite: TestAzurite;
let table: TableClient;

beforeAll(async () => {
  azurite = await startTestAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, uniqueTableName('settings'), {
    allowInsecureConnection: true,
  });
  await table.createTable();
});
afterAll(() => azurite.stop());

const carol: Override = {
  role: 'primary',
  id: 'carol',
  name: 'Carol',
  from: et('2026-11-25T10:00:00'),
  until: et('2026-11-27T18:00:00'),
  setBy: 'Alice',
  setAt: et('2026-11-25T10:00:00'),
};

it('an override set by one instance is read by another, as a span for the tab, and dropped a week after it ends', async () => {
  await new TableOverrides(table).add(carol);
  await new TableOverrides(table).add({
    ...carol,
    id: 'old',
    from: et('2026-11-01T10:00:00'),
    until: et('2026-11-02T10:00:00'),
  });
  const other = new TableOverrides(table);
  expect((await other.list(et('2026-11-25T12:00:00'))).map((o) => o.id)).toEqual(['carol']);
  expect(await other.overlapping(et('2026-11-26T00:00:00'), et('2026-11-27T00:00:00'))).toEqual([
    { start: carol.from, end: carol.until, role: 'primary', userId: 'carol', reason: 'set by Alice' },
  ]);
  expect(await other.overlapping(et('2026-11-28T00:00:00'), et('2026-11-29T00:00:00'))).toEqual([]);
  let rows = 0;
  for await (const _ of table.listEntities()) rows++;
  expect(rows).toBe(1);
});
