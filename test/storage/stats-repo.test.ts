// The dashboard counters on real Azurite: a batch of changes is counted in a few transactions, each ticket
// once at its newest version, also when several instances (each with its own cache) count the same tickets.
import { TableClient } from '@azure/data-tables';
import { PRIORITIES, type Priority } from '../../src/domain/sla';
import type { Contribution, TargetFacts } from '../../src/domain/stats/figures';
import { TableStatsRepo } from '../../src/adapters/storage/stats-repo';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let azurite: TestAzurite;

beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(() => azurite.stop());

async function freshTable(label = 'stats'): Promise<TableClient> {
  const table = TableClient.fromConnectionString(azurite.connectionString, uniqueTableName(label), {
    allowInsecureConnection: true,
  });
  await table.createTable();
  return table;
}

/** A fresh pair of tables: stats and statstickets. */
async function freshTables(): Promise<[TableClient, TableClient]> {
  return [await freshTable(), await freshTable('statstickets')];
}

const NOW = Date.UTC(2026, 10, 25, 15, 0);
const pending = (due: number): TargetFacts => ({
  outcome: 'pending',
  due,
  metAt: null,
  atRiskAt: due - 60_000,
});
const onTime = (due: number): TargetFacts => ({
  outcome: 'on-time',
  due,
  metAt: due - 600_000,
  atRiskAt: null,
});

/** A ticket's contribution: open and pending at version 1, replied on time from version 2. */
function aContribution(n: number, version: number, priority: Priority = 'P3'): Contribution {
  const due = NOW + (n + 1) * 60_000;
  const replied = version > 1;
  return {
    ticketId: `TM-${1000 + n}`,
    tenantId: 'tenant-a',
    customerName: 'Contoso',
    title: `Ticket ${n}`,
    owner: null,
    version,
    month: '2026-11',
    priority,
    open: true,
    response: replied ? onTime(due) : pending(due),
    workaround: pending(due + 3_600_000),
    responseMinutes: replied ? 20 : null,
    pausedMs: 0,
    watchAt: replied ? due + 3_540_000 : due - 60_000,
    pausedSince: null,
  };
}

async function totals(repo: TableStatsRepo): Promise<Record<Priority, { tickets: number; onTime: number }>> {
  const view = await repo.monthView('2026-11', NOW, 10_000, 0);
  return Object.fromEntries(
    PRIORITIES.map((p) => [
      p,
      { tickets: view.counters[p].tickets, onTime: view.counters[p].response.onTime },
    ]),
  ) as Record<Priority, { tickets: number; onTime: number }>;
}

describe('the dashboard counters', () => {
  it('count a burst of 250 changes (more than one transaction holds) once each', async () => {
    const repo = new TableStatsRepo(...(await freshTables()));
    const burst = Array.from({ length: 250 }, (_, n) => aContribution(n, 1));
    expect(await repo.recordMany(burst)).toBe(250);
    expect((await totals(repo))['P3']).toEqual({ tickets: 250, onTime: 0 });
    // Every open ticket has its watch row, and counting again changes nothing.
    expect((await repo.monthView('2026-11', NOW + 86_400_000, 10_000, 0)).watch).toHaveLength(250);
    expect(await repo.recordMany(burst)).toBe(0);
    expect((await totals(repo))['P3']).toEqual({ tickets: 250, onTime: 0 });
  });

  it('keep only the newest version of a ticket told twice in one batch', async () => {
    const repo = new TableStatsRepo(...(await freshTables()));
    expect(await repo.recordMany([aContribution(1, 2), aContribution(1, 1)])).toBe(1);
    expect((await totals(repo))['P3']).toEqual({ tickets: 1, onTime: 1 });
  });

  it('stay right when instances with stale caches count newer versions and priority changes', async () => {
    const tables = await freshTables();
    const [a, b, c] = [
      new TableStatsRepo(...tables),
      new TableStatsRepo(...tables),
      new TableStatsRepo(...tables),
    ];
    const ids = Array.from({ length: 30 }, (_, n) => n);
    // All three count version 1 of every ticket at once: each is counted once.
    await Promise.all([a, b, c].map((r) => r.recordMany(ids.map((n) => aContribution(n, 1)))));
    expect((await totals(a))['P3']).toEqual({ tickets: 30, onTime: 0 });
    // b counts version 2 (replied), then a (whose cache still holds version 1) counts version 3 raised to
    // P2 for half of them; c, knowing nothing newer, retries version 2 of everything.
    await b.recordMany(ids.map((n) => aContribution(n, 2)));
    await Promise.all([
      a.recordMany(ids.filter((n) => n % 2 === 0).map((n) => aContribution(n, 3, 'P2'))),
      c.recordMany(ids.map((n) => aContribution(n, 2))),
    ]);
    const t = await totals(c);
    expect(t['P2']).toEqual({ tickets: 15, onTime: 15 });
    expect(t['P3']).toEqual({ tickets: 15, onTime: 15 });
    expect(await c.countedVersion('2026-11', 'TM-1000')).toBe(3);
    expect(await c.countedVersion('2026-11', 'TM-1001')).toBe(2);
  });
});

describe('the per-ticket rows', () => {
  const prefixes = async (table: TableClient): Promise<string[]> => {
    const seen = new Set<string>();
    for await (const e of table.listEntities()) seen.add((e.rowKey ?? '').slice(0, 2));
    return [...seen].sort();
  };

  it('live in statstickets: the stats table holds counters, the serial, missed deadlines and watch rows only', async () => {
    const [stats, tickets] = await freshTables();
    const repo = new TableStatsRepo(stats, tickets);
    const late: Contribution = {
      ...aContribution(9, 2),
      response: { outcome: 'late', due: NOW, metAt: NOW + 60_000, atRiskAt: null },
    };
    expect(await repo.recordMany([...Array.from({ length: 9 }, (_, n) => aContribution(n, 1)), late])).toBe(
      10,
    );
    expect(await prefixes(stats)).toEqual(['b|', 'c|', 's|', 'w|']);
    const counted: string[] = [];
    for await (const e of tickets.listEntities()) counted.push(`${e.rowKey ?? ''}@${String(e['version'])}`);
    expect(counted.sort()).toEqual(
      Array.from({ length: 9 }, (_, n) => `x|TM-${1000 + n}@1`)
        .concat('x|TM-1009@2')
        .sort(),
    );
  });

  it('a count that stopped before its ticket rows were written is finished by the next one, exactly', async () => {
    const [stats, tickets] = await freshTables();
    // Its statstickets table is missing: the counters' transaction goes through, then writing x| rows fails.
    const missing = await freshTable('missing');
    await missing.deleteTable();
    const broken = new TableStatsRepo(stats, missing);
    const ids = [0, 1, 2];
    await expect(broken.recordMany(ids.map((n) => aContribution(n, 1)))).rejects.toThrow();
    expect(await prefixes(stats)).toContain('p|');
    // Another instance: version 1 again changes nothing, version 2 replaces it.
    const repo = new TableStatsRepo(stats, tickets);
    expect(await repo.recordMany(ids.map((n) => aContribution(n, 1)))).toBe(0);
    expect((await totals(repo))['P3']).toEqual({ tickets: 3, onTime: 0 });
    expect(await repo.recordMany(ids.map((n) => aContribution(n, 2)))).toBe(3);
    expect((await totals(repo))['P3']).toEqual({ tickets: 3, onTime: 3 });
    expect(await prefixes(stats)).not.toContain('p|');
    expect(await repo.countedVersion('2026-11', 'TM-1002')).toBe(2);
  });

  it('kept in the stats table by older versions are moved to statstickets on start', async () => {
    const [stats, tickets] = await freshTables();
    const repo = new TableStatsRepo(stats, tickets);
    expect(await repo.recordMany([aContribution(0, 1), aContribution(1, 1)])).toBe(2);
    // The older layout: the ticket's row beside the counters, nothing in statstickets.
    for await (const e of tickets.listEntities()) {
      await tickets.deleteEntity(e.partitionKey ?? '', e.rowKey ?? '');
      const { etag: _etag, timestamp: _timestamp, ...row } = e;
      await stats.createEntity({ ...row, partitionKey: e.partitionKey ?? '', rowKey: e.rowKey ?? '' });
    }
    const restarted = new TableStatsRepo(stats, tickets);
    expect(await restarted.upgrade()).toBe(2);
    expect(await prefixes(stats)).not.toContain('x|');
    expect(await restarted.countedVersion('2026-11', 'TM-1001')).toBe(1);
    expect(await restarted.recordMany([aContribution(1, 1)])).toBe(0);
    expect(await restarted.recordMany([aContribution(1, 2)])).toBe(1);
    expect((await totals(restarted))['P3']).toEqual({ tickets: 2, onTime: 1 });
    expect(await restarted.upgrade()).toBe(0);
  });
});
