// Parts of a ticket's view the tab and the API share: its rounds, its files and its rating (contract.ts re-exports them).
import type { Instant, Priority } from '../../domain/sla';

/** One round: filing (round 1) or a reopen to its resolution, with its own deadlines. */
export interface RoundView {
  readonly n: number;
  readonly start: Instant;
  /** Who reopened the ticket to start it; null for round 1. */
  readonly by: string | null;
  readonly window: 'in-hours' | 'after-hours';
  readonly priority: Priority;
  readonly responseDue: Instant | null;
  readonly responseMetAt: Instant | null;
  readonly workaroundDue: Instant | null;
  readonly workaroundMetAt: Instant | null;
  readonly resolvedAt: Instant | null;
  /** The round in progress: the latest round, and only while the ticket is open. */
  readonly current: boolean;
}

/** A file on a ticket: downloaded from `href` with the viewer's token. Who added it is a name only. */
export interface AttachmentView {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly addedAt: Instant;
  readonly addedBy: string;
  readonly source: 'chat' | 'pasted-image' | 'tab';
  readonly href: string;
}

/** The newest rating the customer gave a ticket; `until`: the last instant it can be changed. */
export interface RatingView {
  readonly score: number;
  /** The words beside the score ("good"). */
  readonly words: string;
  readonly comment: string | null;
  readonly ratedAt: Instant;
  readonly by: string;
  readonly until: Instant;
  readonly changeable: boolean;
}

/** A short-lived link that downloads one file without a token (POST …/attachments/:fileId/link). */
export interface FileLinkView {
  /** `/api/files/<token>`, absolute when the app knows its public name (TAB_DOMAIN). */
  readonly url: string;
  /** When the link stops working (ISO 8601). */
  readonly expiresAt: string;
}

/**
 * Where a message for the customer stands (GET /api/tickets/:id/deliveries?since=seq, staff only): sending,
 * delivered to their chat, retrying or failed (with Teams' reason), or not sent because they have no chat.
 */
export interface DeliveryView {
  /** The timeline event of the message. */
  readonly seq: number;
  readonly state: 'sending' | 'delivered' | 'retrying' | 'failed' | 'no-chat';
  /** In words for staff: "Delivered to the customer's chat." or what went wrong and what to do. */
  readonly text: string;
}

export interface Deliveries {
  readonly deliveries: readonly DeliveryView[];
}
