// A ticket's rounds: filing to resolution is round 1, each reopen starts the next (docs/sla-rules.md,
// "Reopening"). Who may reopen until when, the record a round leaves, and every round's SLA for reports.
// Pure: the engine and `now` come in as parameters.
import type { Policy } from '../policy/schema';
import type { Instant, SlaEngine, SlaResult, TargetResult } from '../sla';
import { DAY_MS } from '../sla';
import type { Person, RoundRecord, Ticket } from './model';
import { roundNumber, roundStart, slaOf } from './sla-view';

/** The most rounds a ticket keeps (a ticket reopened more often is refused: file a new one). */
export const MAX_ROUNDS = 50;

/**
 * The last instant a customer may reopen a resolved ticket: its resolution plus the policy's window
 * (`reopen.windowDays` × 24 hours elapsed); undefined when the ticket is not resolved.
 * @example reopenDeadline(policy, { resolvedAt: Date.parse('2026-11-27T16:00-05:00') }) // Fri 2026-12-11 16:00 ET
 */
export function reopenDeadline(policy: Policy, t: Pick<Ticket, 'resolvedAt'>): Instant | undefined {
  return t.resolvedAt === undefined ? undefined : t.resolvedAt + policy.reopen.windowDays * DAY_MS;
}

/** True when the ticket's customer may still reopen it at `now` (staff may reopen at any time). */
export function customerMayReopen(
  policy: Policy,
  t: Pick<Ticket, 'status' | 'resolvedAt'>,
  now: Instant,
): boolean {
  const until = reopenDeadline(policy, t);
  return (t.status === 'resolved' || t.status === 'closed') && until !== undefined && now <= until;
}

/** The record the current round leaves when the ticket is reopened (its figures as they stand). */
export function finishedRound(t: Ticket): RoundRecord {
  const start = roundStart(t);
  return {
    n: roundNumber(t),
    start: start.at,
    window: t.reopened?.window ?? t.window,
    priority: start.priority,
    endPriority: t.priority,
    responseDue: t.sla.responseDue,
    responseMetAt: t.responseMetAt ?? null,
    workaroundDue: t.sla.workaroundDue,
    workaroundMetAt: t.workaroundMetAt ?? null,
    resolvedAt: t.resolvedAt ?? null,
    ...(t.reopened === undefined ? {} : { by: t.reopened.by }),
  };
}

/** One round's SLA as reports count it: a finished round as it was recorded, the current one as it stands. */
export interface RoundSla {
  readonly n: number;
  readonly start: Instant;
  readonly current: boolean;
  /** Who reopened the ticket to start the round (absent for round 1). */
  readonly by?: Person | undefined;
  readonly resolvedAt: Instant | null;
  readonly result: SlaResult;
}

function recorded(r: TargetResult, due: Instant | null, metAt: Instant | null): TargetResult {
  return { ...r, due, metAt };
}

/**
 * Every round of a ticket, oldest first: one for a ticket never reopened. A finished round keeps the due and
 * met instants it had (met stays met); its counting basis comes from the engine over that round's own span.
 * @example roundsSla(engine, reopenedOnce).map((r) => r.n) // [1, 2]
 */
export function roundsSla(engine: SlaEngine, t: Ticket): RoundSla[] {
  const past = t.rounds ?? [];
  const out: RoundSla[] = past.map((rec) => {
    const end = roundEnd(t, rec.n);
    const within = (at: Instant): boolean => at >= rec.start && at < end;
    const result = engine.evaluate({
      dispatched: rec.start,
      priority: rec.priority,
      changes: t.priorityChanges.filter((c) => within(c.at)).map((c) => ({ at: c.at, to: c.to })),
      pauses: t.pauses.filter((p) => within(p.start)),
      met: {
        ...(rec.responseMetAt === null ? {} : { response: rec.responseMetAt }),
        ...(rec.workaroundMetAt === null ? {} : { workaround: rec.workaroundMetAt }),
      },
    });
    return {
      n: rec.n,
      start: rec.start,
      current: false,
      by: rec.by,
      resolvedAt: rec.resolvedAt,
      result: {
        ...result,
        priority: rec.endPriority,
        response: recorded(result.response, rec.responseDue, rec.responseMetAt),
        workaround: recorded(result.workaround, rec.workaroundDue, rec.workaroundMetAt),
      },
    };
  });
  out.push({
    n: roundNumber(t),
    start: roundStart(t).at,
    current: true,
    by: t.reopened?.by,
    resolvedAt: t.resolvedAt ?? null,
    result: slaOf(engine, t),
  });
  return out;
}

/** When round `n` ended (the next round's start); Infinity for the current round. */
function roundEnd(t: Pick<Ticket, 'rounds' | 'reopened'>, n: number): Instant {
  const starts = [
    ...(t.rounds ?? []).map((r) => r.start),
    ...(t.reopened === undefined ? [] : [t.reopened.at]),
  ];
  return starts[n] ?? Infinity;
}

/** The waits on the customer that began in one round (for reports that sum waits per round). */
export function roundPauses(t: Ticket, r: Pick<RoundSla, 'n' | 'start'>): Ticket['pauses'] {
  const end = roundEnd(t, r.n);
  return t.pauses.filter((p) => p.start >= r.start && p.start < end);
}
