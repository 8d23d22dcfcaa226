// A ticket's targets as cards show them: both targets with their state now, and a list row's next one.
import type { Instant, SlaEngine } from '../sla';
import { OPEN_STATUSES, type Ticket } from '../tickets/model';
import { slaOf } from '../tickets/sla-view';
import type { ListItem, TargetLine } from './customer';

/** Both targets of a ticket with their state now. */
export function targetLines(engine: SlaEngine, ticket: Ticket, now: Instant): TargetLine[] {
  const result = slaOf(engine, ticket);
  return (['response', 'workaround'] as const).map((target) => ({
    label: target === 'response' ? 'Response' : 'Work-around',
    due: result[target].due,
    clock: result[target].basis.clock,
    status: engine.status(result[target], now, ticket.pauses),
  }));
}

/** A list row: the earliest unmet target. */
export function listItem(engine: SlaEngine, ticket: Ticket, now: Instant): ListItem {
  if (!OPEN_STATUSES.has(ticket.status)) return { ticket, next: null };
  const lines = targetLines(engine, ticket, now).filter((l) => l.status.state !== 'met');
  const first = lines.sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity))[0];
  return {
    ticket,
    next: first === undefined ? null : { label: first.label, due: first.due, state: first.status.state },
  };
}
