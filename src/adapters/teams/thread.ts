// A ticket's thread in the support channel: after every change its root card is posted or updated in place,
// notable events are replied in the thread, and what the customer must hear is delivered to their chat. All of
// it runs in the background, after the request is answered, in order per ticket.
import { isForCustomer } from '../../domain/cards/customer/notice';
import { renderRoot } from '../../domain/cards/root';
import { noteCard } from '../../domain/cards/staff';
import { deadline, when } from '../../domain/cards/time';
import { escape } from '../../domain/cards/types';
import { tabTicketLink } from '../../domain/cards/links';
import { formatSize } from '../../domain/attachments/names';
import { resolutionName } from '../../domain/tickets/rating';
import type { Listener } from '../../domain/kit/listeners';
import { messageOf } from '../../domain/kit/errors';
import { sleep } from '../../domain/kit/retry';
import type { SupportChannel } from '../storage/settings';
import type { ThreadRef, Ticket, TicketEvent } from '../../domain/tickets/model';
import type { TicketChange } from '../../domain/tickets/service';
import { deliverToCustomer, deliveryKey } from './customer-delivery';
import type { TeamsDeps } from './deps';
import { isGone } from './outbound';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
/** Background work that starts later than this after its change reads the ticket again before rendering. */
const PROMPT_MS = 1000;

/** When a reopen happened: "10:38 ET" on the day it is posted, "Tue 8 Dec 10:38 ET" otherwise. */
function reopenTime(deps: TeamsDeps, t: number): string {
  return `${when(t, deps.policy.timeZone, deps.now()).replace(/^today /, '')} ${deps.policy.timeZoneLabel}`;
}

function zoned(deps: TeamsDeps, t: number | null | undefined): string {
  if (t === null || t === undefined) return 'paused';
  return `${deadline(t, deps.policy.timeZone, deps.now())} ${deps.policy.timeZoneLabel}`;
}

/** The background key of a ticket's sync to its thread: wait on it to know the thread has a change's notes. */
export function threadSyncKey(ticketId: string): string {
  return `ticket:${ticketId}`;
}

/** A thread reply for events engineers should see as they happen (not their own replies, which the card shows). */
function threadNote(
  deps: TeamsDeps,
  ticket: Ticket,
  e: TicketEvent,
): string | ReturnType<typeof noteCard> | undefined {
  const d = e.data ?? {};
  const num = (k: string): number | null => (typeof d[k] === 'number' ? d[k] : null);
  switch (e.type) {
    case 'customer-message':
    case 'customer-answered':
      return noteCard(
        `${escape(e.actor.name)} (customer) ${e.type === 'customer-answered' ? 'answered; the clocks run again' : 'wrote'}`,
        [escape(e.text ?? '')],
      );
    case 'priority-changed':
      return noteCard(
        `Priority ${String(d['from'])} → ${String(d['to'])} by ${escape(e.actor.name)}: ${escape(e.text ?? '')}`,
        [
          // A met target has no deadline any more: it says so rather than "paused".
          ticket.responseMetAt !== undefined && ticket.responseMetAt <= e.at
            ? 'Response: met'
            : `Response due: ${zoned(deps, num('oldResponseDue'))} → ${zoned(deps, num('newResponseDue'))}`,
          ticket.workaroundMetAt !== undefined && ticket.workaroundMetAt <= e.at
            ? 'Work-around: met'
            : `Work-around due: ${zoned(deps, num('oldWorkaroundDue'))} → ${zoned(deps, num('newWorkaroundDue'))}`,
        ],
      );
    case 'escalation-requested':
      return noteCard(`Escalation requested by ${escape(e.actor.name)} (customer)`, [escape(e.text ?? '')]);
    case 'rated':
      return ratingNote(deps, ticket, e);
    case 'attachment-added':
      return fileNote(deps, ticket, e);
    case 'reopened':
      // A new round: both targets count again from the reopen (docs/sla-rules.md, "Reopening").
      return noteCard(
        `${ticket.id} reopened by ${escape(e.actor.name)}${e.actor.role === 'customer' ? ' (customer)' : ''}${num('round') === null ? '' : `: round ${num('round')}`}`,
        [
          ...(e.text === undefined ? [] : [escape(e.text)]),
          ...(num('round') === null
            ? []
            : [
                `Counted from the reopen at ${reopenTime(deps, e.at)}, at ${String(d['priority'])}: response due ${zoned(deps, num('responseDue'))}, work-around due ${zoned(deps, num('workaroundDue'))}`,
              ]),
        ],
      );
    default:
      return undefined;
  }
}

/**
 * Low ratings (1-2) are told in the thread, each time one is given or changed (a 2 changed to 1 again: its
 * comment may be new); a low rating changed to 3 or more says so, so the thread's last word stays true. On a
 * reopened ticket the note names the resolution rated.
 */
function ratingNote(
  deps: TeamsDeps,
  ticket: Ticket,
  e: TicketEvent,
): ReturnType<typeof noteCard> | undefined {
  const score = e.data?.['score'];
  const previous = e.data?.['previous'];
  const resolvedAt = e.data?.['resolvedAt'];
  if (typeof score !== 'number') return undefined;
  const name = typeof resolvedAt === 'number' ? resolutionName(deps.policy, ticket, resolvedAt) : undefined;
  const rated = name === undefined ? ticket.id : `${ticket.id}'s ${name}`;
  const by = ` by ${escape(e.actor.name)}${e.text === undefined ? '' : `: ${escape(e.text)}`}`;
  const changed = typeof previous === 'number';
  if (score > 2 && !(changed && previous <= 2)) return undefined;
  return noteCard(
    changed
      ? `The rating of ${rated} changed from ${previous} to ${score} of 5${by}`
      : `${rated} was rated ${score} of 5${by}`,
    [],
  );
}

/**
 * A file added to the ticket: who, its name and size, and a link that opens it on the tab's ticket page, where
 * the download goes through the API with the engineer's own token (a card link cannot carry one).
 */
function fileNote(deps: TeamsDeps, ticket: Ticket, e: TicketEvent): ReturnType<typeof noteCard> {
  const d = e.data ?? {};
  const name = typeof d['name'] === 'string' ? d['name'] : 'a file';
  const size = typeof d['size'] === 'number' ? ` (${formatSize(d['size'])})` : '';
  const id = typeof d['attachmentId'] === 'string' ? d['attachmentId'] : undefined;
  const who =
    e.actor.role === 'customer' ? `${escape(e.actor.name)} (customer) sent` : `${escape(e.actor.name)} added`;
  const link = tabTicketLink(deps.config.teamsAppId, ticket.id, id);
  return noteCard(`${who} ${escape(name)}${size}${e.via === 'tab' ? ' from the tab' : ''}`, [
    link === undefined
      ? `Download it from ${ticket.id}'s page in the SLA Desk tab.`
      : `[Open ${escape(name)} in SLA Desk](${link})`,
  ]);
}

/**
 * After any change: create or update the thread, post notes, deliver to the customer. Runs in the background,
 * in order per ticket. The root card is rendered from the change itself when it is the newest this instance
 * knows of and its turn comes promptly, and not at all when a newer change is already queued (that one
 * renders it): a burst of changes costs one card update. When the work starts late, another instance may
 * have changed the ticket meanwhile, so the ticket is read again first.
 */
export function onTicketChanged(deps: TeamsDeps): Listener<TicketChange> {
  const newest = new Map<string, number>();
  return ({ ticket, events, cause }) => {
    // Linking the thread is this projection's own bookkeeping: nothing to show.
    if (cause === 'link-thread') return Promise.resolve();
    newest.set(ticket.id, Math.max(newest.get(ticket.id) ?? 0, ticket.version));
    const queued = performance.now();
    deps.background.run(threadSyncKey(ticket.id), `syncing ${ticket.id}`, async () => {
      const superseded = (newest.get(ticket.id) ?? 0) > ticket.version;
      const late = performance.now() - queued > PROMPT_MS;
      const latest = await syncThread(deps, ticket, events, superseded, late);
      if (!superseded && (newest.get(ticket.id) ?? 0) <= latest.version) newest.delete(ticket.id);
    });
    // P1 pages and announcements go through the watcher's outbox (src/watcher), exactly once.
    const forCustomer = events.filter((e) => isForCustomer(e) && e.actor.role !== 'customer');
    // In order per ticket, apart from the thread: a delivery retrying for minutes holds up no card update
    // (its own delivery state among them).
    if (forCustomer.length > 0)
      deps.background.run(deliveryKey(ticket.id), `delivering ${ticket.id} to the customer`, async () => {
        for (const e of forCustomer) await deliverToCustomer(deps, ticket, e);
      });
    return Promise.resolve();
  };
}

/**
 * Creates or updates the ticket's thread (the card only when not `superseded` by a newer change) and posts
 * the events' notes; returns the ticket as it now stands (with its thread).
 */
async function syncThread(
  deps: TeamsDeps,
  changed: Ticket,
  events: readonly TicketEvent[],
  superseded: boolean,
  late: boolean,
): Promise<Ticket> {
  const channel = await deps.settings.supportChannel();
  if (channel === null) return changed;
  let ticket = changed;
  // A ticket without a thread: claim starting it, so that no other instance (its repair pass) posts a second.
  const claims = ticket.thread === undefined ? deps.threadClaims : undefined;
  const claimed = claims === undefined || (await claims.claim(ticket.id));
  if (!claimed) {
    // Another live instance is starting it: wait for it, then carry on as an update.
    const linked = await threadOf(deps, ticket.id);
    if (linked === undefined) {
      deps.log.warn('thread not posted here: another instance is posting it', { ticket: ticket.id });
      return ticket;
    }
    ticket = linked;
  }
  try {
    return await postOrUpdate(deps, channel, ticket, events, superseded, late);
  } finally {
    // A claim left behind (storage down) is this instance's: its next change of the ticket takes it again.
    if (claims !== undefined && claimed)
      await claims.release(ticket.id).catch((err: unknown) => {
        deps.log.warn('could not release a thread claim', {
          ticket: ticket.id,
          error: messageOf(err),
        });
      });
  }
}

/**
 * Records a thread just posted on its ticket. Teams has the post: while storage is unavailable the link is
 * tried again (for up to 5 minutes, backing off), since a thread posted but not recorded is posted again later.
 */
async function linkThread(
  deps: TeamsDeps,
  id: string,
  thread: ThreadRef,
): ReturnType<TeamsDeps['tickets']['act']> {
  return whileStorageDown(() =>
    deps.tickets.act({ kind: 'staff' }, id, SYSTEM, { kind: 'link-thread', thread }),
  );
}

/** Calls `call` again while storage is unavailable, backing off, for up to 5 minutes; its last answer. */
async function whileStorageDown<T extends { ok: boolean; error?: { code: string } }>(
  call: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const answer = await call();
    if (answer.ok || answer.error?.code !== 'STORAGE_UNAVAILABLE' || Date.now() - started > 5 * 60_000)
      return answer;
    await sleep(Math.min(10_000, 500 * 2 ** attempt));
  }
}

/** Waits (up to a minute) for another instance to link the ticket's thread; the ticket with it, if it did. */
async function threadOf(deps: TeamsDeps, id: string): Promise<Ticket | undefined> {
  for (let i = 0; i < 30; i++) {
    await sleep(2_000);
    const got = await deps.tickets.get({ kind: 'staff' }, id);
    if (got.ok && got.value.thread !== undefined) return got.value;
  }
  return undefined;
}

async function postOrUpdate(
  deps: TeamsDeps,
  channel: SupportChannel,
  changed: Ticket,
  events: readonly TicketEvent[],
  superseded: boolean,
  late: boolean,
): Promise<Ticket> {
  let ticket = changed;
  if (ticket.thread === undefined || (late && !superseded)) {
    // Another instance may have started the thread, or changed the ticket, since this change was made.
    // Storage down: wait for it rather than leave the thread to the repair pass.
    const latest = await whileStorageDown(() => deps.tickets.get({ kind: 'staff' }, changed.id));
    if (latest.ok) ticket = latest.value;
    // Unable to tell whether a thread was started meanwhile (storage down): posting could start a second one.
    // Nothing is posted; the change's next sync or the repair pass starts the thread once storage answers.
    else if (ticket.thread === undefined)
      throw new Error(`cannot tell whether ${changed.id} has a thread yet: ${latest.error.message}`);
  }
  const card = renderRoot(deps, ticket);
  const summary = `${ticket.id} ${ticket.priority}: ${ticket.title}`.slice(0, 200);
  let thread = ticket.thread;
  if (superseded && thread !== undefined) {
    // A newer change of this ticket is queued behind this one and will render the card.
  } else if (thread === undefined) {
    thread = await deps.outbound.patiently(() => deps.outbound.startThread(channel, card, summary));
    const linked = await linkThread(deps, ticket.id, thread);
    if (linked.ok) ticket = linked.value.ticket;
    else
      deps.log.error('thread posted but not linked to its ticket: it may be posted again', {
        ticket: ticket.id,
        error: linked.error.message,
      });
  } else {
    const current = thread;
    try {
      await deps.outbound.patiently(() => deps.outbound.updateCard(current, card, summary));
    } catch (err) {
      if (!isGone(err)) throw err;
      // Teams lost the root post: post a fresh card in the thread and remember it.
      const id = await deps.outbound.patiently(() => deps.outbound.replyInThread(current, card, summary));
      if (id !== undefined) {
        thread = { ...thread, activityId: id };
        const linked = await deps.tickets.act({ kind: 'staff' }, ticket.id, SYSTEM, {
          kind: 'link-thread',
          thread,
        });
        if (linked.ok) ticket = linked.value.ticket;
      }
    }
  }
  for (const e of events) {
    const note = threadNote(deps, ticket, e);
    const at = thread;
    if (note !== undefined)
      await deps.outbound.patiently(() => deps.outbound.replyInThread(at, note, `${ticket.id}: ${e.type}`));
  }
  return ticket;
}
