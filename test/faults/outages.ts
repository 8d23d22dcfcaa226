// Faults outside the app: storage stopped under load and started again, and a slow or failing Teams (429 with
// Retry-After, 503, hangs). People must only ever be told the truth ("could not save, please try again", never
// a false confirmation), the app must keep answering, and afterwards everything is stored and delivered once.
import { emptyResult, settled, startRig, type Rig, type ScenarioResult } from './rig';
import { noticesDelivered, threadLatency, threadsPosted, verify } from './verify';
import {
  Balancer,
  crowd,
  customers,
  customerStep,
  engineerStep,
  invokeText,
  Ledger,
  registerChannel,
  type Customer,
  type Filing,
} from './world';
import { actionExecute } from '../support/activities';

/** What people may be told while storage is down: each says nothing was saved and to try again. */
const HONEST = [
  'Could not save your ticket right now, so nothing was filed. Please try again.',
  'Could not save right now; nothing was changed. Please try again.',
  'Could not read your tickets right now. Please try again in a moment.',
];

const REPAIR_GRACE_MS = 15_000;

interface Crowd {
  readonly ledger: Ledger;
  readonly balancer: Balancer;
  readonly board: Filing[];
  readonly mine: Filing[][];
  readonly people: ReturnType<typeof customers>;
  run(until: () => boolean): Promise<void>;
  /** Customers press File again on forms that were not saved, until all are (or rounds run out). */
  finish(): Promise<void>;
}

function crowdOn(rig: Rig, nCustomers: number, nEngineers: number): Crowd {
  const ledger = new Ledger();
  const balancer = new Balancer(() => rig.instances, ledger);
  const board: Filing[] = [];
  const people = customers(nCustomers);
  const mine = people.map((): Filing[] => []);
  const actors = { connector: rig.connector, balancer, ledger, board };
  const step = (i: number) => customerStep(people[i] as Customer, actors, mine[i] ?? []);
  return {
    ledger,
    balancer,
    board,
    mine,
    people,
    run: (until) =>
      Promise.all([
        crowd(nCustomers, until, step),
        crowd(nEngineers, until, (i) => engineerStep(i, actors)),
      ]).then(() => undefined),
    finish: async () => {
      for (let round = 0; round < 8; round++) {
        const open = people.flatMap((_, i) =>
          (mine[i] ?? []).some((f) => f.ticketId === undefined) ? [i] : [],
        );
        if (open.length === 0) return;
        await Promise.all(open.map(step));
      }
    },
  };
}

async function conclude(rig: Rig, c: Crowd, result: ScenarioResult, log: (l: string) => void): Promise<void> {
  const waiting = await threadsPosted(c.ledger, rig.storage, rig.prefix, REPAIR_GRACE_MS + 60_000);
  if (waiting > 0) log(`  ${waiting} tickets still without a thread`);
  const unsent = await noticesDelivered(c.ledger, rig.connector, REPAIR_GRACE_MS + 60_000);
  if (unsent > 0) log(`  ${unsent} replies still not with their customers`);
  result.late = waiting + unsent;
  // Quiet for several repair passes: a pass that reads many timelines may send nothing for seconds.
  await settled(rig.connector, 10_000, 120_000);
  await Promise.all(rig.instances.map((i) => i.stop()));
  const found = await verify(c.ledger, rig.storage, rig.prefix, rig.connector, undefined, [], () =>
    rig.instances.map((i) => i.output()).join('\n'),
  );
  result.notes.push(threadLatency(c.ledger, rig.connector));
  result.operations = c.ledger.tally.operations;
  result.lost = found.lost;
  result.duplicated = found.duplicated;
  result.undelivered = found.undelivered;
  result.userErrors = c.ledger.tally.userErrors;
  result.lostResponses = c.ledger.tally.lostResponses;
  result.failures.push(...found.problems);
  result.notes.push(
    `${c.ledger.confirmed().length} tickets confirmed, ${found.stored} stored, ${c.ledger.changes.filter((x) => x.acked).length} changes acknowledged`,
    `statuses: ${[...c.ledger.tally.statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
    ...[...c.ledger.errorTexts].map(([t, n]) => `users saw ${n}×: ${t}`),
  );
}

/** Polls /healthz on every live instance; returns the slowest answer (ms) and how many failed. */
function watchHealth(
  rig: Rig,
  until: () => boolean,
): Promise<{ worstMs: number; failed: number; polls: number }> {
  return (async () => {
    let worstMs = 0;
    let failed = 0;
    let polls = 0;
    while (!until()) {
      for (const i of rig.instances.filter((x) => x.alive())) {
        const t0 = Date.now();
        try {
          const res = await fetch(`${i.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
        } catch {
          failed++;
        }
        polls++;
        worstMs = Math.max(worstMs, Date.now() - t0);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return { worstMs, failed, polls };
  })();
}

export interface OutageOptions {
  readonly outageMs: number;
  readonly customers: number;
  readonly engineers: number;
  readonly log?: (line: string) => void;
}

/** Azurite stopped for `outageMs` under load, then started again on the same data. */
export async function storageOutage(o: OutageOptions): Promise<ScenarioResult> {
  const result = emptyResult(`storage down ${Math.round(o.outageMs / 1000)} s under load`);
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const rig = await startRig(['a', 'b'], {
    THREAD_REPAIR_INTERVAL_MS: '2000',
    THREAD_REPAIR_GRACE_MS: String(REPAIR_GRACE_MS),
  });
  try {
    const c = crowdOn(rig, o.customers, o.engineers);
    const registered = await c.balancer.send(registerChannel(rig.connector));
    if (registered.status !== 200) result.failures.push(`channel registration answered ${registered.status}`);
    const flags = { done: false };
    const load = c.run(() => flags.done);
    const health = watchHealth(rig, () => flags.done);
    await sleep(8_000);
    const before = c.ledger.tally.userErrors;
    log(`  stopping Azurite (pid ${rig.azurite.pid}) at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const startAgain = await rig.stopStorage();
    result.faults++;
    await sleep(o.outageMs);
    await startAgain();
    log(`  Azurite started again at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const during = c.ledger.tally.userErrors - before;
    await sleep(12_000);
    flags.done = true;
    await load;
    const h = await health;
    await c.finish();
    result.notes.push(
      `${during} answers during the outage told people to try again; healthz: ${h.polls} polls, ${h.failed} failed, slowest ${h.worstMs} ms`,
    );
    if (h.failed > 0) result.failures.push(`healthz failed ${h.failed} times during the outage`);
    if (during === 0) result.failures.push('nobody was told that saving failed: the outage had no effect?');
    await conclude(rig, c, result, log);
    for (const [text] of c.ledger.errorTexts)
      if (!HONEST.some((honest) => text.includes(honest)))
        result.failures.push(`people were told something unclear: ${text}`);
  } finally {
    await rig.close();
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}

export interface TeamsFaultOptions {
  readonly faultMs: number;
  readonly customers: number;
  readonly engineers: number;
  readonly log?: (line: string) => void;
}

/**
 * While Teams answers 429 (Retry-After 2 s), 503 and hangs for 20 s, people keep filing and engineers keep
 * replying. Presses are answered quickly, healthz stays up; afterwards every thread and every reply meant for a
 * customer has arrived, retries waited as long as Teams asked, and no conversation got more than Teams allows.
 */
export async function teamsFaults(o: TeamsFaultOptions): Promise<ScenarioResult> {
  const result = emptyResult('Teams slow or failing (429, 503, hangs)');
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  // The thread repair at its defaults: nothing is lost here, every delivery waits Teams out where it started.
  const rig = await startRig(['a', 'b']);
  try {
    const c = crowdOn(rig, o.customers, o.engineers);
    const registered = await c.balancer.send(registerChannel(rig.connector));
    if (registered.status !== 200) result.failures.push(`channel registration answered ${registered.status}`);
    const flags = { done: false, faulty: true };
    const load = c.run(() => flags.done);
    const health = watchHealth(rig, () => flags.done);
    // Presses timed on their own: a customer opening a ticket card while Teams misbehaves.
    const presses: number[] = [];
    const probe = (async () => {
      while (!flags.done) {
        const filed = c.board[0];
        if (filed?.ticketId !== undefined) {
          const t0 = Date.now();
          const a = await c.balancer.send(
            actionExecute(
              'ticket.refresh',
              { verb: 'ticket.refresh', ticketId: filed.ticketId },
              {
                serviceUrl: rig.connector.serviceUrl,
                tenantId: filed.tenantId,
                userId: '29:probe',
                replyToId: 'probe-card',
              },
            ),
          );
          presses.push(Date.now() - t0);
          if (a.status !== 200 || !invokeText(a).card)
            result.failures.push(`a press answered ${a.status} during the faults`);
        }
        await sleep(1_000);
      }
    })();
    const injector = (async () => {
      await sleep(3_000);
      log(`  Teams starts failing at ${((Date.now() - started) / 1000).toFixed(1)} s`);
      while (flags.faulty) {
        rig.connector.failNext(4, { status: 429, retryAfterSeconds: 2 });
        rig.connector.failNext(3, { status: 503 });
        rig.connector.hang(20_000, 1);
        await sleep(1_000);
      }
      log(`  Teams answers normally again at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    })();
    await sleep(3_000 + o.faultMs);
    flags.faulty = false;
    await injector;
    await sleep(8_000);
    flags.done = true;
    await Promise.all([load, probe]);
    const h = await health;
    await c.finish();
    const records = rig.connector.requests();
    result.faults = records.filter((r) => r.status >= 400 || r.delayedMs > 0).length;
    const early = retriesBeforeRetryAfter(records);
    const burst = worstBurst(records);
    presses.sort((a, b) => a - b);
    const p95 = presses[Math.floor(presses.length * 0.95)] ?? 0;
    result.notes.push(
      `${result.faults} Teams requests failed or hung; presses: ${presses.length}, p95 ${p95} ms, worst ${presses.at(-1) ?? 0} ms; healthz worst ${h.worstMs} ms`,
      `retries sooner than Retry-After: ${early}; most requests to one conversation in a second: ${burst.n} (${burst.what.slice(0, 300)})`,
    );
    if (h.failed > 0) result.failures.push(`healthz failed ${h.failed} times`);
    if (p95 > 5_000) result.failures.push(`presses were slow while Teams misbehaved: p95 ${p95} ms`);
    if (early > 0) result.failures.push(`${early} retries came sooner than Teams' Retry-After`);
    if (burst.n > 7)
      result.failures.push(`${burst.n} requests to one conversation within a second (Teams allows 7)`);
    await conclude(rig, c, result, log);
  } finally {
    await rig.close();
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}

type Rec = ReturnType<Rig['connector']['requests']>[number];

/** Requests that repeated a 429'd request (same method and path) before its Retry-After had passed. */
function retriesBeforeRetryAfter(records: readonly Rec[]): number {
  let early = 0;
  records.forEach((r, i) => {
    if (r.status !== 429) return;
    const body = JSON.stringify(r.body ?? null);
    const again = records
      .slice(i + 1)
      .find((x) => x.method === r.method && x.path === r.path && JSON.stringify(x.body ?? null) === body);
    // Retry-After is 2 s; allow 100 ms for clocks and scheduling.
    if (again !== undefined && again.at - r.at < 1_900) early++;
  });
  return early;
}

/** The most requests any one conversation got within one second, and which requests they were. */
function worstBurst(records: readonly Rec[]): { n: number; what: string } {
  const by = new Map<string, Rec[]>();
  for (const r of records) {
    // Teams counts per thread: a reply in a channel thread belongs to the thread of its root post.
    const key =
      r.operation === 'replyToActivity' &&
      r.activityId !== undefined &&
      !(r.conversationId ?? '').includes(';')
        ? `${r.conversationId ?? ''};messageid=${r.activityId}`
        : (r.conversationId ?? '');
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  let worst = { n: 0, what: '' };
  for (const [conversation, list] of by) {
    let lo = 0;
    for (let hi = 0; hi < list.length; hi++) {
      while ((list[hi]?.at ?? 0) - (list[lo]?.at ?? 0) >= 1_000) lo++;
      if (hi - lo + 1 > worst.n)
        worst = {
          n: hi - lo + 1,
          what: `${conversation}: ${list
            .slice(lo, hi + 1)
            .map((r) => `${r.operation}→${r.status}`)
            .join(' ')}`,
        };
    }
  }
  return worst;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
