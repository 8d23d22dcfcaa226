// Times for people: the viewer's zone first, the support zone beside it; durations in words.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string | undefined, withDate: boolean): Intl.DateTimeFormat {
  const key = `${zone ?? ''}|${String(withDate)}`;
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      ...(zone === undefined ? {} : { timeZone: zone }),
      ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
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

/** "Wed 25 Nov, 16:30" in a zone (the viewer's when absent). */
export function dateTime(t: number, zone?: string): string {
  return formatter(zone, true).format(t);
}

/** "16:30" in a zone. */
export function clockTime(t: number, zone?: string): string {
  return formatter(zone, false).format(t);
}

/** True when both zones show the same wall time at t. */
export function sameWall(t: number, zone: string): boolean {
  return dateTime(t) === dateTime(t, zone);
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
