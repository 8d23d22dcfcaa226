// What attaching and deleting a file do to a ticket: the count that keeps the per-ticket limit, and the
// timeline event. Called by plan() in tickets/plan.ts; the ticket's ETag makes the count hold under races.
import { illegalMove, ok, fail, type Result } from '../tickets/errors';
import type { Command, NewEvent } from '../tickets/command-types';
import type { Actor, EventType, Ticket } from '../tickets/model';
import { cleanText, LIMITS } from '../tickets/fields';
import { fileWords, tooManyFiles } from './rules';
import type { AttachedFile } from './model';

type EventMaker = (type: EventType, text?: string, data?: NewEvent['data'], internal?: boolean) => NewEvent;

interface Draft {
  fields: Partial<Omit<Ticket, 'id' | 'sla'>>;
  events: NewEvent[];
  what: string;
}

function fileData(file: AttachedFile): NewEvent['data'] {
  return {
    attachmentId: file.id,
    name: file.name,
    size: file.size,
    contentType: file.contentType,
    source: file.source,
  };
}

/** Adds a file: refused on a closed ticket or past the limit; the customer sees the event. */
export function planAttach(
  t: Ticket,
  _actor: Actor,
  cmd: Extract<Command, { kind: 'attach' }>,
  ev: EventMaker,
): Result<Draft> {
  if (t.status === 'closed')
    return fail(illegalMove(`${t.id} is closed; files cannot be added to it. File a new ticket instead.`));
  const count = t.attachmentCount ?? 0;
  if (count >= cmd.maxPerTicket) return fail(tooManyFiles(t.id, cmd.maxPerTicket));
  return ok({
    fields: { attachmentCount: count + 1 },
    events: [ev('attachment-added', fileWords(cmd.file), fileData(cmd.file))],
    what: `added ${cmd.file.name}`,
  });
}

/** Deletes a file (a manager, or retention): staff-only event saying who removed it and why. */
export function planDetach(
  t: Ticket,
  actor: Actor,
  cmd: Extract<Command, { kind: 'detach' }>,
  ev: EventMaker,
): Result<Draft> {
  const reason = cleanText(cmd.reason, 'reason', LIMITS.reason);
  if (!reason.ok) return reason;
  return ok({
    fields: { attachmentCount: Math.max(0, (t.attachmentCount ?? 1) - 1) },
    events: [
      ev(
        'attachment-removed',
        `${actor.name} deleted ${fileWords(cmd.file)}: ${reason.value}`,
        { ...fileData(cmd.file), reason: reason.value },
        true,
      ),
    ],
    what: `deleted ${cmd.file.name}`,
  });
}

/** A reply with files: its text lists them ("Files: a.png (3 KB), b.log (1 KB)"), its data names their ids. */
export function withFiles(e: NewEvent, files: readonly AttachedFile[] | undefined): NewEvent {
  if (files === undefined || files.length === 0) return e;
  const list = `Files: ${files.map(fileWords).join(', ')}`;
  return {
    ...e,
    text: e.text === undefined || e.text === '' ? list : `${e.text}\n\n${list}`,
    data: { ...e.data, attachments: files.map((f) => f.id).join(',') },
  };
}
