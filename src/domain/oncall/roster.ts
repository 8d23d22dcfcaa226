// Who is on call: a weekly rotation of primary and secondary in the policy's zone. Pure.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Instant } from '../sla';

export interface OnCall {
  readonly primary: string;
  /** Absent in a week nobody backs the primary up (the chain's secondary step then raises the alarm). */
  readonly secondary?: string | undefined;
}

export interface Rotation {
  /** The local date on which the first week of `weeks` starts (its handover day). */
  readonly start: string;
  /** Local time of the weekly handover, "HH:MM". */
  readonly handover: string;
  /** Entra object ids, one pair per week, repeating. */
  readonly weeks: readonly OnCall[];
}

export const rotationSchema = z
  .object({
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'start must be a date "YYYY-MM-DD"'),
    handover: z
      .string()
      .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'handover must be "HH:MM"')
      .default('09:00'),
    weeks: z
      .array(
        z
          .object({ primary: z.string().min(1).max(128), secondary: z.string().min(1).max(128).optional() })
          .strict(),
      )
      .min(1, 'weeks must list at least one week'),
  })
  .strict();

/**
 * The pair on call at instant t.
 * @example onCallAt({ start: '2026-11-23', handover: '09:00', weeks: [{ primary: 'a', secondary: 'b' }, { primary: 'b', secondary: 'a' }] },
 *   Date.parse('2026-12-01T10:00:00-05:00'), 'America/New_York') // { primary: 'b', secondary: 'a' } (second week)
 */
export function onCallAt(rotation: Rotation, t: Instant, zone: string): OnCall {
  const [hour, minute] = rotation.handover.split(':').map(Number);
  const first = DateTime.fromISO(rotation.start, { zone }).set({ hour: hour ?? 9, minute: minute ?? 0 });
  const now = DateTime.fromMillis(t, { zone });
  const weeks = Math.floor(now.diff(first, 'weeks').weeks);
  const n = rotation.weeks.length;
  const pair = rotation.weeks[((weeks % n) + n) % n];
  if (pair === undefined) throw new RangeError('the rotation has no weeks');
  return pair;
}
