// Shared vocabulary of the SLA core. Instants are epoch milliseconds (UTC); never local times.
// Imports nothing.

/** An absolute instant in epoch milliseconds. */
export type Instant = number;

export const PRIORITIES = ['P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Which clock a budget runs on (docs/sla-rules.md, "Clocks"). */
export const CLOCKS = ['continuous', 'support-hours', 'business-days'] as const;
export type Clock = (typeof CLOCKS)[number];

/** Fixed at dispatch: inside support hours or not. */
export type Window = 'in-hours' | 'after-hours';

export const TARGETS = ['response', 'workaround'] as const;
export type TargetName = (typeof TARGETS)[number];

/** A time the ticket waited on the customer; `end` absent while it still waits. */
export interface Pause {
  readonly start: Instant;
  readonly end?: Instant | undefined;
}

/** A priority change at instant `at` to priority `to`. */
export interface PriorityChange {
  readonly at: Instant;
  readonly to: Priority;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Lower rank = more urgent. */
export function priorityRank(p: Priority): number {
  return p === 'P1' ? 1 : p === 'P2' ? 2 : 3;
}
