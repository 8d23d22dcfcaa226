// On-call overrides as the domain sees them: the store every instance shares (a port), and how the tab's
// on-call page reads them as spans.
import type { Instant } from '../sla';
import type { Override } from './schedule';

export interface OverrideStore {
  add(o: Override): Promise<void>;
  /** Overrides that have not ended before `now - 7 days`. */
  list(now: Instant): Promise<Override[]>;
}

/** An override as the tab's on-call page reads it (the shape of the tab API's OverrideSource). */
export interface OverrideSpan {
  readonly start: Instant;
  readonly end: Instant;
  readonly role: 'primary' | 'secondary';
  /** Entra object id of who is on call instead. */
  readonly userId: string;
  readonly reason?: string | undefined;
}

/** The overrides that overlap [from, to), by start, as spans. */
export function overrideSpans(overrides: readonly Override[], from: Instant, to: Instant): OverrideSpan[] {
  return overrides
    .filter((o) => o.from < to && o.until > from)
    .sort((a, b) => a.from - b.from)
    .map((o) => ({
      start: o.from,
      end: o.until,
      role: o.role,
      userId: o.id,
      reason: `set by ${o.setBy}`,
    }));
}
