// Files on tickets: checks a file, streams it into Blob Storage, records it on the ticket (the
// 'attachment-added' event, through the ticket service, so cards and deliveries follow) and keeps its record;
// opens a file for a viewer of its ticket; deletes one (a manager, or retention) and sweeps orphan blobs.
// Storage comes in through ports (ports.ts); bad input changes nothing.
import { messageOf } from '../kit/errors';
import type { Instant } from '../sla';
import { DomainError, fail, notAllowed, ok, type Result } from '../tickets/errors';
import { cleanText, LIMITS } from '../tickets/fields';
import type { Actor, Origin, Ticket } from '../tickets/model';
import { normaliseId, type Scope, type TicketService } from '../tickets/service';
import type { AttachedFile, Attachment, AttachmentLimits, AttachmentSource, BlobKey } from './model';
import type { AttachmentRows, BlobStore } from './ports';
import { checkFile, fileTooLarge, tooManyFiles, type CheckedFile } from './rules';

export interface AddFile {
  /** The customer's tenant (required for customers; staff may leave it empty: the ticket's is used). */
  readonly tenantId: string;
  readonly ticketId: string;
  /** A customer (chat, pasted-image) or an engineer or manager (tab). */
  readonly actor: Actor;
  /** As the sender named it; cleaned here. */
  readonly name: string;
  /** The type the sender declared (checked against the extension; never stored). */
  readonly declaredType?: string | undefined;
  /** The size the sender declared, when known: refused at once when over the limit. */
  readonly declaredSize?: number | undefined;
  readonly source: AttachmentSource;
  /** The bytes (a Node Readable is one); counted while they stream. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly via?: Origin | undefined;
}

export interface OpenedFile {
  readonly attachment: Attachment;
  readonly body: AsyncIterable<Uint8Array>;
  readonly size: number;
}

/** How long a blob without a record may stay (an upload that crashed before its record was written). */
export const ORPHAN_AGE_MS = 86_400_000;

const notFound = (): DomainError => new DomainError('ATTACHMENT_NOT_FOUND', 'No such file was found.');

const unavailable = (err: unknown): DomainError =>
  new DomainError(
    'STORAGE_UNAVAILABLE',
    'Could not store the file right now; nothing was kept. Please try again.',
    {
      cause: messageOf(err),
    },
  );

/** Whose view a person has: customers their tenant's tickets, staff all. */
export function scopeFor(actor: Actor, tenantId: string): Scope {
  return actor.role === 'customer' ? { kind: 'tenant', tenantId } : { kind: 'staff' };
}

export class AttachmentService {
  constructor(
    private readonly deps: {
      readonly tickets: TicketService;
      readonly blobs: BlobStore;
      readonly rows: AttachmentRows;
      readonly limits: AttachmentLimits;
      /** A new attachment id (random, URL- and key-safe). */
      readonly newId: () => string;
    },
  ) {}

  get limits(): AttachmentLimits {
    return this.deps.limits;
  }

  /** The checks that need no bytes (name, type, declared size): callers may run them before downloading. */
  check(name: string, declaredType?: string, declaredSize?: number): Result<CheckedFile> {
    const checked = checkFile(name, declaredType, declaredSize, this.deps.limits);
    return checked.ok ? ok(checked.value) : fail(checked.error);
  }

  /**
   * Stores a file on a ticket: blob first (size counted while streaming), then the ticket's event (which keeps
   * the per-ticket count under its ETag), then the record. A refusal leaves nothing behind.
   * @example await attachments.add({ tenantId, ticketId: 'TM-1042', actor, name: 'log.txt', source: 'chat', body }, now)
   */
  async add(input: AddFile, now: Instant): Promise<Result<Attachment>> {
    const staff = input.actor.role === 'engineer' || input.actor.role === 'manager';
    if (input.source === 'tab' ? !staff : input.actor.role !== 'customer')
      return fail(
        notAllowed('Files from the tab are added by support staff; files from the chat by the customer.'),
      );
    const checked = checkFile(input.name, input.declaredType, input.declaredSize, this.deps.limits);
    if (!checked.ok) return fail(checked.error);
    const ticketId = normaliseId(input.ticketId);
    const scope = scopeFor(input.actor, input.tenantId);
    const got = await this.deps.tickets.get(scope, ticketId);
    if (!got.ok) return got;
    const ticket = got.value;
    if (input.tenantId !== '' && ticket.tenantId !== input.tenantId)
      return fail(new DomainError('TICKET_NOT_FOUND', `No ticket ${ticketId} was found.`));
    const early = roomFor(ticket, this.deps.limits.maxPerTicket);
    if (early !== undefined) return fail(early);

    const key: BlobKey = { tenantId: ticket.tenantId, ticketId: ticket.id, id: this.deps.newId() };
    let stored;
    try {
      stored = await this.deps.blobs.put(key, input.body, {
        contentType: checked.value.contentType,
        maxBytes: this.deps.limits.maxBytes,
        now,
      });
    } catch (err) {
      return fail(unavailable(err));
    }
    if (stored.kind === 'too-large') return fail(fileTooLarge(checked.value.name, this.deps.limits.maxBytes));
    const file: AttachedFile = {
      id: key.id,
      name: checked.value.name,
      contentType: checked.value.contentType,
      size: stored.size,
      source: input.source,
    };
    const acted = await this.deps.tickets.act(
      scope,
      ticket.id,
      input.actor,
      { kind: 'attach', file, maxPerTicket: this.deps.limits.maxPerTicket },
      input.via === undefined ? {} : { via: input.via },
    );
    if (!acted.ok) {
      await this.deps.blobs.delete(key).catch(() => undefined); // else the orphan sweep removes it
      return acted;
    }
    const event = acted.value.events.find((e) => e.type === 'attachment-added');
    const record: Attachment = {
      ...file,
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      sha256: stored.sha256,
      addedAt: event?.at ?? now,
      addedBy: input.actor,
      seq: event?.seq ?? 0,
      ...(input.via === undefined ? {} : { via: input.via }),
    };
    try {
      await this.deps.rows.insert(record);
    } catch (err) {
      return fail(unavailable(err));
    }
    return ok(record);
  }

  /** The files of a ticket the scope may see (not deleted), oldest first. */
  async list(scope: Scope, ticketId: string): Promise<Result<Attachment[]>> {
    const got = await this.deps.tickets.get(scope, ticketId);
    if (!got.ok) return got;
    try {
      const rows = await this.deps.rows.list(got.value.tenantId, got.value.id);
      return ok(rows.filter((a) => a.deleted === undefined));
    } catch (err) {
      return fail(unavailable(err));
    }
  }

  /**
   * One file's record and bytes for a viewer of its ticket. Another tenant's ticket, a missing ticket and a
   * missing or deleted file all fail alike (TICKET_NOT_FOUND or ATTACHMENT_NOT_FOUND: answer them the same).
   */
  async open(scope: Scope, ticketId: string, attachmentId: string): Promise<Result<OpenedFile>> {
    const got = await this.deps.tickets.get(scope, ticketId);
    if (!got.ok) return got;
    const a = await this.deps.rows.get(got.value.tenantId, got.value.id, attachmentId);
    if (a === null || a.deleted !== undefined) return fail(notFound());
    const blob = await this.deps.blobs.get(a);
    if (blob === null) return fail(notFound());
    return ok({ attachment: a, body: blob.body, size: blob.size });
  }

  /** Deletes a file: a manager with a reason, or the app (retention). Recorded on the ticket's timeline. */
  async remove(
    actor: Actor,
    ticketId: string,
    attachmentId: string,
    reason: string,
    now: Instant,
    via?: Origin,
  ): Promise<Result<Attachment>> {
    if (actor.role !== 'manager' && actor.role !== 'system')
      return fail(notAllowed('Only a support manager can delete a file.'));
    const why = cleanText(reason, 'reason', LIMITS.reason);
    if (!why.ok) return why;
    const got = await this.deps.tickets.get({ kind: 'staff' }, ticketId);
    if (!got.ok) return got;
    const a = await this.deps.rows.get(got.value.tenantId, got.value.id, attachmentId);
    if (a === null || a.deleted !== undefined) return fail(notFound());
    const removal = { at: now, by: { id: actor.id, name: actor.name }, reason: why.value };
    // The record first: one remover wins, and a blob whose record says deleted is swept if the delete fails.
    if (!(await this.deps.rows.markDeleted(a, removal))) return fail(notFound());
    const acted = await this.deps.tickets.act(
      { kind: 'staff' },
      a.ticketId,
      actor,
      { kind: 'detach', file: a, reason: why.value },
      via === undefined ? {} : { via },
    );
    await this.deps.blobs.delete(a).catch(() => undefined);
    if (!acted.ok) return acted;
    return ok({ ...a, deleted: removal });
  }

  /**
   * The retention pass: files of tickets closed more than `retentionDays` ago are deleted (by the app, said so
   * on the timeline); 0 turns it off. Then blobs with no live record older than a day are removed.
   */
  async sweep(now: Instant, retentionDays: number): Promise<{ expired: number; orphans: number }> {
    let expired = 0;
    if (retentionDays > 0) {
      const cutoff = now - retentionDays * 86_400_000;
      const closed = new Map<string, Ticket | null>();
      for await (const a of this.deps.rows.live()) {
        if (!closed.has(a.ticketId)) {
          const got = await this.deps.tickets.get({ kind: 'tenant', tenantId: a.tenantId }, a.ticketId);
          const t = got.ok ? got.value : null;
          closed.set(
            a.ticketId,
            t !== null && t.status === 'closed' && (t.closedAt ?? now) <= cutoff ? t : null,
          );
        }
        if (closed.get(a.ticketId) === null) continue;
        const reason = `retention: closed more than ${retentionDays} ${retentionDays === 1 ? 'day' : 'days'}`;
        const removed = await this.remove(SYSTEM, a.ticketId, a.id, reason, now);
        if (removed.ok) expired++;
      }
    }
    let orphans = 0;
    for await (const blob of this.deps.blobs.list()) {
      if (blob.addedAt > now - ORPHAN_AGE_MS) continue;
      const a = await this.deps.rows.get(blob.key.tenantId, blob.key.ticketId, blob.key.id);
      if (a !== null && a.deleted === undefined) continue;
      await this.deps.blobs.delete(blob.key);
      orphans++;
    }
    return { expired, orphans };
  }
}

const SYSTEM: Actor = { id: 'sla-desk', name: 'SLA Desk', role: 'system' };

/** Why a ticket takes no more files, if it does not. */
function roomFor(t: Ticket, max: number): DomainError | undefined {
  if (t.status === 'closed')
    return new DomainError(
      'ILLEGAL_MOVE',
      `${t.id} is closed; files cannot be added to it. File a new ticket instead.`,
    );
  return (t.attachmentCount ?? 0) >= max ? tooManyFiles(t.id, max) : undefined;
}
