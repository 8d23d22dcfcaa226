// What a customer may see of a ticket's events: every public one, and of the internal ones only a file's
// removal, told without who removed it or why. The tab's timeline and the chat's ticket card both use it.
import type { TicketEvent } from '../tickets/model';

/**
 * What a customer's timeline shows of an event: nothing of an internal one, except a file's removal, told
 * without who removed it or why (the manager's reason may be sensitive): "a.png was removed by support".
 */
export function customerSideOf(e: TicketEvent): TicketEvent[] {
  if (!e.internal) return [e];
  if (e.type !== 'attachment-removed') return [];
  const name = typeof e.data?.['name'] === 'string' ? e.data['name'] : 'A file';
  const id = e.data?.['attachmentId'];
  return [
    {
      ticketId: e.ticketId,
      seq: e.seq,
      at: e.at,
      type: e.type,
      actor: { id: 'support', name: 'Support', role: 'system' },
      text: `${name} was removed by support`,
      internal: false,
      data: { name, ...(typeof id === 'string' ? { attachmentId: id } : {}) },
    },
  ];
}
