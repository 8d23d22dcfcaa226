// An SLA target as a ticket's cards show it (customer and staff): its deadline, clock and state, both
// targets of a ticket now, and a list row's next one.
import type { Clock as SlaClock, Instant, SlaEngine, TargetStatus } from '../sla';
import { OPEN_STATUSES, type Ticket } from '../tickets/model';
import { slaOf } from '../tickets/sla-view';

export interface TargetLine {
  readonly label: string;
  readonly due: Instant | null;
  /** The clock its budget runs on, so time left is named for it ("of support-hours time"). */
  readonly clock: SlaClock;
  readonly status: TargetStatus;
  /** When the target was met; null while it is not. */
  readonly metAt: Instant | null;
}

/** A target's state in the customer's words (the staff card says "waiting on customer" for a pause). */
export const STATE_LABELS: Readonly<Record<TargetStatus['state'], string>> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  breached: 'Overdue',
  paused: 'Paused (waiting for you)',
  met: 'Met',
};

/** A row of the customer's ticket list: the ticket and its earliest unmet target. */
export interface ListItem {
  readonly ticket: Ticket;
  readonly next: {
    readonly label: string;
    readonly due: Instant | null;
    readonly state: TargetStatus['state'];
  } | null;
}

/** Both targets of a ticket with their state now. */
export function targetLines(engine: SlaEngine, ticket: Ticket, now: Instant): TargetLine[] {
  const result = slaOf(engine, ticket);
  return (['response', 'workaround'] as const).map((target) => ({
    label: target === 'response' ? 'Response' : 'Work-around',
    due: result[target].due,
    clock: result[target].basis.clock,
    status: engine.status(result[target], now, ticket.pauses),
    metAt: result[target].metAt,
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
