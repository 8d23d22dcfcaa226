// An SLA target as a ticket's cards show it (customer and staff): its deadline, clock and state.
import type { Clock as SlaClock, Instant, TargetStatus } from '../sla';

export interface TargetLine {
  readonly label: string;
  readonly due: Instant | null;
  /** The clock its budget runs on, so time left is named for it ("of support-hours time"). */
  readonly clock: SlaClock;
  readonly status: TargetStatus;
}

/** A target's state in the customer's words (the staff card says "waiting on customer" for a pause). */
export const STATE_LABELS: Readonly<Record<TargetStatus['state'], string>> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  breached: 'Overdue',
  paused: 'Paused (waiting for you)',
  met: 'Met',
};
