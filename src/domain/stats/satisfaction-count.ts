// Counts ratings as tickets change (a ticket listener): each change that sends a rating card or gives a rating
// records that resolution's rating as it now stands, after the answer, in order per ticket.
import type { Background } from '../../background';
import type { Listener } from '../kit/listeners';
import type { TicketChange } from '../tickets/service';
import { ratingFacts, type SatisfactionStore } from './satisfaction';

export function countRatings(deps: {
  readonly store: SatisfactionStore;
  readonly background: Background;
  readonly zone: string;
}): Listener<TicketChange> {
  return ({ ticket, events, cause }) => {
    const keys = new Set(
      events
        .filter((e) => e.type === 'rating-asked' || e.type === 'rated')
        .map((e) => e.data?.['resolvedAt']),
    );
    // A rating card that reached the customer (no event): its ticket's facts, each counted once per version.
    const facts = ratingFacts(ticket, deps.zone).filter(
      (f) => cause === 'rating-sent' || keys.has(f.resolvedAt),
    );
    if (facts.length > 0)
      deps.background.run(`satisfaction:${ticket.id}`, `counting ${ticket.id}'s rating`, async () => {
        for (const f of facts) await deps.store.record(f);
      });
    return Promise.resolve();
  };
}
