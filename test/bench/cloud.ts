// Cloud section ("Speed at cloud distances"): the same requests at this machine's distances and at a cloud's.
// On this machine Azurite answers in about a millisecond; Azure Table Storage takes 5-15 ms a request and the
// Bot Connector tens of ms. Each case runs twice: "local" straight to Azurite and the fake Bot Connector, and
// "cloud" with a latency proxy adding 10 ms to every storage request (test/support/latency-proxy.ts) and the
// fake connector answering after 80 ms. Cases: a customer files a ticket through /api/messages at an offered
// 20 tickets/s (goal p99 < 150 ms at cloud distance), and 20 engineers at work press Take and Reply on
// tickets' cards, 10 presses/s between them (goal p99 < 300 ms). Latency is to the answer of the invoke, timed
// from each scheduled start; each row names the storage round trips on the path to that answer, the ones
// made one after another (./trace.ts). docs/performance.md says what each round trip is for.
import type { App } from '../../src/app';
import { startAzurite, type Azurite } from '../../src/adapters/storage/azurite';
import { actionExecute, channelMessage } from '../support/activities';
import { startTestApp } from '../support/app';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';
import { startLatencyProxy, type LatencyProxy } from '../support/latency-proxy';
import { startRig, submitActivity } from './bot';
import { HttpClient } from './client';
import { loopRow, openLoop, type BenchRow, type LoopResult, type SectionOptions } from './harness';
import { StorageTrace, summarise, TRACE_HEADER, type PathCount } from './trace';

const SECTION = 'cloud';
const STORAGE_DELAY_MS = 10;
const CONNECTOR_DELAY_MS = 80;
const FILE_RATE = 20;
const FILE_GOAL_MS = 150;
const ENGINEERS = 20;
/** 20 engineers each pressing a button every 2 s on average. */
const PRESS_RATE = 10;
const PRESS_GOAL_MS = 300;
const CHANNEL = '19:benchcloud@thread.tacv2';
const CUSTOMERS = Array.from(
  { length: 8 },
  (_, i) => `${String(i + 1).repeat(8)}-2222-4222-8222-222222222222`,
);

interface Distance {
  readonly name: 'local' | 'cloud';
  readonly storageMs: number;
  readonly connectorMs: number;
}

const DISTANCES: readonly Distance[] = [
  { name: 'local', storageMs: 0, connectorMs: 0 },
  { name: 'cloud', storageMs: STORAGE_DELAY_MS, connectorMs: CONNECTOR_DELAY_MS },
];

/** The parts a case runs against at one distance. */
interface World {
  readonly distance: Distance;
  readonly azurite: Azurite;
  readonly connector: FakeConnector;
  readonly proxy: LatencyProxy | undefined;
  /** Where the app's storage requests go: Azurite, or the proxy in front of it. */
  readonly connectionString: string;
}

const ms = (us: number | null): string => (us === null ? '-' : `${(us / 1000).toFixed(0)} ms`);

/** Starts tracing an app's storage requests (its tables named without the run's prefix). */
function traceApp(app: App): StorageTrace {
  const trace = new StorageTrace();
  for (const [name, client] of Object.entries(app.storage.clients))
    trace.attach(client, name.slice(app.config.tablePrefix.length));
  trace.untagBackground(app.background);
  return trace;
}

function note(
  world: World,
  r: LoopResult,
  goalMs: number,
  counts: readonly PathCount[],
  what: string,
): string {
  const where =
    world.distance.name === 'local'
      ? 'no added latency'
      : `storage +${world.distance.storageMs} ms a request, connector +${world.distance.connectorMs} ms`;
  const goal =
    world.distance.name === 'cloud'
      ? `; p99 ${r.p99Us !== null && r.p99Us < goalMs * 1000 && r.errors === 0 ? 'goal met' : 'GOAL MISSED'} (< ${goalMs} ms)`
      : '';
  return `${where}; p95 ${ms(r.p95Us)}, max ${ms(r.maxUs)}${goal}; ${summarise(what, counts)}`;
}

/** Customers file tickets through /api/messages at FILE_RATE a second; timed to the invoke's answer. */
async function filingRow(world: World, durationMs: number, warmupMs: number): Promise<BenchRow> {
  const rig = await startRig({
    azurite: { ...world.azurite, connectionString: world.connectionString },
    connector: world.connector,
  });
  try {
    const trace = traceApp(rig.app);
    const counts: PathCount[] = [];
    let timed = false;
    const result = await openLoop(
      FILE_RATE,
      async () => {
        const n = rig.next++;
        const tag = `file-${n}`;
        const { body } = submitActivity(rig, n);
        const res = await rig.client.post('/api/messages', body, { [TRACE_HEADER]: tag });
        const count = trace.take(tag);
        if (res.status !== 200) throw new Error(`invoke answered ${res.status}: ${res.text.slice(0, 200)}`);
        if (!/Ticket TM-\d+ filed/.test(res.text))
          throw new Error(`invoke response is not the confirmation: ${res.text.slice(0, 200)}`);
        if (timed) counts.push(count);
      },
      {
        durationMs,
        warmupMs,
        pids: [world.azurite.pid],
        onTimedStart: () => {
          timed = true;
        },
      },
    );
    await rig.app.background.drain();
    world.connector.clear();
    return loopRow(
      SECTION,
      `${world.distance.name}: file ticket, offered ${FILE_RATE}/s`,
      result,
      note(world, result, FILE_GOAL_MS, counts, 'file ticket'),
    );
  } finally {
    await rig.stop();
  }
}

/** Take, then Reply, on tickets with threads, by ENGINEERS engineers pressing PRESS_RATE times a second. */
async function staffRows(world: World, seconds: number): Promise<BenchRow[]> {
  const engineers = Array.from(
    { length: ENGINEERS },
    (_, i) => `e${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`,
  );
  const app = await startTestApp({
    connectionString: world.connectionString,
    clock: { now: Date.parse('2026-11-24T10:00:00-05:00') },
    env: {
      CUSTOMER_TENANTS: CUSTOMERS.map((id, i) => `${id}=Customer ${i}`).join(';'),
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: engineers.map((id, i) => `${id}=Engineer ${i}`).join(';'),
    },
  });
  const setup = new HttpClient(app.url);
  let client = setup;
  const rows: BenchRow[] = [];
  try {
    const who = (i: number) => ({
      serviceUrl: world.connector.serviceUrl,
      tenantId: VENDOR,
      userId: `29:eng${i}`,
      aadObjectId: engineers[i % ENGINEERS] ?? '',
      userName: `Engineer ${i}`,
      channel: { channelId: CHANNEL },
    });
    await setup.post(
      '/api/messages',
      JSON.stringify(channelMessage({ ...who(0), text: 'use this channel for support' })),
    );
    // Tickets with their threads in the channel, as engineers find them: one per press, warm-up included.
    const count = PRESS_RATE * (seconds + 1) + 10;
    const ids: string[] = [];
    for (let i = 0; i < count; i += 10) {
      const filed = await Promise.all(
        Array.from({ length: Math.min(10, count - i) }, (_, k) =>
          app.tickets.file({
            requestId: `cloud-${i + k}`,
            tenantId: CUSTOMERS[(i + k) % CUSTOMERS.length] ?? '',
            customerName: `Customer ${(i + k) % CUSTOMERS.length}`,
            requester: { id: 'ann', name: 'Ann' },
            title: `Ticket ${i + k}`,
            description: 'Cannot add a user.',
            category: 'provisioning',
            priority: 'P3',
          }),
        ),
      );
      for (const f of filed) {
        if (!f.ok) throw f.error;
        ids.push(f.value.ticket.id);
      }
    }
    await app.background.drain();
    world.connector.clear();
    const trace = traceApp(app);
    /** Tickets pressed in the current phase, checked afterwards (a refusal also answers with the card). */
    const pressed = new Set<string>();
    const press = async (verb: string, n: number, data: Record<string, string>): Promise<PathCount> => {
      const id = ids[n % ids.length] ?? '';
      const tag = `${verb}-${n}`;
      const activity = actionExecute(
        verb,
        { verb, ticketId: id, ...data },
        { ...who(n % ENGINEERS), replyToId: 'root' },
      );
      const res = await client.post('/api/messages', JSON.stringify(activity), { [TRACE_HEADER]: tag });
      const counted = trace.take(tag);
      if (res.status !== 200 || !res.text.includes(id))
        throw new Error(`${verb} on ${id} answered ${res.status}: ${res.text.slice(0, 200)}`);
      pressed.add(id);
      return counted;
    };
    for (const [verb, label, data] of [
      ['staff.take', 'take', (): Record<string, string> => ({})],
      ['staff.reply', 'reply', (n: number): Record<string, string> => ({ replyText: `Reply ${n}` })],
    ] as const) {
      const counts: PathCount[] = [];
      let timed = false;
      let next = 0;
      // Fresh connections each phase: the server closes the ones left idle while the last phase drained.
      client.close();
      client = new HttpClient(app.url);
      pressed.clear();
      const result = await openLoop(
        PRESS_RATE,
        async () => {
          const n = next++;
          const c = await press(verb, n, data(n));
          if (timed) counts.push(c);
        },
        {
          durationMs: seconds * 1000,
          warmupMs: 1000,
          pids: [world.azurite.pid],
          onTimedStart: () => {
            timed = true;
          },
        },
      );
      await app.background.drain();
      world.connector.clear();
      let refused = 0;
      for (const id of pressed) {
        const got = await app.tickets.get({ kind: 'staff' }, id);
        const done = got.ok && (verb === 'staff.take' ? got.value.owner : got.value.responseMetAt);
        if (done === undefined || done === false) refused++;
      }
      if (refused > 0)
        throw new Error(`${refused} of ${pressed.size} ${label} presses did not change their ticket`);
      rows.push(
        loopRow(
          SECTION,
          `${world.distance.name}: ${label}, ${ENGINEERS} engineers at work (${PRESS_RATE}/s)`,
          result,
          note(world, result, PRESS_GOAL_MS, counts, label),
        ),
      );
    }
  } finally {
    setup.close();
    client.close();
    await app.stop();
  }
  return rows;
}

/** The cloud section: filing, Take and Reply, each at local and at cloud distance. */
export async function cloudBench(options: SectionOptions): Promise<BenchRow[]> {
  const quick = options.durationMs < 1000;
  const seconds = quick ? 3 : 10;
  const rows: BenchRow[] = [];
  const azurite = await startAzurite();
  try {
    for (const distance of DISTANCES) {
      const connector = await startFakeConnector({ answerDelayMs: distance.connectorMs });
      const proxy =
        distance.storageMs > 0
          ? await startLatencyProxy({
              targetPort: azurite.port,
              blobPort: azurite.blobPort,
              delayMs: distance.storageMs,
            })
          : undefined;
      try {
        const world: World = {
          distance,
          azurite,
          connector,
          proxy,
          connectionString: proxy?.connectionString ?? azurite.connectionString,
        };
        rows.push(await filingRow(world, seconds * 1000, quick ? 500 : 1000));
        rows.push(...(await staffRows(world, seconds)));
      } finally {
        await proxy?.stop();
        await connector.stop();
      }
    }
  } finally {
    await azurite.stop();
  }
  return rows;
}
