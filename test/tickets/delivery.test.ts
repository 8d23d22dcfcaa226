// Delivery state as pure commands and the staff card's lines: what is recorded when a message for the
// customer fails, arrives late or cannot be sent, and how the customer writing again clears the mark.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import { deliveryLines } from '../../src/domain/cards/staff';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Actor, Ticket, TicketEvent } from '../../src/domain/tickets/model';
import { aFiling, alice, ann, system } from '../fixtures/filing';

const engine = new SlaEngine(DEFAULT_POLICY);
const et = (local: string): number => Date.parse(`${local}-05:00`);
const CHAT = { conversationId: 'a:1old', serviceUrl: 'https://smba.example/', userId: '29:ann' };

function filed(callbackNumber?: string): Ticket {
  const r = openTicket(
    'TM-1001',
    aFiling({ customerChat: CHAT, ...(callbackNumber === undefined ? {} : { callbackNumber }) }),
    et('2026-11-27T21:00:00'),
    engine,
  );
  if (!r.ok) throw r.error;
  return r.value.ticket;
}

function step(t: Ticket, actor: Actor, cmd: Command, at: string): { t: Ticket; events: TicketEvent[] } {
  const r = apply(t, actor, cmd, et(at), engine);
  if (!r.ok) throw new Error(`${cmd.kind} failed: ${r.error.message}`);
  return { t: r.value.ticket, events: r.value.events.map((e, i) => ({ ...e, ticketId: t.id, seq: i })) };
}

const delivery = (
  state: 'retrying' | 'failed' | 'delivered',
  reason: string,
  unreachable = false,
): Command => ({
  kind: 'delivery',
  seq: 3,
  at: et('2026-11-27T21:40:00'),
  what: 'reply',
  state,
  reason,
  ...(unreachable ? { unreachable: true } : {}),
});

describe('a reply that does not reach the customer at first', () => {
  it('is retrying on the card, then gone once delivered; the timeline says both', () => {
    const a = step(filed(), system, delivery('retrying', 'Teams answered 503'), '2026-11-27T21:41:00');
    expect(a.events.map((e) => e.text)).toEqual([
      'The reply has not reached the customer yet (retrying): Teams answered 503',
    ]);
    expect(deliveryLines(DEFAULT_POLICY, a.t, et('2026-11-27T21:42:00'))).toEqual([
      'Reply of today 21:40 ET: not delivered yet (retrying) — Teams answered 503',
    ]);
    // A second failure of the same message adds nothing.
    expect(
      step(a.t, system, delivery('retrying', 'Teams answered 502'), '2026-11-27T21:42:00').events,
    ).toEqual([]);
    const b = step(a.t, system, delivery('delivered', 'Teams accepted it'), '2026-11-27T21:44:00');
    expect(b.events.map((e) => e.text)).toEqual(['The reply reached the customer.']);
    expect(deliveryLines(DEFAULT_POLICY, b.t, et('2026-11-27T21:44:00'))).toEqual([]);
  });
});

describe('a chat Teams refuses for good', () => {
  const reason = 'the chat no longer exists (SLA Desk was removed or the chat deleted)';

  it('marks the ticket unreachable and tells the engineer whom to call (with the callback number)', () => {
    const a = step(filed('+1 555 0100'), system, delivery('failed', reason, true), '2026-11-27T21:41:00');
    expect(a.t.chatUnreachable).toEqual({ at: et('2026-11-27T21:41:00'), reason });
    expect(deliveryLines(DEFAULT_POLICY, a.t, et('2026-11-27T21:42:00'))).toEqual([
      `Reply of today 21:40 ET could not be delivered: ${reason}. Call the customer at +1 555 0100 or email them.`,
      `Messages for the customer are not sent until they write again: their chat could not be reached (${reason}).`,
    ]);
  });

  it('without a callback number, says there is none', () => {
    const a = step(filed(), system, delivery('failed', reason, true), '2026-11-27T21:41:00');
    expect(deliveryLines(DEFAULT_POLICY, a.t, et('2026-11-27T21:42:00'))[0]).toContain(
      'Phone or email the customer (no callback number on the ticket).',
    );
  });

  it('is cleared when the requester writes from their chat, which becomes the one used', () => {
    const gone = step(filed(), system, delivery('failed', reason, true), '2026-11-27T21:41:00').t;
    const chat = { ...CHAT, conversationId: 'a:1new' };
    const back = step(
      gone,
      ann,
      { kind: 'customer-message', text: 'Back again', chat },
      '2026-11-27T22:00:00',
    ).t;
    expect(back.chatUnreachable).toBeUndefined();
    expect(back.customerChat).toEqual(chat);
  });

  it('is not cleared by someone else of the customer tenant writing (their chat is not the requester’s)', () => {
    const gone = step(filed(), system, delivery('failed', reason, true), '2026-11-27T21:41:00').t;
    const other: Actor = { id: 'aad-carl', name: 'Carl Customer', role: 'customer' };
    const chat = { ...CHAT, conversationId: 'a:1carl', userId: '29:carl' };
    const after = step(
      gone,
      other,
      { kind: 'customer-message', text: 'Me too', chat },
      '2026-11-27T22:00:00',
    ).t;
    expect(after.chatUnreachable).toBeDefined();
    expect(after.customerChat).toEqual(CHAT);
  });

  it('only the app records deliveries', () => {
    expect(apply(filed(), alice, delivery('delivered', 'x'), et('2026-11-27T21:41:00'), engine).ok).toBe(
      false,
    );
  });
});
