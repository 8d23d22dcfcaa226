// The deadline watcher: runs in every app instance. Each pass reads the due-time index up to now (its cost
// follows what is due, not how many tickets are stored), asks the pure engine which thresholds and pages
// are due, writes them to the outbox (once, whoever writes first) and marks them on the ticket; then it
// delivers what the outbox holds. Time comes from the clock it is given.
import { stamp } from '../domain/cards/time';
import type { Instant } from '../domain/sla';
import { dueAt, type DuePage } from '../domain/tickets/sla-view';
import type { Ticket } from '../domain/tickets/model';
import type { NewEntry, ReadyRow } from '../adapters/storage/outbox';
import { Delivery, type WatcherDeps } from './delivery';
import { shuffle } from './shuffle';
import { messageOf } from '../domain/kit/errors';
import { withLogContext, withOwnLogContext } from '../log';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
const ROLE = {
  primary: 'the primary on call',
  secondary: 'the secondary',
  manager: 'the support manager',
} as const;
/** Due tickets read per round of a pass. */
const BATCH = 100;
/** Tickets scheduled at once. */
const PARALLEL = 16;
/** Real ms (converted to the clock) between two deletions of old finished outbox entries by one instance, and how many at most each. */
const PURGE_EVERY_MS = 60_000;
const PURGE_BATCH = 200;
/** Clock ms between passes at most (on a simulated clock; real time passes every WATCHER_INTERVAL_MS). */
const SIM_TICK_MS = 30_000;

export interface PassReport {
  /** Tickets read from the due index. */
  readonly due: number;
  /** Finished outbox entries deleted (past OUTBOX_RETENTION_DAYS). */
  readonly purged?: number;
  /** Outbox entries scheduled (warnings, page steps, announcements). */
  readonly scheduled: number;
  /** Outbox entries finished (sent, cancelled). */
  readonly delivered: number;
}

interface Item {
  readonly key: string;
  readonly type: 'warning-sent' | 'page-scheduled';
  readonly text: string;
  readonly entries: readonly NewEntry[];
}

export class Watcher {
  readonly delivery: Delivery;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PassReport> | null = null;
  private again = false;
  private kicked = false;
  private stopped = false;
  /** Clock instant of the last deletion of old entries (undefined: none yet, so the first pass deletes). */
  private purgedAt: Instant | undefined;
  /** Real ms between passes of the loop (0: no loop, passes on demand). */
  private every = 0;
  /** Real instant of the loop's last sign of life: a pass started, a round or an entry done, the start. */
  private beatAt = Date.now();
  private passes = 0;

  constructor(private readonly d: WatcherDeps) {
    this.delivery = new Delivery(d);
  }

  /**
   * Starts passes every WATCHER_INTERVAL_MS (real time); 0 leaves passes to `kick` and `pass`. On a simulated
   * clock a pass comes at least every 30 simulated seconds, so warnings arrive within a simulated minute of due.
   */
  start(): void {
    const configured = this.d.app.config.watcher.intervalMs;
    const every =
      configured === 0 ? 0 : Math.max(50, Math.min(configured, Math.round(SIM_TICK_MS / this.d.clock.speed)));
    if (every === 0 || this.timer !== undefined) return;
    this.every = every;
    this.beatAt = Date.now();
    const tick = (): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.pass().then(tick, (err: unknown) => {
          this.d.app.log.error('watcher pass failed', { err });
          tick();
        });
      }, every);
      this.timer.unref();
    };
    tick();
  }

  /** Makes this instance count among the live ones at once (before its first send); failures are harmless. */
  async join(): Promise<void> {
    await this.d.presence?.count(true);
  }

  /** Entries waiting to go out (with their attempts and last error), for staff. */
  pendingDeliveries(): Promise<ReadyRow[]> {
    return this.d.outbox.pending();
  }

  /**
   * Whether the loop is alive: undefined when there is no loop (WATCHER_INTERVAL_MS 0), else the real ms since
   * its last sign of life and how long it may be silent (three intervals and `slackMs`) before it counts as stalled.
   */
  health(slackMs: number): { sinceMs: number; limitMs: number } | undefined {
    if (this.every === 0) return undefined;
    return {
      sinceMs: Date.now() - Math.max(this.beatAt, this.delivery.steppedAt),
      limitMs: 3 * this.every + slackMs,
    };
  }

  /** Real ms since the loop's last sign of life (undefined without a loop). */
  sinceLastPassMs(): number | undefined {
    return this.health(0)?.sinceMs;
  }

  /** Stops the timer and the delivery after the entries in hand, waits for the pass, leaves the live instances. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.delivery.stop();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.d.presence?.leave().catch(() => undefined);
  }

  /** Something became due (a P1 to page, a change): run a pass soon, after the ticket's own background work. */
  kick(ticketId: string): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    this.d.app.background.run(`ticket:${ticketId}`, 'watcher pass', async () => {
      this.kicked = false;
      await this.pass();
    });
  }

  /** One pass; concurrent calls share it (and one more pass runs after it if asked meanwhile). */
  pass(): Promise<PassReport> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<PassReport> => {
      let report: PassReport;
      do {
        this.again = false;
        report = await this.once();
      } while (this.wantsAgain());
      return report;
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Another pass was asked for while this one ran (read through a method: it changes across awaits). */
  private wantsAgain(): boolean {
    return this.again && !this.stopped;
  }

  private once(): Promise<PassReport> {
    const pass = ++this.passes;
    const started = Date.now();
    this.beatAt = started;
    const attrs = { instance: this.d.instanceId, pass };
    // A pass of its own: not the turn's activity or conversation that kicked it (that turn is its `cause`).
    return withOwnLogContext({ watcherPass: pass }, () =>
      (this.d.metrics?.span('watcher pass', attrs, () => this.work()) ?? this.work()).then((report) => {
        this.beatAt = Date.now();
        this.d.metrics?.pass(this.beatAt - started, report);
        return report;
      }),
    );
  }

  private async work(): Promise<PassReport> {
    const now = this.d.clock.now();
    let due = 0;
    let scheduled = 0;
    let delivered = 0;
    for (let round = 0; round < 50 && !this.stopped; round++) {
      this.beatAt = Date.now();
      // Instances read the same due rows: each works them in its own random order, so that they rarely
      // race on one ticket (the loser of a race finds the row gone or the key recorded, and moves on).
      const tickets = shuffle(await this.d.app.tickets.dueTickets(now, BATCH));
      due += tickets.length;
      let next = 0;
      let roundScheduled = 0;
      const worker = async (): Promise<void> => {
        while (next < tickets.length) {
          const t = tickets[next++];
          if (t === undefined) continue;
          try {
            const n = await withLogContext({ ticket: t.id, tenant: t.tenantId }, () => this.schedule(t, now));
            roundScheduled += n;
          } catch (err) {
            this.d.app.log.warn('watcher: could not schedule', {
              ticket: t.id,
              error: messageOf(err),
            });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, tickets.length) }, worker));
      scheduled += roundScheduled;
      const sent = await this.delivery.drain();
      delivered += sent;
      if (tickets.length < BATCH || roundScheduled === 0) break;
    }
    const purged = await this.purge(now);
    if (scheduled > 0 || delivered > 0 || purged > 0)
      this.d.app.log.info('watcher pass', { instance: this.d.instanceId, due, scheduled, delivered, purged });
    return { due, scheduled, delivered, purged };
  }

  /**
   * Deletes finished outbox entries older than the retention, a batch at a time and at most once a minute per
   * instance; a full batch asks for the next one at the next pass. Failures are logged, never fatal to a pass.
   */
  private async purge(now: Instant): Promise<number> {
    const every = PURGE_EVERY_MS * this.d.clock.speed;
    if (this.purgedAt !== undefined && Math.abs(now - this.purgedAt) < every) return 0;
    try {
      const n = await this.d.outbox.purge(now - this.d.app.config.watcher.retentionMs, PURGE_BATCH);
      this.purgedAt = n >= PURGE_BATCH ? undefined : now;
      return n;
    } catch (err) {
      this.purgedAt = now;
      this.d.app.log.warn('outbox: could not delete old entries', {
        error: messageOf(err),
      });
      return 0;
    }
  }

  /** What is due for one ticket at `now` and not yet scheduled, as outbox entries and ticket records. */
  items(t: Ticket, now: Instant): Item[] {
    const due = dueAt(this.d.app.engine, t, now);
    const warnings = due.warnings.map((n): Item => {
      const label = n.target === 'response' ? 'response' : 'work-around';
      return {
        key: n.key,
        type: 'warning-sent',
        text:
          n.percent >= 100 ? `The ${label} target is breached` : `${n.percent} % of the ${label} time used`,
        entries: [
          {
            lane: t.id,
            // Round 1 keeps the key it always had; a reopened ticket's round warns again under its own.
            key: `w|${n.round > 1 ? `r${n.round}|` : ''}${n.target}|${String(n.percent).padStart(3, '0')}`,
            kind: 'warning',
            tenantId: t.tenantId,
            order: n.deliverAt,
            payload: { target: n.target, percent: n.percent, firesAt: n.firesAt, deliverAt: n.deliverAt },
          },
        ],
      };
    });
    return [...warnings, ...due.pages.map((p) => this.pageItem(t, p))];
  }

  /** A due page trigger as its outbox entries: the chain's steps, the in-hours announcement, or none when stale. */
  private pageItem(t: Ticket, p: DuePage): Item {
    const base = { key: p.key, type: 'page-scheduled' as const };
    if (p.stale)
      return {
        ...base,
        text: 'Nobody was paged: the page is over an hour late (the app was down or could not reach storage)',
        entries: [],
      };
    if (p.kind === 'announce')
      return {
        ...base,
        text: 'P1 announcement to the responders queued for the thread',
        entries: [
          {
            lane: t.id,
            key: `a|${p.at}`,
            kind: 'announce',
            tenantId: t.tenantId,
            order: p.at,
            payload: { trigger: p.at },
          },
        ],
      };
    const { chain } = this.d.app.policy.escalation;
    const zone = this.d.app.policy.timeZone;
    const label = this.d.app.policy.timeZoneLabel;
    return {
      ...base,
      text: `On-call chain started: ${chain.map((s) => `${ROLE[s.role]} ${s.afterMinutes === 0 ? 'now' : `at ${stamp(p.at + s.afterMinutes * 60_000, zone)} ${label}`}`).join(', ')}, until someone acknowledges`,
      entries: chain.map((s, i) => ({
        lane: t.id,
        key: `p|${p.at}|${i}`,
        kind: 'page' as const,
        tenantId: t.tenantId,
        order: p.at + s.afterMinutes * 60_000,
        payload: { trigger: p.at, role: s.role, step: i },
      })),
    };
  }

  /** Schedules what is due for one ticket; returns the number of items. Safe to repeat and to race. */
  async schedule(t: Ticket, now: Instant): Promise<number> {
    const items = this.items(t, now);
    // All of the ticket's new entries at once: an instance delivering meanwhile never sees a later one (a
    // warning) without an earlier one (the P1 announcement) found in the same pass, so the thread stays in order.
    await this.d.outbox.enqueueAll(
      items.flatMap((item) => item.entries),
      now,
    );
    for (const item of items) {
      const recorded = await this.d.app.tickets.act(
        { kind: 'staff' },
        t.id,
        SYSTEM,
        { kind: 'record', type: item.type, text: item.text, data: { key: item.key } },
        { actionId: `notice:${t.id}:${item.key}` },
      );
      if (!recorded.ok) throw new Error(recorded.error.message);
    }
    return items.length;
  }
}
