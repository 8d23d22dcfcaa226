// What the attachment service needs from storage: the bytes (Blob Storage) and the records (a table).
// Adapters: src/adapters/storage/blobs.ts and attachment-rows.ts.
import type { Instant } from '../sla';
import type { Attachment, BlobKey, Removal } from './model';

export type StoreOutcome =
  | { readonly kind: 'stored'; readonly size: number; readonly sha256: string }
  /** The body passed `maxBytes` while streaming: the upload was stopped and nothing is left behind. */
  | { readonly kind: 'too-large' };

export interface StoredBlob {
  readonly key: BlobKey;
  /** When the upload started, by the app's clock (kept in the blob's metadata). */
  readonly addedAt: Instant;
}

export interface BlobStore {
  /** Streams `body` into the key's blob, counting bytes as they pass; past `maxBytes` it stops and deletes. */
  put(
    key: BlobKey,
    body: AsyncIterable<Uint8Array>,
    options: { readonly contentType: string; readonly maxBytes: number; readonly now: Instant },
  ): Promise<StoreOutcome>;
  /** The stored bytes as a stream, or null when there is no such blob. */
  get(key: BlobKey): Promise<{ readonly body: AsyncIterable<Uint8Array>; readonly size: number } | null>;
  /** Deletes the blob; nothing happens when it is already gone. */
  delete(key: BlobKey): Promise<void>;
  /** Every blob in the container (the orphan sweep). */
  list(): AsyncIterable<StoredBlob>;
}

export interface AttachmentRows {
  /** Writes a new record (after its blob is complete and its event saved). */
  insert(a: Attachment): Promise<void>;
  /** A ticket's records, deleted ones included, oldest first. */
  list(tenantId: string, ticketId: string): Promise<Attachment[]>;
  get(tenantId: string, ticketId: string, id: string): Promise<Attachment | null>;
  /** Marks the record deleted unless someone did first (false then). */
  markDeleted(a: Attachment, removal: Removal): Promise<boolean>;
  /** Every record not deleted, of all tenants (the retention pass). */
  live(): AsyncIterable<Attachment>;
}
