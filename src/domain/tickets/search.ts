// What a ticket can be found by: the words people wrote on it, kept beside the ticket so a search reads no
// timeline. Customer-visible texts and internal notes are kept apart (customers never match on notes).
import type { SearchText, Ticket, TicketEvent } from './model';

export type { SearchText };

/** Characters kept of each part: Table Storage holds 32,000 per property; the head has other fields too. */
export const SEARCH_TEXT_MAX = 24_000;
export const SEARCH_NOTES_MAX = 8_000;

/** Timeline events whose text someone wrote (system events such as warnings carry no searchable words). */
const WRITTEN: ReadonlySet<TicketEvent['type']> = new Set([
  'customer-message',
  'engineer-reply',
  'info-requested',
  'customer-answered',
  'internal-note',
  'workaround-delivered',
  'fix-recorded',
  'resolved',
  'closed',
  'reopened',
  'escalation-requested',
]);

const tail = (s: string, max: number): string => (s.length <= max ? s : s.slice(s.length - max));

/**
 * The search text after `events`, from the one before them (`undefined`: none yet).
 * @example searchText(undefined, [reply('Restart the SBC')]) // { text: 'Restart the SBC', notes: '' }
 */
export function searchText(prev: SearchText | undefined, events: readonly TicketEvent[]): SearchText {
  let text = prev?.text ?? '';
  let notes = prev?.notes ?? '';
  for (const e of events) {
    if (e.text === undefined || e.text === '' || !WRITTEN.has(e.type)) continue;
    if (e.internal) notes = notes === '' ? e.text : `${notes}\n${e.text}`;
    else text = text === '' ? e.text : `${text}\n${e.text}`;
  }
  return { text: tail(text, SEARCH_TEXT_MAX), notes: tail(notes, SEARCH_NOTES_MAX) };
}

/**
 * Whether a ticket matches lowercase `needle`: its id, title, customer, requester, description and the
 * written texts (`search`, or the timeline's `events` for tickets stored before search texts were kept);
 * internal notes only when `staff`.
 */
export function ticketMatches(t: Ticket, search: SearchText, needle: string, staff: boolean): boolean {
  if (needle === '') return true;
  const fields = [t.id, t.title, t.customerName, t.requester.name, t.description, search.text];
  if (staff) fields.push(search.notes);
  return fields.some((f) => f.toLowerCase().includes(needle));
}
