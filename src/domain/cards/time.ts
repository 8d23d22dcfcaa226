// Instants as people read them in cards: "Monday 12:00 ET", "today 16:30", with the viewer's zone beside.
import { isZoneName } from '../kit/zone';
import { civilToDays } from '../sla/calendar';
import type { Policy } from '../policy/schema';
import type { Clock as SlaClock, Instant } from '../sla';

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

/** The day of an instant in words relative to `now`: "today", "tomorrow", "Monday", "Fri 11 Dec". */
function dayOf(at: Local, today: Local): string {
  const days = civilToDays(at.year, at.month, at.day) - civilToDays(today.year, today.month, today.day);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  if (days > 1 && days < 7) return at.weekday;
  return `${at.weekdayShort} ${at.day} ${at.monthShort}${at.year === today.year ? '' : ` ${at.year}`}`;
}

/**
 * A short day-and-time in a zone, relative to `now` for the next week.
 * @example when(Date.parse('2026-11-30T17:00:00Z'), 'America/New_York', Date.parse('2026-11-28T15:00:00Z')) // 'Monday 12:00'
 */
export function when(t: Instant, zone: string, now: Instant): string {
  const at = local(t, zone);
  return `${dayOf(at, local(now, zone))} ${at.time}`;
}

/**
 * A deadline in a zone: like `when`, but one at local 00:00 reads as the end of the day before.
 * @example deadline(Date.parse('2026-12-12T05:00:00Z'), 'America/New_York', Date.parse('2026-11-28T15:00:00Z')) // 'end of Fri 11 Dec'
 */
export function deadline(t: Instant, zone: string, now: Instant): string {
  if (local(t, zone).time !== '00:00') return when(t, zone, now);
  return `end of ${dayOf(local(t - 60_000, zone), local(now, zone))}`;
}

/** What a staff or channel card is drawn from: the policy, and the instant its times are read against. */
export interface ViewBase {
  readonly policy: Policy;
  readonly now: Instant;
}

/** Where a card's times are read: the policy's zone and its short label ("ET"). */
export type Zoned = Readonly<{ timeZone: string; timeZoneLabel: string }>;

/**
 * `when` in the policy's zone, with its label.
 * @example zoned(policy, t, now) // 'Monday 12:00 ET'
 */
export function zoned(policy: Zoned, t: Instant, now: Instant): string {
  return `${when(t, policy.timeZone, now)} ${policy.timeZoneLabel}`;
}

const zones = new Map<string, boolean>();

/** A zone the Teams client reported, if it is a real IANA zone (answers cached: checking builds an Intl formatter). */
export function validZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone.length >= 64) return undefined;
  let valid = zones.get(zone);
  if (valid === undefined) {
    valid = isZoneName(zone);
    if (zones.size < 1000) zones.set(zone, valid);
  }
  return valid ? zone : undefined;
}

/**
 * "12:00 ET" with "(17:00 your time)" when the viewer's zone shows a different wall time. `due`: the instant
 * is a deadline, so local midnight reads "end of <the day before>" (see `deadline`).
 */
export function whenBoth(
  t: Instant,
  policyZone: string,
  label: string,
  viewerZone: string | undefined,
  now: Instant,
  due = false,
): string {
  const show = due ? deadline : when;
  const ours = show(t, policyZone, now);
  if (viewerZone === undefined || viewerZone === policyZone) return `${ours} ${label}`;
  const theirs = show(t, viewerZone, now);
  return theirs === ours ? `${ours} ${label}` : `${ours} ${label} (${theirs} your time)`;
}

/**
 * A duration as "2 h 5 min", "3 d 4 h", "45 min": the one format of every card and bot text.
 * @example duration(7_500_000) // '2 h 5 min'
 */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return hours % 24 === 0 ? `${hours / 24} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * Budget left on a target's clock, named for the clock: a continuous clock is plain time.
 * @example budgetLeft(7_200_000, 'support-hours') // '2 h of support-hours time'
 */
export function budgetLeft(ms: number, clock: SlaClock): string {
  if (clock === 'support-hours') return `${duration(ms)} of support-hours time`;
  if (clock === 'business-days') return `${duration(ms)} of business-day time`;
  return duration(ms);
}

/**
 * An absolute day and time in a zone, for text that is kept and read later (timelines): never "today".
 * @example stamp(Date.parse('2026-12-05T07:15:00Z'), 'America/New_York') // 'Sat 5 Dec 2026 02:15'
 */
export function stamp(t: Instant, zone: string): string {
  const at = local(t, zone);
  return `${at.weekdayShort} ${at.day} ${at.monthShort} ${at.year} ${at.time}`;
}

/**
 * A day and time in a zone as the tab shows them ("Sun 6 Dec, 05:51"), for a moment that stays put (a target met).
 * @example dayTime(Date.parse('2026-12-06T10:51:00Z'), 'America/New_York') // 'Sun 6 Dec, 05:51'
 */
export function dayTime(t: Instant, zone: string): string {
  const at = local(t, zone);
  return `${at.weekdayShort} ${at.day} ${at.monthShort}, ${at.time}`;
}
