// The SLA view of a ticket, in one place: its input to the engine, its deadlines, the warnings and pages it
// owes (with the keys that mark them done in `Ticket.notified`) and what of that is due at an instant.
// Pure: the engine and `now` come in as parameters.
import type { Instant, Notice, SlaEngine, SlaInput, SlaResult, TargetName } from '../sla';
import { TARGETS } from '../sla';
import { OPEN_STATUSES, type Ticket, type TicketSla } from './model';

type SlaFields = Pick<
  Ticket,
  | 'dispatchedAt'
  | 'initialPriority'
  | 'priorityChanges'
  | 'pauses'
  | 'responseMetAt'
  | 'workaroundMetAt'
  | 'reopened'
  | 'rounds'
>;

/** The current round's number: 1 until the ticket is reopened, then 2, 3… */
export function roundNumber(t: Pick<Ticket, 'rounds'>): number {
  return (t.rounds?.length ?? 0) + 1;
}

/**
 * Where the current round starts and at which priority: the dispatch, or the last reopen (counted as if the
 * ticket had been dispatched then, docs/sla-rules.md "Reopening"). Changes and pauses before it are history.
 */
export function roundStart(t: Pick<Ticket, 'dispatchedAt' | 'initialPriority' | 'reopened'>): {
  at: Instant;
  priority: Ticket['priority'];
} {
  return t.reopened === undefined
    ? { at: t.dispatchedAt, priority: t.initialPriority }
    : { at: t.reopened.at, priority: t.reopened.priority };
}

/** The engine's input for a ticket: its current round (the whole ticket until it is reopened). */
export function slaInput(t: SlaFields): SlaInput {
  const start = roundStart(t);
  const after = t.reopened !== undefined;
  return {
    dispatched: start.at,
    priority: start.priority,
    changes: t.priorityChanges.filter((c) => !after || c.at >= start.at).map((c) => ({ at: c.at, to: c.to })),
    pauses: after ? t.pauses.filter((p) => p.start >= start.at) : t.pauses,
    met: {
      ...(t.responseMetAt === undefined ? {} : { response: t.responseMetAt }),
      ...(t.workaroundMetAt === undefined ? {} : { workaround: t.workaroundMetAt }),
    },
  };
}

/** Both targets of a ticket as the engine sees them now. */
export function slaOf(engine: SlaEngine, t: SlaFields): SlaResult {
  return engine.evaluate(slaInput(t));
}

/** A moment a ticket must page the on-call chain (outside support hours) or announce itself (inside). */
export interface PageTrigger {
  readonly at: Instant;
  readonly kind: 'page' | 'announce';
  /** Its key in `Ticket.notified` once the watcher has scheduled it. */
  readonly key: string;
}

/**
 * When a ticket reaches a paging priority (policy `escalation.pagePriorities`): filed with it, or raised to it.
 * Outside support hours that pages the on-call chain; inside it announces the ticket to the P1 responders.
 * @example pageTriggers(engine, p1FiledSaturday3am) // [{ at: Sat 03:00 ET, kind: 'page', key: 'page:1795…' }]
 */
export function pageTriggers(
  engine: SlaEngine,
  t: Pick<Ticket, 'initialPriority' | 'dispatchedAt' | 'priorityChanges' | 'reopened'>,
): PageTrigger[] {
  const paging = engine.policy.escalation.pagePriorities;
  const start = roundStart(t);
  const at: Instant[] = [];
  // A reopen starts a new round: a P1 reopened after hours pages like a new P1 (docs/sla-rules.md).
  if (paging.includes(start.priority)) at.push(start.at);
  for (const c of t.priorityChanges)
    if (c.at >= start.at && paging.includes(c.to) && !paging.includes(c.from)) at.push(c.at);
  return at.map((a) => ({
    at: a,
    kind: engine.calendar.inSupportHours(a) ? 'announce' : 'page',
    key: `page:${a}`,
  }));
}

/**
 * The key of one warning threshold in `Ticket.notified`: "response:75" in round 1, "r2:response:75" in round 2,
 * so the warnings of a reopened ticket's new round are owed again.
 */
export function noticeKey(target: string, percent: number, round = 1): string {
  return round === 1 ? `${target}:${percent}` : `r${round}:${target}:${percent}`;
}

/** A warning threshold the ticket has not been warned of yet. */
export interface PendingWarning extends Notice {
  readonly target: TargetName;
  readonly key: string;
  /** The ticket's round it belongs to (1 until the ticket is reopened). */
  readonly round: number;
}

/** What an open ticket still owes, in deadline order per target; nothing for a closed one. */
export interface Pending {
  readonly warnings: Readonly<Record<TargetName, readonly PendingWarning[]>>;
  readonly pages: readonly PageTrigger[];
}

/** The warnings and pages a ticket owes and has not recorded in `notified`. */
export function pending(
  engine: SlaEngine,
  t: Omit<Ticket, 'sla'>,
  result: SlaResult = slaOf(engine, t),
): Pending {
  const none: Pending = { warnings: { response: [], workaround: [] }, pages: [] };
  if (!OPEN_STATUSES.has(t.status)) return none;
  const done = new Set(t.notified);
  const round = roundNumber(t);
  const warnings = (target: TargetName): PendingWarning[] =>
    engine
      .notices(result, target)
      .map((n) => ({ ...n, target, round, key: noticeKey(target, n.percent, round) }))
      .filter((n) => !done.has(n.key));
  return {
    warnings: { response: warnings('response'), workaround: warnings('workaround') },
    pages: pageTriggers(engine, t).filter((p) => !done.has(p.key)),
  };
}

/** A page trigger that is due, and whether its whole chain ended over `staleMs` ago (too late to start). */
export interface DuePage extends PageTrigger {
  readonly stale: boolean;
}

/** What is due for a ticket at `now` and not yet recorded: warnings in target order, then pages. */
export interface Due {
  readonly warnings: readonly PendingWarning[];
  readonly pages: readonly DuePage[];
}

/** A page whose whole chain ended this long ago is not started any more (an upgrade, a long outage). */
export const STALE_PAGE_MS = 60 * 60_000;

/** What of `pending` is due at `now` (a page is stale when its chain ended over STALE_PAGE_MS ago). */
export function dueAt(engine: SlaEngine, t: Omit<Ticket, 'sla'>, now: Instant): Due {
  const owed = pending(engine, t);
  const chainEnd = Math.max(0, ...engine.policy.escalation.chain.map((s) => s.afterMinutes)) * 60_000;
  return {
    warnings: TARGETS.flatMap((target) => owed.warnings[target].filter((n) => n.deliverAt <= now)),
    pages: owed.pages
      .filter((p) => p.at <= now)
      .map((p) => ({ ...p, stale: now - p.at > chainEnd + STALE_PAGE_MS })),
  };
}

/** The SLA figures stored with a ticket: deadlines, paused time and when it next owes a warning or page. */
export function ticketSla(engine: SlaEngine, t: Omit<Ticket, 'sla'>): { sla: TicketSla; result: SlaResult } {
  const result = slaOf(engine, t);
  const open = OPEN_STATUSES.has(t.status);
  const running = [result.response, result.workaround]
    .filter((r) => r.metAt === null && r.due !== null)
    .map((r) => r.due as number);
  const pausedMs = t.pauses.reduce((sum, p) => sum + (p.end === undefined ? 0 : p.end - p.start), 0);
  const owed = pending(engine, t, result);
  const next = [
    ...TARGETS.flatMap((target) => owed.warnings[target].slice(0, 1).map((n) => n.deliverAt)),
    ...owed.pages.map((p) => p.at),
  ];
  return {
    result,
    sla: {
      responseDue: result.response.due,
      workaroundDue: result.workaround.due,
      nextDeadline: open && running.length > 0 ? Math.min(...running) : null,
      pausedMs,
      nextNoticeAt: next.length > 0 ? Math.min(...next) : null,
    },
  };
}
