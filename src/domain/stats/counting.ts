// How contributions change the dashboard's counters: what a batch of changes makes of them, which deadlines a
// ticket missed, which version of a ticket counts. Pure; storage calls it while counting.
import type { Instant, Priority } from '../sla';
import { PRIORITIES } from '../sla';
import { applyTo, countKey, emptyCounters, type Contribution, type Counters } from './figures';

/** A missed deadline, as the month's list keeps it. */
export interface BreachRow {
  readonly ticketId: string;
  /** The ticket's round; absent: round 1. */
  readonly round?: number;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  readonly target: 'response' | 'workaround';
  readonly priority: Priority;
  readonly due: Instant | null;
  readonly metAt: Instant | null;
}

/** A ticket's change as counted: its new contribution and what its counts held before (null: nothing). */
export interface CountedChange {
  readonly k: Contribution;
  readonly prev: Contribution | null;
}

/** Empty counters for every priority. */
export function emptyByPriority(): Record<Priority, Counters> {
  return Object.fromEntries(PRIORITIES.map((p) => [p, emptyCounters()])) as Record<Priority, Counters>;
}

/** The targets a contribution missed (met late, or breached), each as a row of the month's list. */
export function missedDeadlines(k: Contribution | null): BreachRow[] {
  if (k === null) return [];
  const out: BreachRow[] = [];
  for (const target of ['response', 'workaround'] as const) {
    const f = k[target];
    if (f.outcome === 'late' || f.outcome === 'breached')
      out.push({
        ticketId: k.ticketId,
        ...(k.round === undefined ? {} : { round: k.round }),
        tenantId: k.tenantId,
        customerName: k.customerName,
        title: k.title,
        target,
        priority: k.priority,
        due: f.due,
        metAt: f.metAt,
      });
  }
  return out;
}

/**
 * The counters of the priorities a batch of changes touches, after it (copies of `base`): each change takes
 * away what its ticket added before and adds its new contribution.
 */
export function recount(
  base: (p: Priority) => Counters | undefined,
  changes: readonly CountedChange[],
): Map<Priority, Counters> {
  const counters = new Map<Priority, Counters>();
  const countersOf = (p: Priority): Counters => {
    let c = counters.get(p);
    if (c === undefined) {
      c = structuredClone(base(p) ?? emptyCounters());
      counters.set(p, c);
    }
    return c;
  };
  for (const { k, prev } of changes) {
    if (prev !== null) applyTo(countersOf(prev.priority), prev, -1);
    applyTo(countersOf(k.priority), k, 1);
  }
  return counters;
}

/** The latest version of each ticket's contribution (an older one never replaces a newer one). */
export function latestPerTicket(ks: readonly Contribution[]): Contribution[] {
  const latest = new Map<string, Contribution>();
  for (const k of ks) {
    const seen = latest.get(countKey(k));
    if (seen === undefined || seen.version < k.version) latest.set(countKey(k), k);
  }
  return [...latest.values()];
}
