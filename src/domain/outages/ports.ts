// What the outage service needs from storage. The adapter lives in src/storage/outages.ts.
import type { Instant } from '../sla';
import type { Outage, OutageChange } from './model';

export interface StoredOutage {
  readonly outage: Outage;
  readonly etag: string;
}

export type OutageSaveOutcome =
  | { readonly kind: 'saved'; readonly stored: StoredOutage }
  /** Someone else changed the outage since it was read (ETag mismatch). */
  | { readonly kind: 'conflict' }
  /** This action id was applied before (a retried request): the outage it produced. */
  | { readonly kind: 'duplicate-action'; readonly outageId: string };

export interface OutageRepo {
  /** A fresh short id (OUT-12), unique across instances. */
  nextId(): Promise<string>;
  /** Stores a new outage with its first history rows (and the action id, if any), atomically. */
  insert(outage: Outage, changes: readonly OutageChange[], actionId?: string): Promise<OutageSaveOutcome>;
  load(id: string): Promise<StoredOutage | null>;
  /** The outage an action id was applied to, or null (a retried request is answered, not repeated). */
  applied(actionId: string): Promise<string | null>;
  /** Replaces the outage if unchanged since `prev` and appends history rows, atomically. */
  save(
    prev: StoredOutage,
    next: Outage,
    changes: readonly OutageChange[],
    actionId?: string,
  ): Promise<OutageSaveOutcome>;
  /** History in order. */
  history(id: string): Promise<OutageChange[]>;
  /** Outages that overlap [from, to) (ongoing ones overlap everything after their start), by start. */
  overlapping(from: Instant, to: Instant): Promise<Outage[]>;
  /** Outages without an end. */
  ongoing(): Promise<Outage[]>;
}

/** One-time notices (monthly summary, budget warnings): claimed before sending, so several instances send once. */
export interface NoticeMarks {
  /**
   * Claims `key` for `owner`: true if this caller may send now (new claim, or an earlier claim that was
   * never confirmed and is older than `leaseMs`); false when it was sent or another claim is fresh.
   */
  claim(key: string, owner: string, now: Instant, leaseMs: number): Promise<boolean>;
  /** Marks a claimed notice as sent. */
  done(key: string, owner: string, now: Instant): Promise<void>;
  /** Lets go of a claim whose send failed, so the next run tries again. */
  release(key: string, owner: string): Promise<void>;
  /** Sent or claimed keys, for reports and tests. */
  state(key: string): Promise<'sent' | 'claimed' | null>;
}
