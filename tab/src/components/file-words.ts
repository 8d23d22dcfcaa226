// The words the ticket page uses for files: where one came from, its kind, and a file event in the timeline.
import type { AttachmentView, EventView } from '../../../src/adapters/api/contract';

/** Where a file came from, as the list says it. */
export const SOURCE_WORDS: Readonly<Record<AttachmentView['source'], string>> = {
  chat: 'sent in the chat',
  'pasted-image': 'image pasted in the chat',
  tab: 'added in the tab',
};

/**
 * What a file event says in the timeline: "screenshot.png (312 KB), image pasted in the chat" for a file
 * added (its source from the event's data), with "; removed since" once it was removed; undefined for other
 * events (their text is shown as it is).
 */
export function fileEventText(e: Pick<EventView, 'type' | 'text' | 'data'>): string | undefined {
  if (e.type !== 'attachment-added' || e.text === null) return undefined;
  const source = e.data?.['source'];
  const words =
    typeof source === 'string'
      ? (SOURCE_WORDS as Readonly<Record<string, string | undefined>>)[source]
      : undefined;
  const removed = e.data?.['removed'] === true ? '; removed since' : '';
  if (words === undefined) return removed === '' ? undefined : `${e.text}${removed}`;
  return `${e.text}, ${words}${removed}`;
}

/** A word for a file's kind, from the type it is stored with. */
export function kindWord(contentType: string): string {
  if (contentType.startsWith('image/')) return 'Image';
  if (contentType === 'application/pdf') return 'PDF';
  if (contentType === 'application/zip') return 'Zip';
  if (/word|opendocument\.text/.test(contentType)) return 'Document';
  if (/sheet|excel|csv/.test(contentType)) return 'Spreadsheet';
  if (/presentation|powerpoint/.test(contentType)) return 'Slides';
  if (/rfc822|outlook/.test(contentType)) return 'Email';
  return 'Text';
}
