// The support calendar in the policy's zone: business days, support hours, holidays.
// Pure; per-day boundaries are computed once with luxon and cached, so hot paths do array-free arithmetic.
import { DateTime } from 'luxon';
import { DAY_MS, type Instant } from './types';

/** One local civil day, as absolute instants. */
export interface Day {
  /** Local day number: days since 1970-01-01 in the calendar's zone. */
  readonly n: number;
  /** Local 00:00 (inclusive). */
  readonly start: Instant;
  /** Next local 00:00 (exclusive); 23 or 25 hours after `start` on DST days. */
  readonly end: Instant;
  /** Support hours open/close; equal to `start` when the day has no support hours. */
  readonly open: Instant;
  readonly close: Instant;
  /** A business day: a business weekday that is not a holiday. */
  readonly business: boolean;
  /** ISO weekday, 1 = Monday. */
  readonly weekday: number;
}

export interface CalendarSpec {
  readonly timeZone: string;
  readonly businessDays: readonly number[];
  readonly supportHours: { readonly open: string; readonly close: string };
  readonly holidays: readonly string[];
}

/** Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
export function civilToDays(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number. */
export function daysToCivil(n: number): { year: number; month: number; day: number } {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

function parseHhmm(value: string): { hour: number; minute: number } {
  const [h, m] = value.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/**
 * A calendar bound to one zone, support hours and holiday list.
 * @example new Calendar(DEFAULT_POLICY.calendar-with-zone).inSupportHours(Date.parse('2026-11-25T15:00:00Z')) // true (Wed 10:00 ET)
 */
export class Calendar {
  readonly timeZone: string;
  private readonly businessWeekdays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<number>;
  private readonly openAt: { hour: number; minute: number };
  private readonly closeAt: { hour: number; minute: number };
  private readonly starts = new Map<number, Instant>();
  private readonly days = new Map<number, Day>();

  constructor(spec: CalendarSpec) {
    this.timeZone = spec.timeZone;
    this.businessWeekdays = new Set(spec.businessDays);
    this.holidays = new Set(
      spec.holidays.map((iso) =>
        civilToDays(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))),
      ),
    );
    this.openAt = parseHhmm(spec.supportHours.open);
    this.closeAt = parseHhmm(spec.supportHours.close);
  }

  private localInstant(n: number, hour: number, minute: number): Instant {
    const { year, month, day } = daysToCivil(n);
    if (hour === 24) return this.dayStart(n + 1);
    return DateTime.fromObject({ year, month, day, hour, minute }, { zone: this.timeZone }).toMillis();
  }

  /** Local 00:00 of day n (the first instant of that date, should midnight not exist). */
  dayStart(n: number): Instant {
    let s = this.starts.get(n);
    if (s === undefined) {
      const { year, month, day } = daysToCivil(n);
      s = DateTime.fromObject({ year, month, day }, { zone: this.timeZone }).startOf('day').toMillis();
      this.starts.set(n, s);
    }
    return s;
  }

  /** The day record of local day number n. */
  day(n: number): Day {
    let d = this.days.get(n);
    if (d === undefined) {
      const weekday = ((((n + 3) % 7) + 7) % 7) + 1;
      const business = this.businessWeekdays.has(weekday) && !this.holidays.has(n);
      const start = this.dayStart(n);
      const end = this.dayStart(n + 1);
      const open = business
        ? Math.max(start, this.localInstant(n, this.openAt.hour, this.openAt.minute))
        : start;
      const close = business
        ? Math.min(end, this.localInstant(n, this.closeAt.hour, this.closeAt.minute))
        : start;
      d = { n, start, end, open, close: Math.max(open, close), business, weekday };
      this.days.set(n, d);
    }
    return d;
  }

  /** The local day that contains instant t. */
  dayOf(t: Instant): Day {
    let n = Math.floor(t / DAY_MS);
    let d = this.day(n);
    while (t < d.start) d = this.day(--n);
    while (t >= d.end) d = this.day(++n);
    return d;
  }

  /** True when t is inside support hours (a business day, open <= t < close). */
  inSupportHours(t: Instant): boolean {
    const d = this.dayOf(t);
    return d.business && t >= d.open && t < d.close;
  }

  /** The first instant at or after t that is inside support hours. */
  nextOpening(t: Instant): Instant {
    let d = this.dayOf(t);
    for (let i = 0; i < 3700; i++) {
      if (d.business && d.close > d.open && t < d.close) return Math.max(t, d.open);
      d = this.day(d.n + 1);
    }
    throw new RangeError('the calendar has no support hours in the next ten years');
  }
}
