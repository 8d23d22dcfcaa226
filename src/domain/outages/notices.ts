// Which one-time notices the managers' channel is owed at `now`: last month's summary on the first business
// day of the month, and warnings when this month's error budget is half used and when it is spent. Pure.
import type { Calendar, Instant, MonthAvailability } from '../sla';
import { monthBounds } from '../sla';

export type NoticeKind = 'summary' | 'half' | 'spent';

export interface DueNotice {
  /** Unique per notice and month, e.g. "summary|2026-11": the claim marker's key. */
  readonly key: string;
  readonly kind: NoticeKind;
  readonly month: string;
  /** Keys this notice stands for as well (a spent budget also tells that half of it is used). */
  readonly covers: readonly string[];
}

/** A summary missed on its day (every instance down) still goes out for this long, then not at all. */
export const SUMMARY_GRACE_MS = 3 * 24 * 60 * 60_000;

/** The first support-hours opening of the month's first business day. */
export function firstBusinessOpening(calendar: Calendar, month: string, timeZone: string): Instant {
  let day = calendar.dayOf(monthBounds(month, timeZone).start);
  for (let i = 0; i < 40 && !day.business; i++) day = calendar.day(day.n + 1);
  return day.open;
}

/**
 * The notices due now. `current` is this month so far; `previous` the month before, in full.
 * @example dueNotices(calendar, 'America/New_York', Date.parse('2026-12-01T09:00-05:00'), dec, nov)
 *   // [{ key: 'summary|2026-11', kind: 'summary', month: '2026-11', covers: [] }]
 */
export function dueNotices(
  calendar: Calendar,
  timeZone: string,
  now: Instant,
  current: MonthAvailability,
  previous: MonthAvailability,
): DueNotice[] {
  const due: DueNotice[] = [];
  const opening = firstBusinessOpening(calendar, current.month, timeZone);
  if (now >= opening && now < opening + SUMMARY_GRACE_MS)
    due.push({ key: `summary|${previous.month}`, kind: 'summary', month: previous.month, covers: [] });
  const used = current.budgetUsedMinutes;
  const budget = current.budgetMinutes;
  if (used > 0 && used >= budget - 1e-9)
    due.push({
      key: `spent|${current.month}`,
      kind: 'spent',
      month: current.month,
      covers: [`half|${current.month}`],
    });
  else if (used > 0 && used >= budget / 2 - 1e-9)
    due.push({ key: `half|${current.month}`, kind: 'half', month: current.month, covers: [] });
  return due;
}
