// The SLA engine: a compiled policy that answers windows, deadlines, warnings and time left.
// Pure: every instant comes in as a parameter; the zone comes from the policy.
import type { Policy } from '../policy/schema';
import { Calendar } from './calendar';
import { NO_PAUSES, pauseList, reach, counted, type PauseList } from './clock';
import {
  MINUTE_MS,
  priorityRank,
  TARGETS,
  type Clock,
  type Instant,
  type Pause,
  type Priority,
  type PriorityChange,
  type TargetName,
  type Window,
} from './types';

/** What a ticket's SLA depends on: when it came, its priority history, its pauses, what was met. */
export interface SlaInput {
  readonly dispatched: Instant;
  /** Priority at dispatch. */
  readonly priority: Priority;
  /** Later priority changes, in time order. */
  readonly changes?: readonly PriorityChange[] | undefined;
  /** Times the ticket waited on the customer. */
  readonly pauses?: readonly Pause[] | undefined;
  /** When each target was met, if it was. */
  readonly met?: Partial<Record<TargetName, Instant>> | undefined;
}

/** The counting that produced a deadline: from `start`, `budgetMinutes` on `clock`. */
export interface Basis {
  readonly start: Instant;
  readonly priority: Priority;
  readonly window: Window;
  readonly clock: Clock;
  readonly budgetMinutes: number;
  /** Why this basis: dispatch, a raise (counted from the change) or a lower (recounted from dispatch). */
  readonly reason: 'dispatch' | 'raised' | 'lowered';
}

/** One warning threshold: percentage of the budget and the instant counted time reaches it (null while paused). */
export interface Threshold {
  readonly percent: number;
  readonly at: Instant | null;
}

/** A priority change as it moved one target's deadline. */
export interface DeadlineChange {
  readonly at: Instant;
  readonly from: Priority;
  readonly to: Priority;
  readonly oldDue: Instant | null;
  readonly newDue: Instant | null;
}

/** One target's deadline, warnings and history. `due` is null while an open pause stops its clock. */
export interface TargetResult {
  readonly target: TargetName;
  readonly basis: Basis;
  readonly due: Instant | null;
  readonly warnings: readonly Threshold[];
  readonly metAt: Instant | null;
  readonly changes: readonly DeadlineChange[];
}

export interface SlaResult {
  /** Window at dispatch. */
  readonly window: Window;
  /** Current priority (after all changes). */
  readonly priority: Priority;
  readonly response: TargetResult;
  readonly workaround: TargetResult;
}

export type TargetState = 'met' | 'paused' | 'breached' | 'at-risk' | 'on-track';

/** A target's standing at one instant. */
export interface TargetStatus {
  readonly state: TargetState;
  /** Budget not yet counted, in ms on the target's clock (0 once breached). */
  readonly businessLeftMs: number;
  /** Wall-clock ms until the deadline (negative once breached; null while paused). */
  readonly wallLeftMs: number | null;
  /** Share of the budget used, 0..1+. */
  readonly used: number;
}

/** A warning to post: threshold (100 = breach), when it fires, and when it may be delivered. */
export interface Notice {
  readonly target: TargetName;
  readonly percent: number;
  readonly firesAt: Instant;
  readonly deliverAt: Instant;
}

const BREACH = 100;

/**
 * The policy compiled for fast use. Build once per policy (and holiday set) and reuse.
 * @example
 *   const sla = new SlaEngine(DEFAULT_POLICY);
 *   sla.evaluate({ dispatched: Date.parse('2026-11-25T10:00-05:00'), priority: 'P1' }).response.due
 *   // Date.parse('2026-11-25T11:00-05:00')
 */
export class SlaEngine {
  readonly calendar: Calendar;
  private readonly budgets: readonly number[];
  private readonly percents: readonly number[];
  private readonly scratch: number[];
  private readonly marks: number[];

  constructor(
    readonly policy: Policy,
    extraHolidays: readonly string[] = [],
  ) {
    this.calendar = new Calendar({
      timeZone: policy.timeZone,
      businessDays: policy.calendar.businessDays,
      supportHours: policy.calendar.supportHours,
      holidays: [...policy.calendar.holidays, ...extraHolidays],
    });
    this.percents = policy.warnings.thresholds;
    this.budgets = [...this.percents, BREACH];
    this.scratch = new Array<number>(this.budgets.length).fill(0);
    this.marks = new Array<number>(this.budgets.length).fill(0);
  }

  /**
   * In-hours when t is inside support hours, else after-hours.
   * @example sla.window(Date.parse('2026-11-28T03:00-05:00')) // 'after-hours' (Saturday)
   */
  window(t: Instant): Window {
    return this.calendar.inSupportHours(t) ? 'in-hours' : 'after-hours';
  }

  /** The budget of one target for a priority in a window. */
  budget(priority: Priority, target: TargetName, window: Window): { minutes: number; clock: Clock } {
    const t = this.policy.targets[priority];
    return target === 'workaround'
      ? t.workaround
      : window === 'in-hours'
        ? t.response.inHours
        : t.response.afterHours;
  }

  private count(basis: Basis, pauses: PauseList): { due: Instant | null; warnings: Threshold[] } {
    const out = this.scratch;
    const marks = this.marks;
    const budgetMs = basis.budgetMinutes * MINUTE_MS;
    for (let i = 0; i < this.budgets.length; i++) marks[i] = (budgetMs * (this.budgets[i] ?? 0)) / 100;
    reach(this.calendar, basis.clock, basis.start, pauses, marks, out);
    const warnings: Threshold[] = [];
    for (let i = 0; i < this.percents.length; i++) {
      const at = out[i] ?? NaN;
      warnings.push({ percent: this.percents[i] ?? 0, at: Number.isNaN(at) ? null : at });
    }
    const due = out[this.percents.length] ?? NaN;
    return { due: Number.isNaN(due) ? null : due, warnings };
  }

  private basis(
    start: Instant,
    priority: Priority,
    target: TargetName,
    reason: Basis['reason'],
    known?: Window,
  ): Basis {
    const window = known ?? this.window(start);
    const { minutes, clock } = this.budget(priority, target, window);
    return { start, priority, window, clock, budgetMinutes: minutes, reason };
  }

  private target(input: SlaInput, target: TargetName, pauses: PauseList, window: Window): TargetResult {
    const metAt = input.met?.[target] ?? null;
    let basis = this.basis(input.dispatched, input.priority, target, 'dispatch', window);
    let current = this.count(basis, pauses);
    let priority = input.priority;
    const changes: DeadlineChange[] = [];
    for (const change of input.changes ?? []) {
      if (metAt !== null && change.at >= metAt) break;
      if (change.to === priority) continue;
      const raised = priorityRank(change.to) < priorityRank(priority);
      const candidateBasis = raised
        ? this.basis(change.at, change.to, target, 'raised')
        : this.basis(input.dispatched, change.to, target, 'lowered', window);
      const candidate = this.count(candidateBasis, pauses);
      const oldDue = current.due;
      // Raised: the earlier of the old deadline and the new target counted from the change.
      const take = !raised || (candidate.due !== null && (oldDue === null || candidate.due < oldDue));
      if (take) {
        basis = candidateBasis;
        current = candidate;
      }
      changes.push({ at: change.at, from: priority, to: change.to, oldDue, newDue: current.due });
      priority = change.to;
    }
    return { target, basis, due: current.due, warnings: current.warnings, metAt, changes };
  }

  /**
   * Window, both deadlines and every warning instant of a ticket.
   * @example sla.evaluate({ dispatched: Date.parse('2026-11-27T23:10-05:00'), priority: 'P2' })
   *   // window 'after-hours'; response.due = Mon 2026-11-30 05:10 ET; workaround.due = Fri 2026-12-04 23:10 ET
   */
  evaluate(input: SlaInput): SlaResult {
    const pauses =
      input.pauses === undefined || input.pauses.length === 0 ? NO_PAUSES : pauseList(input.pauses);
    const changes = input.changes ?? [];
    const last = changes.length > 0 ? changes[changes.length - 1] : undefined;
    const window = this.window(input.dispatched);
    return {
      window,
      priority: last?.to ?? input.priority,
      response: this.target(input, 'response', pauses, window),
      workaround: this.target(input, 'workaround', pauses, window),
    };
  }

  /**
   * A target's state at `now`: met, paused (waiting on the customer), breached, at risk, on track.
   * @example sla.status(result.response, Date.parse('2026-11-25T10:50-05:00'), [])
   *   // { state: 'at-risk', businessLeftMs: 600000, wallLeftMs: 600000, used: 0.8333 } for the 10:00 P1
   */
  status(result: TargetResult, now: Instant, pauses: readonly Pause[] | undefined): TargetStatus {
    const budgetMs = result.basis.budgetMinutes * MINUTE_MS;
    const list = pauses === undefined || pauses.length === 0 ? NO_PAUSES : pauseList(pauses);
    const until = result.metAt ?? now;
    const used = counted(this.calendar, result.basis.clock, result.basis.start, until, list);
    const businessLeftMs = Math.max(0, budgetMs - used);
    const wallLeftMs = result.due === null ? null : result.due - until;
    const share = used / budgetMs;
    if (result.metAt !== null) return { state: 'met', businessLeftMs, wallLeftMs, used: share };
    if (result.due !== null && now >= result.due)
      return { state: 'breached', businessLeftMs: 0, wallLeftMs, used: share };
    const pausedNow = list.starts.some((s, i) => s <= now && now < (list.ends[i] ?? 0));
    if (pausedNow) return { state: 'paused', businessLeftMs, wallLeftMs, used: share };
    if (share * 100 >= this.policy.warnings.atRiskFrom)
      return { state: 'at-risk', businessLeftMs, wallLeftMs, used: share };
    return { state: 'on-track', businessLeftMs, wallLeftMs, used: share };
  }

  /**
   * When a warning firing at t is posted: at once for priorities whose off-hours rule is "immediate",
   * else at the next opening of support hours.
   * @example sla.deliveryTime('P2', Date.parse('2026-11-30T02:10-05:00')) // Mon 04:00 ET
   */
  deliveryTime(priority: Priority, t: Instant): Instant {
    return this.policy.warnings.offHoursDelivery[priority] === 'immediate' ? t : this.calendar.nextOpening(t);
  }

  /**
   * The warnings (and breach, percent 100) to post for an unmet target, each with its delivery instant.
   * Several thresholds held to the same opening collapse into the highest one.
   * @example sla.notices(p2FridayNight, 'response')
   *   // [{percent: 75, deliverAt: Mon 04:00}, {percent: 90, deliverAt: Mon 04:34}, {percent: 100, deliverAt: Mon 05:10}]
   */
  notices(result: SlaResult, target: TargetName): Notice[] {
    const t = result[target];
    if (t.metAt !== null) return [];
    const all = [...t.warnings, { percent: BREACH, at: t.due }];
    const notices: Notice[] = [];
    for (const w of all) {
      if (w.at === null) continue;
      const deliverAt = this.deliveryTime(result.priority, w.at);
      const prev = notices[notices.length - 1];
      if (prev !== undefined && prev.deliverAt === deliverAt) notices.pop();
      notices.push({ target, percent: w.percent, firesAt: w.at, deliverAt });
    }
    return notices;
  }
}

export { TARGETS };
