// Local dates and times typed into cards (in the policy's zone) to instants and back, and month names.
// Pure: the zone is a parameter; never the machine's.
import { DateTime } from 'luxon';
import type { Instant } from '../sla';
import { fail, invalidInput, ok, type Result } from '../tickets/errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::\d{2})?$/;

/**
 * The instant of a wall date and time in `zone`. Refuses malformed text, impossible dates, and times the
 * zone skips (the hour clocks go forward); an hour that happens twice means its first occurrence.
 * @example localInstant('2026-11-10', '12:00', 'America/New_York', 'start') // ok(Date.parse('2026-11-10T17:00Z'))
 */
export function localInstant(date: string, time: string, zone: string, field: string): Result<Instant> {
  const d = DATE.exec(date.trim());
  const t = TIME.exec(time.trim());
  const label = field === 'start' ? 'The start' : 'The end';
  if (d === null) return fail(invalidInput(`${label} date must look like 2026-11-10.`, field));
  if (t === null) return fail(invalidInput(`${label} time must look like 14:05.`, field));
  const parts = {
    year: Number(d[1]),
    month: Number(d[2]),
    day: Number(d[3]),
    hour: Number(t[1]),
    minute: Number(t[2]),
  };
  let dt: DateTime;
  try {
    dt = DateTime.fromObject(parts, { zone });
  } catch {
    return fail(invalidInput(`${label} is not a real date and time.`, field));
  }
  if (!dt.isValid) return fail(invalidInput(`${label} is not a real date and time.`, field));
  if (dt.hour !== parts.hour || dt.minute !== parts.minute || dt.day !== parts.day)
    return fail(invalidInput(`${label} falls in the hour the clocks skip in ${zone}.`, field));
  return ok(dt.toMillis());
}

/** "2026-11-10" and "12:00" of an instant in `zone`, as date and time inputs want them. */
export function localParts(t: Instant, zone: string): { date: string; time: string } {
  const dt = DateTime.fromMillis(t, { zone });
  return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm') };
}

/** The month ("2026-11") that contains `t` in `zone`. */
export function monthOf(t: Instant, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM');
}

/** The month before "2026-11": "2026-10". */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Checks a month given by a person or a URL; null when it is not "YYYY-MM". */
export function parseMonth(text: unknown): string | null {
  return typeof text === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? text : null;
}
