// Sentences the tab's pages show, kept apart from the pages so tests read them as the pages do: each one
// true in every state it can be shown in (targets still running, one or many, the clock a budget runs on).
import type { Clock, Figures, SlaReport } from '../../../src/adapters/api/contract';
import { duration, plural } from './time';

/**
 * The missed-deadline list's empty state, true while targets still run: "No missed deadline so far; 3 targets
 * still running." Every target met only once none runs (those not needed, the ticket closed first, said so).
 */
export function noMissText(all: Pick<Figures, 'response' | 'workaround'>): string {
  const running = all.response.pending + all.workaround.pending;
  if (running > 0) return `No missed deadline so far; ${plural(running, 'target')} still running.`;
  const na = all.response.na + all.workaround.na;
  return `Every target of the month's tickets was met on time${na > 0 ? `; ${plural(na, 'target was', 'targets were')} not needed (the ticket closed before its deadline)` : ''}.`;
}

/**
 * The breach list's empty state, true while targets still run: every target due in the month met only once
 * none runs and the month is over.
 */
export function noBreachText(r: Pick<SlaReport, 'targets' | 'partial'>): string {
  const running = r.targets.reduce((n, t) => n + t.open, 0);
  if (running > 0) return `No missed deadline so far; ${plural(running, 'target')} still running.`;
  return r.partial
    ? 'No missed deadline so far; every target due until now was met.'
    : 'Every target due this month was met.';
}

/** A target's budget on its clock: "4 h, continuous clock", "2 h of support hours", "5 business days". */
export function budgetText(minutes: number, clock: Clock): string {
  const d = duration(minutes * 60_000);
  if (clock === 'support-hours') return `${d} of support hours`;
  if (clock === 'continuous') return `${d}, continuous clock`;
  // Business days: whole days read "5 business days"; anything else keeps its duration.
  const days = minutes / 1440;
  if (Number.isInteger(days) && days > 0) return `${days} business day${days === 1 ? '' : 's'}`;
  return `${d} of business days`;
}

/** When a chain step is paged: "paged at once", "paged 15 min after the first page". */
export function pagedText(afterMinutes: number): string {
  return afterMinutes === 0
    ? 'paged at once'
    : `paged ${duration(afterMinutes * 60_000)} after the first page, if unacknowledged`;
}
