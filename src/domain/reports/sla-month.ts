// One line per ticket and target due in a month (the per-ticket SLA export), and the met % they add up to
// per engineer and per customer. Pure: tickets, the engine and `now` come in as parameters.
import {
  counted,
  monthBounds,
  pauseList,
  TARGETS,
  type Clock,
  type Instant,
  type Priority,
  type SlaEngine,
  type TargetName,
} from '../sla';
import type { Person, Ticket } from '../tickets/model';
import { roundPauses, roundsSla } from '../tickets/rounds';
import { availabilityPercent } from './percent';

/** Where a target stands: met by its deadline, breached (met late or past due), or still running. */
export type LineOutcome = 'met' | 'breached' | 'open';

export interface SlaLine {
  readonly ticketId: string;
  /** The ticket's round (1 until it is reopened): a reopened ticket has lines for each round. */
  readonly round: number;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  /** The priority now (after every change). */
  readonly priority: Priority;
  /** The owner now; null when nobody owns the ticket. */
  readonly owner: Person | null;
  readonly target: TargetName;
  readonly clock: Clock;
  /** Where the deadline is counted from: filing, or the raise that set it. */
  readonly countedFrom: Instant;
  /** Null while a wait on the customer stops the clock. */
  readonly due: Instant | null;
  readonly metAt: Instant | null;
  /** Minutes counted on the target's clock from `countedFrom` to met (or now), waits excluded; 0.1 min. */
  readonly businessMinutes: number;
  /** Wall minutes over the same span; 0.1 min. */
  readonly wallMinutes: number;
  /** Minutes of that span spent waiting on the customer (a wait still open counts up to now); 0.1 min. */
  readonly pausedMinutes: number;
  readonly outcome: LineOutcome;
}

const tenths = (ms: number): number => Math.round(ms / 6_000) / 10;

/**
 * The lines of a month: every target whose deadline falls in the month, and a target held by an open wait
 * (no deadline yet) when its ticket was filed in the month, the rule of the customer report. `tickets` may
 * include earlier tickets (see REPORT_LOOKBACK_MS); they are ordered by ticket then target.
 * @example slaLines(engine, '2026-11', tickets, now)[0]
 *   // { ticketId: 'TM-1', target: 'response', clock: 'continuous', due: …, outcome: 'met', businessMinutes: 20, … }
 */
export function slaLines(
  engine: SlaEngine,
  month: string,
  tickets: readonly Ticket[],
  now: Instant,
): SlaLine[] {
  const { start, end } = monthBounds(month, engine.policy.timeZone);
  const inMonth = (t: Instant): boolean => t >= start && t < end;
  const lines: SlaLine[] = [];
  for (const t of tickets) {
    // A reopened ticket counts once per round; a finished round keeps its figures (docs/sla-rules.md).
    for (const round of roundsSla(engine, t)) {
      const result = round.result;
      const roundWaits = roundPauses(t, round);
      const pauses = pauseList(roundWaits);
      for (const target of TARGETS) {
        const r = result[target];
        if (r.due === null ? !inMonth(round.start) : !inMonth(r.due)) continue;
        const from = r.basis.start;
        const until = Math.max(from, r.metAt ?? now);
        const waited = roundWaits.reduce(
          (sum, p) => sum + Math.max(0, Math.min(until, p.end ?? now) - Math.max(from, p.start)),
          0,
        );
        lines.push({
          ticketId: t.id,
          round: round.n,
          tenantId: t.tenantId,
          customerName: t.customerName,
          title: t.title,
          priority: result.priority,
          owner: t.owner === undefined ? null : { id: t.owner.id, name: t.owner.name },
          target,
          clock: r.basis.clock,
          countedFrom: from,
          due: r.due,
          metAt: r.metAt,
          businessMinutes: tenths(counted(engine.calendar, r.basis.clock, from, until, pauses)),
          wallMinutes: tenths(until - from),
          pausedMinutes: tenths(waited),
          outcome: outcomeOf(r.due, r.metAt, now),
        });
      }
    }
  }
  return lines.sort(
    (a, b) =>
      a.ticketId.localeCompare(b.ticketId, 'en', { numeric: true }) ||
      a.round - b.round ||
      TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target),
  );
}

function outcomeOf(due: Instant | null, metAt: Instant | null, now: Instant): LineOutcome {
  // Met while the clock is stopped by a later wait: met before any deadline could pass.
  if (metAt !== null) return due === null || metAt <= due ? 'met' : 'breached';
  return due !== null && now >= due ? 'breached' : 'open';
}

/** Targets of one kind (or 'all') in a group: due in the month, met, breached, still running. */
export interface MetTally {
  readonly target: TargetName | 'all';
  readonly due: number;
  readonly met: number;
  readonly breached: number;
  readonly open: number;
  /** met ÷ (met + breached); null when nothing was decided yet. */
  readonly share: number | null;
  /** The share as shown: one decimal, truncated (never rounded up), e.g. "66.6 %"; null with `share`. */
  readonly percent: string | null;
}

export interface MetGroup {
  /** The owner's id, the customer tenant's id, or '' for unassigned. */
  readonly key: string;
  readonly name: string;
  /** One tally per target, then 'all'. */
  readonly targets: readonly MetTally[];
}

/** How met % is worked out, in the words the tab and the docs show. */
export const MET_RULE =
  'Met % = targets met by their deadline ÷ (met + breached), truncated to one decimal (never rounded up); targets still running are not counted.';

function tally(target: TargetName | 'all', lines: readonly SlaLine[]): MetTally {
  const met = lines.filter((l) => l.outcome === 'met').length;
  const breached = lines.filter((l) => l.outcome === 'breached').length;
  const share = met + breached === 0 ? null : met / (met + breached);
  return {
    target,
    due: lines.length,
    met,
    breached,
    open: lines.length - met - breached,
    share,
    percent: share === null ? null : availabilityPercent(share, 1),
  };
}

/** The tallies of one set of lines: per target, then all together. */
export function metTallies(lines: readonly SlaLine[]): MetTally[] {
  return [
    ...TARGETS.map((target) =>
      tally(
        target,
        lines.filter((l) => l.target === target),
      ),
    ),
    tally('all', lines),
  ];
}

/**
 * Lines grouped (by owner, by customer) and tallied, groups by name.
 * @example metBy(lines, (l) => ({ key: l.tenantId, name: l.customerName }))[0].targets[2].percent // '75.0 %'
 */
export function metBy(
  lines: readonly SlaLine[],
  groupOf: (l: SlaLine) => { readonly key: string; readonly name: string },
): MetGroup[] {
  const groups = new Map<string, { name: string; lines: SlaLine[] }>();
  for (const l of lines) {
    const g = groupOf(l);
    const into = groups.get(g.key) ?? { name: g.name, lines: [] };
    into.lines.push(l);
    groups.set(g.key, into);
  }
  return [...groups]
    .map(([key, g]) => ({ key, name: g.name, targets: metTallies(g.lines) }))
    .sort((a, b) => (a.key === '' ? 1 : 0) - (b.key === '' ? 1 : 0) || a.name.localeCompare(b.name));
}

/** A line's owner group: the owner, or '' ("Unassigned"). */
export const byOwner = (l: SlaLine): { key: string; name: string } =>
  l.owner === null ? { key: '', name: 'Unassigned' } : { key: l.owner.id, name: l.owner.name };

/** A line's customer group. */
export const byCustomer = (l: SlaLine): { key: string; name: string } => ({
  key: l.tenantId,
  name: l.customerName,
});
