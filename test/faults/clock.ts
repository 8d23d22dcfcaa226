// Clock skew: three app instances on one Azurite and one fake connector, whose clocks differ by a few seconds
// (one 4 s behind, one on time, one 3 s ahead), all on one simulated clock that runs fast enough for a support
// evening, a night and a morning to pass in minutes. Customers file P1, P2 and P3 tickets through the balancer;
// the instances' watchers warn, announce and page. Halfway through, the instance that is behind is SIGKILLed
// (while Teams answers 503, so that no send of it can have been accepted with its answer lost) and started
// again with the same offset. The primary on call never installed the app or blocked it (their 1:1 chat is
// refused: 404 ConversationNotFound, 403 bot blocked, 500 "User not found", in turn) and the rotation has no
// secondary: the thread says so, the managers are alarmed, and the chain goes on. Afterwards every warning,
// announcement, page, "could not reach" note and alarm that came due appears in the connector's log exactly
// once, none is missing, none went out before its time by more than the skew, each thread's posts are in due
// order, and every ticket has one thread.
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine, TARGETS } from '../../src/domain/sla';
import { pageTriggers, slaInput } from '../../src/domain/tickets/sla-view';
import type { Ticket } from '../../src/domain/tickets/model';
import { actionExecute } from '../support/activities';
import type { FakeConnector } from '../support/connector';
import { emptyResult, startRig, type ScenarioResult } from './rig';
import { repoOf, threadStarts } from './verify';
import {
  Balancer,
  customers,
  ENGINEERS,
  invokeText,
  Ledger,
  MANAGER,
  registerChannel,
  SUPPORT_CHANNEL,
  type Filing,
} from './world';

const et = (local: string): number => Date.parse(`${local}-05:00`);
/** A Wednesday evening, an hour before support closes at 22:00 (then P1s page). */
const START = et('2026-12-02T21:00:00');
/** Clock ms per real ms: 15 simulated minutes (a paging step) pass in 3.75 real seconds. */
const SPEED = 240;
/** Each instance's clock offset in real seconds (on the simulated clock: × SPEED). */
const OFFSETS = { a: -4, b: 0, c: 3 } as const;
/** Real seconds of filing. */
const FILING_S = 40;
/** Simulated time after the filing ends up to which every due message must have arrived (the next morning). */
const AFTER_MS = 7 * 60 * 60_000;
/**
 * Outbox lease (real ms): a send starts only while a quarter of it (10 s) is left, more than the 7 s between
 * the slowest and the fastest clock here.
 */
const LEASE_MS = 40_000;
/**
 * How late (simulated time) a P1's page step or warning may arrive, away from the crash: a refused chat, an empty
 * slot or a busy thread must not hold them back (before, a refused chat held every later step and warning of its
 * ticket until someone acknowledged). 7.5 real seconds at SPEED: three instances, Azurite and this harness share
 * two cores, and a few real seconds of load are already 10–20 simulated minutes.
 */
const LATE_MS = 30 * 60_000;

export interface ClockOptions {
  readonly customers: number;
  readonly log?: (line: string) => void;
}

interface Seen {
  readonly key: string;
  readonly thread: string;
  readonly at: number;
}

/** Every message the watcher should post for these tickets, with the instant it becomes due. */
function schedule(tickets: readonly Ticket[]): Map<string, number> {
  const engine = new SlaEngine(DEFAULT_POLICY);
  const out = new Map<string, number>();
  for (const t of tickets) {
    const result = engine.evaluate(slaInput(t));
    for (const target of TARGETS)
      for (const n of engine.notices(result, target))
        out.set(`${t.id}: warning ${target} ${n.percent}`, n.deliverAt);
    for (const p of pageTriggers(engine, t)) {
      if (p.kind === 'announce') {
        out.set(`${t.id}: P1 announced`, p.at);
        continue;
      }
      // The primary's chat is refused: the thread says so and, nobody being reached yet, the alarm goes to the
      // thread and the managers' channel. The rotation has no secondary: nothing is posted for that step.
      out.set(`${t.id}: page, primary`, p.at);
      out.set(`${t.id}: chat not reached`, p.at);
      out.set(`${t.id}: nobody reached`, p.at);
      out.set(`${t.id}: nobody reached (managers)`, p.at);
      for (const s of DEFAULT_POLICY.escalation.chain.filter((c) => c.role === 'manager')) {
        out.set(`${t.id}: page, ${s.role}`, p.at + s.afterMinutes * 60_000);
        out.set(`${t.id}: page, ${s.role} (1:1)`, p.at + s.afterMinutes * 60_000);
      }
    }
  }
  return out;
}

/** The watcher's posts as the connector received them (thread posts, and pages' 1:1 copies). */
function watcherPosts(records: ReturnType<FakeConnector['sent']>): Seen[] {
  const out: Seen[] = [];
  for (const r of records) {
    const summary = r.activity?.summary ?? '';
    if (!/: (warning |page, |P1 announced|chat not reached|nobody reached)/.test(summary)) continue;
    const inThread = r.conversationId?.startsWith(SUPPORT_CHANNEL) === true;
    out.push({ key: inThread ? summary : `${summary} (1:1)`, thread: r.conversationId ?? '', at: r.at });
  }
  return out;
}

export async function clockSkew(o: ClockOptions): Promise<ScenarioResult> {
  const offsets = Object.values(OFFSETS);
  const result = emptyResult(
    `clocks ${offsets.map((s) => `${s > 0 ? '+' : ''}${s} s`).join(', ')} on three instances (watcher)`,
  );
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const rig = await startRig([], {
    ONCALL_ROTATION: JSON.stringify({
      start: '2026-11-30',
      handover: '09:00',
      weeks: [{ primary: ENGINEERS[0][0] }],
    }),
    ONCALL_MANAGER: MANAGER[0],
    SIM_CLOCK_SPEED: String(SPEED),
    WATCHER_INTERVAL_MS: '500',
    OUTBOX_LEASE_MS: String(LEASE_MS),
    OUTBOX_TENANT_RATE: '50',
    THREAD_REPAIR_INTERVAL_MS: '2000',
    THREAD_REPAIR_GRACE_MS: '15000',
  });
  try {
    // The instances start (slowly: three TypeScript processes on a small machine); the shared simulated
    // clock shows START at `anchor` on the instance that is on time.
    const anchor = Date.now() + 60_000;
    const startOne = (name: keyof typeof OFFSETS) =>
      rig.start(name, {
        SIM_CLOCK_START: new Date(START + OFFSETS[name] * 1000 * SPEED).toISOString(),
        SIM_CLOCK_ANCHOR: String(anchor),
      });
    await Promise.all((Object.keys(OFFSETS) as (keyof typeof OFFSETS)[]).map(startOne));
    const late = Date.now() - anchor;
    if (late > 0) log(`  the instances started ${(late / 1000).toFixed(1)} s after the clock's anchor`);
    else await sleep(-late);
    const simNow = (): number => START + (Date.now() - anchor) * SPEED;
    const ledger = new Ledger();
    const balancer = new Balancer(() => rig.instances, ledger);
    const registered = await balancer.send(registerChannel(rig.connector));
    if (registered.status !== 200) result.failures.push(`channel registration answered ${registered.status}`);

    // Customers file for FILING_S real seconds (evening in-hours, then after 22:00 when P1s page).
    const filings: Filing[] = [];
    const filingEnd = Date.now() + FILING_S * 1000;
    // The primary's 1:1 chat is refused for good, for one reason and then the next.
    const refusals = [
      { status: 404, code: 'ConversationNotFound', message: 'Conversation not found.' },
      { status: 403, code: 'BotDisabledByAdmin', message: 'The bot is blocked by the user.' },
      { status: 500, code: 'BadArgument', message: 'User not found' },
    ];
    let lift = (): void => undefined;
    const refusing = (async () => {
      for (let i = 0; Date.now() < filingEnd + 30_000; i++) {
        const next = refusals[i % refusals.length] ?? refusals[0];
        lift();
        if (next !== undefined)
          lift = rig.connector.refuse({ only: 'createConversation', member: ENGINEERS[0][0], ...next });
        await sleep(8_000);
      }
    })();
    const people = customers(o.customers);
    await Promise.all(
      people.map(async (c, i) => {
        await sleep((i * 1000) / people.length);
        while (Date.now() < filingEnd) {
          const filing: Filing = {
            requestId: randomUUID(),
            tenantId: c.tenantId,
            title: `Clock ${randomUUID().slice(0, 8)} ${c.name}`,
            ticketId: undefined,
            lostResponses: 0,
            refused: 0,
          };
          filings.push(filing);
          ledger.filings.push(filing);
          const priority = (['P1', 'P1', 'P2', 'P2', 'P3'] as const)[filings.length % 5] ?? 'P3';
          for (let attempt = 0; attempt < 5 && filing.ticketId === undefined; attempt++) {
            const a = await balancer.send(
              actionExecute(
                'ticket.submit',
                {
                  verb: 'ticket.submit',
                  requestId: filing.requestId,
                  title: filing.title,
                  description: `Filed by ${c.name} while the instances' clocks disagree.`,
                  category: priority === 'P1' ? 'outage' : 'partial-outage',
                  priority,
                },
                {
                  serviceUrl: rig.connector.serviceUrl,
                  tenantId: c.tenantId,
                  userId: c.userId,
                  userName: c.name,
                  replyToId: `form-${filing.requestId}`,
                },
              ),
            );
            const id = /Ticket ([A-Z]+-\d+) filed/.exec(invokeText(a).text)?.[1];
            if (a.status === 200 && id !== undefined) filing.ticketId = id;
            else ledger.userError(invokeText(a).text);
          }
          await sleep(people.length * 500);
        }
      }),
    );
    const fileEndSim = simNow();
    await refusing;
    lift();
    rig.connector.refuse({
      only: 'createConversation',
      member: ENGINEERS[0][0],
      status: 404,
      code: 'ConversationNotFound',
      message: 'Conversation not found.',
    });
    const end = fileEndSim + AFTER_MS;
    log(
      `  ${ledger.confirmed().length} tickets filed from ${new Date(START).toISOString()} to ${new Date(fileEndSim).toISOString()} (simulated)`,
    );

    // Halfway to the end, Teams answers 503 to every send for a moment and the instance behind dies.
    const killAt = fileEndSim + AFTER_MS / 2;
    while (simNow() < killAt) await sleep(100);
    const faultFrom = simNow();
    rig.connector.failNext(1_000_000, {
      status: 503,
      only: ['replyToActivity', 'updateActivity', 'sendToConversation', 'createConversation'],
    });
    const failing = Date.now() + 20_000;
    while (!rig.connector.requests().some((r) => r.status === 503) && Date.now() < failing) await sleep(50);
    await sleep(1_000);
    const victim = rig.instances.find((i) => i.name === 'a');
    log(`  SIGKILL instance a (${OFFSETS.a} s) at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    victim?.kill();
    result.faults++;
    await victim?.exited;
    rig.connector.clearFaults();
    await startOne('a');
    log(`  instance a started again at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Until the killed instance's claims run out, what it held is taken over late, by design.
    const faultTo = simNow() + (LEASE_MS + 10_000) * SPEED;

    // Expected: everything due by `end` on the stored tickets (dispatched by whichever clock took them).
    const repo = repoOf(rig.storage, rig.prefix);
    const load = async (): Promise<Ticket[]> => {
      const out: Ticket[] = [];
      for (const f of ledger.confirmed()) {
        const stored = await repo.load(f.tenantId, f.ticketId ?? '');
        if (stored === null) result.lost++;
        else out.push(stored.ticket);
      }
      return out;
    };
    const due = schedule(await load());
    const expected = [...due].filter(([, at]) => at <= end).map(([key]) => key);
    const seen = (): Set<string> => new Set(watcherPosts(rig.connector.sent()).map((s) => s.key));
    const deadline = Date.now() + 120_000;
    while ((simNow() < end || expected.some((k) => !seen().has(k))) && Date.now() < deadline)
      await sleep(250);
    await sleep(2_000);
    await Promise.all(rig.instances.map((i) => i.stop()));

    const posts = watcherPosts(rig.connector.sent());
    const counts = new Map<string, number>();
    for (const p of posts) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
    const missing = expected.filter((k) => !counts.has(k));
    const twice = [...counts].filter(([, n]) => n > 1);
    const unknown = [...counts.keys()].filter((k) => !due.has(k));
    result.undelivered = missing.length;
    result.duplicated = twice.reduce((sum, [, n]) => sum + n - 1, 0);
    for (const k of missing.slice(0, 10)) result.failures.push(`missing: ${k}`);
    for (const [k, n] of twice.slice(0, 10)) result.failures.push(`${n} times: ${k}`);
    for (const k of unknown.slice(0, 10)) result.failures.push(`not due at all: ${k}`);
    // Never earlier than its time by more than the fastest clock is ahead (plus a second for the machine).
    const ahead = Math.max(...offsets) * 1000 + 1000;
    const early = posts.filter(
      (p) => START + (p.at - anchor) * SPEED < (due.get(p.key) ?? 0) - ahead * SPEED,
    );
    for (const p of early.slice(0, 10))
      result.failures.push(
        `${p.key} sent ${(((due.get(p.key) ?? 0) - (START + (p.at - anchor) * SPEED)) / SPEED / 1000).toFixed(1)} real s early`,
      );
    // On time: a P1's page steps (thread and chat) and warnings, away from the crash and the 503s.
    const p1 = new Set((await load()).filter((t) => t.priority === 'P1').map((t) => t.id));
    const lateness = posts
      .filter((p) => p1.has(p.key.split(':')[0] ?? '') && /: (page, |warning )/.test(p.key))
      .map((p) => ({ key: p.key, due: due.get(p.key) ?? 0, at: START + (p.at - anchor) * SPEED }))
      .filter((p) => p.due < faultFrom - LATE_MS || p.due > faultTo)
      .map((p) => ({ ...p, late: p.at - p.due }));
    // A ticket filed on the instance that is behind has its due times on that clock: up to its lag earlier.
    const behind = -Math.min(...offsets) * 1000 * SPEED;
    const tooLate = lateness.filter((p) => p.late > LATE_MS + behind);
    result.late = tooLate.length;
    for (const p of tooLate.slice(0, 10))
      result.failures.push(
        `${p.key} arrived ${((p.late - behind) / 60_000).toFixed(1)} simulated minutes late (beyond the clocks' lag)`,
      );
    const worst = Math.max(0, ...lateness.map((p) => p.late - behind));
    // In due order within each thread.
    const byThread = new Map<string, Seen[]>();
    for (const p of posts) {
      // Threads only: the managers' alarms are posts of their own in the channel. A note or an alarm about a
      // refused chat is scheduled when Teams refused it (after the SDK's own retries of a 500: seconds, so
      // minutes of simulated time), or when a later step finds an empty slot: not at a due time of its own.
      if (!p.thread.startsWith(`${SUPPORT_CHANNEL};`) || / (chat not reached|nobody reached)$/.test(p.key))
        continue;
      byThread.set(p.thread, [...(byThread.get(p.thread) ?? []), p]);
    }
    for (const [thread, list] of byThread) {
      const times = list.map((p) => due.get(p.key) ?? 0);
      if (times.some((t, i) => i > 0 && t < (times[i - 1] ?? 0)))
        result.failures.push(`out of order in ${thread}: ${list.map((p) => p.key).join(', ')}`);
    }
    // One thread per ticket.
    for (const [id, n] of threadStarts(rig.connector))
      if (n > 1) {
        result.duplicated += n - 1;
        result.failures.push(`${id} has ${n} threads`);
      }
    result.operations = ledger.tally.operations;
    result.userErrors = ledger.tally.userErrors;
    result.lostResponses = ledger.tally.lostResponses;
    if (ledger.filings.some((f) => f.ticketId === undefined))
      result.failures.push('a filing was never confirmed');
    if (expected.length < 100)
      result.failures.push(`only ${expected.length} messages came due: too few to judge`);
    result.notes.push(
      `${ledger.confirmed().length} tickets, ${expected.length} warnings, announcements and pages due, ${posts.length} posted, ${missing.length} missing, ${result.duplicated} twice; P1 pages and warnings at most ${(worst / 60_000).toFixed(1)} simulated minutes late beyond the clocks' lag (${lateness.length} checked)`,
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
