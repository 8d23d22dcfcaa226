// What a customer is told about the files they sent in chat: which are attached to the ticket (stored), and
// which are not and why. Nothing is called attached unless it was stored.
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
 * A size as people read it: bytes, KB or MB (1 KB = 1,024 bytes), one decimal under 10.
 * @example fileSize(123_456) // '121 KB'
 */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString()} ${unit}`;
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
        `Attached to ${ticketId}: ${names(attached.map((f) => `${escape(f.name)} (${fileSize(f.size)})`))}.`,
        { color: 'good' },
      ),
    );
  for (const r of refused) lines.push(text(escape(r.sentence), { color: 'attention' }));
  if (attached.length === 0 && refused.length === 0) lines.push(text('No files were attached.'));
  return card(lines, { actions: [execute('Show ticket', 'ticket.show', { ticketId })] });
}
