// The SLA dashboard: keeps monthly counters as tickets change (a ticket listener), and answers the
// dashboard from them plus the few open tickets that are at risk now, never by reading every ticket.
import type { Listener } from '../kit/listeners';
import type { TicketChange } from '../tickets/service';
import type { Background } from '../../background';
import type { Clock, Instant, Priority, SlaEngine } from '../sla';
import { monthBounds, PRIORITIES, TARGETS } from '../sla';
import type { Ticket } from '../tickets/model';
import type { TicketService } from '../tickets/service';
import { emptyByPriority, type BreachRow } from './counting';
import {
  addCounters,
  contributions,
  countKey,
  emptyCounters,
  monthMinus,
  monthOf,
  pausedMsAt,
  responseQuantile,
  type Contribution,
  type Counters,
  type TargetCounts,
} from './figures';
import type { StatsStore } from './ports';
import { satisfactionMonth, type SatisfactionMonth, type SatisfactionStore } from './satisfaction';

export interface TargetFigures extends TargetCounts {
  /** Met on time over decided (met on time + met late + breached); null when nothing was decided. */
  readonly share: number | null;
}

export interface Figures {
  /** Tickets counted (filed): a reopened ticket once. */
  readonly tickets: number;
  /**
   * Rounds counted: one per ticket and one more per reopen. The target counts below are per round (a reopened
   * ticket's targets count again, docs/sla-rules.md, "Reopening").
   */
  readonly rounds: number;
  readonly response: TargetFigures;
  readonly workaround: TargetFigures;
  /**
   * Minutes from filing to first reply on the clock each response target uses (`responseClocks`: support
   * hours, business days or continuous; waits on the customer left out), bucketed (see figures.ts): the
   * lower edge of the bucket, cut, never rounded up (30 days or more reads 30 days). Null when no reply was
   * counted on its clock.
   */
  readonly responseMedianMinutes: number | null;
  readonly responseP90Minutes: number | null;
  /** The same replies in wall time, filing to reply (waits included). */
  readonly responseWallMedianMinutes: number | null;
  readonly responseWallP90Minutes: number | null;
  /** The clocks of these tickets' response targets under the policy (one for P1: continuous). */
  readonly responseClocks: readonly Clock[];
  /** Wall time spent waiting on the customer, closed waits and open ones up to `now`. */
  readonly pausedMinutes: number;
  /** `pausedMinutes` in hours, to 2 decimals. */
  readonly pausedHours: number;
  /** Tickets waiting on the customer now. */
  readonly waitingNow: number;
}

export interface MonthFigures {
  readonly month: string;
  readonly byPriority: Readonly<Record<Priority, Figures>>;
  readonly all: Figures;
}

export interface BreachView {
  readonly ticketId: string;
  readonly customerName: string;
  readonly title: string;
  readonly priority: Priority;
  readonly target: 'response' | 'workaround';
  readonly due: Instant | null;
  readonly metAt: Instant | null;
  /** met late, or not met (closed after the deadline, or still open past it). */
  readonly kind: 'late' | 'missed' | 'open';
}

export interface AtRisk {
  readonly ticketId: string;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  readonly priority: Priority;
  readonly owner: string | null;
  readonly state: 'at-risk' | 'breached';
  readonly target: 'response' | 'workaround';
  readonly due: Instant;
}

/** Where an open ticket's contribution stands at `now`: at risk, breached, or neither (paused, early). */
export function atRiskAt(k: Contribution, now: Instant): AtRisk | null {
  const pending = TARGETS.map((target) => ({ target, f: k[target] }))
    .filter((x) => x.f.outcome === 'pending' && x.f.due !== null)
    .sort((a, b) => (a.f.due ?? 0) - (b.f.due ?? 0));
  const breached = pending.find((x) => (x.f.due ?? Infinity) <= now);
  const risky =
    k.pausedSince === null ? pending.find((x) => x.f.atRiskAt !== null && x.f.atRiskAt <= now) : undefined;
  const hit = breached ?? risky;
  if (hit === undefined) return null;
  return {
    ticketId: k.ticketId,
    tenantId: k.tenantId,
    customerName: k.customerName,
    title: k.title,
    priority: k.priority,
    owner: k.owner,
    state: breached !== undefined ? 'breached' : 'at-risk',
    target: hit.target,
    due: hit.f.due ?? now,
  };
}

export interface Dashboard {
  readonly now: Instant;
  readonly month: string;
  /** The month asked for and the twelve before it, oldest first. */
  readonly months: readonly MonthFigures[];
  readonly current: MonthFigures;
  /** The twelve months before `month`, added up. */
  readonly lastTwelve: MonthFigures;
  readonly breaches: readonly BreachView[];
  /** Open tickets at risk or breached now, most urgent deadline first. */
  readonly atRisk: readonly AtRisk[];
  /** Ratings of the resolutions of each of `months` (same order); absent when the desk keeps none. */
  readonly satisfaction?: readonly SatisfactionMonth[];
}

/** A percentile as JSON can carry it: the last, open-ended bucket (Infinity) reads as null. */
const finite = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/** What a month × priority row of counters answers at `now`, its replies read on `clocks`. */
function figures(c: Counters, clocks: readonly Clock[], now: Instant): Figures {
  const target = (t: TargetCounts): TargetFigures => {
    const decided = t.onTime + t.late + t.breached;
    return { ...t, share: decided === 0 ? null : Math.round((t.onTime / decided) * 10000) / 10000 };
  };
  const pausedMs = pausedMsAt(c, now);
  return {
    tickets: c.tickets - (c.reopens ?? 0),
    rounds: c.tickets,
    response: target(c.response),
    workaround: target(c.workaround),
    responseMedianMinutes: finite(responseQuantile(c, 'clock', 0.5)),
    responseP90Minutes: finite(responseQuantile(c, 'clock', 0.9)),
    responseWallMedianMinutes: finite(responseQuantile(c, 'wall', 0.5)),
    responseWallP90Minutes: finite(responseQuantile(c, 'wall', 0.9)),
    responseClocks: clocks,
    pausedMinutes: pausedMs / 60_000,
    pausedHours: Math.round((pausedMs / 3_600_000) * 100) / 100,
    waitingNow: c.openPauses ?? 0,
  };
}

/** The clocks of a priority's response targets (in hours, after hours) under the policy, each once. */
function responseClocks(engine: SlaEngine, ps: readonly Priority[]): Clock[] {
  const clocks = ps.flatMap((p) => {
    const r = engine.policy.targets[p].response;
    return [r.inHours.clock, r.afterHours.clock];
  });
  return [...new Set(clocks)];
}

function monthFigures(
  engine: SlaEngine,
  month: string,
  byPriority: Record<Priority, Counters>,
  now: Instant,
): MonthFigures {
  const all = emptyCounters();
  for (const p of PRIORITIES) addCounters(all, byPriority[p]);
  return {
    month,
    byPriority: Object.fromEntries(
      PRIORITIES.map((p) => [p, figures(byPriority[p], responseClocks(engine, [p]), now)]),
    ) as Record<Priority, Figures>,
    all: figures(all, responseClocks(engine, PRIORITIES), now),
  };
}

/** At most this many watch rows are read per month (open tickets at risk or breached). */
const WATCH_LIMIT = 500;
const BREACH_LIMIT = 200;

/** How long changes gather before they are counted together (the dashboard is at most this much behind). */
const BATCH_MS = 100;
/** After a failed count (storage down), the first retry waits this long, doubling up to the maximum. */
const RETRY_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export class StatsService {
  /** Changes told but not yet counted, newest version per ticket. */
  private readonly pending = new Map<string, Ticket>();
  private retryMs = RETRY_MS;

  constructor(
    private readonly deps: {
      readonly repo: StatsStore;
      readonly engine: SlaEngine;
      readonly tickets: TicketService;
      readonly background: Background;
      /** The ratings' counters (satisfaction), read beside the SLA counters. */
      readonly satisfaction?: SatisfactionStore | undefined;
    },
  ) {}

  /** Counts a ticket's current state, each round once (idempotent per version); whether anything changed. */
  async record(t: Ticket): Promise<boolean> {
    let changed = false;
    for (const k of contributions(this.deps.engine, t)) if (await this.deps.repo.record(k)) changed = true;
    return changed;
  }

  /**
   * A ticket listener: changes are counted after the answer, gathered for a moment and counted together
   * (a few storage requests per batch, not three per change). A batch that fails is kept and retried; if
   * the instance stops first, the next start's catch-up counts what was missed.
   */
  listener(): Listener<TicketChange> {
    return ({ ticket }) => {
      const seen = this.pending.get(ticket.id);
      if (seen === undefined || seen.version < ticket.version) this.pending.set(ticket.id, ticket);
      this.schedule(BATCH_MS);
      return Promise.resolve();
    };
  }

  private schedule(delayMs: number): void {
    // Steady: one batch at a time every BATCH_MS. Held back while engineers press buttons, a batch grew to
    // about a hundred tickets, whose transactions held storage up for everyone (staff bench, 20 saturating).
    this.deps.background.soon(
      'stats',
      'counting tickets for the dashboard',
      delayMs,
      () => this.flush(),
      true,
    );
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    if (batch.length === 0) return;
    try {
      await this.deps.repo.recordMany(batch.flatMap((t) => contributions(this.deps.engine, t)));
      this.retryMs = RETRY_MS;
    } catch (err) {
      // Keep what failed unless a newer change of the ticket came meanwhile, and try again later.
      for (const t of batch) {
        const seen = this.pending.get(t.id);
        if (seen === undefined || seen.version < t.version) this.pending.set(t.id, t);
      }
      const wait = this.retryMs;
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      setTimeout(() => {
        this.schedule(0);
      }, wait).unref();
      throw err;
    }
  }

  /**
   * Counts changes of this month's and last month's tickets that were never counted (an instance stopped
   * between a change and its counting). Reads those months' tickets once; returns how many it counted.
   */
  async catchUp(now: Instant): Promise<number> {
    const zone = this.deps.engine.policy.timeZone;
    const month = monthOf(now, zone);
    const from = monthBounds(monthMinus(month, 1), zone).start;
    let fixed = 0;
    for (const t of await this.deps.tickets.createdBetween(from, now + 1)) {
      let missed = false;
      for (const k of contributions(this.deps.engine, t)) {
        const counted = await this.deps.repo.countedVersion(k.month, countKey(k));
        if ((counted === null || counted < t.version) && (await this.deps.repo.record(k))) missed = true;
      }
      if (missed) fixed++;
    }
    return fixed;
  }

  /**
   * The dashboard for `month` (default: this month) at `now`: its figures and the twelve months before,
   * the month's missed deadlines, and what is at risk now.
   */
  async dashboard(now: Instant, month?: string): Promise<Dashboard> {
    const zone = this.deps.engine.policy.timeZone;
    const selected = month ?? monthOf(now, zone);
    const names = Array.from({ length: 13 }, (_, i) => monthMinus(selected, 12 - i));
    // One query for the thirteen months' counters and watch rows, one for the month's missed deadlines;
    // open tickets older than these thirteen months are not looked at.
    const [views, stored, rated] = await Promise.all([
      this.deps.repo.monthsView(names, now, WATCH_LIMIT),
      this.deps.repo.breachesOf(selected, BREACH_LIMIT),
      this.deps.satisfaction?.months(names),
    ]);
    const counters = names.map((m) => views.get(m)?.counters ?? emptyByPriority());
    const live = names.flatMap((m) => views.get(m)?.watch ?? []);
    const byMonth = new Map(names.map((m, i) => [m, counters[i] ?? emptyByPriority()]));
    const breaches: BreachView[] = stored.map((b: BreachRow) => ({
      ticketId: b.ticketId,
      customerName: b.customerName,
      title: b.title,
      priority: b.priority,
      target: b.target,
      due: b.due,
      metAt: b.metAt,
      kind: b.metAt !== null ? 'late' : 'missed',
    }));
    // Open targets past their deadline are breaches now, though no ticket change said so yet.
    for (const k of live) {
      const c = byMonth.get(k.month)?.[k.priority];
      for (const target of TARGETS) {
        const f = k[target];
        if (f.outcome !== 'pending' || f.due === null || f.due > now) continue;
        if (c !== undefined && c[target].pending > 0) {
          c[target].pending -= 1;
          c[target].breached += 1;
        }
        if (k.month === selected)
          breaches.push({
            ticketId: k.ticketId,
            customerName: k.customerName,
            title: k.title,
            priority: k.priority,
            target,
            due: f.due,
            metAt: null,
            kind: 'open',
          });
      }
    }
    const engine = this.deps.engine;
    const months = names.map((m) => monthFigures(engine, m, byMonth.get(m) ?? emptyByPriority(), now));
    const twelve = emptyByPriority();
    for (const m of names.slice(0, 12)) {
      const c = byMonth.get(m);
      if (c !== undefined) for (const p of PRIORITIES) addCounters(twelve[p], c[p]);
    }
    const atRisk = live
      .map((k) => atRiskAt(k, now))
      .filter((x): x is AtRisk => x !== null)
      .sort((a, b) => a.due - b.due || a.ticketId.localeCompare(b.ticketId));
    breaches.sort((a, b) => (a.due ?? 0) - (b.due ?? 0) || a.ticketId.localeCompare(b.ticketId));
    return {
      now,
      month: selected,
      months,
      current: months[12] ?? monthFigures(engine, selected, emptyByPriority(), now),
      lastTwelve: monthFigures(engine, `${names[0] ?? selected}..${names[11] ?? selected}`, twelve, now),
      breaches,
      atRisk,
      ...(rated === undefined
        ? {}
        : { satisfaction: names.map((m) => satisfactionMonth(m, rated.get(m) ?? new Map())) }),
    };
  }
}
