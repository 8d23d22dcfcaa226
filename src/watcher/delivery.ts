// Delivers outbox entries: claims them (ETag + lease), sends within Teams' limits, marks them done, and gives
// failures back with backoff. Entries of one ticket go out one after another, in order. Exactly once: an entry
// is done only after its send succeeded, and a sub-step already sent is recorded before the next; the one
// case that can repeat a message is a send whose answer was lost (the instance died or the connection
// broke after Teams accepted it): the next claim sees `sending` still set, counts it and logs it.
import type { WatcherApp } from './ports';
import { renderRoot } from '../domain/cards/root';
import { warningCard } from '../domain/cards/watch';
import type { TargetName } from '../domain/sla';
import { TARGETS } from '../domain/sla';
import { slaOf } from '../domain/tickets/sla-view';
import { OPEN_STATUSES, type Ticket } from '../domain/tickets/model';
import type { OverrideStore } from '../domain/oncall/overrides';
import { laneTicket, type OutboxEntry, type Progress, type TableOutbox } from '../adapters/storage/outbox';
import { alarm, announceStuck, managers } from './alarms';
import { note, type Done } from './chain';
import { announce, direct, notice, page } from './paging';
import { settle } from './settle';
import { NotReady, threadOf, type Sender } from './sender';
import type { AppClock } from './clock';
import type { Presence } from './presence';
import { shuffle } from './shuffle';
import { backoffMs, rateWindows, RateLimiter, retryAfterMs, statusOf, THREAD_WINDOWS } from './limits';
import { messageOf } from '../domain/kit/errors';
import { addLogContext, logContext, withOwnLogContext } from '../log';
import type { Backlog, WatcherMetrics } from '../adapters/metrics';

/** Lanes worked on at once by one instance. */
const LANES_AT_ONCE = 16;
/** A send is started only with this much real time left on the claim (a quarter of it at most): instances' clocks may differ by seconds. */
const LEASE_MARGIN_MS = 15_000;

/** The claim ran out (or another instance took the entry): stop without touching it. */
class LostClaim extends Error {}
/** Real ms at most between looks while a ticket's thread is being posted. */
const SOON_CAP_MS = 2_000;
/** Rounds of a drain when sends schedule new entries (a page's chat message, a note, an alarm). */
const DRAIN_ROUNDS = 4;

export interface WatcherDeps {
  readonly app: WatcherApp;
  readonly outbox: TableOutbox;
  readonly overrides: OverrideStore;
  readonly clock: AppClock;
  readonly instanceId: string;
  /** The live instances, among which the per-tenant rate is shared (none: this instance alone). */
  readonly presence?: Presence;
  /** Counts deliveries, failures and warnings (none: not measured). */
  readonly metrics?: WatcherMetrics;
}

export interface DeliveryMetrics {
  sent: number;
  cancelled: number;
  failed: number;
  /** Claims of entries whose previous send had an unknown outcome: each may have been a duplicate. */
  inDoubt: number;
}

export class Delivery implements Sender {
  readonly metrics: DeliveryMetrics = { sent: 0, cancelled: 0, failed: 0, inDoubt: 0 };
  private readonly threadLimit = new RateLimiter(THREAD_WINDOWS);
  private readonly tenantLimit: RateLimiter;
  /** Instances the tenant rate is shared among, as last counted. */
  private sharers = 1;
  /** Set by `stop`: lanes end after the entry in hand. */
  private stopped = false;
  /** What was ready at the last drain (for the backlog gauges). */
  backlog: Backlog | undefined;
  /** Real instant of the last entry finished or given back (the loop's sign of life between passes). */
  steppedAt = 0;

  constructor(private readonly d: WatcherDeps) {
    this.tenantLimit = new RateLimiter(rateWindows(d.app.config.watcher.tenantRate));
  }

  get app(): WatcherApp {
    return this.d.app;
  }
  get outbox(): TableOutbox {
    return this.d.outbox;
  }
  get clock(): AppClock {
    return this.d.clock;
  }
  /** Entries were scheduled during this drain: it reads the ready rows again. */
  private more = false;
  kick(): void {
    this.more = true;
  }
  /** Read through a method: sends set it across awaits. */
  private scheduledMore(): boolean {
    return this.more;
  }

  /** Sends within the tenant's share of OUTBOX_TENANT_RATE: the rate divided among the live instances. */
  async tenantRun<T>(tenantId: string, send: () => Promise<T>): Promise<T> {
    const n = (await this.d.presence?.count()) ?? 1;
    if (n !== this.sharers) {
      this.sharers = n;
      this.tenantLimit.setWindows(rateWindows(this.d.app.config.watcher.tenantRate / n));
    }
    return this.tenantLimit.run(tenantId, send);
  }

  get log(): WatcherApp['log'] {
    return this.d.app.log;
  }

  /** Clock ms of a real duration. */
  private span(realMs: number): number {
    return Math.round(realMs * this.d.clock.speed);
  }

  /** Ends the drain in progress after the entries in hand (shutdown). */
  stop(): void {
    this.stopped = true;
  }

  /** Read through a method: `stop` sets it across awaits. */
  private stopping(): boolean {
    return this.stopped;
  }

  /** Delivers what is ready now (and what its sends schedule); returns the number of entries finished. */
  async drain(): Promise<number> {
    let finished = 0;
    for (let round = 0; round < DRAIN_ROUNDS && !this.stopping(); round++) {
      this.more = false;
      finished += await this.drainOnce();
      if (!this.scheduledMore()) break;
    }
    return finished;
  }

  private async drainOnce(): Promise<number> {
    const at = this.d.clock.now();
    const rows = await this.d.outbox.ready(at, 1000);
    this.backlog = {
      count: rows.length,
      oldestAgeMs: rows.length === 0 ? 0 : at - Math.min(...rows.map((r) => r.readyAt)),
    };
    // Lanes in random order: instances draining at once then rarely contend for the same lane.
    const lanes = shuffle([...new Set(rows.map((r) => r.lane))]);
    let finished = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < lanes.length && !this.stopping()) {
        const lane = lanes[next++];
        if (lane === undefined) continue;
        const n = await this.lane(lane);
        finished += n;
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES_AT_ONCE, lanes.length) }, worker));
    return finished;
  }

  /** Works one lane from its head while entries are ready; a head not ready (waiting, claimed) holds the rest. */
  private async lane(lane: string): Promise<number> {
    let finished = 0;
    for (const entry of await this.d.outbox.lane(lane)) {
      const now = this.d.clock.now();
      if (entry.readyAt > now || this.stopping()) break;
      const claim = await this.d.outbox.claim(entry, this.d.instanceId, now + this.span(this.leaseMs()));
      if (claim.kind === 'lost') break;
      if (entry.sending) {
        this.metrics.inDoubt++;
        this.log.warn('outbox: taking over a send whose outcome is unknown; it may be posted twice', {
          lane,
          key: entry.key,
          previousOwner: entry.owner,
          inDoubt: claim.entry.inDoubt,
        });
      }
      // Each delivery's lines carry its own ids (and the conversation it posts to, once known), not those of
      // whatever turn started the pass.
      const own = {
        watcherPass: logContext()['watcherPass'],
        ticket: laneTicket(lane),
        tenant: entry.tenantId,
        entry: `${lane}/${entry.key}`,
      };
      const done = await withOwnLogContext(own, () => this.deliver(claim.entry));
      this.steppedAt = Date.now();
      if (!done) break;
      finished++;
    }
    return finished;
  }

  private leaseMs(): number {
    return this.d.app.config.watcher.leaseMs;
  }

  /** Sends one claimed entry; true when it is done. */
  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const holder = { entry };
    try {
      const done = await this.send(holder);
      const finished = await this.d.outbox.complete(
        holder.entry,
        done.outcome,
        this.d.clock.now(),
        done.progress,
      );
      if (finished.kind === 'lost') {
        this.log.warn('outbox: claim lost before the entry was marked done', {
          key: entry.key,
          lane: entry.lane,
        });
        return false;
      }
      if (done.outcome === 'sent') {
        this.metrics.sent++;
        this.d.metrics?.delivered(entry.kind, holder.entry.attempts, this.d.clock.now() - entry.order);
        this.log.debug('outbox: sent', { kind: entry.kind, attempts: holder.entry.attempts });
      } else this.metrics.cancelled++;
      return true;
    } catch (err) {
      if (err instanceof LostClaim) return false;
      this.metrics.failed++;
      const status = statusOf(err);
      if (!(err instanceof NotReady)) this.d.metrics?.failed(entry.kind, status);
      // The ticket's thread is being posted (a support channel is set): look again soon, and it is no failure.
      const channel = err instanceof NotReady ? await this.noChannel(laneTicket(entry.lane)) : true;
      const soon = err instanceof NotReady && err.soon && channel;
      const backoff = backoffMs(holder.entry.attempts, status, retryAfterMs(err));
      const delay = soon ? Math.min(SOON_CAP_MS, Math.round(backoff / 4)) : backoff;
      const message = `${status === undefined ? '' : `${status} `}${messageOf(err)}`;
      const stuck = holder.entry.attempts >= this.d.app.config.watcher.stuckAttempts;
      const fields = {
        lane: entry.lane,
        key: entry.key,
        attempts: holder.entry.attempts,
        retryInMs: delay,
        error: message.slice(0, 300),
      };
      if (soon) this.log.info("outbox: waiting for the ticket's thread", fields);
      else if (stuck) this.log.error('outbox: delivery failed (stuck)', fields);
      else this.log.warn('outbox: delivery failed', fields);
      // Announced once, in the managers' channel, when it turns stuck.
      if (!soon && holder.entry.attempts === this.d.app.config.watcher.stuckAttempts)
        await announceStuck(this, holder.entry, laneTicket(entry.lane), message).catch((e: unknown) => {
          this.log.warn('outbox: could not schedule the stuck-delivery notice', {
            key: entry.key,
            error: messageOf(e),
          });
        });
      // A failure with an HTTP answer did not post; without one (a broken connection) the outcome is unknown.
      const unknown = status === undefined && !(err instanceof NotReady);
      const back = await this.d.outbox.retryAt(
        holder.entry,
        this.d.clock.now() + this.span(delay),
        message,
        unknown,
      );
      if (back.kind === 'lost')
        this.log.warn('outbox: claim lost while giving an entry back', { key: entry.key });
      return false;
    }
  }

  /**
   * Nothing of a ticket can be posted while no support channel is set: said once on its timeline (the tab shows
   * it), with what to do. Failures to record are logged; the entry is retried either way. True when a support
   * channel is set.
   */
  private async noChannel(ticketId: string): Promise<boolean> {
    try {
      if ((await this.d.app.settings.supportChannel()) !== null) return true;
      const ticket = await this.ticket(ticketId);
      if (ticket !== null)
        await note(
          this,
          ticket,
          'channel-missing',
          "Nothing about this ticket (pages, warnings, its thread) can be posted: no support channel is set. A staff member says '@SLA Desk use this channel for support' in the channel that should get tickets; what waits is posted then.",
          'channel-missing',
        );
      return false;
    } catch (err) {
      this.log.warn('outbox: could not record the missing support channel', {
        ticket: ticketId,
        error: messageOf(err),
      });
      return false;
    }
  }

  /** Throws LostClaim unless the claim still has room for a send (clock skew between instances included). */
  guard(entry: OutboxEntry): void {
    const margin = Math.min(LEASE_MARGIN_MS, this.leaseMs() / 4);
    if (this.d.clock.now() > entry.leaseUntil - this.span(margin)) throw new LostClaim('lease ran out');
  }

  async record(holder: { entry: OutboxEntry }, progress: Progress): Promise<void> {
    const r = await this.d.outbox.progress(holder.entry, progress);
    if (r.kind === 'lost') throw new LostClaim('claim lost');
    holder.entry = r.entry;
  }

  private async ticket(id: string): Promise<Ticket | null> {
    const got = await this.d.app.tickets.get({ kind: 'staff' }, id);
    if (got.ok) return got.value;
    if (got.error.code === 'TICKET_NOT_FOUND') return null;
    throw new Error(got.error.message);
  }

  async post(ticket: Ticket, send: () => Promise<string | undefined>): Promise<string> {
    const thread = threadOf(ticket);
    addLogContext({ conversation: thread.conversationId });
    const tenantId = (await this.d.app.settings.supportChannel())?.tenantId ?? '';
    // Counted until the send ends, in both limits: Teams counts it on arrival, somewhere before that.
    const sent = await this.threadLimit.run(thread.conversationId, () => this.tenantRun(tenantId, send));
    return sent ?? '';
  }

  private async send(holder: { entry: OutboxEntry }): Promise<Done> {
    const entry = holder.entry;
    const ticket = await this.ticket(laneTicket(entry.lane));
    if (ticket === null) return { outcome: 'skipped: ticket not found' };
    // Settling (removing Acknowledge buttons) is for resolved tickets too.
    if (entry.kind === 'settle') return settle(this, holder, ticket);
    if (!OPEN_STATUSES.has(ticket.status)) return { outcome: `cancelled: ticket ${ticket.status}` };
    switch (entry.kind) {
      case 'warning':
        return this.warning(holder, ticket);
      case 'page':
        return page(this, holder, ticket);
      case 'direct':
        return direct(this, holder, ticket);
      case 'notice':
        return notice(this, holder, ticket);
      case 'alarm':
        return alarm(this, holder, ticket);
      case 'managers':
        return managers(this, holder, ticket);
      case 'announce':
        return announce(this, holder, ticket);
    }
  }

  private async warning(holder: { entry: OutboxEntry }, ticket: Ticket): Promise<Done> {
    const app = this.d.app;
    const target = String(holder.entry.payload['target']) as TargetName;
    const percent = Number(holder.entry.payload['percent']);
    if (!TARGETS.includes(target)) return { outcome: 'skipped: unknown target' };
    const now = this.d.clock.now();
    const result = slaOf(app.engine, ticket)[target];
    if (result.metAt !== null) return { outcome: 'cancelled: target met' };
    const status = app.engine.status(result, now, ticket.pauses);
    if (status.state === 'paused' || result.due === null) return { outcome: 'cancelled: target paused' };
    const thread = threadOf(ticket);
    const summary = `${ticket.id}: warning ${target} ${percent}`;
    // The root card first when its state turns (at risk, breached): an update, harmless to repeat.
    if (percent >= app.policy.warnings.atRiskFrom) {
      this.guard(holder.entry);
      try {
        await this.post(ticket, async () => {
          await app.teams.updateCard(thread, renderRoot(app, ticket), `${ticket.id} ${ticket.priority}`);
          return undefined;
        });
      } catch (err) {
        if (!app.teams.isGone(err)) throw err;
      }
    }
    const owner = ticket.owner;
    const who = owner ?? (await app.oncall.who('primary', now));
    const root = {
      policy: app.policy,
      ticket,
      targets: [],
      events: [],
      engineers: [...app.config.staff.engineers, ...app.config.staff.managers].map(([id, name]) => ({
        id,
        name,
      })),
      now,
    };
    const card = warningCard({
      root,
      target,
      percent,
      due: result.due,
      businessLeftMs: status.businessLeftMs,
      who,
      whoRole: owner === undefined ? 'on call' : 'owner',
    });
    this.guard(holder.entry);
    const id = await this.post(ticket, () => app.teams.replyInThread(thread, card, summary));
    this.d.metrics?.warning(percent);
    return { outcome: 'sent', progress: { reply: id } };
  }
}
