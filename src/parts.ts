// The app's core parts, as app.ts builds them and hands them to the adapters (Teams projections, the bot,
// the watcher): the policy and its engine, tickets, the clock, the log, settings and background work.
import type { Background } from './background';
import type { RootDeps } from './domain/cards/root';
import type { Logger } from './log';
import type { Policy } from './domain/policy/schema';
import type { Instant, SlaEngine } from './domain/sla';
import type { Settings } from './adapters/storage/settings';
import type { TicketService } from './domain/tickets/service';

export interface CoreParts extends RootDeps {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly log: Logger;
  now(): Instant;
  /** The chosen channels (support, managers'). */
  readonly settings: Settings;
  /** Work that goes on after a request is answered, in order per key. */
  readonly background: Background;
}
