// A P1's page chain as the ticket sees it: whether a page awaits acknowledgement, the key that acknowledges
// it (`ack:<time>` in `Ticket.notified`) and the one command that does (the page card and the tab build it).
// Pure: the engine and `now` come in as parameters.
import type { Instant, SlaEngine } from '../sla';
import type { Command } from './command-types';
import { fail, illegalMove, ok, type Result } from './errors';
import { OPEN_STATUSES, type Ticket } from './model';
import { pageTriggers, type PageTrigger } from './sla-view';

/** The key that marks a ticket's pages up to `at` acknowledged. */
export const ackKey = (at: Instant): string => `ack:${at}`;

/** True when the page chain started at `trigger` has been acknowledged (taking the ticket counts). */
export function acknowledged(t: Pick<Ticket, 'notified'>, trigger: Instant): boolean {
  return t.notified.some((k) => k.startsWith('ack:') && Number(k.slice(4)) >= trigger);
}

/**
 * The page chain of an open ticket that has started (outside support hours) and nobody has acknowledged yet,
 * or undefined. In-hours announcements are not pages and need no acknowledgement.
 * @example pageAwaitingAck(engine, p1FiledSat3am, sat0305) // { at: Sat 03:00 ET, kind: 'page', key: 'page:…' }
 */
export function pageAwaitingAck(
  engine: SlaEngine,
  t: Pick<
    Ticket,
    'status' | 'notified' | 'initialPriority' | 'dispatchedAt' | 'priorityChanges' | 'reopened'
  >,
  now: Instant,
): PageTrigger | undefined {
  if (!OPEN_STATUSES.has(t.status)) return undefined;
  return pageTriggers(engine, t)
    .filter((p) => p.kind === 'page' && p.at <= now && !acknowledged(t, p.at))
    .at(-1);
}

/** The command that acknowledges a ticket's page: from the page card's button and the tab's action alike. */
export function acknowledgePage(by: { readonly id: string; readonly name: string }, now: Instant): Command {
  return {
    kind: 'record',
    type: 'page-acknowledged',
    text: `Acknowledged by ${by.name}`,
    data: { by: by.id, key: ackKey(now) },
  };
}

/** The acknowledging command when a page of the ticket awaits it; refused (nothing to acknowledge) otherwise. */
export function acknowledgeWaitingPage(
  engine: SlaEngine,
  t: Ticket,
  by: { readonly id: string; readonly name: string },
  now: Instant,
): Result<Command> {
  if (pageAwaitingAck(engine, t, now) === undefined)
    return fail(illegalMove(`No page of ${t.id} is waiting for acknowledgement.`));
  return ok(acknowledgePage(by, now));
}
