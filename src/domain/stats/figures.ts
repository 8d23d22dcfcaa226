// What one ticket adds to the SLA dashboard's monthly counters, and how counters add up and answer
// shares and percentiles. Pure: the engine and policy come in, no storage, no clock.
import { DateTime } from 'luxon';
import type { Instant, Priority, SlaEngine, SlaResult, TargetName, TargetResult } from '../sla';
import { counted, pauseList, PRIORITIES, TARGETS } from '../sla';
import { slaOf } from '../tickets/sla-view';
import { roundPauses, roundsSla } from '../tickets/rounds';
import { OPEN_STATUSES, type Ticket } from '../tickets/model';

/**
 * How a target ended up, as far as the ticket alone says: met on time or late, breached (not met and
 * the ticket closed after its deadline), not applicable (closed before its deadline without it), or still
 * pending on an open ticket (whether it has breached since depends on the time of asking).
 */
export type Outcome = 'on-time' | 'late' | 'breached' | 'n/a' | 'pending';

export interface TargetFacts {
  readonly outcome: Outcome;
  readonly due: Instant | null;
  readonly metAt: Instant | null;
  /** When the target's used share reaches the policy's at-risk mark (null while paused or met). */
  readonly atRiskAt: Instant | null;
}

/** One ticket's part in the counters of its dispatch month. */
export interface Contribution {
  readonly ticketId: string;
  /** The ticket's round (docs/sla-rules.md, "Reopening"); absent: round 1. Each round is counted once. */
  readonly round?: number;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  readonly owner: string | null;
  readonly version: number;
  /** Dispatch month "YYYY-MM" in the policy's zone (fixed for the ticket's life). */
  readonly month: string;
  readonly priority: Priority;
  readonly open: boolean;
  readonly response: TargetFacts;
  readonly workaround: TargetFacts;
  /** Wall minutes from dispatch to the first reply, once there was one. */
  readonly responseMinutes: number | null;
  /**
   * Minutes from dispatch to the first reply on the response target's own clock (support hours, business
   * days or continuous; waits on the customer left out). Absent in contributions counted before it existed.
   */
  readonly responseClockMinutes?: number | null;
  /** The histogram layout its reply times were counted in; absent: layout 1 (counted before layout 2). */
  readonly histLayout?: HistLayout;
  /** Time spent waiting on the customer (closed pauses; the open one is `pausedSince`). */
  readonly pausedMs: number;
  /** Earliest at-risk instant of an unmet target of an open ticket: from then on it needs attention. */
  readonly watchAt: Instant | null;
  /** Start of the pause running now (waiting on the customer), if any. */
  readonly pausedSince: Instant | null;
}

/** Month "YYYY-MM" of an instant in a zone. */
export function monthOf(t: Instant, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM');
}

/** The month `n` months before (negative: after) "YYYY-MM". */
export function monthMinus(month: string, n: number): string {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone: 'utc' }).minus({ months: n }).toFormat('yyyy-MM');
}

function atRiskInstant(engine: SlaEngine, r: TargetResult): Instant | null {
  if (r.metAt !== null || r.due === null) return null;
  const mark = engine.policy.warnings.atRiskFrom;
  const w = r.warnings.find((x) => x.percent >= mark);
  if (w !== undefined) return w.at;
  return r.due;
}

function facts(engine: SlaEngine, t: Ticket, r: TargetResult, open: boolean): TargetFacts {
  const due = r.due;
  const metAt = r.metAt;
  let outcome: Outcome;
  // A met target whose deadline is open (a pause began before its budget ran out) was met in time.
  if (metAt !== null) outcome = due === null || metAt <= due ? 'on-time' : 'late';
  else if (open) outcome = 'pending';
  else {
    const ended = t.resolvedAt ?? t.closedAt ?? t.updatedAt;
    outcome = due !== null && due <= ended ? 'breached' : 'n/a';
  }
  return { outcome, due, metAt, atRiskAt: open ? atRiskInstant(engine, r) : null };
}

/**
 * What a ticket adds to the counters now.
 * @example contribution(engine, p1FiledWed10).response // { outcome: 'pending', due: Wed 11:00 ET, atRiskAt: Wed 10:45 ET, … }
 */
export function contribution(engine: SlaEngine, t: Ticket, result?: SlaResult): Contribution {
  const r = result ?? slaOf(engine, t);
  const open = OPEN_STATUSES.has(t.status);
  const response = facts(engine, t, r.response, open);
  const workaround = facts(engine, t, r.workaround, open);
  const watch = [response.atRiskAt, workaround.atRiskAt].filter((x): x is number => x !== null);
  const pausedMs = t.pauses.reduce((sum, p) => sum + (p.end === undefined ? 0 : p.end - p.start), 0);
  const metAt = r.response.metAt;
  const clockMs =
    metAt === null
      ? null
      : counted(engine.calendar, r.response.basis.clock, t.dispatchedAt, metAt, pauseList(t.pauses));
  return {
    ticketId: t.id,
    tenantId: t.tenantId,
    customerName: t.customerName,
    title: t.title.slice(0, 200),
    owner: t.owner?.name ?? null,
    version: t.version,
    month: monthOf(t.dispatchedAt, engine.policy.timeZone),
    priority: t.priority,
    open,
    response,
    workaround,
    responseMinutes:
      t.responseMetAt === undefined ? null : Math.max(0, (t.responseMetAt - t.dispatchedAt) / 60_000),
    responseClockMinutes: clockMs === null ? null : clockMs / 60_000,
    histLayout: HIST_LAYOUT,
    pausedMs,
    watchAt: open && watch.length > 0 ? Math.min(...watch) : null,
    pausedSince: t.pauses.find((p) => p.end === undefined)?.start ?? null,
  };
}

/**
 * The key a contribution is counted under: the ticket id for round 1 (as before rounds existed), the id and
 * round after ("TM-1042.r2"), so each round of a reopened ticket counts once.
 */
export function countKey(k: Pick<Contribution, 'ticketId' | 'round'>): string {
  return k.round === undefined || k.round <= 1 ? k.ticketId : `${k.ticketId}.r${k.round}`;
}

/**
 * What each round of a ticket adds to the counters now: one contribution for a ticket never reopened. A
 * finished round counts as it was recorded (met stays met), in the month its round began.
 * @example contributions(engine, reopenedOnce).map(countKey) // ['TM-1042', 'TM-1042.r2']
 */
export function contributions(engine: SlaEngine, t: Ticket): Contribution[] {
  const rounds = roundsSla(engine, t);
  if (rounds.length === 1) return [contribution(engine, t)];
  return rounds.map((r) => {
    const view: Ticket = {
      ...t,
      status: r.current ? t.status : 'resolved',
      priority: r.result.priority,
      dispatchedAt: r.start,
      pauses: roundPauses(t, r),
      responseMetAt: r.result.response.metAt ?? undefined,
      resolvedAt: r.resolvedAt ?? undefined,
      closedAt: r.current ? t.closedAt : undefined,
    };
    const k = contribution(engine, view, r.result);
    return r.n === 1 ? k : { ...k, round: r.n };
  });
}

/** Counts of one target in one month and priority. */
export interface TargetCounts {
  onTime: number;
  late: number;
  breached: number;
  pending: number;
  na: number;
}

/**
 * One month × priority counter row. `histV2` counts wall response times by bucket of layout 2 (see bucketOf),
 * `clockHistV2` the same replies on their target's clock; `hist` and `clockHist` hold the replies counted in
 * layout 1 before it, and only shrink now (a ticket counted again leaves them for layout 2). Open pauses are kept as their number and the sum of their
 * starts (whole seconds, exact in a double), so the time they have run by any `now` is one subtraction:
 * `openPauses × now − openPauseStartsS × 1000`. Rows stored before a field existed lack it (read as empty).
 */
export interface Counters {
  /** Rounds counted: one per ticket, and one more per reopen (docs/sla-rules.md, "Reopening"). */
  tickets: number;
  /** Of those, rounds after a reopen (round 2 on); absent in rows counted before it was kept (read as 0). */
  reopens?: number;
  response: TargetCounts;
  workaround: TargetCounts;
  pausedMs: number;
  hist: Record<number, number>;
  clockHist?: Record<number, number>;
  histV2?: Record<number, number>;
  clockHistV2?: Record<number, number>;
  openPauses?: number;
  openPauseStartsS?: number;
}

export function emptyCounters(): Counters {
  const z = (): TargetCounts => ({ onTime: 0, late: 0, breached: 0, pending: 0, na: 0 });
  return {
    tickets: 0,
    response: z(),
    workaround: z(),
    pausedMs: 0,
    hist: {},
    clockHist: {},
    histV2: {},
    clockHistV2: {},
    openPauses: 0,
    openPauseStartsS: 0,
  };
}

/** The start (whole seconds) of the pause an open ticket is in now, if any: closed tickets wait no more. */
function openPauseStartS(k: Contribution): number | null {
  return k.open && k.pausedSince !== null ? Math.floor(k.pausedSince / 1000) : null;
}

/**
 * Milliseconds spent waiting on the customer by `now`: closed pauses, and open ones up to `now` (wall time).
 * @example pausedMsAt({ ...c, pausedMs: 3_600_000, openPauses: 1, openPauseStartsS: (now - 7_200_000) / 1000 }, now) // 10_800_000
 */
export function pausedMsAt(c: Counters, now: Instant): number {
  const open = (c.openPauses ?? 0) * now - (c.openPauseStartsS ?? 0) * 1000;
  return c.pausedMs + Math.max(0, open);
}

function addToHist(
  hist: Record<number, number>,
  minutes: number,
  sign: 1 | -1,
  layout: HistLayout,
): Record<number, number> {
  const b = bucketOf(minutes, layout);
  const n = (hist[b] ?? 0) + sign;
  const next = { ...hist, [b]: n };
  return n === 0 ? Object.fromEntries(Object.entries(next).filter(([key]) => key !== String(b))) : next;
}

const OUTCOME_FIELD: Readonly<Record<Outcome, keyof TargetCounts>> = {
  'on-time': 'onTime',
  late: 'late',
  breached: 'breached',
  pending: 'pending',
  'n/a': 'na',
};

/**
 * Response-time bucket layouts. Layout 1 (rows counted before layout 2 existed, in `hist`/`clockHist`): to
 * the minute up to 2 h, 5 min up to 10 h, 30 min up to 3 days, 6 h up to 30 days, each bucket holding
 * (lower, upper]. Layout 2 (`histV2`/`clockHistV2`): to the minute below 8 h, 5 min below 3 days, 30 min
 * below 30 days, each bucket holding [lower, upper). Both end with one last bucket. A bucket number only ever
 * means what its layout says, so old rows read as they were written. Percentiles are reported as their
 * bucket's LOWER edge: cut to the bucket, never rounded up.
 */
type Layout = readonly (readonly [upTo: number, step: number])[];
export type HistLayout = 1 | 2;
const LAYOUTS: Readonly<Record<HistLayout, Layout>> = {
  1: [
    [120, 1],
    [600, 5],
    [4320, 30],
    [43200, 360],
  ],
  2: [
    [480, 1],
    [4320, 5],
    [43200, 30],
  ],
};
/** The layout new contributions are counted in. */
export const HIST_LAYOUT: HistLayout = 2;

/** The bucket of a duration in minutes (layout 2 unless told). */
export function bucketOf(minutes: number, layout: HistLayout = HIST_LAYOUT): number {
  let index = 0;
  let from = 0;
  for (const [upTo, step] of LAYOUTS[layout]) {
    if (layout === 1 && minutes <= upTo) return index + Math.max(0, Math.ceil((minutes - from) / step) - 1);
    if (layout === 2 && minutes < upTo) return index + Math.max(0, Math.floor((minutes - from) / step));
    index += (upTo - from) / step;
    from = upTo;
  }
  return index;
}

/** The lower edge in minutes of a bucket (layout 2 unless told); the last bucket starts at the last edge. */
export function bucketLower(bucket: number, layout: HistLayout = HIST_LAYOUT): number {
  let index = 0;
  let from = 0;
  for (const [upTo, step] of LAYOUTS[layout]) {
    const n = (upTo - from) / step;
    if (bucket < index + n) return from + (bucket - index) * step;
    index += n;
    from = upTo;
  }
  return from;
}

/** Adds (sign 1) or removes (sign -1) a contribution to the counters of its priority. */
export function applyTo(c: Counters, k: Contribution, sign: 1 | -1): void {
  c.tickets += sign;
  if ((k.round ?? 1) > 1) c.reopens = (c.reopens ?? 0) + sign;
  for (const target of TARGETS) c[target][OUTCOME_FIELD[k[target].outcome]] += sign;
  c.pausedMs += sign * k.pausedMs;
  const since = openPauseStartS(k);
  if (since !== null) {
    c.openPauses = (c.openPauses ?? 0) + sign;
    c.openPauseStartsS = (c.openPauseStartsS ?? 0) + sign * since;
  }
  // A contribution leaves the histogram it was counted in: those stored before layout 2 are in layout 1.
  const layout: HistLayout = k.histLayout ?? 1;
  if (k.responseMinutes !== null) {
    if (layout === 1) c.hist = addToHist(c.hist, k.responseMinutes, sign, 1);
    else c.histV2 = addToHist(c.histV2 ?? {}, k.responseMinutes, sign, 2);
  }
  const onClock = k.responseClockMinutes;
  if (onClock !== undefined && onClock !== null) {
    if (layout === 1) c.clockHist = addToHist(c.clockHist ?? {}, onClock, sign, 1);
    else c.clockHistV2 = addToHist(c.clockHistV2 ?? {}, onClock, sign, 2);
  }
}

/** Sum of several counters. */
export function addCounters(into: Counters, c: Counters): Counters {
  into.tickets += c.tickets;
  into.reopens = (into.reopens ?? 0) + (c.reopens ?? 0);
  for (const target of TARGETS)
    for (const f of ['onTime', 'late', 'breached', 'pending', 'na'] as const) into[target][f] += c[target][f];
  into.pausedMs += c.pausedMs;
  into.openPauses = (into.openPauses ?? 0) + (c.openPauses ?? 0);
  into.openPauseStartsS = (into.openPauseStartsS ?? 0) + (c.openPauseStartsS ?? 0);
  for (const [b, n] of Object.entries(c.hist)) into.hist[Number(b)] = (into.hist[Number(b)] ?? 0) + n;
  const sum = (to: Record<number, number>, from: Readonly<Record<number, number>> | undefined): void => {
    for (const [b, n] of Object.entries(from ?? {})) to[Number(b)] = (to[Number(b)] ?? 0) + n;
  };
  sum((into.clockHist ??= {}), c.clockHist);
  sum((into.histV2 ??= {}), c.histV2);
  sum((into.clockHistV2 ??= {}), c.clockHistV2);
  return into;
}

/**
 * The p-quantile (0..1) of the first replies of some counters, wall time or on the target's clock, as the
 * LOWER edge of the bucket of the nearest rank (cut, never rounded up); null when there were none. Replies
 * counted in layout 1 and layout 2 are ranked together by their buckets' lower edges.
 * @example responseQuantile({ ...c, histV2: { [bucketOf(2.0017)]: 1 } }, 'wall', 0.5) // 2 (120.1 s reads 2 min)
 */
export function responseQuantile(c: Counters, on: 'wall' | 'clock', p: number): number | null {
  const parts: [HistLayout, Readonly<Record<number, number>> | undefined][] =
    on === 'wall'
      ? [
          [1, c.hist],
          [2, c.histV2],
        ]
      : [
          [1, c.clockHist],
          [2, c.clockHistV2],
        ];
  const buckets = parts
    .flatMap(([layout, hist]) =>
      Object.entries(hist ?? {}).map(([b, n]) => [bucketLower(Number(b), layout), n] as const),
    )
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [lower, n] of buckets) {
    seen += n;
    if (seen >= rank) return lower;
  }
  return null;
}

export { PRIORITIES, TARGETS };
export type { TargetName };
