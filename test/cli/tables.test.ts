// `npm run tables -- export|import` against a real Azurite: a backup keeps every entity with its property types,
// a restore into another deployment gives the same tables back, and bad backups or full targets change nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableClient } from '@azure/data-tables';
import {
  accessFor,
  BackupError,
  exportTables,
  importTables,
  main,
  type TableAccess,
} from '../../src/cli/tables';
import { clientFromConnectionString } from '../../src/adapters/storage/tables';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let storage: TestAzurite;
let access: TableAccess;
let work: string;
beforeAll(async () => {
  storage = await startTestAzurite();
  access = accessFor({ kind: 'connection-string', connectionString: storage.connectionString });
});
afterAll(() => storage.stop());
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sla-desk-tables-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const table = (name: string): TableClient => clientFromConnectionString(storage.connectionString, name);
const NOW = new Date('2026-11-26T05:00:00Z');

/** A deployment's tables: tickets with every property type, a partition of 250 rows, an empty audit table. */
async function seed(prefix: string): Promise<void> {
  const tickets = table(`${prefix}tickets`);
  await tickets.createTable();
  await tickets.createEntity({
    partitionKey: 'c_contoso',
    rowKey: 't|TM-1042',
    title: 'None of our users can make calls',
    sv: 3,
    ratio: 0.75,
    open: true,
    dueMs: { value: '1795000000000', type: 'Int64' },
    dispatched: new Date('2026-11-27T04:10:00Z'),
    tenant: { value: '3c9d1e2f-4a5b-4c6d-9e7f-0a1b2c3d4e5f', type: 'Guid' },
    blob: new Uint8Array([0, 1, 2, 250]),
    empty: '',
  });
  const index = table(`${prefix}ticketindex`);
  await index.createTable();
  for (let start = 0; start < 250; start += 100) {
    await index.submitTransaction(
      Array.from({ length: Math.min(100, 250 - start) }, (_, i) => [
        'create',
        {
          partitionKey: 'idx',
          rowKey: `q|${String(start + i).padStart(4, '0')}|TM-${start + i}`,
          n: start + i,
        },
      ]),
    );
  }
  await table(`${prefix}audit`).createTable();
}

const files = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

it('exports a deployment and imports it into another one: the same entities, the same types', async () => {
  const from = uniqueTableName('a').slice(0, 20);
  const into = uniqueTableName('b').slice(0, 20);
  await seed(from);
  const first = join(work, 'first');
  const manifest = await exportTables(access, { prefix: from, outDir: first, now: NOW });
  expect(manifest).toEqual({
    format: 'sla-desk-tables/1',
    createdAt: '2026-11-26T05:00:00.000Z',
    prefix: from,
    tables: [
      { name: 'audit', file: 'audit.jsonl', entities: 0 },
      { name: 'ticketindex', file: 'ticketindex.jsonl', entities: 250 },
      { name: 'tickets', file: 'tickets.jsonl', entities: 1 },
    ],
  });
  const ticket = JSON.parse(readFileSync(join(first, 'tickets.jsonl'), 'utf8')) as {
    properties: Record<string, { type: string }>;
  };
  expect(Object.fromEntries(Object.entries(ticket.properties).map(([k, v]) => [k, v.type]))).toEqual({
    title: 'String',
    sv: 'Int32',
    ratio: 'Double',
    open: 'Boolean',
    dueMs: 'Int64',
    dispatched: 'DateTime',
    tenant: 'Guid',
    blob: 'Binary',
    empty: 'String',
  });

  expect(await importTables(access, { prefix: into, fromDir: first, overwrite: false })).toEqual([
    { name: `${into}audit`, entities: 0 },
    { name: `${into}ticketindex`, entities: 250 },
    { name: `${into}tickets`, entities: 1 },
  ]);
  const second = join(work, 'second');
  await exportTables(access, { prefix: into, outDir: second, now: NOW });
  expect(files(second)).toEqual(files(first));
  const restored = await table(`${into}tickets`).getEntity('c_contoso', 't|TM-1042');
  expect(restored).toMatchObject({ sv: 3, open: true, dueMs: BigInt('1795000000000') });
  expect(restored['dispatched']).toEqual(new Date('2026-11-27T04:10:00Z'));
});

it('refuses to restore over a deployment that has data, and changes nothing; --overwrite replaces', async () => {
  const from = uniqueTableName('c').slice(0, 20);
  await seed(from);
  const dir = join(work, 'b');
  await exportTables(access, { prefix: from, outDir: dir, now: NOW });
  await table(`${from}tickets`).updateEntity(
    { partitionKey: 'c_contoso', rowKey: 't|TM-1042', title: 'changed since' },
    'Merge',
  );
  await expect(importTables(access, { prefix: from, fromDir: dir, overwrite: false })).rejects.toMatchObject({
    code: 'BACKUP_TARGET_NOT_EMPTY',
  });
  expect((await table(`${from}tickets`).getEntity('c_contoso', 't|TM-1042'))['title']).toBe('changed since');
  await importTables(access, { prefix: from, fromDir: dir, overwrite: true });
  expect((await table(`${from}tickets`).getEntity('c_contoso', 't|TM-1042'))['title']).toBe(
    'None of our users can make calls',
  );
});

it('an incomplete or damaged backup is refused before anything is written', async () => {
  const from = uniqueTableName('d').slice(0, 20);
  const into = uniqueTableName('e').slice(0, 20);
  await seed(from);
  const dir = join(work, 'c');
  await exportTables(access, { prefix: from, outDir: dir, now: NOW });
  const index = readFileSync(join(dir, 'ticketindex.jsonl'), 'utf8').split('\n');
  writeFileSync(join(dir, 'ticketindex.jsonl'), index.slice(0, 100).join('\n'));
  await expect(importTables(access, { prefix: into, fromDir: dir, overwrite: false })).rejects.toThrow(
    /ticketindex\.jsonl has 100 entities, backup\.json says 250/,
  );
  writeFileSync(join(dir, 'ticketindex.jsonl'), `${index.slice(0, 249).join('\n')}\n{"partitionKey":1}\n`);
  await expect(importTables(access, { prefix: into, fromDir: dir, overwrite: false })).rejects.toThrow(
    /ticketindex\.jsonl line 250 is not an entity/,
  );
  let listed = 0;
  for await (const name of access.listTables()) if (name.startsWith(into)) listed++;
  expect(listed).toBe(0);
  await expect(
    importTables(access, { prefix: into, fromDir: work, overwrite: false }),
  ).rejects.toBeInstanceOf(BackupError);
  await expect(exportTables(access, { prefix: from, outDir: dir, now: NOW })).rejects.toThrow(
    /already holds a backup/,
  );
});

describe('the command line', () => {
  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(
      argv,
      env,
      (l) => out.push(l),
      (l) => err.push(l),
      () => NOW,
    );
    return { status, out, err };
  };

  it('exports and imports with the storage the environment names', async () => {
    const from = uniqueTableName('f').slice(0, 20);
    await seed(from);
    const env = { TABLES_CONNECTION_STRING: storage.connectionString, TABLE_PREFIX: from };
    const dir = join(work, 'cli');
    expect(await run(['export', '--out', dir], env)).toEqual({
      status: 0,
      out: [
        'exported audit: 0 entities',
        'exported ticketindex: 250 entities',
        'exported tickets: 1 entities',
        `backup written to ${dir}`,
      ],
      err: [],
    });
    const again = await run(['import', '--from', dir], env);
    expect(again.status).toBe(2);
    expect(again.err).toEqual([expect.stringMatching(/^table \w+ticketindex is not empty/)]);
  });

  it.each([
    [[], /^Usage/],
    [['copy'], /unknown command "copy"/],
    [['export'], /needs --out DIR/],
    [['import', '--out', 'x'], /needs --from DIR/],
    [['export', '--out', 'x', '--env', '../etc'], /bad --env/],
  ])('%o exits 2 with one line', async (argv, message) => {
    const { status, err } = await run(argv, { TABLES_CONNECTION_STRING: storage.connectionString });
    expect(status).toBe(2);
    expect(err).toEqual([expect.stringMatching(message)]);
  });

  it('without any storage configured it says what to set', async () => {
    const { status, err } = await run(['export', '--out', join(work, 'none')]);
    expect(status).toBe(2);
    expect(err).toEqual([expect.stringMatching(/set TABLES_ENDPOINT \(or TABLES_CONNECTION_STRING\)/)]);
  });
});
