// What the tab API reads besides tickets and counters, as ports: recorded outages (for the availability
// view) and on-call overrides. app.ts wires the Table Storage ones; tests may pass their own.
import type { ExclusionCategory } from '../policy/schema';
import type { Instant } from '../sla';

/** A Core Service outage as the availability view reads it. */
export interface OutageView {
  readonly id: string;
  readonly start: Instant;
  /** Null while ongoing. */
  readonly end: Instant | null;
  /** What was affected (customers see this). */
  readonly affected: string;
  /** The cause (staff only). */
  readonly cause: string;
  /** The exclusion asked for, and whether a manager approved it (only approved ones count as excluded). */
  readonly exclusion: {
    readonly category: ExclusionCategory;
    readonly status: 'requested' | 'approved' | 'rejected';
  } | null;
}

export interface OutageSource {
  /** Outages overlapping [from, to) (ongoing ones overlap everything after their start), by start. */
  overlapping(from: Instant, to: Instant): Promise<readonly OutageView[]>;
}

/** Someone standing in for the rotation's primary or secondary for a while. */
export interface OnCallOverride {
  readonly start: Instant;
  readonly end: Instant;
  readonly role: 'primary' | 'secondary';
  /** Entra object id of who is on call instead. */
  readonly userId: string;
  readonly reason?: string | undefined;
}

export interface OverrideSource {
  /** Overrides overlapping [from, to), by start. */
  overlapping(from: Instant, to: Instant): Promise<readonly OnCallOverride[]>;
}
