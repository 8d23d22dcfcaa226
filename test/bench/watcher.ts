// Watcher section ("the deadline watcher"): the cost of one pass (storage requests and time) with 1,000 and with
// 100,000 tickets stored (1,000 of them open) and nothing due, which must stay flat because a pass reads only the
// due-time index up to now, and only open tickets have index rows; then the time to deliver 500 warnings that come due together (schedule, outbox, thread replies to a
// fake connector on loopback). The app is the real one (startApp) on a real in-memory Azurite.
import type { TransactionAction } from '@azure/data-tables';
import { performance } from 'node:perf_hooks';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import { startAzurite } from '../../src/adapters/storage/azurite';
import { ticketProps } from '../../src/adapters/storage/entities';
import { newestFirstKey, timeKey } from '../../src/adapters/storage/keys';
import { indexPk, tenantPk } from '../../src/adapters/storage/ticket-keys';
import { apply, openTicket } from '../../src/domain/tickets/commands';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice } from '../fixtures/filing';
import { uniqueTableName } from '../support/azurite';
import { startFakeConnector } from '../support/connector';
import { startCpuMeter, type BenchRow, type SectionOptions } from './harness';
import { RequestCounter } from './requests';
import { blockRows, seedTenantOf } from './seed';
import { BENCH_START, benchTenant } from './storage';

const SECTION = 'watcher';
const PASSES = 20;
const WARNINGS = 500;
/** Entities per entity-group transaction when seeding (the service's limit is 100). */
const BATCH = 100;
const SEED_CONCURRENCY = 2;
const TENANTS = 100;
const DAY = 86_400_000;

interface Bench {
  readonly app: App;
  readonly counter: RequestCounter;
  readonly clock: { now: number };
}

async function openApp(connectionString: string, serviceUrl: string): Promise<Bench> {
  const clock = { now: BENCH_START };
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TABLES_CONNECTION_STRING: connectionString,
    TABLE_PREFIX: uniqueTableName('wb').slice(0, 24),
    WATCHER_INTERVAL_MS: '0',
    OUTBOX_TENANT_RATE: '1000',
  });
  const app = await startApp({ config, policy: DEFAULT_POLICY, log: silentLogger, now: () => clock.now });
  const counter = new RequestCounter();
  for (const client of Object.values(app.storage.clients)) counter.attach(client);
  await app.deps.settings.setSupportChannel({
    conversationId: '19:bench@thread.tacv2',
    serviceUrl,
    tenantId: 'vendor',
    teamId: 'team',
    channelId: '19:bench@thread.tacv2',
    teamName: 'Support',
    channelName: 'Support',
    setBy: 'bench',
    setAt: BENCH_START,
  });
  return { app, counter, clock };
}

/**
 * Writes tickets numbered [from, from + count) straight into the repository's layout, 100 entities per
 * transaction, `open` of them open and the rest closed: per tenant partition the head and the listing row
 * (and the open row of open tickets); in the index the id blocks, and for open tickets the queue and due rows,
 * every next notice in the coming year (nothing due now). Closed tickets have no index rows, as in the app.
 */
async function seed(b: Bench, from: number, count: number, open: number): Promise<void> {
  const engine = new SlaEngine(DEFAULT_POLICY);
  const prefix = b.app.config.tablePrefix;
  const tickets = b.app.storage.table(`${prefix}tickets`);
  const index = b.app.storage.table(`${prefix}ticketindex`);
  const byTenant = new Map<string, TransactionAction[]>();
  const byShard = new Map<string, TransactionAction[]>();
  const every = Math.max(1, Math.floor(count / Math.max(1, open)));
  for (let n = from; n < from + count; n++) {
    const k = seedTenantOf(n, TENANTS);
    const isOpen = (n - from) % every === 0 && (n - from) / every < open;
    const createdAt = isOpen ? BENCH_START - DAY : BENCH_START - 2 * DAY - ((n * 7919) % 360) * DAY;
    const opened = openTicket(
      `TM-${n}`,
      aFiling({ requestId: `seed-${n}`, tenantId: benchTenant(k), customerName: `Customer ${k}` }),
      createdAt,
      engine,
    );
    if (!opened.ok) throw opened.error;
    let t: Ticket = opened.value.ticket;
    if (isOpen) {
      const next = BENCH_START + DAY + ((n * 7919) % 365) * DAY;
      t = { ...t, sla: { ...t.sla, nextNoticeAt: next } };
    } else {
      for (const [cmd, after] of [
        [{ kind: 'resolve', text: 'Fixed by a configuration change.' }, 3_600_000],
        [{ kind: 'close' }, DAY],
      ] as const) {
        const change = apply(t, alice, cmd, createdAt + after, engine);
        if (!change.ok) throw change.error;
        t = change.value.ticket;
      }
    }
    const pk = tenantPk(t.tenantId);
    const rows = byTenant.get(pk) ?? [];
    rows.push(['create', { partitionKey: pk, rowKey: `t|${t.id}`, ...ticketProps(t) }]);
    const slim = { sv: 1, ticketId: t.id };
    rows.push(['create', { partitionKey: pk, rowKey: `l|${newestFirstKey(t.createdAt)}|${t.id}`, ...slim }]);
    if (isOpen) rows.push(['create', { partitionKey: pk, rowKey: `o|${t.id}`, ...slim }]);
    byTenant.set(pk, rows);
    if (!isOpen) continue;
    const shard = indexPk(t.id);
    const base = { sv: 1, tenantId: t.tenantId, ticketId: t.id, version: t.version, writtenAt: BENCH_START };
    const due = t.sla.nextNoticeAt ?? 0;
    const deadline = t.sla.nextDeadline;
    const idx = byShard.get(shard) ?? [];
    idx.push(['create', { partitionKey: shard, rowKey: `d|${timeKey(due)}|${t.id}`, ...base, dueAt: due }]);
    idx.push([
      'create',
      { partitionKey: shard, rowKey: `q|${deadline === null ? 'z' : timeKey(deadline)}|${t.id}`, ...base },
    ]);
    byShard.set(shard, idx);
  }
  const blocks = blockRows(from, count, TENANTS, benchTenant);
  const batches: { client: typeof tickets; actions: TransactionAction[] }[] = [];
  const groups = [
    ...[...byTenant.values()].map((rows) => ({ client: tickets, rows })),
    ...[...byShard.values(), blocks].map((rows) => ({ client: index, rows })),
  ];
  for (const { client, rows } of groups)
    for (let i = 0; i < rows.length; i += BATCH) batches.push({ client, actions: rows.slice(i, i + BATCH) });
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let batch = batches[next++]; batch !== undefined; batch = batches[next++])
        await batch.client.submitTransaction(batch.actions);
    }),
  );
}

/** PASSES passes with nothing due: ms per pass (median, p99) and storage requests per pass. */
async function idlePasses(b: Bench, stored: number, open: number, pid: number): Promise<BenchRow> {
  for (let i = 0; i < 3; i++) await b.app.watcher.pass();
  const before = b.counter.snapshot();
  const times: number[] = [];
  const meter = startCpuMeter([pid]);
  for (let i = 0; i < PASSES; i++) {
    const t0 = performance.now();
    const report = await b.app.watcher.pass();
    times.push(performance.now() - t0);
    if (report.due + report.scheduled + report.delivered !== 0) throw new Error('something was due');
  }
  const cpu = meter.stop();
  times.sort((x, y) => x - y);
  const total = times.reduce((s, x) => s + x, 0);
  return {
    section: SECTION,
    name: `pass, nothing due, ${stored.toLocaleString('en-US')} tickets stored (${open.toLocaleString('en-US')} open)`,
    iterations: PASSES,
    opsPerSec: (PASSES * 1000) / total,
    p50Us: Math.round((times[Math.floor(PASSES / 2)] ?? 0) * 1000),
    p99Us: Math.round((times[PASSES - 1] ?? 0) * 1000),
    cpuShare: cpu.ourCores,
    note: b.counter.describeSince(before, PASSES),
    io: true,
    otherCores: cpu.otherCores,
  };
}

/** WARNINGS P2 tickets filed at one instant, each with a thread: their 50 % warnings all come due together. */
async function burst(b: Bench, serviceUrl: string, sentCount: () => number, pid: number): Promise<BenchRow> {
  const filedAt = BENCH_START + 2 * DAY; // Friday 10:00 ET, in support hours
  b.clock.now = filedAt;
  let n = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (n < WARNINGS) {
        const i = n++;
        const filed = await b.app.tickets.file(aFiling({ requestId: `burst-${i}`, priority: 'P2' }));
        if (!filed.ok) throw filed.error;
        const root = String(900_000 + i);
        const linked = await b.app.tickets.act(
          { kind: 'staff' },
          filed.value.ticket.id,
          { id: 'sla-desk', name: 'SLA Desk', role: 'system' },
          {
            kind: 'link-thread',
            thread: {
              conversationId: `19:bench@thread.tacv2;messageid=${root}`,
              activityId: root,
              serviceUrl,
            },
          },
        );
        if (!linked.ok) throw linked.error;
      }
    }),
  );
  await b.app.background.drain();
  b.clock.now = filedAt + 60 * 60_000; // 50 % of P2's 120 support-hour minutes
  const before = b.counter.snapshot();
  const sentBefore = sentCount();
  const meter = startCpuMeter([pid]);
  const t0 = performance.now();
  let passes = 0;
  while (sentCount() - sentBefore < WARNINGS && passes < 50) {
    await b.app.watcher.pass();
    passes++;
  }
  const ms = performance.now() - t0;
  const cpu = meter.stop();
  const delivered = sentCount() - sentBefore;
  if (delivered !== WARNINGS) throw new Error(`${delivered} of ${WARNINGS} warnings delivered`);
  return {
    section: SECTION,
    name: `${WARNINGS} warnings due together, schedule to last post`,
    iterations: WARNINGS,
    opsPerSec: (WARNINGS * 1000) / ms,
    p50Us: null,
    p99Us: null,
    cpuShare: cpu.ourCores,
    note: `${(ms / 1000).toFixed(2)} s in ${passes} pass${passes === 1 ? '' : 'es'}; ${b.counter.describeSince(before, WARNINGS)} per warning`,
    io: true,
    otherCores: cpu.otherCores,
  };
}

export async function watcherBench(options: SectionOptions): Promise<BenchRow[]> {
  const quick = options.durationMs < 1000;
  const azurite = await startAzurite();
  const connector = await startFakeConnector();
  const rows: BenchRow[] = [];
  try {
    const b = await openApp(azurite.connectionString, connector.serviceUrl);
    try {
      const t0 = performance.now();
      await seed(b, 100_000, 1_000, 1_000);
      rows.push(await idlePasses(b, 1_000, 1_000, azurite.pid));
      const large = quick ? 10_000 : 100_000;
      await seed(b, 200_000, large - 1_000, 0);
      const row = await idlePasses(b, large, 1_000, azurite.pid);
      rows.push({
        ...row,
        note: `${row.note}; seeding took ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      });
    } finally {
      await b.app.stop();
    }
    // The burst on fresh tables (Azurite scans partitions, so the 100,000 rows would slow it for no reason).
    const c = await openApp(azurite.connectionString, connector.serviceUrl);
    try {
      connector.clear();
      rows.push(await burst(c, connector.serviceUrl, () => connector.sent().length, azurite.pid));
    } finally {
      await c.app.stop();
    }
  } finally {
    await connector.stop();
    await azurite.stop();
  }
  return rows;
}
