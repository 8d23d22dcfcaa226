// Instants as people read them in cards: "Monday 12:00 ET", "today 16:30", with the viewer's zone beside.
import { IANAZone } from 'luxon';
import { civilToDays } from '../sla/calendar';
import type { Instant } from '../sla';

interface Local {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: string;
  readonly weekdayShort: string;
  readonly monthShort: string;
  readonly time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Readonly<Record<string, string>> = {
  Mon: 'Monday',
  Tue: 'Tuesday',
  Wed: 'Wednesday',
  Thu: 'Thursday',
  Fri: 'Friday',
  Sat: 'Saturday',
  Sun: 'Sunday',
};

/** Formatted minutes: deadlines and "now" repeat across cards, and Intl formatting is the costly part. */
const minutes = new Map<string, Local>();
const MINUTES_KEPT = 10_000;

/** Local calendar fields of an instant (to the minute), from one cached Intl formatter per zone. */
function local(t: Instant, zone: string): Local {
  const minute = Math.floor(t / 60_000) * 60_000;
  const key = `${zone}|${minute}`;
  const known = minutes.get(key);
  if (known !== undefined) return known;
  const fields = format(minute, zone);
  if (minutes.size >= MINUTES_KEPT) minutes.clear();
  minutes.set(key, fields);
  return fields;
}

function format(t: Instant, zone: string): Local {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    if (formatters.size < 200) formatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(t)) parts[p.type] = p.value;
  const monthShort = parts['month'] ?? '';
  const weekdayShort = parts['weekday'] ?? '';
  return {
    year: Number(parts['year']),
    month: MONTHS.indexOf(monthShort) + 1,
    day: Number(parts['day']),
    weekday: WEEKDAYS[weekdayShort] ?? weekdayShort,
    weekdayShort,
    monthShort,
    time: `${parts['hour'] ?? '00'}:${parts['minute'] ?? '00'}`,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A short day-and-time in a zone, relative to `now` for the next week.
 * @example when(Date.parse('2026-11-30T17:00:00Z'), 'America/New_York', Date.parse('2026-11-28T15:00:00Z')) // 'Monday 12:00'
 */
export function when(t: Instant, zone: string, now: Instant): string {
  const at = local(t, zone);
  const today = local(now, zone);
  const days = civilToDays(at.year, at.month, at.day) - civilToDays(today.year, today.month, today.day);
  if (days === 0) return `today ${at.time}`;
  if (days === 1) return `tomorrow ${at.time}`;
  if (days === -1) return `yesterday ${at.time}`;
  if (days > 1 && days < 7) return `${at.weekday} ${at.time}`;
  return `${at.weekdayShort} ${at.day} ${at.monthShort}${at.year === today.year ? '' : ` ${at.year}`} ${at.time}`;
}

const zones = new Map<string, boolean>();

/** A zone the Teams client reported, if it is a real IANA zone (answers cached: checking builds an Intl formatter). */
export function validZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone.length >= 64) return undefined;
  let valid = zones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zones.size < 1000) zones.set(zone, valid);
  }
  return valid ? zone : undefined;
}

/** "12:00 ET" with "(17:00 your time)" when the viewer's zone shows a different wall time. */
export function whenBoth(
  t: Instant,
  policyZone: string,
  label: string,
  viewerZone: string | undefined,
  now: Instant,
): string {
  const ours = when(t, policyZone, now);
  if (viewerZone === undefined || viewerZone === policyZone) return `${ours} ${label}`;
  const theirs = when(t, viewerZone, now);
  return theirs === ours ? `${ours} ${label}` : `${ours} ${label} (${theirs} your time)`;
}

/**
 * A duration as "2 h 05 min", "3 d 4 h", "45 min".
 * @example duration(7_500_000) // '2 h 05 min'
 */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * An absolute day and time in a zone, for text that is kept and read later (timelines): never "today".
 * @example stamp(Date.parse('2026-12-05T07:15:00Z'), 'America/New_York') // 'Sat 5 Dec 2026 02:15'
 */
export function stamp(t: Instant, zone: string): string {
  const at = local(t, zone);
  return `${at.weekdayShort} ${at.day} ${at.monthShort} ${at.year} ${at.time}`;
}
