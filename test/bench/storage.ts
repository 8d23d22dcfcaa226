// Storage section ("Tickets on Azure Table Storage"): ticket creates and updates per second through
// TicketService on a real in-memory Azurite, at 1 and 10 concurrent callers, beside raw single-entity inserts
// (the floor); then the staff queue (open tickets by next deadline, first page of 50) with 1,000 and with
// 50,000 closed tickets stored: time per query and storage requests per query, which must stay flat.
// Storage requests are counted by a pipeline policy on the TableClients (./requests.ts).
import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { silentLogger } from '../../src/log';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine, type Priority } from '../../src/domain/sla';
import { startAzurite, type Azurite } from '../../src/adapters/storage/azurite';
import { ticketProps } from '../../src/adapters/storage/entities';
import { newestFirstKey } from '../../src/adapters/storage/keys';
import { createTableClients, type StorageHandle } from '../../src/adapters/storage/tables';
import { INDEX_SHARDS, tenantPk } from '../../src/adapters/storage/ticket-keys';
import { TableTicketRepo } from '../../src/adapters/storage/ticket-repo';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Ticket } from '../../src/domain/tickets/model';
import { TicketService } from '../../src/domain/tickets/service';
import { aFiling, alice } from '../fixtures/filing';
import { uniqueTableName } from '../support/azurite';
import {
  closedLoop,
  loopRow,
  startCpuMeter,
  type BenchRow,
  type LoopOptions,
  type LoopResult,
  type SectionOptions,
} from './harness';
import { RequestCounter } from './requests';
import { blockRows, seedTenantOf } from './seed';
import { rawInsertFloor } from './storage-floor';

const SECTION = 'storage';
/** Wednesday 25 Nov 2026 10:00 ET: support is open, so deadlines run in support hours. */
export const BENCH_START = Date.parse('2026-11-25T10:00:00-05:00');
const TENANTS = 20;
const OPEN_TICKETS = 200;
const QUEUE_PAGE = 50;
const QUEUE_RUNS = 50;
const CLOSED_SMALL = 1_000;
/** With --quick the large case stores 10,000 closed tickets instead (seeding is the slow part, see below). */
const CLOSED_LARGE = 50_000;
const CLOSED_LARGE_QUICK = 10_000;
/** Entities per entity-group transaction when seeding (the service's limit is 100). */
const BATCH = 100;
/** Azurite runs on one thread; two transactions in flight keep it busy while the next one is serialised. */
const SEED_CONCURRENCY = 2;
/** Tickets the internal-note cases cycle through (a multiple of every concurrency used). */
const NOTE_POOL = 100;
const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3'];

/** A stable customer tenant id for tenant k. */
export function benchTenant(k: number): string {
  return `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
}

/** A clock that starts at BENCH_START and runs with real time, so deadlines and ordering are realistic. */
export function benchClock(): () => number {
  const origin = performance.now();
  return () => BENCH_START + Math.floor(performance.now() - origin);
}

interface Desk {
  readonly service: TicketService;
  readonly storage: StorageHandle;
  readonly tickets: TableClient;
  readonly index: TableClient;
  readonly counter: RequestCounter;
  readonly engine: SlaEngine;
}

/** A TicketService on its own pair of fresh tables, its requests counted. */
async function openDesk(connectionString: string, label: string): Promise<Desk> {
  const names = [uniqueTableName(`${label}tickets`), uniqueTableName(`${label}index`)] as const;
  const storage = await createTableClients(
    { kind: 'connection-string', connectionString },
    names,
    silentLogger,
  );
  const tickets = storage.table(names[0]);
  const index = storage.table(names[1]);
  const counter = new RequestCounter();
  counter.attach(tickets);
  counter.attach(index);
  const engine = new SlaEngine(DEFAULT_POLICY);
  const now = benchClock();
  const repo = new TableTicketRepo({ tickets, index, prefix: 'TM', now });
  return { service: new TicketService({ repo, engine, now }), storage, tickets, index, counter, engine };
}

async function closeDesk(desk: Desk): Promise<void> {
  await Promise.all([desk.tickets.deleteTable(), desk.index.deleteTable()]);
  await desk.storage.close();
}

/** Files one ticket for tenant i mod TENANTS; its id. */
async function fileOne(desk: Desk, i: number): Promise<string> {
  const k = i % TENANTS;
  const filed = await desk.service.file(
    aFiling({
      requestId: randomUUID(),
      tenantId: benchTenant(k),
      customerName: `Customer ${k}`,
      title: `Calls drop after transfer (${i})`,
      priority: PRIORITIES[i % PRIORITIES.length] ?? 'P2',
    }),
  );
  if (!filed.ok) throw filed.error;
  if (!filed.value.created) throw new Error(`ticket ${i} was not created`);
  return filed.value.ticket.id;
}

/** Files n tickets from `concurrency` callers, untimed. */
async function fileMany(desk: Desk, n: number, concurrency: number, from: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) ids.push(await fileOne(desk, from + next++));
    }),
  );
  return ids;
}

async function act(desk: Desk, id: string, cmd: Command): Promise<void> {
  const acted = await desk.service.act({ kind: 'staff' }, id, alice, cmd);
  if (!acted.ok) throw acted.error;
  if (acted.value.duplicate) throw new Error(`${id}: counted as a duplicate`);
}

/** A closed loop over a desk, with the storage requests of its timed phase per call. */
async function measured(
  desk: Desk,
  concurrency: number,
  call: (i: number, worker: number) => Promise<void>,
  options: LoopOptions,
): Promise<{ result: LoopResult; requests: string }> {
  let before = desk.counter.snapshot();
  const result = await closedLoop(concurrency, call, {
    ...options,
    onTimedStart: () => {
      before = desk.counter.snapshot();
    },
  });
  return { result, requests: desk.counter.describeSince(before, result.iterations + result.errors) };
}

export const clients = (n: number): string => `${n} client${n === 1 ? '' : 's'}`;

/**
 * Raw single-entity inserts into the same Azurite at each concurrency: the floor other rows compare with.
 * @example await floorRows('bot', azurite, 2, [1, 10]) // { rows: [...], byConcurrency: Map { 1 => 610, 10 => 1480 } }
 */
export async function floorRows(
  section: string,
  azurite: Azurite,
  seconds: number,
  concurrencies: readonly number[],
): Promise<{ rows: BenchRow[]; byConcurrency: Map<number, number> }> {
  const rows: BenchRow[] = [];
  const byConcurrency = new Map<number, number>();
  for (const concurrency of concurrencies) {
    const meter = startCpuMeter([azurite.pid]);
    const r = await rawInsertFloor(azurite.connectionString, { seconds, concurrency });
    const cpu = meter.stop();
    byConcurrency.set(concurrency, r.opsPerSec);
    rows.push({
      section,
      name: `raw insert, ${clients(concurrency)}`,
      iterations: r.count,
      opsPerSec: r.opsPerSec,
      p50Us: r.p50 * 1000,
      p99Us: r.p99 * 1000,
      cpuShare: cpu.ourCores,
      note: 'the floor: TableClient.createEntity, one 200-byte entity per request',
      io: true,
      otherCores: cpu.otherCores,
    });
  }
  return { rows, byConcurrency };
}

/** A closed ticket as the service would have left it: filed, replied to, resolved and closed. */
function closedTicket(engine: SlaEngine, n: number, createdAt: number): Ticket {
  const k = seedTenantOf(n, TENANTS);
  const opened = openTicket(
    `TM-${n}`,
    aFiling({
      requestId: `seed-${n}`,
      tenantId: benchTenant(k),
      customerName: `Customer ${k}`,
      title: `Old problem ${n}`,
      priority: PRIORITIES[n % PRIORITIES.length] ?? 'P3',
    }),
    createdAt,
    engine,
  );
  if (!opened.ok) throw opened.error;
  let t: Ticket = { ...opened.value.ticket, eventCount: opened.value.events.length };
  const steps: readonly [Command, number][] = [
    [{ kind: 'reply', text: 'Looking at it.' }, 3_600_000],
    [{ kind: 'resolve', text: 'Fixed by a configuration change.' }, 7_200_000],
    [{ kind: 'close' }, 86_400_000],
  ];
  for (const [cmd, after] of steps) {
    const change = apply(t, alice, cmd, createdAt + after, engine);
    if (!change.ok) throw change.error;
    t = { ...change.value.ticket, eventCount: t.eventCount + change.value.events.length };
  }
  return t;
}

/**
 * Writes closed tickets numbered [from, from + count) straight into the tables, in the repo's layout: per
 * tenant partition a head `t|id` and a listing row `l|newest-first|id`; in the index the rows of their id
 * blocks. Closed tickets have no `q|`, `d|` or `o|` rows (and their timeline events are left out: no query
 * here reads them). Entity-group transactions of BATCH entities, SEED_CONCURRENCY at a time. Returns the
 * number of batches. (Azurite finds a row by scanning its partition, so big partitions seed slowly; Table
 * Storage itself finds a row by its keys without a scan.)
 */
async function seedClosed(desk: Desk, from: number, count: number): Promise<number> {
  const yearMs = 365 * 86_400_000;
  const byTenant = new Map<string, TransactionAction[]>();
  for (let n = from; n < from + count; n++) {
    // Spread over the year before the bench starts, older as n grows.
    const createdAt = BENCH_START - 2 * 86_400_000 - Math.floor(((n * 7919) % count) * (yearMs / count));
    const t = closedTicket(desk.engine, n, createdAt);
    const pk = tenantPk(t.tenantId);
    const props = ticketProps(t);
    const rows = byTenant.get(pk) ?? [];
    rows.push(['create', { partitionKey: pk, rowKey: `t|${t.id}`, ...props }]);
    rows.push(['create', { partitionKey: pk, rowKey: `l|${newestFirstKey(t.createdAt)}|${t.id}`, ...props }]);
    byTenant.set(pk, rows);
  }
  const blocks = blockRows(from, count, TENANTS, benchTenant);
  const batches: { client: TableClient; actions: TransactionAction[] }[] = [];
  for (const rows of byTenant.values())
    for (let i = 0; i < rows.length; i += BATCH)
      batches.push({ client: desk.tickets, actions: rows.slice(i, i + BATCH) });
  for (let i = 0; i < blocks.length; i += BATCH)
    batches.push({ client: desk.index, actions: blocks.slice(i, i + BATCH) });
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let b = batches[next++]; b !== undefined; b = batches[next++])
        await b.client.submitTransaction(b.actions);
    }),
  );
  return batches.length;
}

/** The queue's first page, SLA order: QUEUE_RUNS runs, one at a time; plus raw reads of the same shape. */
async function queueRows(desk: Desk, azurite: Azurite, closed: number, seeded: string): Promise<BenchRow[]> {
  const label = `${closed.toLocaleString('en-US')} closed`;
  const opts = { durationMs: 120_000, warmupMs: 200, maxIterations: QUEUE_RUNS, pids: [azurite.pid] };
  let first: Ticket | undefined;
  const queue = await measured(
    desk,
    1,
    async () => {
      const page = await desk.service.queue(QUEUE_PAGE);
      if (page.items.length !== QUEUE_PAGE || page.next === undefined)
        throw new Error(`queue page had ${page.items.length} items, next ${String(page.next)}`);
      for (let i = 1; i < page.items.length; i++) {
        const a = page.items[i - 1]?.sla.nextDeadline ?? Infinity;
        const b = page.items[i]?.sla.nextDeadline ?? Infinity;
        if (a > b) throw new Error('queue page is not in deadline order');
      }
      first = page.items[0];
    },
    opts,
  );
  const rows = [
    loopRow(
      SECTION,
      `queue(${QUEUE_PAGE}), ${label}`,
      queue.result,
      `${queue.requests} per query; ${OPEN_TICKETS} open; ${seeded}`,
    ),
  ];
  const range = await closedLoop(
    1,
    async () => {
      const pages = await Promise.all(
        Array.from({ length: INDEX_SHARDS }, (_, k) =>
          desk.index
            .listEntities({
              queryOptions: { filter: `PartitionKey eq 'x${k}' and RowKey ge 'q|' and RowKey lt 'r'` },
            })
            .byPage({ maxPageSize: QUEUE_PAGE + 10 })
            .next(),
        ),
      );
      const found = pages.reduce((n, p) => n + (p.done === true ? 0 : p.value.length), 0);
      if (found < QUEUE_PAGE + 10) throw new Error('short range');
    },
    opts,
  );
  rows.push(
    loopRow(
      SECTION,
      `raw range query, ${label}`,
      range,
      `the queue's queries alone: the first ${QUEUE_PAGE + 10} q| rows of each of the ${INDEX_SHARDS} index shards, at once`,
    ),
  );
  const head = first;
  if (head === undefined) throw new Error('the queue returned no ticket');
  const pk = tenantPk(head.tenantId);
  const read = await closedLoop(
    1,
    async () => {
      await desk.tickets.getEntity(pk, `t|${head.id}`);
    },
    opts,
  );
  rows.push(
    loopRow(
      SECTION,
      `raw point read, ${label}`,
      read,
      `one head by PartitionKey+RowKey, as the queue verifies each row`,
    ),
  );
  return rows;
}

/**
 * The storage section: raw insert floor, file / note / first reply at 1 and 10 callers, then the queue
 * with 1,000 and 50,000 closed tickets.
 */
export async function storageBench(options: SectionOptions): Promise<BenchRow[]> {
  const quick = options.durationMs < 1000;
  const azurite = await startAzurite();
  const pids = [azurite.pid];
  const rows: BenchRow[] = [];
  try {
    const floor = await floorRows(SECTION, azurite, options.durationMs / 1000, [1, 10]);
    rows.push(...floor.rows);
    const vsFloor = (c: number, r: LoopResult): string =>
      `${(r.opsPerSec / (floor.byConcurrency.get(c) ?? NaN)).toFixed(2)}x raw insert rate`;

    // Each case on fresh tables: Azurite scans a partition to find a row, so cases that ran later on
    // shared tables would pay for the rows earlier ones left (Table Storage does not).
    const loop = { durationMs: options.durationMs, warmupMs: options.warmupMs, pids };
    for (const c of [1, 10]) {
      const desk = await openDesk(azurite.connectionString, 'f');
      let n = 0;
      const { result, requests } = await measured(
        desk,
        c,
        async () => {
          await fileOne(desk, n++);
        },
        loop,
      );
      rows.push(loopRow(SECTION, `file ticket, ${clients(c)}`, result, `${requests}; ${vsFloor(c, result)}`));
      await closeDesk(desk);
    }
    // Internal notes: each caller cycles through tickets of its own, so callers never race for one.
    for (const c of [1, 10]) {
      const desk = await openDesk(azurite.connectionString, 'n');
      const pool = await fileMany(desk, NOTE_POOL, 10, 0);
      const perWorker = new Array<number>(c).fill(0);
      const slots = Math.floor(NOTE_POOL / c);
      const { result, requests } = await measured(
        desk,
        c,
        async (_i, w) => {
          const k = perWorker[w] ?? 0;
          perWorker[w] = k + 1;
          const id = pool[w + c * (k % slots)] ?? '';
          await act(desk, id, { kind: 'note', text: 'Checked the trunk logs: no errors at 09:00.' });
        },
        loop,
      );
      rows.push(
        loopRow(
          SECTION,
          `internal note, ${clients(c)}`,
          result,
          `${requests}; ${vsFloor(c, result)}; ${NOTE_POOL} tickets`,
        ),
      );
      await closeDesk(desk);
    }
    // First replies: every call answers a different ticket that is still new, so the reply meets the
    // response target and moves the ticket's queue and watcher rows (the costliest common update).
    for (const c of [1, 10]) {
      const desk = await openDesk(azurite.connectionString, 'r');
      const want = (quick ? 60 : 200) * (c === 1 ? 1 : 2);
      const pool = await fileMany(desk, want, 10, 0);
      let next = 0;
      const { result, requests } = await measured(
        desk,
        c,
        async () => {
          const id = pool[next++];
          if (id === undefined) throw new Error('reply pool ran out');
          await act(desk, id, { kind: 'reply', text: 'We are looking at the trunk now.' });
        },
        { ...loop, warmupMs: Math.min(loop.warmupMs, 200), maxIterations: Math.floor(want * 0.8) },
      );
      rows.push(
        loopRow(
          SECTION,
          `first reply, ${clients(c)}`,
          result,
          `${requests}; ${vsFloor(c, result)}; a staff reply to a new ticket`,
        ),
      );
      await closeDesk(desk);
    }

    // The queue, on tables of its own: OPEN_TICKETS open tickets filed through the service, then closed ones.
    const q = await openDesk(azurite.connectionString, 'q');
    await fileMany(q, OPEN_TICKETS, 10, 0);
    const large = quick ? CLOSED_LARGE_QUICK : CLOSED_LARGE;
    for (const [from, count, total] of [
      [0, CLOSED_SMALL, CLOSED_SMALL],
      [CLOSED_SMALL, large - CLOSED_SMALL, large],
    ] as const) {
      const t0 = performance.now();
      const batches = await seedClosed(q, 1_000_000 + from, count);
      const took = ((performance.now() - t0) / 1000).toFixed(1);
      const seeded = `${from === 0 ? '' : '+'}${count.toLocaleString('en-US')} closed seeded in ${took} s (${batches} transactions)`;
      rows.push(...(await queueRows(q, azurite, total, seeded)));
    }
    await closeDesk(q);
  } finally {
    await azurite.stop();
  }
  return rows;
}
