// After a staff action that tells the customer something (a reply, a question, a work-around…): whether it
// reached the customer's chat. Delivery happens after the answer, so the tab asks again for a short while
// (GET /api/tickets/:id/deliveries) and says "Delivered to the customer's chat." or what went wrong.
import { useEffect, useState } from 'react';
import type { Deliveries, DeliveryView } from '../../../src/adapters/api/contract';
import { getJson } from '../api/client';
import { Note } from './Bits';

/** How often, and how many times, the tab asks while a message is still on its way. */
const EVERY_MS = 1500;
const TRIES = 40;

const settled = (d: DeliveryView): boolean => d.state !== 'sending' && d.state !== 'retrying';

/**
 * Watches the customer messages after event `watch.since` (a new object: a new watch; null: none) until each
 * is delivered or failed; `onSettled` reads the ticket again so the timeline shows the outcome.
 */
export function useDeliveries(
  ticketId: string,
  watch: { readonly since: number } | null,
  onSettled: () => void,
): readonly DeliveryView[] | null {
  const [views, setViews] = useState<readonly DeliveryView[] | null>(null);
  useEffect(() => {
    setViews(null);
    if (watch === null) return undefined;
    const { since } = watch;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async (tries: number): Promise<void> => {
      try {
        const got = await getJson<Deliveries>(
          `/api/tickets/${encodeURIComponent(ticketId)}/deliveries?since=${since}`,
        );
        if (stopped) return;
        setViews(got.deliveries);
        if (got.deliveries.every(settled)) {
          if (got.deliveries.length > 0) onSettled();
          return;
        }
      } catch {
        // A failed look is tried again; the last answer stays on the page meanwhile.
      }
      if (!stopped && tries > 1) timer = setTimeout(() => void ask(tries - 1), EVERY_MS);
    };
    void ask(TRIES);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // onSettled (the page's refresh, a new function each render) is left out: it must not restart the watch.
  }, [ticketId, watch]);
  return views;
}

/** Each watched message's state, one line each ("Delivering it to the customer's chat…" until it settles). */
export function DeliveryNotes({ views }: { readonly views: readonly DeliveryView[] | null }) {
  if (views === null || views.length === 0) return null;
  return (
    <div aria-live="polite">
      {views.map((d) => (
        <Note
          key={d.seq}
          intent={d.state === 'delivered' ? 'success' : d.state === 'sending' ? 'info' : 'error'}
          testId="delivery"
        >
          {d.text}
        </Note>
      ))}
    </div>
  );
}
