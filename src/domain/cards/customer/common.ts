// What the customer's cards share: the viewer's clock, the support contact, ticket states in the customer's
// words, times in both zones, the refresh that keeps countdowns current, and the answer box.
import type { Policy } from '../../policy/schema';
import type { Instant } from '../../sla';
import { LIMITS } from '../../tickets/fields';
import { shownStatus, type ShownStatus } from '../../tickets/event-labels';
import type { Ticket } from '../../tickets/model';
import { showCard, textInput } from '../inputs';
import { whenBoth } from '../time';
import { execute, type Action, type AdaptiveCard } from '../types';

export interface Contact {
  readonly phone: string;
  readonly email: string;
}

export interface Clock {
  readonly now: Instant;
  /** The viewer's IANA zone from Teams, when known. */
  readonly viewerZone: string | undefined;
}

/** A ticket's shown status (`shownStatus`) in the customer's words. */
export const STATUS_LABELS: Readonly<Record<ShownStatus, string>> = {
  reopened: 'Reopened',
  new: 'New',
  responded: 'Responded',
  'waiting-on-customer': 'Waiting for your answer',
  'workaround-delivered': 'Work-around delivered',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** A button that opens a message box and sends it to the ticket (answers end a wait on the customer). */
export function answerAction(t: Ticket, title: string): Action {
  return showCard(
    title,
    [textInput('message', 'Message', LIMITS.message, { multiline: true, required: 'Type a message' })],
    execute('Send', 'ticket.answer', { ticketId: t.id, version: t.version }),
  );
}

/** Teams re-renders the card with this verb when a user opens it, so countdowns are never stale. */
export function refreshFor(ticketId: string, userId: string): NonNullable<AdaptiveCard['refresh']> {
  return {
    action: { type: 'Action.Execute', verb: 'ticket.refresh', data: { verb: 'ticket.refresh', ticketId } },
    userIds: [userId],
  };
}

/** An instant in the support zone, and in the viewer's when it differs. */
export function at(policy: Policy, t: Instant, clock: Clock): string {
  return whenBoth(t, policy.timeZone, policy.timeZoneLabel, clock.viewerZone, clock.now);
}

/** A deadline: like `at`, with local midnight as "end of <the day before>". */
export function due(policy: Policy, t: Instant, clock: Clock): string {
  return whenBoth(t, policy.timeZone, policy.timeZoneLabel, clock.viewerZone, clock.now, true);
}

/** The ticket's status as its customer reads it: "Reopened" until the reopened round's first reply. */
export function statusLabel(t: Ticket): string {
  return STATUS_LABELS[shownStatus(t)];
}
