// What the tab API sends about tickets: rows for the queue, the ticket with its timeline, and for each
// deadline why it is what it is, in words. Customers' views carry no internal events, no internal fields and
// no staff member's Entra object id (names only).
import { DateTime } from 'luxon';
import { duration } from '../../domain/reports/duration';
import type { Clock, Instant, SlaEngine, SlaResult, TargetResult, TargetState } from '../../domain/sla';
import { roundNumber, slaOf } from '../../domain/tickets/sla-view';
import { roundsSla } from '../../domain/tickets/rounds';
import { pageAwaitingAck } from '../../domain/tickets/paging';
import { customerSideOf } from '../../domain/attachments/customer-side';
import { latestRating, ratingUntil, SCORE_LABELS } from '../../domain/tickets/rating';
import { CATEGORY_LABELS, OPEN_STATUSES, type Ticket, type TicketEvent } from '../../domain/tickets/model';
import { shownStatus } from '../../domain/tickets/event-labels';
import type { Principal } from './auth';
import {
  TARGET_LABELS,
  type EventView,
  type Explanation,
  type RatingView,
  type Reason,
  type RoundView,
  type TargetView,
  type TicketDetail,
  type TicketFull,
  type TicketRow,
} from './contract';

/** Worst first: what a row's state is when its targets differ. */
const SEVERITY: readonly TargetState[] = ['breached', 'at-risk', 'paused', 'on-track', 'met'];

/** Whether a clock counts at instant t. */
function counting(engine: SlaEngine, clock: Clock, t: Instant): boolean {
  if (clock === 'continuous') return true;
  if (clock === 'support-hours') return engine.calendar.inSupportHours(t);
  return engine.calendar.dayOf(t).business;
}

function targetView(engine: SlaEngine, t: Ticket, r: TargetResult, now: Instant): TargetView {
  const s = engine.status(r, now, t.pauses);
  return {
    target: r.target,
    label: TARGET_LABELS[r.target],
    due: r.due,
    metAt: r.metAt,
    state: s.state,
    businessLeftMs: s.businessLeftMs,
    wallLeftMs: s.wallLeftMs,
    used: Math.round(s.used * 1000) / 1000,
    clock: r.basis.clock,
    budgetMinutes: r.basis.budgetMinutes,
    counting: (s.state === 'on-track' || s.state === 'at-risk') && counting(engine, r.basis.clock, now),
  };
}

/** A queue or list row. */
export function ticketRow(engine: SlaEngine, t: Ticket, now: Instant, result?: SlaResult): TicketRow {
  const r = result ?? slaOf(engine, t);
  const open = OPEN_STATUSES.has(t.status);
  const targets = [targetView(engine, t, r.response, now), targetView(engine, t, r.workaround, now)];
  const unmet = targets.filter((x) => x.state !== 'met');
  const next = [...unmet].sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity))[0] ?? null;
  const worst = SEVERITY.find((s) => unmet.some((x) => x.state === s)) ?? 'met';
  return {
    id: t.id,
    tenantId: t.tenantId,
    customerName: t.customerName,
    title: t.title,
    priority: t.priority,
    status: shownStatus(t),
    category: CATEGORY_LABELS[t.category],
    owner: t.owner === undefined ? null : { id: t.owner.id, name: t.owner.name },
    requester: t.requester.name,
    dispatchedAt: t.dispatchedAt,
    updatedAt: t.updatedAt,
    window: t.window,
    open,
    state: open ? worst : t.status === 'resolved' ? 'resolved' : 'closed',
    escalatedAt: open ? (t.lastEscalationAt ?? null) : null,
    next: open ? next : null,
    targets,
    version: t.version,
  };
}

/**
 * A row as a customer sees it: the owner's name, and in place of their Entra object id an opaque label for
 * this ticket's owner (a customer never learns staff object ids).
 * @example customerRow(row).owner // { id: 'TM-1042:owner', name: 'Alice Engineer' }
 */
export function customerRow<R extends TicketRow>(row: R): R {
  return row.owner === null ? row : { ...row, owner: { id: `${row.id}:owner`, name: row.owner.name } };
}

function eventView(e: TicketEvent): EventView {
  return {
    seq: e.seq,
    at: e.at,
    type: e.type,
    by: e.actor.name,
    role: e.actor.role,
    text: e.text ?? null,
    internal: e.internal,
    data: e.data ?? null,
    via: e.via ?? null,
  };
}

/** The ids of the files removed from a ticket, from its 'attachment-removed' events. */
function removedFiles(events: readonly TicketEvent[]): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const e of events) {
    const id = e.data?.['attachmentId'];
    if (e.type === 'attachment-removed' && typeof id === 'string') ids.add(id);
  }
  return ids;
}

/** A "File added" line for a file removed since says so (`data.removed`), so no one looks for it. */
function markRemoved(v: EventView, removed: ReadonlySet<string>): EventView {
  const id = v.data?.['attachmentId'];
  if (v.type !== 'attachment-added' || typeof id !== 'string' || !removed.has(id)) return v;
  return { ...v, data: { ...v.data, removed: true } };
}

const CLOCK_WORDS: Readonly<Record<Clock, string>> = {
  continuous: 'a continuous clock: every minute counts, day and night, weekends and holidays included',
  'support-hours': 'the support-hours clock: only minutes inside support hours count',
  'business-days':
    'the business-days clock: every minute of a business day counts, weekends and holidays do not',
};

function minutesText(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 1440) return `${minutes / 1440} × 24 h (${minutes} min)`;
  if (minutes % 60 === 0 && minutes >= 60) return `${minutes / 60} h (${minutes} min)`;
  return `${minutes} min`;
}

/** Explains one target's deadline in words, times in the support zone. */
function explain(engine: SlaEngine, t: Ticket, r: TargetResult, view: TargetView, now: Instant): Explanation {
  const p = engine.policy;
  const zone = p.timeZone;
  const at = (x: Instant): string =>
    `${DateTime.fromMillis(x, { zone }).toFormat('ccc d LLL yyyy HH:mm')} ${p.timeZoneLabel}`;
  const hours = `${p.calendar.supportHours.open}–${p.calendar.supportHours.close} ${p.timeZoneLabel}`;
  const label = TARGET_LABELS[r.target];
  const reasons: Reason[] = [];
  // A reopened ticket counts from the reopen, in the window the reopen decides (docs/sla-rules.md).
  const reopen = t.reopened;
  const inHours = (reopen?.window ?? t.window) === 'in-hours';
  const side = inHours
    ? `inside support hours (business days ${hours}): the in-hours target applies`
    : `outside support hours (business days ${hours}): the after-hours target applies`;
  reasons.push({
    topic: 'window',
    text:
      reopen === undefined
        ? `Filed ${at(t.dispatchedAt)}, ${side}.`
        : `Reopened ${at(reopen.at)} by ${reopen.by.name}, starting round ${roundNumber(t)}: ${side}, as if it had been filed then. Earlier rounds keep their own deadlines.`,
  });
  const b = r.basis;
  const start = reopen === undefined ? 'the filing' : 'the reopen';
  const from =
    b.reason === 'dispatch'
      ? `counted from ${start} at ${at(b.start)}`
      : b.reason === 'raised'
        ? `counted from the raise to ${b.priority} at ${at(b.start)} (window then: ${b.window})`
        : `recounted from ${start} as ${b.priority} after the priority was lowered`;
  reasons.push({
    topic: 'budget',
    text: `${b.priority} ${label.toLowerCase()} target (${b.window}): ${minutesText(b.budgetMinutes)}, ${from}.`,
  });
  reasons.push({ topic: 'clock', text: `It runs on ${CLOCK_WORDS[b.clock]}.` });
  const pauses = reopen === undefined ? t.pauses : t.pauses.filter((x) => x.start >= reopen.at);
  if (pauses.length === 0)
    reasons.push({
      topic: 'pauses',
      text:
        reopen === undefined
          ? 'No pauses: the ticket never waited on the customer.'
          : 'No pauses in this round: the ticket has not waited on the customer since the reopen.',
    });
  else {
    const closed = pauses.reduce((s, x) => s + (x.end === undefined ? 0 : x.end - x.start), 0);
    const open = pauses.find((x) => x.end === undefined);
    const list = pauses
      .map((x) => (x.end === undefined ? `since ${at(x.start)}` : `${at(x.start)} to ${at(x.end)}`))
      .join('; ');
    reasons.push({
      topic: 'pauses',
      text:
        `Waited on the customer ${pauses.length === 1 ? 'once' : `${pauses.length} times`} (${list})` +
        `${closed > 0 ? `, ${duration(closed)} in all so far` : ''}: no clock counts while waiting.` +
        (open !== undefined
          ? ' The clock is stopped now, so the deadline is not fixed until the customer answers.'
          : ''),
    });
  }
  if (r.changes.length === 0)
    reasons.push({ topic: 'changes', text: 'No priority change moved this deadline.' });
  for (const c of r.changes) {
    const raised = c.to < c.from;
    const moved =
      c.oldDue === c.newDue
        ? `the deadline stayed ${c.newDue === null ? 'open' : at(c.newDue)}`
        : `the deadline moved from ${c.oldDue === null ? 'none' : at(c.oldDue)} to ${c.newDue === null ? 'none' : at(c.newDue)}`;
    reasons.push({
      topic: 'changes',
      text: raised
        ? `Raised ${c.from} → ${c.to} at ${at(c.at)}: the earlier of the old deadline and the ${c.to} target counted from then; ${moved}.`
        : `Lowered ${c.from} → ${c.to} at ${at(c.at)}: recounted from ${start} with the ${c.to} target; ${moved}.`,
    });
  }
  const left = view.wallLeftMs;
  const nowText =
    view.state === 'met'
      ? `Met at ${at(view.metAt ?? now)}${view.due !== null && (view.metAt ?? 0) > view.due ? `, ${duration((view.metAt ?? 0) - view.due)} after the deadline` : ', on time'}.`
      : view.state === 'paused'
        ? `Paused: ${duration(view.businessLeftMs)} of the budget is left when the clock starts again.`
        : view.state === 'breached'
          ? `Breached: the deadline ${view.due === null ? '' : at(view.due)} passed ${duration(-(left ?? 0))} ago.`
          : `Due ${view.due === null ? '—' : at(view.due)}: ${duration(view.businessLeftMs)} of ${b.clock === 'continuous' ? 'time' : 'counted time'} left (${Math.round(view.used * 100)} % used)${view.state === 'at-risk' ? ', at risk' : ''}.`;
  reasons.push({ topic: 'now', text: nowText });
  return { target: r.target, label, reasons };
}

/** Every round of a ticket as the ticket page lists them. */
function roundViews(engine: SlaEngine, t: Ticket): RoundView[] {
  return roundsSla(engine, t).map((r) => ({
    n: r.n,
    start: r.start,
    by: r.by?.name ?? null,
    window: r.result.window,
    priority: r.result.priority,
    responseDue: r.result.response.due,
    responseMetAt: r.result.response.metAt,
    workaroundDue: r.result.workaround.due,
    workaroundMetAt: r.result.workaround.metAt,
    resolvedAt: r.resolvedAt,
    // The round in progress: the latest one while the ticket is open; a resolved ticket has none.
    current: r.current && OPEN_STATUSES.has(t.status),
  }));
}

/** The newest escalation request in a timeline, or null. */
function escalationOf(events: readonly TicketEvent[]): TicketFull['escalation'] {
  const e = events.findLast((x) => x.type === 'escalation-requested');
  return e === undefined ? null : { at: e.at, by: e.actor.name, reason: e.text ?? null };
}

/** The newest answered rating, as the ticket page shows it beside the status. */
function ratingView(engine: SlaEngine, t: Ticket, now: Instant): RatingView | null {
  const r = latestRating(t);
  if (r?.score === undefined || r.ratedAt === undefined) return null;
  const until = ratingUntil(engine.policy, r.resolvedAt);
  return {
    score: r.score,
    words: SCORE_LABELS[r.score] ?? '',
    comment: r.comment ?? null,
    ratedAt: r.ratedAt,
    by: r.by?.name ?? 'The customer',
    until,
    changeable: now <= until,
  };
}

/** The ticket page: row, timeline, explanations. Customers get no internal events and no internal fields. */
export function ticketDetail(
  engine: SlaEngine,
  t: Ticket,
  events: readonly TicketEvent[],
  viewer: Principal,
  now: Instant,
): Omit<TicketDetail, 'now'> {
  const result = slaOf(engine, t);
  const customer = viewer.role === 'customer';
  const staffRow = ticketRow(engine, t, now, result);
  const row = customer ? customerRow(staffRow) : staffRow;
  const shown = customer ? events.flatMap(customerSideOf) : events;
  const removed = removedFiles(events);
  return {
    ticket: {
      ...row,
      description: t.description,
      affectedUsers: t.affectedUsers ?? null,
      callbackNumber: t.callbackNumber ?? null,
      escalation: row.open ? escalationOf(events) : null,
      fix: t.fix === undefined ? null : { release: t.fix.release, at: t.fix.at },
      resolvedAt: t.resolvedAt ?? null,
      pausedMs: t.sla.pausedMs,
      priorityChanges: t.priorityChanges.map((c) => ({
        at: c.at,
        from: c.from,
        to: c.to,
        by: c.by.name,
        reason: c.reason,
      })),
      pauses: t.pauses.map((p) => ({ start: p.start, end: p.end ?? null })),
      pageAwaitingAck: customer ? null : (pageAwaitingAck(engine, t, now)?.at ?? null),
      rounds: roundViews(engine, t),
      relatedTo: t.relatedTo ?? null,
      rating: ratingView(engine, t, now),
    },
    timeline: shown.map((e) => markRemoved(eventView(e), removed)),
    explanations: [
      explain(engine, t, result.response, row.targets[0] as TargetView, now),
      explain(engine, t, result.workaround, row.targets[1] as TargetView, now),
    ],
  };
}
