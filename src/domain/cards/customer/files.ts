// What a customer is told about the files they sent in chat: which are attached to the ticket (stored), and
// which are not and why. Nothing is called attached unless it was stored.
import { formatSize } from '../../attachments/names';
import type { Ticket, TicketEvent } from '../../tickets/model';
import { tabTicketLink } from '../links';
import { card, escape, execute, text, type AdaptiveCard, type Element } from '../types';

/** A stored file: its name as kept and its size in bytes. */
export interface AttachedFile {
  readonly name: string;
  readonly size: number;
}

/** A file that was not attached, with the sentence that says why (it names the file). */
export interface RefusedFile {
  readonly name: string;
  readonly sentence: string;
}

/**
 * Names joined as a sentence reads them.
 * @example names(['a.png', 'b.log', 'c.txt']) // 'a.png, b.log and c.txt'
 */
export function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] ?? ''}`;
}

/** The message after the files of one chat message were fetched: attached ones with their size, then the rest. */
export function filesOutcomeCard(
  ticketId: string,
  attached: readonly AttachedFile[],
  refused: readonly RefusedFile[],
): AdaptiveCard {
  const lines: Element[] = [text(`Files for ${ticketId}`, { weight: 'bolder', size: 'medium' })];
  if (attached.length > 0)
    lines.push(
      text(
        `Attached to ${ticketId}: ${names(attached.map((f) => `${escape(f.name)} (${formatSize(f.size)})`))}.`,
        { color: 'good' },
      ),
    );
  for (const r of refused) lines.push(text(escape(r.sentence), { color: 'attention' }));
  if (attached.length === 0 && refused.length === 0) lines.push(text('No files were attached.'));
  return card(lines, { actions: [execute('Show ticket', 'ticket.show', { ticketId })] });
}

/**
 * The files a message from support carries (its event's `attachments`, ids separated by commas), as lines with a
 * link each to the customer's own tab page of the ticket, where the download checks who they are. Names and
 * sizes come from the ticket's recent 'attachment-added' events; without the app's id there is no link, and the
 * lines say where to find the files.
 */
export function carriedFileLines(ticket: Ticket, e: TicketEvent, appId: string | undefined): Element[] {
  const raw = e.data?.['attachments'];
  const ids =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [];
  if (ids.length === 0) return [];
  const known = new Map<string, { name: string; size: number | undefined }>();
  for (const r of ticket.recent) {
    const d = r.data ?? {};
    if (
      r.type === 'attachment-added' &&
      typeof d['attachmentId'] === 'string' &&
      typeof d['name'] === 'string'
    )
      known.set(d['attachmentId'], {
        name: d['name'],
        size: typeof d['size'] === 'number' ? d['size'] : undefined,
      });
  }
  const lines: Element[] = [
    text(`${ids.length === 1 ? 'File' : `${ids.length} files`} from support:`, {
      weight: 'bolder',
      spacing: 'medium',
    }),
  ];
  for (const [i, id] of ids.entries()) {
    const f = known.get(id);
    const label =
      f === undefined
        ? `File ${i + 1}`
        : `${escape(f.name)}${f.size === undefined ? '' : ` (${formatSize(f.size)})`}`;
    const link = tabTicketLink(appId, ticket.id, id);
    lines.push(text(link === undefined ? label : `[${label}](${link})`, { spacing: 'none' }));
  }
  lines.push(
    text(
      appId === undefined
        ? `Download ${ids.length === 1 ? 'it' : 'them'} from ${ticket.id}'s page in the SLA Desk tab.`
        : `${ids.length === 1 ? 'The link opens' : 'Each link opens'} ${ticket.id} in the SLA Desk tab, where you can download ${ids.length === 1 ? 'it' : 'them'}.`,
      { isSubtle: true, size: 'small' },
    ),
  );
  return lines;
}
