// The support calendar in the policy's zone: business days, support hours, holidays.
// Pure. Per-day boundaries are computed once with luxon, a year at a time, into dense typed arrays, so
// hot paths are array reads: no DateTime, no Map, no allocation.
import { DateTime } from 'luxon';
import { DAY_MS, type Instant } from './types';

/** One local civil day, as absolute instants (a view for callers; hot paths read the arrays). */
export interface Day {
  /** Local day number: days since 1970-01-01 in the calendar's zone. */
  readonly n: number;
  /** Local 00:00 (inclusive). */
  readonly start: Instant;
  /** Next local 00:00 (exclusive); 23 or 25 hours after `start` on DST days. */
  readonly end: Instant;
  /** Support hours open/close; both equal `start` when the day has no support hours. */
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

/** Days covered by the arrays: 1970-01-01 to 2169-12-31. Instants outside are a RangeError. */
const FIRST_DAY = civilToDays(1970, 1, 1);
const SPAN = civilToDays(2170, 1, 1) - FIRST_DAY;
const CHUNK = 366;

/**
 * A calendar bound to one zone, support hours and holiday list.
 * @example new Calendar({ timeZone: 'America/New_York', businessDays: [1,2,3,4,5],
 *   supportHours: { open: '04:00', close: '22:00' }, holidays: [] })
 *   .inSupportHours(Date.parse('2026-11-25T15:00:00Z')) // true: Wednesday 10:00 ET
 */
export class Calendar {
  readonly timeZone: string;
  private readonly businessWeekdays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<number>;
  private readonly openAt: { hour: number; minute: number };
  private readonly closeAt: { hour: number; minute: number };
  /** Per day index i (day number FIRST_DAY + i): local midnight, opening, closing; NaN until filled. */
  readonly starts = new Float64Array(SPAN + 1).fill(NaN);
  readonly opens = new Float64Array(SPAN).fill(NaN);
  readonly closes = new Float64Array(SPAN).fill(NaN);
  /** 1 for a business day. */
  readonly business = new Uint8Array(SPAN);
  private readonly filled = new Uint8Array(Math.ceil(SPAN / CHUNK) + 1);

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

  /** The first instant of local day n: the earlier one where midnight happens twice, the first after a skipped one. */
  private midnight(n: number): Instant {
    const { year, month, day } = daysToCivil(n);
    const dt = DateTime.fromObject({ year, month, day }, { zone: this.timeZone });
    const candidates = dt.getPossibleOffsets();
    if (candidates.length > 1) return Math.min(...candidates.map((c) => c.toMillis()));
    return dt.startOf('day').toMillis();
  }

  private local(n: number, hour: number, minute: number): Instant {
    if (hour === 24) return this.midnight(n + 1);
    const { year, month, day } = daysToCivil(n);
    return DateTime.fromObject({ year, month, day, hour, minute }, { zone: this.timeZone }).toMillis();
  }

  /** Computes a year of days with luxon, once. */
  private fill(chunk: number): void {
    const from = chunk * CHUNK;
    const to = Math.min(SPAN, from + CHUNK);
    for (let i = from; i <= to; i++) {
      if (Number.isNaN(this.starts[i] ?? NaN)) this.starts[i] = this.midnight(FIRST_DAY + i);
    }
    for (let i = from; i < to; i++) {
      const n = FIRST_DAY + i;
      const weekday = ((((n + 3) % 7) + 7) % 7) + 1;
      const business = this.businessWeekdays.has(weekday) && !this.holidays.has(n);
      const start = this.starts[i] ?? 0;
      const end = this.starts[i + 1] ?? 0;
      this.business[i] = business ? 1 : 0;
      if (business) {
        const open = Math.max(start, this.local(n, this.openAt.hour, this.openAt.minute));
        const close = Math.min(end, this.local(n, this.closeAt.hour, this.closeAt.minute));
        this.opens[i] = open;
        this.closes[i] = Math.max(open, close);
      } else {
        this.opens[i] = start;
        this.closes[i] = start;
      }
    }
    this.filled[chunk] = 1;
  }

  /** Makes sure day index i (and the next day's midnight) are filled; returns i. */
  ready(i: number): number {
    if (i < 0 || i >= SPAN) throw new RangeError('instant outside the years 1970-2169');
    const chunk = Math.floor(i / CHUNK);
    if (this.filled[chunk] !== 1) this.fill(chunk);
    if (i + 1 < SPAN && (i + 1) % CHUNK === 0 && this.filled[chunk + 1] !== 1) this.fill(chunk + 1);
    return i;
  }

  private lastT = NaN;
  private lastI = 0;

  /** The index of the local day that contains instant t (the last answer is kept: one ticket asks several times). */
  indexOf(t: Instant): number {
    if (t === this.lastT) return this.lastI;
    if (!Number.isFinite(t)) throw new RangeError('instant is not a finite number');
    let i = this.ready(Math.floor(t / DAY_MS) - FIRST_DAY);
    while (t < (this.starts[i] ?? 0)) i = this.ready(i - 1);
    while (t >= (this.starts[i + 1] ?? Infinity)) i = this.ready(i + 1);
    this.lastT = t;
    this.lastI = i;
    return i;
  }

  /** The day record of local day number n. */
  day(n: number): Day {
    const i = this.ready(n - FIRST_DAY);
    return {
      n,
      start: this.starts[i] ?? NaN,
      end: this.starts[i + 1] ?? NaN,
      open: this.opens[i] ?? NaN,
      close: this.closes[i] ?? NaN,
      business: this.business[i] === 1,
      weekday: ((((n + 3) % 7) + 7) % 7) + 1,
    };
  }

  /** The local day that contains instant t. */
  dayOf(t: Instant): Day {
    return this.day(FIRST_DAY + this.indexOf(t));
  }

  /** True when t is inside support hours (a business day, open <= t < close). */
  inSupportHours(t: Instant): boolean {
    const i = this.indexOf(t);
    return this.business[i] === 1 && t >= (this.opens[i] ?? 0) && t < (this.closes[i] ?? 0);
  }

  /** The first instant at or after t that is inside support hours. */
  nextOpening(t: Instant): Instant {
    let i = this.indexOf(t);
    for (let k = 0; k < 3700; k++) {
      const open = this.opens[i] ?? 0;
      const close = this.closes[i] ?? 0;
      if (this.business[i] === 1 && close > open && t < close) return Math.max(t, open);
      i = this.ready(i + 1);
    }
    throw new RangeError('the calendar has no support hours in the next ten years');
  }
}
