// Catch-up of the satisfaction counters on start: a rating is saved, then counted after the answer, so an
// instance that dies in between leaves it uncounted. Every ticket written since the last complete catch-up
// (less a margin for clocks) is counted again; `record` skips what its per-resolution row already holds.
import type { Ticket } from '../tickets/model';
import { ratingFacts, type SatisfactionStore } from './satisfaction';

/** Instances' clocks and storage's may differ by this much (real ms). */
const MARGIN_MS = 10 * 60_000;

export interface CatchUpDeps {
  readonly store: SatisfactionStore;
  /** Tickets storage wrote at or after a real instant (storage's own timestamp). */
  readonly writtenSince: (since: number) => AsyncIterable<Ticket>;
  /** The policy's zone: a rating counts in its resolution's month there. */
  readonly zone: string;
}

/**
 * Counts the ratings no instance counted; returns how many resolutions' figures it fixed. `wallNow` is real
 * time (the checkpoint is compared with storage's timestamps, not the app's clock). The first run reads every
 * ticket once.
 * @example await catchUpRatings(deps, Date.now()) // 1 after a crash between a rating and its counting
 */
export async function catchUpRatings(deps: CatchUpDeps, wallNow: number): Promise<number> {
  const last = await deps.store.checkpoint();
  const since = last === null ? 0 : last - MARGIN_MS;
  let fixed = 0;
  for await (const t of deps.writtenSince(since))
    for (const f of ratingFacts(t, deps.zone)) if (await deps.store.record(f)) fixed++;
  await deps.store.setCheckpoint(wallNow);
  return fixed;
}
