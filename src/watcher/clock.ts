// The app's clock: the real one, or a simulated one for local mode (a day of support in minutes).
// `speed` is how many clock milliseconds pass per real millisecond, so real durations (leases, backoff) convert.
import type { Instant } from '../domain/sla';

export interface AppClock {
  now(): Instant;
  /** Clock ms per real ms: 1 for the real clock. */
  readonly speed: number;
}

export const realClock: AppClock = { now: () => Date.now(), speed: 1 };

/**
 * A clock that shows `start` at the real instant `anchor` and runs `speed` times faster.
 * @example simulatedClock({ start: Date.parse('2026-11-27T21:30-05:00'), speed: 60, anchor: Date.now() }).now()
 *   // Fri 21:30 ET now, Fri 22:30 ET one real minute later
 */
export function simulatedClock(
  o: { readonly start: Instant; readonly speed: number; readonly anchor?: number | undefined },
  realNow: () => number = Date.now,
): AppClock {
  const anchor = o.anchor ?? realNow();
  return { now: () => Math.floor(o.start + (realNow() - anchor) * o.speed), speed: o.speed };
}
