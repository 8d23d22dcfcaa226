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
 * added (its source from the event's data); undefined for other events (their text is shown as it is).
 */
export function fileEventText(e: Pick<EventView, 'type' | 'text' | 'data'>): string | undefined {
  const source = e.data?.['source'];
  if (e.type !== 'attachment-added' || e.text === null || typeof source !== 'string') return undefined;
  const words = (SOURCE_WORDS as Readonly<Record<string, string | undefined>>)[source];
  return words === undefined ? undefined : `${e.text}, ${words}`;
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
