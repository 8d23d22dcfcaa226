// The backlog trend: tickets filed and resolved per week, and the tickets open at each week's end. Weeks
// start Monday 00:00 in the support zone (the policy's), never the machine's. Pure.
import { DateTime } from 'luxon';
import type { Instant } from '../sla';
import type { Ticket } from '../tickets/model';

export interface WeekTrend {
  /** Monday 00:00 in the support zone. */
  readonly start: Instant;
  /** The next Monday 00:00; the current week ends at `now` (see `partial`). */
  readonly end: Instant;
  /** Tickets filed in the week. */
  readonly created: number;
  /** Tickets resolved in the week (a reopened ticket counts at its latest resolution, if any). */
  readonly resolved: number;
  /** Tickets filed before the week's end (or now) and not resolved by then. */
  readonly backlog: number;
  /** The current week: counted up to now. */
  readonly partial: boolean;
}

/** The first instant of the week `weeks` back from the one holding `now`, in `zone`. */
export function trendStart(now: Instant, zone: string, weeks: number): Instant {
  return DateTime.fromMillis(now, { zone })
    .startOf('week')
    .minus({ weeks: weeks - 1 })
    .toMillis();
}

/**
 * The last `weeks` weeks, oldest first, the current one last. `tickets` must hold every ticket filed since
 * trendStart and every ticket open now (older ones resolved in the span are not seen).
 * @example weeklyTrend(tickets, 'America/New_York', now, 12).at(-1)
 *   // { start: Mon 30 Nov 00:00 ET, end: Mon 7 Dec 00:00 ET, created: 3, resolved: 1, backlog: 9, partial: true }
 */
export function weeklyTrend(
  tickets: readonly Ticket[],
  zone: string,
  now: Instant,
  weeks: number,
): WeekTrend[] {
  const first = DateTime.fromMillis(trendStart(now, zone, weeks), { zone });
  const out: WeekTrend[] = [];
  for (let i = 0; i < weeks; i++) {
    const start = first.plus({ weeks: i }).toMillis();
    const nextWeek = first.plus({ weeks: i + 1 }).toMillis();
    const end = Math.min(nextWeek, now);
    const within = (t: Instant | undefined): boolean => t !== undefined && t >= start && t < end;
    let created = 0;
    let resolved = 0;
    let backlog = 0;
    for (const t of tickets) {
      if (within(t.createdAt)) created++;
      if (within(t.resolvedAt)) resolved++;
      if (t.createdAt < end && (t.resolvedAt === undefined || t.resolvedAt >= end)) backlog++;
    }
    out.push({ start, end: nextWeek, created, resolved, backlog, partial: now < nextWeek });
  }
  return out;
}
