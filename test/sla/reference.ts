// A slow, obviously correct reference for the SLA engine (SLA-RULES.md): it walks time minute by minute
// and asks luxon for each minute's local time (memoised per quarter hour). Written apart from src/sla:
// imports only types from it.
// Used by the property tests and by the benchmark (test/bench/sla.ts); keep referenceEvaluate's signature.
import { IANAZone } from 'luxon';
import type { Policy } from '../../src/domain/policy/schema';
import type { SlaInput } from '../../src/domain/sla/engine';
import type { Clock, Instant, Priority, TargetName, Window } from '../../src/domain/sla/types';

export interface ReferenceTarget {
  /** When counted time reaches the budget; null while an open pause stops the clock first. */
  readonly due: Instant | null;
  /** One per policy threshold, in the policy's order; null where an open pause stops the clock first. */
  readonly warnings: (Instant | null)[];
}

export interface ReferenceResult {
  readonly window: Window;
  readonly response: ReferenceTarget;
  readonly workaround: ReferenceTarget;
}

const MINUTE = 60_000;
/** Every zone's UTC offset is a whole number of quarter hours, so local time is fixed within a block. */
const BLOCK = 15 * MINUTE;
// Module constants for Math.floor and Infinity: in jest's sandbox every global lookup is slow in a hot loop.
const { floor } = Math;
/** The quarter hour that instant t lies in. */
const blockOf = (t: Instant): number => floor(t / BLOCK);
/** Where a wait is still open. */
const OPEN_END = Number.POSITIVE_INFINITY;
/** Like the engine, give up (null) when a clock finds no budget within about ten years. */
const HORIZON_MINUTES = 3700 * 24 * 60;

/** The local date, ISO weekday and minute of the day at the start of one quarter-hour block. */
interface LocalBlock {
  readonly date: string;
  readonly weekday: number;
  readonly minuteOfDay: number;
}

/** Memo of a pure function (zone, block) → local block; shared by all calls, so repeated runs stay fast. */
const blocksByZone = new Map<string, { zone: IANAZone; blocks: Map<number, LocalBlock> }>();

function localBlock(zoneName: string, block: number): LocalBlock {
  let memo = blocksByZone.get(zoneName);
  if (memo === undefined) {
    memo = { zone: IANAZone.create(zoneName), blocks: new Map() };
    blocksByZone.set(zoneName, memo);
  }
  let found = memo.blocks.get(block);
  if (found === undefined) {
    // luxon gives the zone's UTC offset at that instant; the wall clock is the instant shifted by it.
    const offsetMinutes = memo.zone.offset(block * BLOCK);
    if (!Number.isInteger(offsetMinutes / 15)) {
      throw new RangeError(`${zoneName}'s offset at ${block * BLOCK} is not whole quarter hours`);
    }
    const wall = new Date(block * BLOCK + offsetMinutes * MINUTE);
    found = {
      date: wall.toISOString().slice(0, 10),
      weekday: wall.getUTCDay() === 0 ? 7 : wall.getUTCDay(),
      minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    };
    memo.blocks.set(block, found);
  }
  return found;
}

/** The policy's calendar as plain wall-clock rules. */
interface Rules {
  readonly zone: string;
  readonly businessWeekdays: ReadonlySet<number>;
  readonly holidays: ReadonlySet<string>;
  /** Support hours as minutes of the local day: open inclusive, close exclusive (24:00 = 1440). */
  readonly open: number;
  readonly close: number;
}

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? NaN) * 60 + (m ?? NaN);
}

function rulesOf(policy: Policy, holidays: readonly string[]): Rules {
  return {
    zone: policy.timeZone,
    businessWeekdays: new Set(policy.calendar.businessDays),
    holidays: new Set([...policy.calendar.holidays, ...holidays]),
    open: minutesOfDay(policy.calendar.supportHours.open),
    close: minutesOfDay(policy.calendar.supportHours.close),
  };
}

function businessDay(rules: Rules, local: LocalBlock): boolean {
  return rules.businessWeekdays.has(local.weekday) && !rules.holidays.has(local.date);
}

function supportHour(rules: Rules, minuteOfDay: number): boolean {
  return minuteOfDay >= rules.open && minuteOfDay < rules.close;
}

/** In-hours when the minute starting at t is on a business day and inside support hours. */
function windowAt(rules: Rules, t: Instant): Window {
  const block = blockOf(t);
  const local = localBlock(rules.zone, block);
  const minute = local.minuteOfDay + (t - block * BLOCK) / MINUTE;
  return businessDay(rules, local) && supportHour(rules, minute) ? 'in-hours' : 'after-hours';
}

interface Wait {
  readonly start: Instant;
  readonly end: Instant;
}

/**
 * For each mark (ms of counted time, ascending), the earliest instant at which time counted on `clock`
 * from `from`, outside waits, reaches it: within the minute in which the count reaches it (its end for
 * whole-minute marks). Null for marks not reached before an open wait (or within the horizon).
 */
function reachMarks(
  rules: Rules,
  clock: Clock,
  from: Instant,
  waits: readonly Wait[],
  marks: readonly number[],
) {
  const out: (Instant | null)[] = marks.map(() => null);
  const horizon = from + HORIZON_MINUTES * MINUTE;
  let counted = 0;
  let j = 0;
  // The quarter hour that minute t lies in: its number, its first minute of the local day, its day's kind.
  let block = NaN;
  let first = 0;
  let business = false;
  minutes: for (let t = from; j < marks.length && t < horizon; t += MINUTE) {
    if (clock !== 'continuous') {
      if (blockOf(t) !== block) {
        block = blockOf(t);
        const local = localBlock(rules.zone, block);
        first = local.minuteOfDay;
        business = businessDay(rules, local);
      }
      // Shortcut: when no minute of this quarter hour can count, go on from its last minute.
      const closed = clock === 'support-hours' && (first + 15 <= rules.open || first >= rules.close);
      if (!business || closed) {
        t = (block + 1) * BLOCK - MINUTE;
        continue;
      }
      if (clock === 'support-hours' && !supportHour(rules, first + (t - block * BLOCK) / MINUTE)) continue;
    }
    for (const w of waits) {
      if (w.start <= t && t < w.end) {
        if (w.end === OPEN_END) break minutes;
        continue minutes;
      }
    }
    for (let mark = marks[j]; mark !== undefined && counted + MINUTE >= mark; mark = marks[++j]) {
      out[j] = t + (mark - counted);
    }
    counted += MINUTE;
  }
  return out;
}

/**
 * In-hours or after-hours at instant t (a whole minute) under `policy` with extra `holidays`.
 * @example referenceWindow(DEFAULT_POLICY, [], et('Wed 2026-11-25 22:00')) // 'after-hours'
 */
export function referenceWindow(policy: Policy, holidays: readonly string[], t: Instant): Window {
  return windowAt(rulesOf(policy, holidays), wholeMinute(t, 'the instant'));
}

const RANK: Readonly<Record<Priority, number>> = { P1: 1, P2: 2, P3: 3 };

function wholeMinute(t: Instant, what: string): Instant {
  if (!Number.isInteger(t / MINUTE)) {
    throw new RangeError(`the reference counts whole minutes; ${what} is ${t}`);
  }
  return t;
}

/**
 * Window, deadlines and warnings of a ticket under `policy` with extra `holidays`, by brute force.
 * Inputs must be whole minutes. Priority raised at c: the earlier of the current deadline and the new
 * priority's target counted from c (window at c); lowered: recounted from dispatch (window at dispatch).
 * A target met at m ignores changes at or after m.
 * @example referenceEvaluate(DEFAULT_POLICY, [], { dispatched: et('Fri 2026-11-27 23:10'), priority: 'P2' })
 *   // { window: 'after-hours', response: { due: et('Mon 2026-11-30 05:10'), … }, workaround: { due: et('Fri 2026-12-04 23:10'), … } }
 */
export function referenceEvaluate(
  policy: Policy,
  holidays: readonly string[],
  input: SlaInput,
): ReferenceResult {
  const rules = rulesOf(policy, holidays);
  const dispatched = wholeMinute(input.dispatched, 'dispatched');
  const waits: Wait[] = (input.pauses ?? []).map((p) => ({
    start: wholeMinute(p.start, 'a pause start'),
    end: p.end === undefined ? OPEN_END : wholeMinute(p.end, 'a pause end'),
  }));
  const window = windowAt(rules, dispatched);
  const percents = policy.warnings.thresholds;

  const count = (priority: Priority, target: TargetName, from: Instant, win: Window): ReferenceTarget => {
    const targets = policy.targets[priority];
    const budget =
      target === 'workaround'
        ? targets.workaround
        : win === 'in-hours'
          ? targets.response.inHours
          : targets.response.afterHours;
    const budgetMs = budget.minutes * MINUTE;
    const reached = reachMarks(rules, budget.clock, from, waits, [
      ...percents.map((p) => (budgetMs * p) / 100),
      budgetMs,
    ]);
    return { due: reached[percents.length] ?? null, warnings: reached.slice(0, percents.length) };
  };

  const evaluateTarget = (target: TargetName): ReferenceTarget => {
    const metAt = input.met?.[target];
    let priority = input.priority;
    let current = count(priority, target, dispatched, window);
    for (const change of input.changes ?? []) {
      const at = wholeMinute(change.at, 'a change');
      if (metAt !== undefined && at >= metAt) break;
      if (RANK[change.to] < RANK[priority]) {
        const fresh = count(change.to, target, at, windowAt(rules, at));
        const earlier = fresh.due !== null && (current.due === null || fresh.due < current.due);
        if (earlier) current = fresh;
      } else if (RANK[change.to] > RANK[priority]) {
        current = count(change.to, target, dispatched, window);
      }
      priority = change.to;
    }
    return current;
  };

  return { window, response: evaluateTarget('response'), workaround: evaluateTarget('workaround') };
}
