// Makes a ticket's files whole after a crash between the steps of an upload or a deletion. The ticket's timeline
// is the truth ('attachment-added' and 'attachment-removed' events, under the ticket's ETag); the records and the
// blobs follow it. Called by the sweep and by reads that find the records and the ticket's count disagree.
import { createHash } from 'node:crypto';
import type { Instant } from '../sla';
import type { Actor, TicketEvent } from '../tickets/model';
import type { TicketService } from '../tickets/service';
import { ATTACHMENT_SOURCES, type AttachedFile, type Attachment, type BlobKey, type Removal } from './model';
import type { AttachmentRows, BlobStore } from './ports';

/** The app, when it deletes a file itself (retention, or bytes lost from storage). */
export const SYSTEM: Actor = { id: 'sla-desk', name: 'SLA Desk', role: 'system' };

/** The reason recorded when a file's event stands but its bytes are gone from storage. */
export const LOST_REASON = 'its bytes were missing from storage';

/**
 * How long a record marked deleted may wait for its 'attachment-removed' event: a deletion in flight finishes
 * well within this, so only a crashed one is completed by the repair.
 */
export const REPAIR_AFTER_MS = 5 * 60_000;

/** The idempotency key of a file's deletion on its ticket: the remover and a repair record it once. */
export const detachActionId = (attachmentId: string): string => `detach-${attachmentId}`;

export interface RepairDeps {
  readonly tickets: TicketService;
  readonly blobs: BlobStore;
  readonly rows: AttachmentRows;
}

export interface Repaired {
  /** Records rebuilt from their event and blob (a crash after the event, before the record). */
  rebuilt: number;
  /** Files whose bytes were gone: recorded as removed by the app, the count given back. */
  lost: number;
  /** Deletions whose record was marked but whose event was never written: the event recorded. */
  finished: number;
}

/** The file an 'attachment-added' event describes, if its data is whole. */
export function fileOfEvent(e: TicketEvent): AttachedFile | undefined {
  const d = e.data ?? {};
  const { attachmentId: id, name, size, contentType, source } = d;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof size !== 'number') return undefined;
  if (typeof contentType !== 'string' || typeof source !== 'string') return undefined;
  const known = ATTACHMENT_SOURCES.find((s) => s === source);
  return known === undefined ? undefined : { id, name, size, contentType, source: known };
}

/** The remover as an actor again (only managers and the app delete files). */
function remover(r: Removal): Actor {
  return { id: r.by.id, name: r.by.name, role: r.by.id === SYSTEM.id ? 'system' : 'manager' };
}

async function sha256Of(body: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Records a file as removed by the app because its bytes are gone: the record first (created or marked, so one
 * caller wins), then the event that gives the slot back. Returns false when someone else recorded it first.
 */
export async function recordLost(
  deps: RepairDeps,
  file: Attachment,
  existing: boolean,
  now: Instant,
): Promise<boolean> {
  const removal: Removal = { at: now, by: { id: SYSTEM.id, name: SYSTEM.name }, reason: LOST_REASON };
  const won = existing
    ? await deps.rows.markDeleted(file, removal)
    : await deps.rows.insert({ ...file, deleted: removal });
  if (!won) return false;
  await deps.tickets.act(
    { kind: 'staff' },
    file.ticketId,
    SYSTEM,
    { kind: 'detach', file, reason: LOST_REASON },
    { actionId: detachActionId(file.id) },
  );
  return true;
}

/** Brings one ticket's records and blobs in line with its timeline. */
export async function repairTicket(
  deps: RepairDeps,
  tenantId: string,
  ticketId: string,
  now: Instant,
): Promise<Repaired> {
  const out: Repaired = { rebuilt: 0, lost: 0, finished: 0 };
  const timeline = await deps.tickets.timeline({ kind: 'tenant', tenantId }, ticketId);
  if (!timeline.ok) return out;
  const added = new Map<string, TicketEvent>();
  const removed = new Set<string>();
  for (const e of timeline.value.events) {
    const id = e.data?.['attachmentId'];
    if (typeof id !== 'string') continue;
    if (e.type === 'attachment-added') added.set(id, e);
    else if (e.type === 'attachment-removed') removed.add(id);
  }
  const rows = new Map((await deps.rows.list(tenantId, ticketId)).map((a) => [a.id, a]));
  for (const [id, event] of added) {
    if (removed.has(id)) continue;
    const row = rows.get(id);
    if (row?.deleted !== undefined) {
      // Marked deleted, its event never written: finish the deletion (once a remover in flight is done).
      if (now - row.deleted.at < REPAIR_AFTER_MS) continue;
      const acted = await deps.tickets.act(
        { kind: 'staff' },
        ticketId,
        remover(row.deleted),
        { kind: 'detach', file: row, reason: row.deleted.reason },
        { actionId: detachActionId(id), ...(row.via === undefined ? {} : { via: row.via }) },
      );
      if (acted.ok) {
        await deps.blobs.delete(row);
        out.finished++;
      }
      continue;
    }
    if (row !== undefined) continue;
    const file = fileOfEvent(event);
    if (file === undefined) continue;
    const key: BlobKey = { tenantId, ticketId, id };
    const record: Attachment = {
      ...file,
      tenantId,
      ticketId,
      sha256: '',
      addedAt: event.at,
      addedBy: event.actor,
      seq: event.seq,
      ...(event.via === undefined ? {} : { via: event.via }),
    };
    const blob = await deps.blobs.get(key);
    if (blob === null) {
      if (await recordLost(deps, record, false, now)) out.lost++;
      continue;
    }
    // The event was saved after the blob was complete: these are the bytes the event names.
    const bytes = await sha256Of(blob.body);
    if (await deps.rows.insert({ ...record, sha256: bytes.sha256, size: bytes.size })) out.rebuilt++;
  }
  return out;
}
