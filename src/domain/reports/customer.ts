// A customer's monthly SLA report: their targets due in the month met or breached per priority, the
// breaches with their tickets, time waiting on the customer (clause (e)) and the month's availability.
// Pure: tickets, outages and `now` come in as parameters.
import type { Outage } from '../outages/model';
import type { Policy } from '../policy/schema';
import {
  monthBounds,
  PRIORITIES,
  TARGETS,
  type Instant,
  type Priority,
  type SlaEngine,
  type TargetName,
} from '../sla';
import { roundsSla } from '../tickets/rounds';
import type { Ticket } from '../tickets/model';
import { availabilityReport, type AvailabilityReport } from './availability';
import { cutMinutes } from './duration';
import type { Reader } from './words';
import { satisfactionFigures, type SatisfactionFigures } from '../stats/satisfaction';

export interface TargetTally {
  readonly priority: Priority;
  readonly target: TargetName;
  /** Targets whose deadline fell in the month (or, still open, will). */
  readonly due: number;
  readonly met: number;
  readonly breached: number;
  /** Not met and not yet due (or paused) at the time of the report. */
  readonly open: number;
}

export interface Breach {
  readonly ticketId: string;
  readonly title: string;
  readonly priority: Priority;
  readonly target: TargetName;
  readonly due: Instant;
  /** When it was met after all; null while still unmet. */
  readonly metAt: Instant | null;
  /** Minutes past the deadline (up to now while still unmet), cut to the second. */
  readonly lateMinutes: number;
}

export interface PausedLine {
  readonly ticketId: string;
  readonly title: string;
  /** Minutes in the month the ticket waited on the customer (open waits count up to now), cut to the second. */
  readonly minutes: number;
}

export interface CustomerReport {
  readonly kind: 'customer-sla';
  /** Who it is for: the customer reads "waiting on you", staff "waiting on the customer". */
  readonly audience: Reader;
  readonly month: string;
  readonly tenantId: string;
  readonly customerName: string;
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  readonly generatedAt: Instant;
  readonly partial: boolean;
  /** Tickets filed in the month. */
  readonly filed: number;
  readonly targets: readonly TargetTally[];
  readonly breaches: readonly Breach[];
  /** Clause (e): time attributed to the customer's delay in responding. */
  readonly paused: readonly PausedLine[];
  readonly pausedMinutes: number;
  readonly availability: AvailabilityReport;
  /**
   * The ratings of this customer's resolutions in the month: from the tenant's satisfaction counter when the
   * report is gathered (gather.ts), else of the tickets given; absent in reports made before ratings existed.
   */
  readonly satisfaction?: SatisfactionFigures;
}

/**
 * The report of one customer for one month. `tickets` may include earlier tickets: only targets due in the
 * month, tickets filed in it and waits inside it count.
 * @example customerReport(policy, engine, '2026-11', 'c1', 'Contoso', tickets, outages, now).targets[0]
 *   // { priority: 'P1', target: 'response', due: 2, met: 1, breached: 1, open: 0 }
 */
export function customerReport(
  policy: Policy,
  engine: SlaEngine,
  month: string,
  tenantId: string,
  customerName: string,
  tickets: readonly Ticket[],
  outages: readonly Outage[],
  now: Instant,
  audience: Reader = 'customer',
): CustomerReport {
  const { start, end } = monthBounds(month, policy.timeZone);
  const inMonth = (t: Instant): boolean => t >= start && t < end;
  const tally = new Map<string, { due: number; met: number; breached: number; open: number }>();
  for (const p of PRIORITIES)
    for (const target of TARGETS) tally.set(`${p}|${target}`, { due: 0, met: 0, breached: 0, open: 0 });
  const breaches: Breach[] = [];
  const paused: PausedLine[] = [];
  let filed = 0;
  const rated = { asked: 0, answers: 0, positive: 0 };
  for (const t of tickets) {
    if (t.tenantId !== tenantId) continue;
    for (const r of t.ratings ?? []) {
      // Counted as the dashboard counts (stats/satisfaction.ts): once the card was sent or answered.
      if (!inMonth(r.resolvedAt) || (r.sentAt === undefined && r.score === undefined)) continue;
      rated.asked++;
      if (r.score !== undefined) rated.answers++;
      if (r.score !== undefined && r.score >= 4) rated.positive++;
    }
    const filedNow = inMonth(t.dispatchedAt);
    if (filedNow) filed++;
    // A reopened ticket counts once per round; a finished round keeps its figures (docs/sla-rules.md).
    for (const round of roundsSla(engine, t))
      for (const target of TARGETS) {
        const result = round.result;
        const r = result[target];
        const counts = tally.get(`${result.priority}|${target}`);
        if (counts === undefined) continue;
        // A deadline held back by an open wait belongs to the month its round began in, for now.
        if (r.due === null ? !inMonth(round.start) : !inMonth(r.due)) continue;
        counts.due++;
        if (r.due === null) {
          counts.open++;
        } else if (r.metAt !== null && r.metAt <= r.due) {
          counts.met++;
        } else if (r.metAt !== null || now >= r.due) {
          counts.breached++;
          const until = r.metAt ?? now;
          breaches.push({
            ticketId: t.id,
            title: t.title,
            priority: result.priority,
            target,
            due: r.due,
            metAt: r.metAt,
            lateMinutes: cutMinutes(until - r.due),
          });
        } else {
          counts.open++;
        }
      }
    const waited = t.pauses.reduce((sum, p) => {
      const s = Math.max(start, p.start);
      const e = Math.min(end, p.end ?? now, now);
      return sum + Math.max(0, e - s);
    }, 0);
    if (waited > 0) paused.push({ ticketId: t.id, title: t.title, minutes: cutMinutes(waited) });
  }
  const targets: TargetTally[] = [];
  for (const p of PRIORITIES)
    for (const target of TARGETS) {
      const c = tally.get(`${p}|${target}`);
      if (c !== undefined) targets.push({ priority: p, target, ...c });
    }
  breaches.sort((a, b) => a.due - b.due || a.ticketId.localeCompare(b.ticketId));
  paused.sort((a, b) => b.minutes - a.minutes || a.ticketId.localeCompare(b.ticketId));
  return {
    kind: 'customer-sla',
    audience,
    month,
    tenantId,
    customerName,
    timeZone: policy.timeZone,
    timeZoneLabel: policy.timeZoneLabel,
    generatedAt: now,
    partial: now < end,
    filed,
    targets,
    breaches,
    paused,
    // Summed in whole seconds, so the total is exactly the lines added up.
    pausedMinutes: paused.reduce((s, p) => s + Math.round(p.minutes * 60), 0) / 60,
    availability: availabilityReport(policy, month, outages, now, 'customer'),
    satisfaction: satisfactionFigures(rated),
  };
}

/** How far back a month's report must read tickets: targets due in the month may come from tickets filed before. */
export const REPORT_LOOKBACK_MS = 62 * 24 * 60 * 60_000;
