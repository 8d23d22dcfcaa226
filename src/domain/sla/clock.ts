// Counting time on a clock: when does counted time since an instant reach a budget, and how much was
// counted between two instants. Walks days (whole days by their sums where nothing happens), never minutes;
// pauses are subtracted. Allocation-free on the hot path: one reusable walker, no closures per call.
import type { Calendar } from './calendar';
import type { Clock, Instant, Pause } from './types';

/** Pauses sorted by start, overlaps merged; an open pause has end = Infinity. */
export interface PauseList {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export const NO_PAUSES: PauseList = { starts: [], ends: [] };

/** Sorts and merges pauses; an open pause (no end) runs to Infinity. Ignores empty ones. */
export function pauseList(pauses: readonly Pause[] | undefined): PauseList {
  if (pauses === undefined || pauses.length === 0) return NO_PAUSES;
  let ordered = true;
  for (let i = 1; i < pauses.length; i++) {
    if ((pauses[i]?.start ?? 0) < (pauses[i - 1]?.start ?? 0)) ordered = false;
  }
  const list = ordered ? pauses : [...pauses].sort((a, b) => a.start - b.start);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const p of list) {
    const s = p.start;
    const e = p.end ?? Infinity;
    if (!(e > s)) continue;
    const last = ends.length - 1;
    if (last >= 0 && s <= (ends[last] ?? -Infinity)) ends[last] = Math.max(ends[last] ?? -Infinity, e);
    else {
      starts.push(s);
      ends.push(e);
    }
  }
  return { starts, ends };
}

const MAX_DAYS = 3700;
const REACH = 0;
const COUNT = 1;

/**
 * One walk's state. A single instance per call site is reused: `visit` is a method, not a closure, so a
 * walk allocates nothing.
 */
class Walker {
  mode = REACH;
  budgets: readonly number[] = [];
  out: number[] = [];
  j = 0;
  acc = 0;
  to = 0;
  /** Index of the first pause that may still matter. */
  pi = 0;

  /** Takes counted interval [x, y); true when the walk is done. */
  visit(x: number, y: number): boolean {
    const len = y - x;
    if (this.mode === COUNT) {
      if (x >= this.to) return true;
      this.acc += Math.min(y, this.to) - x;
      return y >= this.to;
    }
    const m = this.budgets.length;
    while (this.j < m) {
      const b = this.budgets[this.j] ?? 0;
      if (this.acc + len < b) break;
      this.out[this.j++] = x + (b - this.acc);
    }
    this.acc += len;
    return this.j >= m;
  }

  /** Emits [a, b) minus pauses: 1 when done, 2 when an open pause stops the clock, 0 to go on. */
  emit(a: number, b: number, starts: readonly number[], ends: readonly number[]): number {
    const np = starts.length;
    if (np === 0) return this.visit(a, b) ? 1 : 0;
    while (this.pi < np && (ends[this.pi] ?? 0) <= a) this.pi++;
    let x = a;
    while (this.pi < np) {
      const ps = starts[this.pi] ?? 0;
      if (ps >= b) break;
      const pe = ends[this.pi] ?? 0;
      if (ps > x && this.visit(x, ps)) return 1;
      if (pe === Infinity) return 2;
      x = Math.max(x, pe);
      if (pe >= b) return 0;
      this.pi++;
    }
    if (x < b && this.visit(x, b)) return 1;
    return 0;
  }
}

const walker = new Walker();

/** Walks counted time from `from` on `clock`; false if an open pause or the ten-year horizon stops it. */
function walk(cal: Calendar, clock: Clock, from: Instant, pauses: PauseList, w: Walker): boolean {
  const { starts, ends } = pauses;
  const np = starts.length;
  w.pi = 0;
  if (clock === 'continuous') return w.emit(from, Infinity, starts, ends) === 1;
  const supportOnly = clock === 'support-hours';
  const dayStarts = cal.starts;
  const opens = cal.opens;
  const closes = cal.closes;
  const business = cal.business;
  const limit = w.mode === COUNT ? w.to : Infinity;
  let i = cal.indexOf(from);
  for (let k = 0; k < MAX_DAYS; k++) {
    if (k > 0) {
      // Whole days that hold no pause and cannot end the walk are added up without visiting them.
      while (w.pi < np && (ends[w.pi] ?? 0) <= (dayStarts[i] ?? 0)) w.pi++;
      const pauseAt = w.pi < np ? (starts[w.pi] ?? Infinity) : Infinity;
      const target = w.mode === COUNT ? Infinity : (w.budgets[w.j] ?? 0);
      for (;;) {
        const dayEnd = dayStarts[i + 1] ?? Infinity;
        if (dayEnd > pauseAt || dayEnd > limit) break;
        const c =
          business[i] === 1
            ? supportOnly
              ? (closes[i] ?? 0) - (opens[i] ?? 0)
              : dayEnd - (dayStarts[i] ?? 0)
            : 0;
        if (w.acc + c >= target) break;
        w.acc += c;
        i = cal.ready(i + 1);
        if (++k >= MAX_DAYS) return false;
      }
    }
    if (business[i] === 1) {
      const a = Math.max(from, supportOnly ? (opens[i] ?? 0) : (dayStarts[i] ?? 0));
      const b = supportOnly ? (closes[i] ?? 0) : (dayStarts[i + 1] ?? 0);
      if (a < b) {
        const r = w.emit(a, b, starts, ends);
        if (r !== 0) return r === 1;
      }
    }
    i = cal.ready(i + 1);
  }
  return false;
}

/**
 * Fills `out[i]` with the earliest instant at which time counted on `clock` since `from` reaches
 * `budgets[i]` (milliseconds, ascending). NaN where an open pause (or no calendar time within ten years) stops it.
 * @example reach(nyCalendar, 'support-hours', Date.parse('2026-11-25T21:30-05:00'), NO_PAUSES, [7_200_000], out)
 *   // out[0] = Date.parse('2026-11-26T05:30-05:00'): 30 minutes Wednesday night, 90 from Thursday's 04:00 opening.
 */
export function reach(
  cal: Calendar,
  clock: Clock,
  from: Instant,
  pauses: PauseList,
  budgets: readonly number[],
  out: number[],
): void {
  const m = budgets.length;
  if (clock === 'continuous' && pauses.starts.length === 0) {
    for (let j = 0; j < m; j++) out[j] = from + (budgets[j] ?? 0);
    return;
  }
  const w = walker;
  w.mode = REACH;
  w.budgets = budgets;
  w.out = out;
  w.j = 0;
  w.acc = 0;
  walk(cal, clock, from, pauses, w);
  for (let j = w.j; j < m; j++) out[j] = NaN;
  w.out = [];
}

/**
 * Milliseconds counted on `clock` in [from, to), pauses excluded.
 * @example counted(nyCalendar, 'business-days', Date.parse('2026-11-27T23:10-05:00'), Date.parse('2026-11-30T01:00-05:00'), NO_PAUSES)
 *   // 110 minutes: 50 on Friday night, none on the weekend, 60 on Monday.
 */
export function counted(cal: Calendar, clock: Clock, from: Instant, to: Instant, pauses: PauseList): number {
  if (!(to > from)) return 0;
  const w = walker;
  w.mode = COUNT;
  w.to = to;
  w.acc = 0;
  walk(cal, clock, from, pauses, w);
  return w.acc;
}
