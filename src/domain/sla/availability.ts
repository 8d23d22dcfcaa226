// Monthly availability of the Core Service (docs/sla-rules.md, "Availability"). Pure.
import { DateTime } from 'luxon';
import type { ExclusionCategory, Policy } from '../policy/schema';
import { MINUTE_MS, type Instant } from './types';

/** A recorded outage; `end` null while ongoing. `exclusion` only once a manager approved it. */
export interface OutageSpan {
  readonly start: Instant;
  readonly end: Instant | null;
  readonly exclusion?: ExclusionCategory | null | undefined;
}

export interface MonthAvailability {
  readonly month: string;
  /** Real elapsed minutes of the month in the policy's zone. */
  readonly minutes: number;
  /** Down minutes: the union of outages not excluded. */
  readonly outageMinutes: number;
  /** Minutes under an approved exclusion (and not also down). */
  readonly excludedMinutes: number;
  readonly excludedByCategory: Readonly<Record<ExclusionCategory, number>>;
  readonly availability: number;
  readonly target: number;
  readonly met: boolean;
  /** The month's error budget: (1 - target) x minutes. */
  readonly budgetMinutes: number;
  readonly budgetUsedMinutes: number;
  readonly budgetLeftMinutes: number;
}

type Span = readonly [number, number];

function union(spans: Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function measure(spans: readonly Span[]): number {
  return spans.reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** Parts of `spans` (a union) not covered by `cut` (a union). */
function minus(spans: readonly Span[], cut: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [s, e] of spans) {
    let x = s;
    for (const [cs, ce] of cut) {
      if (ce <= x || cs >= e) continue;
      if (cs > x) out.push([x, cs]);
      x = Math.max(x, ce);
      if (x >= e) break;
    }
    if (x < e) out.push([x, e]);
  }
  return out;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Start and end instants of a month "YYYY-MM" in the zone; throws RangeError on a bad month. */
export function monthBounds(month: string, timeZone: string): { start: Instant; end: Instant } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (m === null) throw new RangeError(`month must look like 2026-11, got "${month}"`);
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: timeZone });
  return { start: start.toMillis(), end: start.plus({ months: 1 }).toMillis() };
}

/**
 * Availability of one month: union of outages, approved exclusions apart, budget, met or missed.
 * Ongoing outages count up to `now`. A minute both down and excluded counts as down.
 * @example monthAvailability(DEFAULT_POLICY, '2026-11', [{ start: t, end: t + 3 * 60_000 }], now)
 *   // { minutes: 43260, outageMinutes: 3, availability: 0.99993065, met: true, budgetMinutes: 4.326, … }
 */
export function monthAvailability(
  policy: Policy,
  month: string,
  outages: readonly OutageSpan[],
  now: Instant,
): MonthAvailability {
  const { start, end } = monthBounds(month, policy.timeZone);
  const clip = (o: OutageSpan): Span => [Math.max(start, o.start), Math.min(end, o.end ?? now)];
  const down = union(outages.filter((o) => !o.exclusion).map(clip));
  const byCategory = { a: 0, b: 0, c: 0, d: 0, e: 0 } as Record<ExclusionCategory, number>;
  let covered = down;
  for (const cat of ['a', 'b', 'c', 'd', 'e'] as const) {
    const spans = minus(union(outages.filter((o) => o.exclusion === cat).map(clip)), covered);
    byCategory[cat] = round(measure(spans) / MINUTE_MS, 3);
    covered = union([...covered, ...spans]);
  }
  const minutes = (end - start) / MINUTE_MS;
  const downMinutes = measure(down) / MINUTE_MS;
  const excludedMinutes = (measure(covered) - measure(down)) / MINUTE_MS;
  const target = policy.availability.target;
  const budgetMinutes = minutes * (1 - target);
  return {
    month,
    minutes,
    outageMinutes: round(downMinutes, 3),
    excludedMinutes: round(excludedMinutes, 3),
    excludedByCategory: byCategory,
    availability: round(1 - downMinutes / minutes, 8),
    target,
    met: downMinutes <= budgetMinutes + 1e-9,
    budgetMinutes: round(budgetMinutes, 6),
    budgetUsedMinutes: round(downMinutes, 3),
    budgetLeftMinutes: round(Math.max(0, budgetMinutes - downMinutes), 6),
  };
}
