// The ticket and its timeline events: plain data, no behaviour. Commands live in commands.ts.
import type { Instant, Priority, Window } from '../sla';

export const CATEGORIES = [
  'outage',
  'partial-outage',
  'provisioning',
  'interop-testing',
  'question',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  outage: 'Outage',
  'partial-outage': 'Partial outage',
  provisioning: 'Provisioning',
  'interop-testing': 'Inter-operation testing (carriers, billing, third parties)',
  question: 'Question',
};

export const STATUSES = [
  'new',
  'responded',
  'waiting-on-customer',
  'workaround-delivered',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof STATUSES)[number];
export const OPEN_STATUSES: ReadonlySet<TicketStatus> = new Set([
  'new',
  'responded',
  'waiting-on-customer',
  'workaround-delivered',
]);

export type Role = 'customer' | 'engineer' | 'manager' | 'system';

/** Who did something: a Teams/Entra user id and display name, with the role they acted in. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface Person {
  readonly id: string;
  readonly name: string;
}

export interface Requester extends Person {
  /** IANA zone from the Teams client (`localTimezone`), when known. */
  readonly timeZone?: string | undefined;
}

/** A priority change kept for the SLA and the record. */
export interface PriorityChangeRecord {
  readonly at: Instant;
  readonly from: Priority;
  readonly to: Priority;
  readonly by: Person;
  readonly reason: string;
}

export interface PauseRecord {
  readonly start: Instant;
  readonly end?: Instant | undefined;
}

/** Where the customer talks to the bot (a 1:1 chat), so replies can be delivered there later. */
export interface ChatRef {
  readonly conversationId: string;
  readonly serviceUrl: string;
  /** The Teams user id (29:…) in that conversation. */
  readonly userId: string;
}

/** The ticket's thread in the support channel: its conversation and the root post holding the live card. */
export interface ThreadRef {
  readonly conversationId: string;
  readonly activityId: string;
  readonly serviceUrl: string;
}

/** A message for the customer that has not reached their chat: shown on the staff card until it does. */
export interface DeliveryIssue {
  /** The timeline event the message carries. */
  readonly seq: number;
  /** When the message was written (the event's instant). */
  readonly at: Instant;
  /** What it is, in words: "reply", "question", "work-around"… */
  readonly what: string;
  /** `retrying`: Teams failed and it is tried again; `failed`: it will not be delivered (reason says why). */
  readonly state: 'retrying' | 'failed';
  readonly reason: string;
  readonly since: Instant;
}

export interface Ticket {
  /** Short id, e.g. TM-1042. */
  readonly id: string;
  readonly tenantId: string;
  readonly customerName: string;
  readonly requester: Requester;
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  /** Priority at dispatch; `priority` is the current one. */
  readonly initialPriority: Priority;
  readonly priority: Priority;
  readonly status: TicketStatus;
  /** The status to return to when the customer answers. */
  readonly resumeStatus?: TicketStatus | undefined;
  readonly owner?: Person | undefined;
  readonly affectedUsers?: number | undefined;
  readonly callbackNumber?: string | undefined;
  readonly customerChat?: ChatRef | undefined;
  /** Set when Teams said the customer's chat cannot be reached any more (app removed, chat gone). */
  readonly chatUnreachable?: { readonly at: Instant; readonly reason: string } | undefined;
  /** Customer messages not delivered (yet); empty or absent when everything arrived. */
  readonly undelivered?: readonly DeliveryIssue[] | undefined;
  readonly thread?: ThreadRef | undefined;
  readonly dispatchedAt: Instant;
  readonly window: Window;
  readonly priorityChanges: readonly PriorityChangeRecord[];
  readonly pauses: readonly PauseRecord[];
  readonly responseMetAt?: Instant | undefined;
  readonly workaroundMetAt?: Instant | undefined;
  readonly fix?: { readonly release: string; readonly at: Instant; readonly by: Person } | undefined;
  readonly resolvedAt?: Instant | undefined;
  readonly closedAt?: Instant | undefined;
  readonly lastEscalationAt?: Instant | undefined;
  /** Warnings already posted, as "target:percent" (e.g. "response:75"). */
  readonly notified: readonly string[];
  /** Files attached and not deleted (src/domain/attachments): kept here so the limit holds under concurrent uploads. */
  readonly attachmentCount?: number | undefined;
  /** The last few timeline events (texts shortened), so cards render without reading the timeline. */
  readonly recent: readonly TicketEvent[];
  /** Derived from the SLA engine on every change (stored for queries and display). */
  readonly sla: TicketSla;
  /** The timeline's written texts, for search (search.ts; kept by storage); absent on tickets stored before. */
  readonly search?: SearchText | undefined;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  /** Incremented on every change. */
  readonly version: number;
  /** Number of timeline events written. */
  readonly eventCount: number;
  /** The last change: who and what, for "someone else changed it" answers. */
  readonly lastChange: { readonly at: Instant; readonly by: Person; readonly what: string };
  /**
   * The last change a person made (not the app's own records: warnings, pages, deliveries, threads), with the
   * version it made: a viewer's version is stale only when a person changed the ticket since. Absent on
   * tickets saved before it was kept (then any change since counts).
   */
  readonly lastPersonChange?:
    | { readonly version: number; readonly at: Instant; readonly by: Person; readonly what: string }
    | undefined;
  /** The client request id that created it (idempotent creation). */
  readonly requestId: string;
}

/** The searchable texts of a ticket's timeline, newest last, each bounded (oldest words dropped first). */
export interface SearchText {
  /** What the customer can see: their messages and answers, replies, questions, work-arounds, fixes. */
  readonly text: string;
  /** Staff only: internal notes. */
  readonly notes: string;
}

/** The SLA figures stored with a ticket: deadlines (null while paused), met instants, the next deadline. */
export interface TicketSla {
  readonly responseDue: Instant | null;
  readonly workaroundDue: Instant | null;
  /** Earliest unmet deadline; null when none runs (all met, paused, or the ticket is not open). */
  readonly nextDeadline: Instant | null;
  /** Total ms spent waiting on the customer so far (closed pauses). */
  readonly pausedMs: number;
  /** When the next warning not yet posted is to be delivered; null when none is pending. */
  readonly nextNoticeAt: Instant | null;
}

export const EVENT_TYPES = [
  'created',
  'customer-message',
  'engineer-reply',
  'info-requested',
  'customer-answered',
  'internal-note',
  'priority-changed',
  'owner-changed',
  'workaround-delivered',
  'fix-recorded',
  'resolved',
  'closed',
  'reopened',
  'escalation-requested',
  'warning-sent',
  'page-sent',
  'page-acknowledged',
  'page-scheduled',
  'page-reached',
  'page-failed',
  'paging-alarm',
  'channel-missing',
  'delivery-failed',
  'delivery-recovered',
  'attachment-added',
  'attachment-removed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where a person acted, when not in Teams (the bot and the channel's cards leave it out). */
export type Origin = 'tab';

/** One timeline entry. Internal events are never shown to the customer. */
export interface TicketEvent {
  readonly ticketId: string;
  readonly seq: number;
  readonly at: Instant;
  readonly type: EventType;
  readonly actor: Actor;
  readonly text?: string | undefined;
  readonly internal: boolean;
  /** Structured facts: old/new deadlines, priorities, release, threshold… */
  readonly data?: Readonly<Record<string, string | number | boolean | null>> | undefined;
  /** Done from the tab rather than in Teams; absent on events of Teams and of older builds. */
  readonly via?: Origin | undefined;
}
