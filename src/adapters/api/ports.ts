// What the tab API reads besides tickets and counters, as ports: recorded outages (for the availability
// view) and on-call overrides; app.ts wires them to Table Storage (outageSource adapts the outage repo).
import type { Outage } from '../../domain/outages/model';
import type { ExclusionCategory } from '../../domain/policy/schema';
import type { Instant } from '../../domain/sla';

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
    /** Who approved or rejected it, and when (staff only: the route leaves them out for customers). */
    readonly decidedBy?: string | undefined;
    readonly decidedAt?: Instant | undefined;
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

/**
 * Outages as the availability view reads them (its OutageSource port): only what that view shows, so
 * justifications and notes never reach a customer through it (who decided is for staff: the route decides).
 */
export function outageSource(outages: {
  overlapping(from: Instant, to: Instant): Promise<readonly Outage[]>;
}): OutageSource {
  return {
    overlapping: async (from, to) =>
      (await outages.overlapping(from, to)).map((o) => ({
        id: o.id,
        start: o.start,
        end: o.end,
        affected: o.affected,
        cause: o.cause,
        exclusion:
          o.exclusion === null
            ? null
            : {
                category: o.exclusion.category,
                status: o.exclusion.status,
                decidedBy: o.exclusion.decidedBy?.name,
                decidedAt: o.exclusion.decidedAt,
              },
      })),
  };
}
