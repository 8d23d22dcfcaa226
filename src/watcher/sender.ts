// What the outbox's message kinds need from the delivery loop: the app, the outbox, the clock, and sends
// that keep to Teams' limits and to the entry's claim.
import type { WatcherApp } from './ports';
import type { Logger } from '../log';
import type { OutboxEntry, Progress, TableOutbox } from '../adapters/storage/outbox';
import type { ThreadRef, Ticket } from '../domain/tickets/model';
import type { AppClock } from './clock';

/** Not possible yet (no thread, no support channel): retried later like a failed send. */
export class NotReady extends Error {
  readonly code = 'NOT_READY';
  /** True when it is usually a moment away (the ticket's thread is being posted): retried sooner. */
  constructor(
    message: string,
    readonly soon = false,
  ) {
    super(message);
  }
}

/** The ticket's thread, or NotReady (soon: its first post is usually on its way). */
export function threadOf(ticket: Ticket): ThreadRef {
  if (ticket.thread === undefined)
    throw new NotReady(`${ticket.id} has no thread in the support channel yet`, true);
  return ticket.thread;
}

export interface Sender {
  readonly app: WatcherApp;
  readonly outbox: TableOutbox;
  readonly clock: AppClock;
  readonly log: Logger;
  /** Throws unless the claim still has room for a send. */
  guard(entry: OutboxEntry): void;
  /** Records sub-steps done under the claim (the holder gets the entry as saved). */
  record(holder: { entry: OutboxEntry }, progress: Progress): Promise<void>;
  /** Sends in the ticket's thread within the thread's and the tenant's limits; the new post's id. */
  post(ticket: Ticket, send: () => Promise<string | undefined>): Promise<string>;
  /** Sends within the tenant's share of OUTBOX_TENANT_RATE. */
  tenantRun<T>(tenantId: string, send: () => Promise<T>): Promise<T>;
  /** New entries were scheduled: deliver them in this pass rather than the next. */
  kick(): void;
}
