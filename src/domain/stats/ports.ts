// What the dashboard needs of storage: counting contributions and reading months back
// (src/storage/stats-repo.ts keeps them in Table Storage).
import type { Instant, Priority } from '../sla';
import type { BreachRow } from './counting';
import type { Contribution, Counters } from './figures';

/** What the dashboard reads of one month. */
export interface MonthView {
  readonly counters: Record<Priority, Counters>;
  /** Open tickets at risk by the time asked for, earliest first. */
  readonly watch: Contribution[];
}

export interface StatsStore {
  /** Counts a ticket's contribution (idempotent per version); whether anything changed. */
  record(k: Contribution): Promise<boolean>;
  /** Counts many contributions, the latest version of each ticket; how many tickets' counts changed. */
  recordMany(ks: readonly Contribution[]): Promise<number>;
  /** The counted version of a ticket, or null when it was never counted. */
  countedVersion(month: string, ticketId: string): Promise<number | null>;
  /** Each month's counters and its open tickets at risk by `now` (at most `watchLimit` a month). */
  monthsView(months: readonly string[], now: Instant, watchLimit: number): Promise<Map<string, MonthView>>;
  /** A month's missed deadlines, `limit` at most. */
  breachesOf(month: string, limit: number): Promise<BreachRow[]>;
}
