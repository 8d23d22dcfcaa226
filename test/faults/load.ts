// Load with a crash: 50 customers file and follow tickets while engineers work them, against two instances
// behind a balancer; halfway through one instance is SIGKILLed (and later started again). Afterwards every
// confirmed ticket exists with its whole timeline, no confirmation names a ticket that does not exist, and
// nothing happened twice. Requests in flight at the kill are counted as lost responses and sent again.
import { randomInt } from 'node:crypto';
import { emptyResult, settled, startRig, type ScenarioResult } from './rig';
import { noticesDelivered, threadLatency, threadsPosted, verify } from './verify';
import {
  Balancer,
  crowd,
  customers,
  customerStep,
  engineerStep,
  Ledger,
  registerChannel,
  type Customer,
  type Filing,
} from './world';

/** How long before a live instance posts a thread the killed one never posted (shorter than the default 2 min). */
const REPAIR_GRACE_MS = 15_000;

export interface LoadOptions {
  readonly durationMs: number;
  readonly customers: number;
  readonly engineers: number;
  readonly log?: (line: string) => void;
}

export async function loadWithKill(o: LoadOptions): Promise<ScenarioResult> {
  const result = emptyResult('load + SIGKILL of one of two instances');
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const rig = await startRig(['a', 'b'], {
    THREAD_REPAIR_INTERVAL_MS: '2000',
    THREAD_REPAIR_GRACE_MS: String(REPAIR_GRACE_MS),
  });
  try {
    const ledger = new Ledger();
    const balancer = new Balancer(() => rig.instances, ledger);
    const board: Filing[] = [];
    const actors = { connector: rig.connector, balancer, ledger, board };
    const registered = await balancer.send(registerChannel(rig.connector));
    if (registered.status !== 200) result.failures.push(`channel registration answered ${registered.status}`);
    const people = customers(o.customers);
    const mine = people.map((): Filing[] => []);
    const end = Date.now() + o.durationMs;
    const until = () => Date.now() >= end;
    const victim = rig.instances[randomInt(0, 2)]?.name ?? 'b';
    const kills: number[] = [];
    const chaos = (async () => {
      await sleep(o.durationMs * 0.45);
      const instance = rig.instances.find((i) => i.name === victim);
      log(
        `  SIGKILL instance ${victim} (pid ${instance?.pid ?? '?'}) at ${((Date.now() - started) / 1000).toFixed(1)} s (${new Date().toISOString().slice(11, 23)})`,
      );
      kills.push(Date.now());
      instance?.kill();
      result.faults++;
      await instance?.exited;
      await sleep(o.durationMs * 0.15);
      await rig.start(victim);
      balancer.reset();
      log(`  instance ${victim} started again at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    })();
    await Promise.all([
      crowd(o.customers, until, (i) => customerStep(people[i] as Customer, actors, mine[i] ?? [])),
      crowd(o.engineers, until, (i) => engineerStep(i, actors)),
      chaos,
    ]);
    // Customers whose last press got no answer (or "could not save") press File again, as people do.
    for (let round = 0; round < 5; round++) {
      const open = people.flatMap((p, i) =>
        (mine[i] ?? []).some((f) => f.ticketId === undefined) ? [i] : [],
      );
      if (open.length === 0) break;
      await Promise.all(open.map((i) => customerStep(people[i] as Customer, actors, mine[i] ?? [])));
    }
    const waiting = await threadsPosted(ledger, rig.storage, rig.prefix, REPAIR_GRACE_MS + 30_000);
    if (waiting > 0)
      log(
        `  ${waiting} tickets still without a thread after the repair's grace period (late: queued behind the channel's send rate)`,
      );
    const unsent = await noticesDelivered(ledger, rig.connector, REPAIR_GRACE_MS + 60_000);
    if (unsent > 0) log(`  ${unsent} replies still not with their customers after the repair's grace period`);
    result.late = waiting + unsent;
    await settled(rig.connector, 10_000, 120_000);
    await Promise.all(rig.instances.map((i) => i.stop()));
    const found = await verify(ledger, rig.storage, rig.prefix, rig.connector, undefined, kills, () =>
      rig.instances.map((i) => i.output()).join('\n'),
    );
    result.notes.push(threadLatency(ledger, rig.connector));
    result.operations = ledger.tally.operations;
    result.lost = found.lost;
    result.duplicated = found.duplicated;
    result.undelivered = found.undelivered;
    result.userErrors = ledger.tally.userErrors;
    result.lostResponses = ledger.tally.lostResponses;
    result.inDoubt = found.inDoubt;
    result.failures.push(...found.problems);
    result.notes.push(
      `${ledger.confirmed().length} tickets confirmed, ${found.stored} stored, ${ledger.changes.filter((c) => c.acked).length} changes acknowledged`,
      `statuses: ${[...ledger.tally.statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      ...[...ledger.errorTexts].map(([t, n]) => `users saw ${n}×: ${t}`),
    );
  } finally {
    await rig.close();
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
