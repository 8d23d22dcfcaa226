// Instants as ISO 8601 text in the policy's zone, and strict parsing of ISO input that names its offset. Pure.
import { DateTime } from 'luxon';
import type { Instant } from './types';

/**
 * ISO 8601 with milliseconds and the zone's offset.
 * @example isoInZone(Date.parse('2026-11-30T10:10:00Z'), 'America/New_York') // '2026-11-30T05:10:00.000-05:00'
 */
export function isoInZone(t: Instant, timeZone: string): string {
  const iso = DateTime.fromMillis(t, { zone: timeZone }).toISO();
  if (iso === null) throw new RangeError(`instant ${t} cannot be shown in ${timeZone}`);
  return iso;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO 8601 date-time that carries an offset or Z; anything else is a RangeError saying why.
 * @example parseInstant('2026-11-27T23:10:00-05:00') // 1764303000000
 */
export function parseInstant(text: string, what = 'time'): Instant {
  if (!WITH_OFFSET.test(text)) {
    throw new RangeError(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)
        ? `${what} "${text}" has no UTC offset; write it like 2026-11-27T23:10:00-05:00`
        : `${what} "${text}" is not an ISO 8601 date-time like 2026-11-27T23:10:00-05:00`,
    );
  }
  let dt: DateTime;
  try {
    dt = DateTime.fromISO(text, { setZone: true });
  } catch {
    throw new RangeError(`${what} "${text}" is not a valid date-time`);
  }
  if (!dt.isValid)
    throw new RangeError(`${what} "${text}" is not a valid date-time (${dt.invalidReason ?? 'invalid'})`);
  return dt.toMillis();
}

/** Checks a local date "YYYY-MM-DD" (a holiday). */
export function parseLocalDate(text: string, what = 'date'): string {
  let valid = /^\d{4}-\d{2}-\d{2}$/.test(text);
  try {
    valid = valid && DateTime.fromISO(text, { zone: 'utc' }).isValid;
  } catch {
    valid = false;
  }
  if (!valid) throw new RangeError(`${what} "${text}" is not a date like 2026-11-26`);
  return text;
}
