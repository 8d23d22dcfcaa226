// Instants as people read them in cards: "Monday 12:00 ET", "today 16:30", with the viewer's zone beside.
import { DateTime, IANAZone } from 'luxon';
import type { Instant } from '../sla';

/**
 * A short day-and-time in a zone, relative to `now` for the next week.
 * @example when(Date.parse('2026-11-30T17:00:00Z'), 'America/New_York', Date.parse('2026-11-28T15:00:00Z')) // 'Monday 12:00'
 */
export function when(t: Instant, zone: string, now: Instant): string {
  const at = DateTime.fromMillis(t, { zone });
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  const days = Math.round(at.startOf('day').diff(today, 'days').days);
  const time = at.toFormat('HH:mm');
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days === -1) return `yesterday ${time}`;
  if (days > 1 && days < 7) return `${at.toFormat('cccc')} ${time}`;
  return `${at.toFormat('ccc d LLL')}${at.year === today.year ? '' : ` ${at.year}`} ${time}`;
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
