// Who is on call at an instant: the weekly rotation, overridden by overrides set from the support channel;
// and how an override's end is written ("Friday 18:00"). Pure: `now` and the zone are parameters.
import { DateTime } from 'luxon';
import type { Instant } from '../sla';
import { onCallAt, type Rotation } from './roster';

export type OnCallRole = 'primary' | 'secondary';

/** "on-call: @name until Friday 18:00": someone takes a role from `from` until `until`. */
export interface Override {
  readonly role: OnCallRole;
  readonly id: string;
  readonly name: string;
  readonly from: Instant;
  readonly until: Instant;
  readonly setBy: string;
  readonly setAt: Instant;
}

export interface Duty {
  readonly id: string;
  /** Where the duty comes from: the rotation, or an override (with its end). */
  readonly source: 'rotation' | 'override';
  readonly until?: Instant | undefined;
  readonly setBy?: string | undefined;
}

export interface OnCallNow {
  readonly primary: Duty | undefined;
  readonly secondary: Duty | undefined;
}

/**
 * The primary and secondary at t: the newest override covering t wins over the rotation.
 * @example onCallWith(rotation, [{ role: 'primary', id: 'carol', from, until, … }], t, 'America/New_York')
 *   // { primary: { id: 'carol', source: 'override', until }, secondary: { id: 'alice', source: 'rotation' } }
 */
export function onCallWith(
  rotation: Rotation | undefined,
  overrides: readonly Override[],
  t: Instant,
  zone: string,
): OnCallNow {
  const base = rotation === undefined ? undefined : onCallAt(rotation, t, zone);
  const pick = (role: OnCallRole): Duty | undefined => {
    const o = overrides
      .filter((x) => x.role === role && x.from <= t && t < x.until)
      .sort((a, b) => b.setAt - a.setAt)[0];
    if (o !== undefined) return { id: o.id, source: 'override', until: o.until, setBy: o.setBy };
    const id = base?.[role];
    return id === undefined ? undefined : { id, source: 'rotation' };
  };
  return { primary: pick('primary'), secondary: pick('secondary') };
}

const WEEKDAYS: Readonly<Record<string, number>> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};

/** Longest override accepted. */
export const MAX_OVERRIDE_DAYS = 31;

export type ParsedTime =
  { readonly ok: true; readonly at: Instant } | { readonly ok: false; readonly error: string };

const HINT = 'Write it like "Friday 18:00", "tomorrow 09:00", "18:00" or "2026-11-27 18:00"';

/**
 * The instant a local time names, after `now`, in the policy's zone: "Friday 18:00" is the next Friday
 * (today if it is Friday and 18:00 is still ahead), "18:00" today or tomorrow, "tomorrow 9:00", "2026-11-27 18:00".
 * @example parseUntil('Friday 18:00', Date.parse('2026-11-25T10:00-05:00'), 'America/New_York', 'ET')
 *   // { ok: true, at: Date.parse('2026-11-27T18:00-05:00') }
 */
export function parseUntil(text: string, now: Instant, zone: string, zoneLabel: string): ParsedTime {
  const clean = text
    .trim()
    .replace(/[.!]+$/, '')
    .replace(new RegExp(`\\s+${zoneLabel.replace(/[^A-Za-z]/g, '')}$`, 'i'), '')
    .trim();
  const m =
    /^(?:(?<date>\d{4}-\d{2}-\d{2})|(?<word>today|tomorrow|[a-z]+))?\s*(?:at\s+)?(?<h>\d{1,2})(?::(?<min>\d{2}))?\s*(?<ampm>am|pm)?$/i.exec(
      clean,
    );
  if (m?.groups === undefined)
    return { ok: false, error: `I could not read "${text.slice(0, 60)}" as a time. ${HINT}.` };
  const g = m.groups;
  let hour = Number(g['h']);
  const minute = g['min'] === undefined ? 0 : Number(g['min']);
  const ampm = g['ampm']?.toLowerCase();
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12)
      return { ok: false, error: `${hour} is not an hour on a 12-hour clock. ${HINT}.` };
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  } else if (g['min'] === undefined) {
    return { ok: false, error: `Give the time with minutes, like 18:00. ${HINT}.` };
  }
  if (hour > 23 || minute > 59)
    return { ok: false, error: `${g['h']}:${g['min'] ?? '00'} is not a time of day. ${HINT}.` };
  const local = DateTime.fromMillis(now, { zone });
  let day: DateTime;
  const word = g['word']?.toLowerCase();
  if (g['date'] !== undefined) {
    const d = DateTime.fromISO(g['date'], { zone, setZone: true });
    if (!d.isValid) return { ok: false, error: `${g['date']} is not a date. ${HINT}.` };
    day = d;
  } else if (word === undefined || word === 'today') {
    day = local.startOf('day');
  } else if (word === 'tomorrow') {
    day = local.startOf('day').plus({ days: 1 });
  } else {
    const weekday = WEEKDAYS[word];
    if (weekday === undefined)
      return { ok: false, error: `I do not know the day "${g['word'] ?? ''}". ${HINT}.` };
    day = local.startOf('day').plus({ days: (weekday - local.weekday + 7) % 7 });
  }
  let at = day.set({ hour, minute, second: 0, millisecond: 0 });
  if (at.hour !== hour || at.minute !== minute)
    return {
      ok: false,
      error: `${at.toISODate() ?? ''} ${hour}:${String(minute).padStart(2, '0')} does not exist in ${zone} (the clocks change).`,
    };
  // A bare time or weekday already past today means the next one.
  if (at.toMillis() <= now && g['date'] === undefined && word !== 'today' && word !== 'tomorrow')
    at = at.plus({ days: word === undefined ? 1 : 7 });
  if (at.toMillis() <= now) return { ok: false, error: 'That time has already passed.' };
  if (at.toMillis() - now > MAX_OVERRIDE_DAYS * 86_400_000)
    return { ok: false, error: `An override may last at most ${MAX_OVERRIDE_DAYS} days.` };
  return { ok: true, at: at.toMillis() };
}
