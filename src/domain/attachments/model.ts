// A file attached to a ticket, the limits it must keep, and where it came from. Plain data, no behaviour.
import type { Instant } from '../sla';
import type { Actor, Origin, Person } from '../tickets/model';

/** Where a file came from: sent in the customer's chat, an image pasted there, or uploaded from the tab. */
export const ATTACHMENT_SOURCES = ['chat', 'pasted-image', 'tab'] as const;
export type AttachmentSource = (typeof ATTACHMENT_SOURCES)[number];

export const MIB = 1024 * 1024;

/** The desk's settings for files (ATTACHMENT_MAX_MB, ATTACHMENT_MAX_PER_TICKET). */
export interface AttachmentLimits {
  readonly maxBytes: number;
  readonly maxPerTicket: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxBytes: 25 * MIB, maxPerTicket: 20 };

/** A file as the ticket's timeline event and its commands carry it. */
export interface AttachedFile {
  readonly id: string;
  /** The cleaned name (names.ts), extension kept. */
  readonly name: string;
  /** From the allow-list (types.ts), never what the sender claimed. */
  readonly contentType: string;
  /** Bytes, as stored. */
  readonly size: number;
  readonly source: AttachmentSource;
}

/** Who removed a file, when and why (a manager's reason, or retention). */
export interface Removal {
  readonly at: Instant;
  readonly by: Person;
  readonly reason: string;
}

/** One attachment record (the attachments table keeps one row per file, under its tenant and ticket). */
export interface Attachment extends AttachedFile {
  readonly tenantId: string;
  readonly ticketId: string;
  /** Hex SHA-256 of the stored bytes. */
  readonly sha256: string;
  readonly addedAt: Instant;
  readonly addedBy: Actor;
  /** The seq of the ticket's 'attachment-added' event. */
  readonly seq: number;
  readonly via?: Origin | undefined;
  /** Set once the file is deleted (the row stays as the record; the blob is gone). */
  readonly deleted?: Removal | undefined;
}

/** Where a file's bytes live in the container: `<tenantId>/<ticketId>/<attachmentId>`. */
export interface BlobKey {
  readonly tenantId: string;
  readonly ticketId: string;
  readonly id: string;
}
