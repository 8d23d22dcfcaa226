// Delivers a ticket event to the customer's 1:1 chat, and records on the ticket when it does not arrive:
// retrying (first failure), failed (Teams refused for good, or retries ran out), delivered (after trouble).
// A chat Teams called unreachable is not tried until the customer writes again. Stuck or failed messages are
// announced once in the managers' channel. Used by the support channel's sync and by the repair pass.
import { customerNoticeCard } from '../../domain/cards/customer/notice';
import { noteCard } from '../../domain/cards/staff';
import { duration, stamp } from '../../domain/cards/time';
import { escape } from '../../domain/cards/types';
import type { Instant } from '../../domain/sla';
import type { Command } from '../../domain/tickets/commands';
import type { Ticket, TicketEvent } from '../../domain/tickets/model';
import type { TeamsDeps } from './deps';
import { failureText, isTransient, unreachable } from './outbound';
import { messageOf } from '../../domain/kit/errors';
import { askForRating } from './rating-ask';
import { ratingCard } from '../../domain/cards/customer/rating';
import { ratingOf } from '../../domain/tickets/rating';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };

/** What a customer-facing event is, as a message: "reply", "question"… */
const WHAT: Partial<Record<TicketEvent['type'], string>> = {
  'engineer-reply': 'reply',
  'info-requested': 'question',
  'workaround-delivered': 'work-around',
  'fix-recorded': 'fix notice',
  resolved: 'resolution',
  reopened: 'reopening notice',
  'priority-changed': 'priority change notice',
  'rating-asked': 'rating card',
};

export type DeliveryDeps = Pick<
  TeamsDeps,
  | 'config'
  | 'policy'
  | 'tickets'
  | 'now'
  | 'log'
  | 'notices'
  | 'outbound'
  | 'messages'
  | 'settings'
  | 'background'
>;

/** The background key a ticket's customer deliveries run under, one after another. */
export function deliveryKey(ticketId: string): string {
  return `deliver:${ticketId}`;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'no-chat';

/**
 * Sends one customer-facing event to the customer's chat (retrying transient failures) and records how it
 * went on the ticket. Throws only when the app is stopping mid-retry (the repair pass sends it later).
 * @example await deliverToCustomer(deps, ticket, replyEvent) // 'delivered'
 */
export async function deliverToCustomer(
  deps: DeliveryDeps,
  changed: Ticket,
  e: TicketEvent,
): Promise<DeliveryOutcome> {
  // As it stands now: an earlier delivery may have found the chat unreachable, or the customer written since.
  const read = await deps.tickets.get({ kind: 'staff' }, changed.id).catch(() => undefined);
  const ticket = read?.ok === true ? read.value : changed;
  const chat = ticket.customerChat;
  if (chat === undefined) return 'no-chat';
  const what = WHAT[e.type] ?? 'message';
  const report = (state: 'retrying' | 'failed' | 'delivered', reason: string, gone = false): Command => ({
    kind: 'delivery',
    seq: e.seq,
    at: e.at,
    what,
    state,
    reason,
    ...(gone ? { unreachable: true } : {}),
  });
  const mark = ticket.chatUnreachable;
  if (mark !== undefined) {
    deps.log.warn('customer message not sent: their chat is unreachable', {
      ticket: ticket.id,
      seq: e.seq,
      reason: mark.reason,
    });
    const reason = `not sent, because an earlier message found that ${mark.reason}`;
    const latest = await change(deps, ticket.id, report('failed', reason));
    announce(deps, latest ?? ticket, e, what, 'failed', reason);
    return 'failed';
  }
  const clock = { now: deps.now(), viewerZone: ticket.requester.timeZone };
  const rating = e.type === 'rating-asked' ? ratingOf(ticket, Number(e.data?.['resolvedAt'])) : undefined;
  // A rating ask whose record is gone (it cannot be) has nothing to send.
  if (e.type === 'rating-asked' && rating === undefined) return 'no-chat';
  const card =
    rating === undefined
      ? customerNoticeCard(deps.policy, ticket, e, clock, deps.config.teamsAppId)
      : ratingCard(deps.policy, ticket, rating, clock);
  let latest = ticket;
  let troubled = ticket.undelivered?.some((i) => i.seq === e.seq) === true;
  let alerted = false;
  const started = Date.now();
  let sent: string | undefined;
  try {
    sent = await deps.outbound.patiently(
      () => deps.outbound.toCustomer(chat, card, `${ticket.id}: ${e.type}`),
      async (err, attempt) => {
        const reason = failureText(err);
        if (attempt === 0) {
          deps.log.warn('customer message not delivered yet: retrying', {
            ticket: ticket.id,
            seq: e.seq,
            reason,
          });
          latest = (await change(deps, ticket.id, report('retrying', reason))) ?? latest;
          troubled = true;
        }
        if (!alerted && deps.now() - e.at >= deps.config.delivery.alertMs) {
          alerted = true;
          announce(deps, latest, e, what, 'stuck', `${reason}; still retrying`);
        }
      },
    );
  } catch (err) {
    if (deps.outbound.closing) throw err;
    const gone = unreachable(err);
    const reason =
      gone ??
      (isTransient(err)
        ? `${failureText(err)}; gave up after ${duration(Date.now() - started)} of retries`
        : failureText(err));
    deps.log.warn('customer message could not be delivered', { ticket: ticket.id, seq: e.seq, reason });
    latest = (await change(deps, ticket.id, report('failed', reason, gone !== undefined))) ?? latest;
    announce(deps, latest, e, what, 'failed', reason);
    return 'failed';
  }
  if (troubled) await change(deps, ticket.id, report('delivered', 'Teams accepted it'));
  await deps.notices?.delivered(ticket.id, e.seq);
  if (sent !== undefined)
    await deps.messages.remember(
      ticket.tenantId,
      { conversationId: chat.conversationId, activityId: sent },
      ticket.id,
    );
  // The rating card counts as asked (the response rate) once Teams has it; its sending follows the resolution's.
  if (rating !== undefined)
    await change(deps, ticket.id, { kind: 'rating-sent', resolvedAt: rating.resolvedAt });
  if (e.type === 'resolved') await askForRating(deps, ticket, e);
  return 'delivered';
}

/** An absolute time: these lines are kept (timeline, the managers' channel) and read later. */
function zoned(deps: Pick<TeamsDeps, 'policy'>, t: Instant): string {
  return `${stamp(t, deps.policy.timeZone)} ${deps.policy.timeZoneLabel}`;
}

/** Applies a system command and tells the listeners (the root card); the ticket after it, or undefined. */
async function change(
  deps: DeliveryDeps,
  id: string,
  cmd: Command,
  actionId?: string,
): Promise<Ticket | undefined> {
  try {
    const acted = await deps.tickets.act({ kind: 'staff' }, id, SYSTEM, cmd, { actionId });
    if (!acted.ok) {
      deps.log.warn('could not record a delivery on its ticket', { ticket: id, error: acted.error.message });
      return undefined;
    }
    return acted.value.duplicate ? undefined : acted.value.ticket;
  } catch (err) {
    deps.log.warn('could not record a delivery on its ticket', {
      ticket: id,
      error: messageOf(err),
    });
    return undefined;
  }
}

/**
 * Tells the managers' channel (else the support channel), once across instances, that a message for the
 * customer is stuck or failed: recorded on the ticket first (a key, and an action id two instances cannot both
 * apply), then posted. In the background: the delivery goes on meanwhile.
 */
function announce(
  deps: DeliveryDeps,
  ticket: Ticket,
  e: TicketEvent,
  what: string,
  kind: 'stuck' | 'failed',
  reason: string,
): void {
  const key = `delivery:${e.seq}:${kind}`;
  if (ticket.notified.includes(key)) return;
  deps.background.run(`delivery-alert:${ticket.id}`, `announcing ${ticket.id}'s ${what}`, () =>
    post(deps, ticket, e, { what, kind, reason, key }),
  );
}

async function post(
  deps: DeliveryDeps,
  ticket: Ticket,
  e: TicketEvent,
  a: { what: string; kind: 'stuck' | 'failed'; reason: string; key: string },
): Promise<void> {
  const { what, kind, reason, key } = a;
  const channel = (await deps.settings.managersChannel()) ?? (await deps.settings.supportChannel());
  if (channel === null) return;
  const of = `${e.actor.name}'s ${what} of ${zoned(deps, e.at)}`;
  const headline =
    kind === 'stuck'
      ? `${of} has not reached the customer for ${duration(deps.now() - e.at)} (${reason}).`
      : `${of} could not be delivered to the customer: ${reason}.`;
  const call =
    ticket.callbackNumber === undefined
      ? 'Call the customer (no callback number on the ticket)'
      : `Call the customer at ${ticket.callbackNumber}`;
  const advice = kind === 'stuck' ? `${call} or check Teams' service health.` : `${call} or email them.`;
  const recorded = await change(
    deps,
    ticket.id,
    {
      kind: 'record',
      type: 'delivery-failed',
      text: `${headline} Posting this in the managers' channel.`,
      data: { key, seq: e.seq },
    },
    `${ticket.id}:${key}`,
  );
  if (recorded === undefined) return;
  const title = `${ticket.id} (${ticket.customerName}, ${ticket.priority}): ${headline}`;
  try {
    await deps.outbound.patiently(() =>
      deps.outbound.startThread(
        channel,
        noteCard(escape(title), [escape(advice)]),
        `${ticket.id}: ${what} not delivered`,
      ),
    );
  } catch (err) {
    const error = messageOf(err);
    deps.log.error('could not tell the managers about an undelivered customer message', {
      ticket: ticket.id,
      seq: e.seq,
      error,
    });
    await change(deps, ticket.id, {
      kind: 'record',
      type: 'delivery-failed',
      text: `Could not post the alert in the managers' channel either: ${failureText(err)}.`,
      data: { seq: e.seq },
    });
  }
}
