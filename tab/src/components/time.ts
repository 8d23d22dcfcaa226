// Times for people: the viewer's zone first, the support zone beside it; durations in words.

const formatters = new Map<string, Intl.DateTimeFormat>();
const years = new Map<string, Intl.DateTimeFormat>();

type Shape = 'time' | 'date' | 'year';

function formatter(zone: string | undefined, shape: Shape): Intl.DateTimeFormat {
  const key = `${zone ?? ''}|${shape}`;
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      ...(zone === undefined ? {} : { timeZone: zone }),
      ...(shape === 'time' ? {} : { weekday: 'short', day: 'numeric', month: 'short' }),
      ...(shape === 'year' ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/** The viewer's own IANA zone. */
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The year an instant falls in, in a zone (the viewer's when absent). */
export function yearIn(t: number, zone?: string): string {
  let f = years.get(zone ?? '');
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      ...(zone === undefined ? {} : { timeZone: zone }),
      year: 'numeric',
    });
    years.set(zone ?? '', f);
  }
  return f.format(t);
}

/**
 * "Wed 25 Nov, 16:30" in a zone (the viewer's when absent); with the year when t is not in the year of `now`
 * there ("Tue 5 Jan 2027, 15:38"). `now`: the server's instant where the page has it (Me.now), else the clock.
 * @example dateTime(Date.parse('2027-01-05T20:38Z'), 'Europe/London', Date.parse('2026-12-06T12:00Z')) // 'Tue 5 Jan 2027, 20:38'
 */
export function dateTime(t: number, zone?: string, now: number = Date.now()): string {
  if (yearIn(t, zone) === yearIn(now, zone)) return formatter(zone, 'date').format(t);
  // Built from parts: en-GB puts a comma after the weekday once a year is asked for ("Tue, 5 Jan 2027").
  const parts = formatter(zone, 'year').formatToParts(t);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}`;
}

/** "16:30" in a zone. */
export function clockTime(t: number, zone?: string): string {
  return formatter(zone, 'time').format(t);
}

/** True when both zones show the same wall time at t. */
export function sameWall(t: number, zone: string): boolean {
  return formatter(undefined, 'year').format(t) === formatter(zone, 'year').format(t);
}

// Durations: one rule with the reports ("36 h 59 min", cut, never rounded up).
export { duration, minutesText } from '../../../src/domain/reports/duration';

export function percent(share: number | null, digits = 1): string {
  return share === null ? '—' : `${(share * 100).toFixed(digits)} %`;
}

/** The month ("2026-11") an instant falls in, in a zone (the support zone for reports and dashboards). */
export function monthIn(t: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(t);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

/**
 * A count with its noun, singular for one: "1 ticket", "3 tickets", "0 targets".
 * @example plural(1, 'ticket') // '1 ticket'
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A month "2026-12" as every picker and heading of the tab names it: "December 2026".
 * @example monthLabel('2026-12') // 'December 2026'
 */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (y === undefined || m === undefined || !Number.isInteger(y) || !Number.isInteger(m)) return month;
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
