// Core Service outages and their history: plain data, no behaviour. Commands live in commands.ts.
// Imports only types (the SLA core's vocabulary and the ticket model's people).
import type { ExclusionCategory } from '../policy/schema';
import type { Instant } from '../sla';
import type { Actor, Person } from '../tickets/model';

/** An exclusion asked for by an engineer; it takes effect only once a manager approved it. */
export interface ExclusionClaim {
  readonly category: ExclusionCategory;
  readonly justification: string;
  readonly status: 'requested' | 'approved' | 'rejected';
  readonly requestedBy: Person;
  readonly requestedAt: Instant;
  readonly decidedBy?: Person | undefined;
  readonly decidedAt?: Instant | undefined;
  /** The manager's note on approval or rejection. */
  readonly note?: string | undefined;
}

/** The channel post that shows the outage's live card (updated in place after every change). */
export interface CardRef {
  readonly conversationId: string;
  readonly activityId: string;
  readonly serviceUrl: string;
}

export interface Outage {
  /** Short id, e.g. OUT-12. */
  readonly id: string;
  readonly start: Instant;
  /** Null while ongoing: it counts up to now until it is ended. */
  readonly end: Instant | null;
  /** What was affected (shown to customers). */
  readonly affected: string;
  /** The cause (staff only). */
  readonly cause: string;
  readonly exclusion: ExclusionClaim | null;
  readonly createdBy: Person;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  /** Incremented on every change (cards carry it; a stale card is refused with who changed it). */
  readonly version: number;
  /** Number of history rows written. */
  readonly historyCount: number;
  readonly lastChange: { readonly at: Instant; readonly by: Person; readonly what: string };
  readonly card?: CardRef | undefined;
  /** The copy posted in the managers' channel when an exclusion was asked for. */
  readonly approvalCard?: CardRef | undefined;
}

export const CHANGE_TYPES = [
  'recorded',
  'ended',
  'edited',
  'exclusion-requested',
  'exclusion-withdrawn',
  'exclusion-approved',
  'exclusion-rejected',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One history row: who changed what, when, with the values before and after. */
export interface OutageChange {
  readonly outageId: string;
  readonly seq: number;
  readonly at: Instant;
  readonly type: ChangeType;
  readonly actor: Actor;
  /** A one-line summary a person reads ("End 12:03 ET", "Exclusion (b) approved: …"). */
  readonly text: string;
  readonly data?: Readonly<Record<string, string | number | boolean | null>> | undefined;
}

/** True while the outage has no end. */
export const isOngoing = (o: Pick<Outage, 'end'>): boolean => o.end === null;

/** The exclusion that counts for availability: only an approved one. */
export function effectiveExclusion(o: Pick<Outage, 'exclusion'>): ExclusionCategory | null {
  return o.exclusion?.status === 'approved' ? o.exclusion.category : null;
}
