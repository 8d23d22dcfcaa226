// Deliveries a crash interrupted. A change is saved, then answered, and its thread post and customer notices
// go out after the answer; an instance that dies in between (SIGKILL, a lost VM) leaves an open ticket that
// engineers never see, or a reply the customer never gets. Now and then one instance (a lease in the settings
// table) looks at open tickets past a grace period: one without a thread is posted through the same path as a
// change; a customer notice of a recent change with no delivery record is sent. At most `batch` per pass.
import { isForCustomer } from '../../domain/cards/customer/notice';
import { deliverToCustomer, deliveryKey, type DeliveryDeps } from '../teams/customer-delivery';
import type { BotDeps } from './deps';
import { messageOf } from '../../domain/kit/errors';

/** Customer notices of changes older than this (past the grace period) are not looked for again. */
const NOTICE_WINDOW_MS = 60 * 60_000;
/** Open tickets read per step of a pass. */
const PAGE = 25;

export interface RepairOptions {
  /** Real ms between passes; 0 = only when `pass()` is called. */
  readonly intervalMs: number;
  /** A ticket younger than this (real ms) is left to the instance that saved it. */
  readonly graceMs: number;
  /** Clock ms per real ms (the simulated clock's speed; 1 by default): the grace and the window convert. */
  readonly speed?: number;
  /** Who holds the lease (instance id). */
  readonly owner: string;
  /** Most threads started per pass (Teams' rate limits). */
  readonly batch?: number;
}

/** The lease that lets one instance at a time run a pass (src/storage/leases.ts). */
export interface PassLease {
  /** Takes or renews the lease for `owner` until `until`; false while another owner holds it at `now`. */
  take(owner: string, until: number, now: number): Promise<boolean>;
  /** Gives it up if `owner` still holds it. */
  release(owner: string): Promise<void>;
}

export class ThreadRepair {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Ticket versions whose customer notices were checked already (a version's notices never change). */
  private readonly checked = new Map<string, number>();

  constructor(
    private readonly deps: DeliveryDeps & Pick<BotDeps, 'background'>,
    private readonly lease: PassLease,
    private readonly o: RepairOptions,
  ) {}

  start(): void {
    if (this.o.intervalMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.running ??= this.pass()
        .catch((err: unknown) => {
          this.deps.log.warn('thread repair pass failed', {
            error: messageOf(err),
          });
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.o.intervalMs);
    this.timer.unref();
  }

  /** Stops passes, waits for the one running, and gives up the lease (another instance takes over at once). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.lease.release(this.o.owner).catch(() => undefined);
  }

  /** One pass: returns how many tickets were given their thread (queued for posting). */
  async pass(): Promise<number> {
    if ((await this.deps.settings.supportChannel()) === null) return 0;
    if (!(await this.claim())) return 0;
    const cutoff = this.deps.now() - this.grace();
    const window = this.window();
    const batch = this.o.batch ?? 20;
    let repaired = 0;
    let next: string | undefined;
    do {
      // Small pages, each after the requests in flight: a pass reads every open ticket, and reading them all
      // at once would hold up the answers to engineers' presses for as long.
      await this.deps.background.yieldToRequests();
      const page = await this.deps.tickets.queue(PAGE, next);
      for (const t of page.items) {
        // Still being delivered here (e.g. waiting out a Teams outage): not lost.
        if (this.deps.background.busy(`ticket:${t.id}`) || this.deps.background.busy(deliveryKey(t.id)))
          continue;
        if (t.thread === undefined && t.createdAt <= cutoff) {
          this.deps.log.warn('posting a ticket whose thread was never posted', { ticket: t.id });
          await this.deps.tickets.republish(t);
          if (++repaired >= batch) return repaired;
        }
        // Changed a while ago but not too long ago: were its customer notices delivered?
        if (
          t.updatedAt <= cutoff &&
          t.updatedAt > cutoff - window &&
          t.customerChat !== undefined &&
          this.checked.get(t.id) !== t.version
        ) {
          repaired += await this.notices(t.id);
          this.checked.set(t.id, t.version);
          if (this.checked.size > 50_000) this.checked.clear();
          if (repaired >= batch) return repaired;
        }
      }
      next = page.next;
    } while (next !== undefined);
    return repaired;
  }

  /** Sends a recent ticket's customer notices that have no delivery record and did not fail; returns how many. */
  private async notices(id: string): Promise<number> {
    const log = this.deps.notices;
    if (log === undefined) return 0;
    const found = await this.deps.tickets.timeline({ kind: 'staff' }, id);
    if (!found.ok) return 0;
    const { ticket, events } = found.value;
    if (ticket.customerChat === undefined) return 0;
    const cutoff = this.deps.now() - this.grace();
    const window = this.window();
    const failed = new Set(ticket.undelivered?.filter((i) => i.state === 'failed').map((i) => i.seq));
    let sent = 0;
    for (const e of events.filter(isForCustomer)) {
      if (e.actor.role === 'customer' || e.at > cutoff || e.at <= cutoff - window) continue;
      if (failed.has(e.seq) || (await log.wasDelivered(id, e.seq))) continue;
      this.deps.log.warn('sending a customer notice that was never sent', { ticket: id, seq: e.seq });
      await deliverToCustomer(this.deps, ticket, e);
      sent++;
    }
    return sent;
  }

  /** The grace period on the app's clock (a simulated clock runs faster than the real time it is given in). */
  private grace(): number {
    return this.o.graceMs * (this.o.speed ?? 1);
  }

  private window(): number {
    return NOTICE_WINDOW_MS * (this.o.speed ?? 1);
  }

  /** Takes or renews the lease for two intervals; false while another instance holds it. */
  private claim(): Promise<boolean> {
    const now = Date.now();
    return this.lease.take(this.o.owner, now + Math.max(2 * this.o.intervalMs, 10_000), now);
  }
}
