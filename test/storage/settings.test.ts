// The support channel setting on real Azurite: callers that find the cached entry expired together share one
// read, and a read that started before a change never puts the old channel back.
import { TableClient } from '@azure/data-tables';
import { TableSettings } from '../../src/adapters/storage/settings';
import type { SupportChannel } from '../../src/adapters/storage/settings';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let azurite: TestAzurite;
let table: TableClient;
let reads = 0;
/** While set, the answers to GETs sent meanwhile wait for it (a slow read). */
let hold: Promise<void> | null = null;

const channel = (conversationId: string): SupportChannel => ({
  conversationId,
  serviceUrl: 'http://127.0.0.1:1/',
  tenantId: 'vendor',
  teamId: '19:team@thread.tacv2',
  channelId: conversationId,
  teamName: 'Support',
  channelName: 'Tickets',
  setBy: 'e1',
  setAt: 0,
});

beforeAll(async () => {
  azurite = await startTestAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, uniqueTableName('settings'), {
    allowInsecureConnection: true,
  });
  table.pipeline.addPolicy({
    name: 'count-reads',
    sendRequest: async (req, next) => {
      const held = req.method === 'GET' ? hold : null;
      if (req.method === 'GET') reads++;
      const res = await next(req);
      if (held !== null) await held;
      return res;
    },
  });
  await table.createTable();
});
afterAll(() => azurite.stop());

it('callers that find the entry expired together share one read', async () => {
  await new TableSettings(table).setSupportChannel(channel('19:a@thread.tacv2'));
  const settings = new TableSettings(table, 0);
  reads = 0;
  const seen = await Promise.all(Array.from({ length: 20 }, () => settings.supportChannel()));
  expect(reads).toBe(1);
  expect(new Set(seen.map((c) => c?.conversationId))).toEqual(new Set(['19:a@thread.tacv2']));
  // The next caller, after that read, reads again (a TTL of 0 trusts nothing).
  await settings.supportChannel();
  expect(reads).toBe(2);
});

it('a read that started before a change does not put the old channel back', async () => {
  const settings = new TableSettings(table, 60_000);
  await settings.setSupportChannel(channel('19:old@thread.tacv2'));
  const other = new TableSettings(table, 60_000);
  let release = (): void => undefined;
  hold = new Promise((r) => {
    release = r;
  });
  const before = other.supportChannel();
  await new Promise((r) => setTimeout(r, 20));
  hold = null;
  await other.setSupportChannel(channel('19:new@thread.tacv2'));
  release();
  // The read that was held back answers what was stored when it was asked; the cache keeps the change.
  expect((await before)?.conversationId).toBe('19:old@thread.tacv2');
  expect((await other.supportChannel())?.conversationId).toBe('19:new@thread.tacv2');
});
