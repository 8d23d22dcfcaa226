// A ticket's root card in its support-channel thread, as it stands now.
import type { Policy } from '../policy/schema';
import type { Instant, SlaEngine } from '../sla';
import type { StaffMember } from '../staff/directory';
import type { Ticket } from '../tickets/model';
import { rootCard } from './staff';
import { targetLines } from './targets';
import type { AdaptiveCard } from './types';

/** What rendering a root card needs: the policy, the engine, the clock and who can own a ticket. */
export interface RootDeps {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  now(): Instant;
  readonly staff: { roster(): readonly StaffMember[] };
}

/** The root card of a ticket as it stands, with its last events (kept on the ticket: no extra read). */
export function renderRoot(deps: RootDeps, ticket: Ticket, notice?: string): AdaptiveCard {
  const now = deps.now();
  return rootCard({
    policy: deps.policy,
    ticket,
    targets: targetLines(deps.engine, ticket, now),
    events: ticket.recent,
    engineers: deps.staff.roster(),
    now,
    notice,
  });
}
