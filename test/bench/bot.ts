// Bot section ("Customers file and follow tickets in Teams chat"): tickets filed through /api/messages over
// real HTTP, as Teams posts an Action.Execute `ticket.submit`, to the app started in-process (local mode) on
// its own in-memory Azurite, with the fake Bot Connector receiving what the bot sends. Each ticket is timed
// from its POST to the confirmation card: the invoke response carries it and, because the card has a
// refresh, the bot also PUTs it over the form's activity; the later of the two ends the call. Closed loops
// give saturation throughput at 1, 10 and 50 clients; an open loop gives latency at an offered 50 tickets/s.
// Beside them in the same run: an echo-like turn ("help" → welcome card, no storage) and raw inserts.
// Every phase gets a fresh app on fresh tables; the client, the app and the fake connector share this
// process's one thread, Azurite has its own process.
import { randomUUID } from 'node:crypto';
import type { App } from '../../src/app';
import { createLogger } from '../../src/log';
import { startAzurite, type Azurite } from '../../src/adapters/storage/azurite';
import { actionExecute, personalMessage } from '../support/activities';
import { startTestApp } from '../support/app';
import { cardsOf, cardText } from '../support/cards';
import { startFakeConnector, type ConnectorRecord, type FakeConnector } from '../support/connector';
import {
  closedLoop,
  loopRow,
  openLoop,
  type BenchRow,
  type LoopOptions,
  type LoopResult,
  type SectionOptions,
} from './harness';
import { HttpClient } from './client';
import { RequestCounter } from './requests';
import { benchClock, benchTenant, clients, floorRows } from './storage';

const SECTION = 'bot';
const TENANTS = 5;
const USERS = 50;
const CONCURRENCIES = [1, 10, 50] as const;
const OFFERED_PER_SEC = 50;
/** Goals from the issue. */
const GOAL_P99_MS = 100;
const GOAL_SHARE_OF_RAW = 1 / 3;
const CARD_TIMEOUT_MS = 30_000;

/**
 * Waits for a connector record without leaving an unhandled rejection if the caller fails first. The fake
 * connector keeps every record and `waitFor` scans them all before it registers a waiter, which grows to
 * O(n²) over a run and ends up costing more than the bot; since our waiter is registered before the POST
 * that causes the record, earlier records are never needed, so they are forgotten first.
 */
function expectRecord(
  connector: FakeConnector,
  predicate: (r: ConnectorRecord) => boolean,
): Promise<ConnectorRecord> {
  connector.clear();
  const waiting = connector.waitFor(predicate, CARD_TIMEOUT_MS);
  waiting.catch(() => undefined);
  return waiting;
}

export interface Rig {
  readonly app: App;
  readonly connector: FakeConnector;
  readonly client: HttpClient;
  readonly counter: RequestCounter;
  readonly problems: string[];
  readonly pids: readonly number[];
  /** Activity JSON per user, built once with the Teams activity builders; fields to vary are {{…}}. */
  readonly submits: readonly string[];
  readonly helps: readonly string[];
  next: number;
}

const tenantOf = (u: number): string => benchTenant(u % TENANTS);
const userOf = (u: number): string => `29:bench-user-${u}`;

/**
 * Activity bodies per user, made once by the builders (which build luxon times, too slow for the hot path):
 * each call substitutes its activity id, form id and request id. Timestamps stay those of the start.
 */
function templates(serviceUrl: string): { submits: string[]; helps: string[] } {
  const who = (u: number) => ({
    serviceUrl,
    tenantId: tenantOf(u),
    userId: userOf(u),
    userName: 'Bench Customer',
    timezone: 'Europe/London',
    id: '{{id}}',
  });
  const users = Array.from({ length: USERS }, (_, u) => u);
  const submits = users.map((u) =>
    JSON.stringify(
      actionExecute(
        'ticket.submit',
        {
          verb: 'ticket.submit',
          requestId: '{{requestId}}',
          title: 'Calls drop after transfer ({{id}})',
          description: 'Since 9am users on two accounts lose the call when they transfer it.',
          category: 'partial-outage',
          priority: 'P2',
          affectedUsers: '12',
        },
        { ...who(u), replyToId: '{{replyToId}}' },
      ),
    ),
  );
  const helps = users.map((u) => JSON.stringify(personalMessage({ ...who(u), text: 'help' })));
  return { submits, helps };
}

const fill = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (all, key: string) => values[key] ?? all);

/** A Teams-style numeric activity id, unique in the run. */
const activityId = (n: number): string => String(1_900_000_000_000_000 + n);

/** The n-th form submit of a run, as Teams posts it, and the id of the form message it replaces. */
export function submitActivity(rig: Rig, n: number): { body: string; replyToId: string } {
  const replyToId = `1:bench-form-${n}`;
  const body = fill(rig.submits[n % USERS] ?? '', {
    id: activityId(n),
    replyToId,
    requestId: randomUUID(),
  });
  return { body, replyToId };
}

/** One ticket filed the way Teams sends a form submit; resolves once the confirmation card is received. */
export async function fileTicket(rig: Rig): Promise<void> {
  const { body, replyToId } = submitActivity(rig, rig.next++);
  const put = expectRecord(
    rig.connector,
    (r) => r.operation === 'updateActivity' && r.activityId === replyToId,
  );
  const res = await rig.client.post('/api/messages', body);
  if (res.status !== 200) throw new Error(`invoke answered ${res.status}: ${res.text.slice(0, 200)}`);
  if (!/Ticket TM-\d+ filed/.test(res.text))
    throw new Error(`invoke response is not the confirmation: ${res.text.slice(0, 200)}`);
  const record = await put;
  if (!cardText(cardsOf(record.activity)[0]).includes(' filed'))
    throw new Error('the card PUT to the connector is not the confirmation');
}

/** "help" in the 1:1 chat: the welcome card comes back through the connector; no storage is touched. */
export async function echo(rig: Rig): Promise<void> {
  const n = rig.next++;
  const id = activityId(n);
  const reply = expectRecord(rig.connector, (r) => r.activityId === id);
  const res = await rig.client.post('/api/messages', fill(rig.helps[n % USERS] ?? '', { id }));
  if (res.status !== 200) throw new Error(`message answered ${res.status}: ${res.text.slice(0, 200)}`);
  const record = await reply;
  if (!cardText(cardsOf(record.activity)[0]).includes('Support hours'))
    throw new Error(`the reply is not the welcome card (${record.operation})`);
}

/** Waits for the work the app does after answering (support-channel cards, deliveries). */
async function settle(rig: Rig): Promise<void> {
  await rig.app.background.drain();
  rig.connector.clear();
}

/**
 * Runs one loop on a fresh app (new tables, so every phase starts from empty partitions: Azurite scans a
 * partition to find a row, so a long run would otherwise slow each later phase) and notes storage requests
 * per call and anything the app logged.
 */
async function phase(
  shared: Shared,
  run: (rig: Rig, options: LoopOptions) => Promise<LoopResult>,
  options: LoopOptions,
): Promise<{ result: LoopResult; requests: string; logged: string }> {
  const rig = await startRig(shared);
  try {
    let before = rig.counter.snapshot();
    const result = await run(rig, {
      ...options,
      pids: rig.pids,
      onTimedStart: () => {
        before = rig.counter.snapshot();
      },
    });
    await settle(rig);
    const requests = rig.counter.describeSince(before, result.iterations + result.errors);
    const first = rig.problems[0];
    const logged = first === undefined ? '' : `; APP LOGGED ${rig.problems.length} (${first.slice(0, 160)})`;
    return { result, requests, logged };
  } finally {
    await rig.stop();
  }
}

const ms = (us: number | null): string => (us === null ? '-' : `${(us / 1000).toFixed(0)} ms`);
const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** What outlives one app: the emulator and the fake connector. */
export interface Shared {
  readonly azurite: Azurite;
  readonly connector: FakeConnector;
}

/**
 * The app on its own tables in `shared`'s Azurite (or a new one), with an HTTP client; `stop()` stops what
 * it started. Exported for profiling scripts.
 * @example const rig = await startRig(); await fileTicket(rig); await rig.stop();
 */
export async function startRig(shared?: Shared): Promise<Rig & { stop(): Promise<void> }> {
  const azurite = shared?.azurite ?? (await startAzurite());
  let connector = shared?.connector;
  let app: App | undefined;
  const stopOwned = async (): Promise<void> => {
    if (shared === undefined) {
      await connector?.stop();
      await azurite.stop();
    }
  };
  try {
    connector ??= await startFakeConnector();
    const problems: string[] = [];
    const log = createLogger({
      json: false,
      level: 'warn',
      sink: (line) => {
        problems.push(line);
      },
    });
    const clock = benchClock();
    const customers = Array.from({ length: TENANTS }, (_, k) => `${benchTenant(k)}=Customer ${k}`);
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock: {
        get now() {
          return clock();
        },
      },
      env: { CUSTOMER_TENANTS: customers.join(';') },
      log,
    });
    const client = new HttpClient(app.url);
    const counter = new RequestCounter();
    for (const table of Object.values(app.storage.clients)) counter.attach(table);
    const running = app;
    return {
      app,
      connector,
      client,
      counter,
      problems,
      pids: [azurite.pid],
      ...templates(connector.serviceUrl),
      next: 0,
      stop: async () => {
        client.close();
        await running.stop();
        await stopOwned();
      },
    };
  } catch (err) {
    await app?.stop();
    await stopOwned();
    throw err;
  }
}

/** The bot section: floor, echo, saturation at 1/10/50 clients, and latency at an offered 50 tickets/s. */
export async function botBench(options: SectionOptions): Promise<BenchRow[]> {
  const quick = options.durationMs < 1000;
  const closedMs = quick ? 1000 : 5000;
  const openMs = quick ? 3000 : 10_000;
  const warmupMs = quick ? 300 : 1000;
  const rows: BenchRow[] = [];
  const azurite = await startAzurite();
  let connector: FakeConnector | undefined;
  try {
    connector = await startFakeConnector();
    const shared: Shared = { azurite, connector };
    const floor = await floorRows(SECTION, azurite, closedMs / 1000 / 2, [1, 10]);
    rows.push(...floor.rows);
    const raw = Math.max(...floor.byConcurrency.values());

    for (const c of [1, 10]) {
      const { result, requests, logged } = await phase(
        shared,
        (rig, o) => closedLoop(c, () => echo(rig), o),
        { durationMs: closedMs / 2, warmupMs },
      );
      rows.push(
        loopRow(
          SECTION,
          `echo (help → welcome card), ${clients(c)}`,
          result,
          `the same stack without storage (${requests})${logged}`,
        ),
      );
    }

    const saturation: { c: number; result: LoopResult }[] = [];
    for (const c of CONCURRENCIES) {
      const { result, requests, logged } = await phase(
        shared,
        (rig, o) => closedLoop(c, () => fileTicket(rig), o),
        { durationMs: closedMs, warmupMs },
      );
      saturation.push({ c, result });
      const split = `this process ${pct(result.cpu.selfCores)}, Azurite ${pct(result.cpu.ourCores - result.cpu.selfCores)}`;
      rows.push(
        loopRow(
          SECTION,
          `file ticket, ${clients(c)}`,
          result,
          `storage ${requests} per ticket; ${split}; ${(result.opsPerSec / raw).toFixed(2)}x raw insert rate${logged}`,
        ),
      );
    }
    const best = saturation.reduce((a, b) => (b.result.opsPerSec > a.result.opsPerSec ? b : a));
    const shareMet = best.result.opsPerSec / raw >= GOAL_SHARE_OF_RAW;
    const bestRow = rows.findIndex((r) => r.name === `file ticket, ${clients(best.c)}`);
    const bestOld = rows[bestRow];
    if (bestOld !== undefined)
      rows[bestRow] = {
        ...bestOld,
        note: `${bestOld.note}; saturation ${shareMet ? 'goal met' : 'GOAL MISSED'} (>= 1/3 of raw ${Math.round(raw)}/s)`,
      };

    const { result, requests, logged } = await phase(
      shared,
      (rig, o) => openLoop(OFFERED_PER_SEC, () => fileTicket(rig), o),
      { durationMs: openMs, warmupMs },
    );
    const p99Met = result.p99Us !== null && result.p99Us < GOAL_P99_MS * 1000 && result.errors === 0;
    rows.push(
      loopRow(
        SECTION,
        `file ticket, offered ${OFFERED_PER_SEC}/s`,
        result,
        `open loop, timed from each scheduled start; max ${ms(result.maxUs)}, at most ${result.maxInFlight} in flight; ` +
          `storage ${requests} per ticket; p99 ${p99Met ? 'goal met' : 'GOAL MISSED'} (< ${GOAL_P99_MS} ms)${logged}`,
      ),
    );
  } finally {
    await connector?.stop();
    await azurite.stop();
  }
  return rows;
}
