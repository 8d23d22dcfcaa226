// Counting time on a clock: when does counted time since an instant reach a budget, and how much
// was counted between two instants. Walks whole days (never minutes); pauses are subtracted.
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
  const sorted = pauses
    .map((p) => [p.start, p.end ?? Infinity] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [s, e] of sorted) {
    const last = ends.length - 1;
    if (last >= 0 && s <= (ends[last] ?? -Infinity)) {
      ends[last] = Math.max(ends[last] ?? -Infinity, e);
    } else {
      starts.push(s);
      ends.push(e);
    }
  }
  return { starts, ends };
}

const MAX_DAYS = 3700;

/**
 * Calls `visit(x, y)` for each counted interval [x, y) after `from`, in order, until it returns true.
 * Counted = on the clock and not paused. Returns false if an open pause or the ten-year horizon stops it.
 */
function eachCounted(
  cal: Calendar,
  clock: Clock,
  from: Instant,
  pauses: PauseList,
  visit: (x: number, y: number) => boolean,
): boolean {
  const { starts, ends } = pauses;
  const np = starts.length;
  let pi = 0;
  // Emits [a, b) minus pauses; returns 1 when visit is done, 2 when an open pause stops the clock, 0 to go on.
  const emit = (a: number, b: number): number => {
    while (pi < np && (ends[pi] ?? 0) <= a) pi++;
    let x = a;
    while (pi < np) {
      const ps = starts[pi] ?? 0;
      if (ps >= b) break;
      const pe = ends[pi] ?? 0;
      if (ps > x && visit(x, ps)) return 1;
      if (pe === Infinity) return 2;
      x = Math.max(x, pe);
      if (pe >= b) return 0;
      pi++;
    }
    if (x < b && visit(x, b)) return 1;
    return 0;
  };
  if (clock === 'continuous') {
    return emit(from, Infinity) === 1;
  }
  let d = cal.dayOf(from);
  const supportOnly = clock === 'support-hours';
  for (let i = 0; i < MAX_DAYS; i++) {
    if (d.business) {
      const a = Math.max(from, supportOnly ? d.open : d.start);
      const b = supportOnly ? d.close : d.end;
      if (a < b) {
        const r = emit(a, b);
        if (r !== 0) return r === 1;
      }
    }
    d = cal.day(d.n + 1);
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
  let j = 0;
  let acc = 0;
  eachCounted(cal, clock, from, pauses, (x, y) => {
    const len = y - x;
    while (j < m) {
      const b = budgets[j] ?? 0;
      if (acc + len < b) break;
      out[j++] = x + (b - acc);
    }
    acc += len;
    return j >= m;
  });
  for (; j < m; j++) out[j] = NaN;
}

/**
 * Milliseconds counted on `clock` in [from, to), pauses excluded.
 * @example counted(nyCalendar, 'business-days', Date.parse('2026-11-27T23:10-05:00'), Date.parse('2026-11-30T01:00-05:00'), NO_PAUSES)
 *   // 110 minutes: 50 on Friday night, none on the weekend, 60 on Monday.
 */
export function counted(cal: Calendar, clock: Clock, from: Instant, to: Instant, pauses: PauseList): number {
  if (!(to > from)) return 0;
  let acc = 0;
  eachCounted(cal, clock, from, pauses, (x, y) => {
    if (x >= to) return true;
    acc += Math.min(y, to) - x;
    return y >= to;
  });
  return acc;
}
