// Three app instances (child processes running src/index.ts) on one Azurite and one fake connector, sharing a
// simulated clock (one of them a few seconds ahead), with 100 tickets whose deadlines are staggered over a night
// and a morning. One instance is killed with SIGKILL mid-run and restarted. Every warning and page due by the
// end appears in the connector's log exactly once, none is missing, each thread's posts are in order and within
// Teams' per-thread limit. The primary on call cannot be reached in chat (404 ConversationNotFound, 403 bot
// blocked, then 500 "User not found") and the rotation has no secondary: every "could not reach" note and alarm
// is posted once, and the manager's page and every warning still come at their instants.
//
// The kill happens while the connector answers 503 to every send, so that no send of the killed instance can
// have been accepted with its answer lost: that one case (a lost answer) is the documented at-least-once edge,
// counted and logged; everything else (claims, leases, takeover, scheduling races) must give exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { build, stop as stopEsbuild } from 'esbuild';
import { join } from 'node:path';
import type { App } from '../../src/app';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine, TARGETS } from '../../src/domain/sla';
import { pageTriggers, slaInput } from '../../src/domain/tickets/sla-view';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling } from '../fixtures/filing';
import { startTestApp, supportChannel, untoldTickets, type TestClock } from '../support/app';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';

const ROOT = join(__dirname, '..', '..');
const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const MARY = 'ma770000-0000-4000-8000-000000000003';
const CHANNEL = '19:supportchannel@thread.tacv2';
const et = (local: string): number => Date.parse(`${local}-05:00`);
const START = et('2026-11-25T01:00:00'); // Wednesday, before support hours open at 04:00
const END = et('2026-11-25T08:00:00');
const SPEED = 1000;
const LEASE_MS = 10_000;

let azurite: TestAzurite;
let connector: FakeConnector;
const prefix = uniqueTableName('w').slice(0, 20);
const children = new Map<string, ChildProcess>();
const logs = new Map<string, string[]>();

const env = (): Record<string, string> => ({
  STAFF_TENANT_ID: VENDOR,
  STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer`,
  STAFF_MANAGERS: `${MARY}=Mary Manager`,
  ONCALL_ROTATION: JSON.stringify({
    start: '2026-11-23',
    handover: '09:00',
    weeks: [{ primary: BOB }],
  }),
});

const out = mkdtempSync(join(tmpdir(), 'sla-desk-instances-'));
const bundle = join(out, 'index.js');

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
  // One JavaScript file for src/index.ts (packages stay external), so that each instance starts without
  // compiling TypeScript: starting three at once is then a matter of seconds, not tens of seconds.
  await build({
    entryPoints: [join(ROOT, 'src', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  // esbuild keeps a service process for further builds; none follow.
  await stopEsbuild();
});
afterAll(async () => {
  for (const child of children.values()) child.kill('SIGKILL');
  rmSync(out, { recursive: true, force: true });
  await connector.stop();
  await azurite.stop();
});

/** Starts `node src/index.ts` as instance `name`; resolves when it listens. */
function startInstance(name: string, anchor: number, aheadMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', bundle], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_PATH: join(ROOT, 'node_modules'),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      TABLES_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: prefix,
      INSTANCE_ID: name,
      SIM_CLOCK_START: new Date(START + aheadMs).toISOString(),
      SIM_CLOCK_SPEED: String(SPEED),
      SIM_CLOCK_ANCHOR: String(anchor),
      WATCHER_INTERVAL_MS: '250',
      OUTBOX_LEASE_MS: String(LEASE_MS),
      OUTBOX_TENANT_RATE: '100',
      ...env(),
    },
  });
  children.set(name, child);
  const lines: string[] = logs.get(name) ?? [];
  logs.set(name, lines);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`instance ${name} did not start:\n${lines.join('')}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      lines.push(text);
      if (lines.length > 200) lines.shift();
      if (text.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) lines.push(`exited ${String(code)} ${String(signal)}\n`);
    });
  });
}

/** Files the tickets (dispatch instants staggered over 01:00–02:00) and gives each a thread. */
async function seed(): Promise<Ticket[]> {
  // Dispatch instants staggered 36 s apart over 01:00–02:00 (ticket i files at about START + i × 36 s).
  const stagger = { i: 0 };
  const clock: TestClock = {
    get now() {
      return START + stagger.i * 36_000;
    },
    set now(_: number) {
      // fixed by `stagger`
    },
  };
  const app: App = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: { ...env(), TABLE_PREFIX: prefix, CUSTOMER_TENANTS: '' },
  });
  try {
    await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, START));
    const tickets: Ticket[] = new Array<Ticket>(100);
    // Seeded with their threads as if posted: nobody is told (this app neither posts nor pages).
    const quiet = untoldTickets(app, () => clock.now);
    let next = 0;
    const file = async (): Promise<void> => {
      while (next < tickets.length) {
        const i = next++;
        stagger.i = i;
        const priority = i % 10 === 0 ? 'P1' : i % 2 === 0 ? 'P2' : 'P3';
        const filed = await quiet.file(aFiling({ priority }));
        if (!filed.ok) throw filed.error;
        const root = String(5000 + i);
        const linked = await quiet.act(
          { kind: 'staff' },
          filed.value.ticket.id,
          { id: 'sla-desk', name: 'SLA Desk', role: 'system' },
          {
            kind: 'link-thread',
            thread: {
              conversationId: `${CHANNEL};messageid=${root}`,
              activityId: root,
              serviceUrl: connector.serviceUrl,
            },
          },
        );
        if (!linked.ok) throw linked.error;
        tickets[i] = linked.value.ticket;
      }
    };
    await Promise.all(Array.from({ length: 10 }, file));
    return tickets;
  } finally {
    await app.stop();
  }
}

/** Every message the watcher should post, with the instant it becomes due. */
function schedule(tickets: readonly Ticket[]): Map<string, number> {
  const engine = new SlaEngine(DEFAULT_POLICY);
  const out = new Map<string, number>();
  for (const t of tickets) {
    const result = engine.evaluate(slaInput(t));
    for (const target of TARGETS)
      for (const n of engine.notices(result, target))
        out.set(`${t.id}: warning ${target} ${n.percent}`, n.deliverAt);
    for (const p of pageTriggers(engine, t)) {
      expect(p.kind).toBe('page');
      // Bob's chat is refused: the thread says so and the alarm goes out (the managers' copy is a post of its
      // own in the channel). No secondary: nothing for that step. Mary, the manager, is paged in both places.
      out.set(`${t.id}: page, primary`, p.at);
      out.set(`${t.id}: chat not reached`, p.at);
      out.set(`${t.id}: nobody reached`, p.at);
      out.set(`${t.id}: nobody reached (managers)`, p.at);
      const manager = p.at + 30 * 60_000;
      out.set(`${t.id}: page, manager`, manager);
      out.set(`${t.id}: page, manager (1:1)`, manager);
    }
  }
  return out;
}

function observed(): { key: string; thread: string; at: number }[] {
  return connector.sent().map((r) => {
    const summary = r.activity?.summary ?? '';
    const inThread = r.conversationId?.startsWith(CHANNEL) === true;
    return { key: inThread ? summary : `${summary} (1:1)`, thread: r.conversationId ?? '', at: r.at };
  });
}

it('three instances, one killed and restarted: every warning and page exactly once, in order, within limits', async () => {
  // The instances start (slowly: three TypeScript processes on a small machine) while the tickets are filed;
  // the shared simulated clock reaches START only when all are up.
  const anchor = Date.now() + 30_000;
  const started = Promise.all([
    startInstance('a', anchor, 0),
    startInstance('b', anchor, 0),
    startInstance('c', anchor, 3000),
  ]);
  const tickets = await seed();
  await started;
  if (Date.now() > anchor) throw new Error('the instances took longer than 30 s to start');
  const due = schedule(tickets);
  // Bob never installed the app, or blocked it: three refusals of each kind, then 500 "User not found".
  for (const [status, code, message, times] of [
    [404, 'ConversationNotFound', 'Conversation not found.', 3],
    [403, 'BotDisabledByAdmin', 'The bot is blocked by the user.', 3],
    [500, 'BadArgument', 'User not found', undefined],
  ] as const)
    connector.refuse({
      only: 'createConversation',
      member: BOB,
      status,
      code,
      message,
      ...(times === undefined ? {} : { times }),
    });
  const expected = [...due].filter(([, at]) => at <= END).map(([key]) => key);
  expect(expected.length).toBeGreaterThan(300);
  const simNow = (): number => START + (Date.now() - anchor) * SPEED;

  // Mid-run (about 04:30 simulated, the morning's first P2 warnings): every send fails for a moment; B dies.
  while (simNow() < et('2026-11-25T04:30:00')) await new Promise((r) => setTimeout(r, 50));
  const before = connector.sent().length;
  connector.failNext(1_000_000, {
    status: 503,
    only: ['replyToActivity', 'updateActivity', 'sendToConversation', 'createConversation'],
  });
  // Kill once the failures are under way (a 503 served, and a second for answers already sent to arrive).
  const failing = Date.now() + 20_000;
  while (!connector.requests().some((r) => r.status === 503) && Date.now() < failing)
    await new Promise((r) => setTimeout(r, 50));
  expect(connector.requests().some((r) => r.status === 503)).toBe(true);
  await new Promise((r) => setTimeout(r, 1000));
  children.get('b')?.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  connector.clearFaults();
  await startInstance('b', anchor, 0);

  const seen = (): Set<string> => new Set(observed().map((o) => o.key));
  const deadline = Date.now() + 270_000; // generous: a loaded machine (CI at load 4+) delivers late, never twice
  while ((simNow() < END || expected.some((k) => !seen().has(k))) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 1000));

  const counts = new Map<string, number>();
  for (const o of observed()) counts.set(o.key, (counts.get(o.key) ?? 0) + 1);
  const missing = expected.filter((k) => !counts.has(k));
  const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  const unknown = [...counts.keys()].filter((k) => !due.has(k));
  console.log(
    'SUMMARY',
    expected.length,
    missing.length,
    connector.requests().length,
    [...logs.values()].map((l) => l.join('').slice(-2500)).join('\n=====\n'),
  );
  expect({ missing, twice, unknown }).toEqual({ missing: [], twice: [], unknown: [] });
  expect(connector.sent().length).toBeGreaterThan(before);

  // In order per thread: each thread's warnings by due time, and never more than 7 posts in a second.
  const byThread = new Map<string, { key: string; at: number }[]>();
  for (const o of observed()) {
    // Threads only (the managers' alarms are posts of their own); a note or an alarm about a refused chat is
    // scheduled when Teams refused it, after the SDK's own retries of a 500 (seconds: hours at 1000×).
    if (!o.thread.startsWith(`${CHANNEL};`) || / (chat not reached|nobody reached)$/.test(o.key)) continue;
    const list = byThread.get(o.thread) ?? [];
    list.push(o);
    byThread.set(o.thread, list);
  }
  for (const posts of byThread.values()) {
    const dueTimes = posts.map((p) => due.get(p.key) ?? 0);
    expect(dueTimes).toEqual([...dueTimes].sort((a, b) => a - b));
    for (let i = 7; i < posts.length; i++)
      expect((posts[i]?.at ?? 0) - (posts[i - 7]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  }
}, 420_000);
