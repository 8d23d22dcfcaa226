// What can be done to a ticket: the commands, their events and a change's outcome (types only).
import type { Instant, Priority } from '../sla';
import type { Actor, ChatRef, Person, ThreadRef, Ticket, TicketEvent } from './model';
import type { AttachedFile } from '../attachments/model';

export type NewEvent = Omit<TicketEvent, 'ticketId' | 'seq'>;

/** A command's outcome: the ticket as it is now and the events to append. */
export interface Change {
  readonly ticket: Ticket;
  readonly events: readonly NewEvent[];
}

/** What a customer files: the ticket's own fields, and the priority they chose. */
export type NewTicketInput = Pick<
  Ticket,
  | 'requestId'
  | 'tenantId'
  | 'customerName'
  | 'requester'
  | 'title'
  | 'description'
  | 'category'
  | 'priority'
  | 'affectedUsers'
  | 'callbackNumber'
  | 'customerChat'
>;

export type Command =
  | { readonly kind: 'take' }
  | { readonly kind: 'assign'; readonly to: Person }
  | {
      readonly kind: 'reply';
      readonly text: string;
      /** Files of this ticket sent with the reply (uploaded first): listed in its text and data. */
      readonly files?: readonly AttachedFile[] | undefined;
    }
  | { readonly kind: 'ask'; readonly text: string }
  | {
      readonly kind: 'customer-message';
      readonly text: string;
      /** The requester's 1:1 chat it came from: deliveries go there again (a chat marked unreachable is not). */
      readonly chat?: ChatRef | undefined;
    }
  | { readonly kind: 'change-priority'; readonly to: Priority; readonly reason: string }
  | { readonly kind: 'workaround'; readonly text: string }
  | { readonly kind: 'fix'; readonly release: string; readonly text?: string | undefined }
  | { readonly kind: 'resolve'; readonly text?: string | undefined }
  | { readonly kind: 'close' }
  | { readonly kind: 'reopen'; readonly reason?: string | undefined }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'escalate'; readonly reason: string }
  | { readonly kind: 'link-thread'; readonly thread: ThreadRef }
  | {
      /** How a message for the customer fared: its issue is set (retrying, failed) or cleared (delivered). */
      readonly kind: 'delivery';
      readonly seq: number;
      /** When the message was written. */
      readonly at: Instant;
      readonly what: string;
      readonly state: 'retrying' | 'failed' | 'delivered';
      readonly reason: string;
      /** The chat itself is gone (app removed, conversation not found): later messages are not tried. */
      readonly unreachable?: boolean | undefined;
    }
  /** A stored file joins the ticket (src/domain/attachments/service.ts), refused past `maxPerTicket`. */
  | { readonly kind: 'attach'; readonly file: AttachedFile; readonly maxPerTicket: number }
  /** A file was deleted: by a manager with a reason, or by the app (retention). */
  | { readonly kind: 'detach'; readonly file: AttachedFile; readonly reason: string }
  | {
      readonly kind: 'record';
      readonly type: RecordType;
      readonly text: string;
      readonly data?: Readonly<Record<string, string | number | boolean | null>> | undefined;
    };

export type CommandKind = Command['kind'];

/** What the app records on a ticket's timeline by itself (warnings, pages, deliveries). */
export type RecordType =
  | 'warning-sent'
  | 'page-sent'
  | 'page-acknowledged'
  | 'page-scheduled'
  | 'page-reached'
  | 'page-failed'
  | 'paging-alarm'
  | 'channel-missing'
  | 'delivery-failed'
  | 'delivery-recovered';

/** The name and id of an actor, as a ticket keeps them. */
export function person(a: Actor): Person {
  return { id: a.id, name: a.name };
}
