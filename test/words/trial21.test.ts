// Trial of issue 21: what customers and engineers read about files, reopening and ratings. Every event type a
// customer can see has a label on their ticket card (none is printed raw); a reopened ticket reads "Reopened"
// until the round's first reply; the welcome card says how to reopen and attach; satisfaction in plain words.
import {
  customerEventLabel,
  customerTicketCard,
  CUSTOMER_EVENT_LABELS,
} from '../../src/domain/cards/customer/ticket';
import { welcomeCard } from '../../src/domain/cards/customer/welcome';
import { targetLines } from '../../src/domain/cards/targets';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import { ticketsCounted } from '../../src/domain/stats/count-words';
import { satisfactionSentence } from '../../src/domain/stats/satisfaction-words';
import { apply, openTicket } from '../../src/domain/tickets/commands';
import { shownStatus, STATUS_WORDS } from '../../src/domain/tickets/event-labels';
import { EVENT_TYPES, type EventType, type Ticket, type TicketEvent } from '../../src/domain/tickets/model';
import { aFiling, alice } from '../fixtures/filing';
import { cardText } from '../support/cards';

const engine = new SlaEngine(DEFAULT_POLICY);
const et = (local: string): number => Date.parse(`${local}-05:00`);
const now = et('2026-12-08T10:40:00');
const clock = { now, viewerZone: undefined };

/** The event types the app only ever stores internal (staff only): never on the customer's timeline. */
const STAFF_ONLY: ReadonlySet<EventType> = new Set([
  'internal-note',
  'owner-changed',
  'warning-sent',
  'page-sent',
  'page-acknowledged',
  'page-scheduled',
  'page-reached',
  'page-failed',
  'paging-alarm',
  'channel-missing',
  'delivery-failed',
  'delivery-recovered',
  'rating-asked',
  'follow-up-filed',
]);
// 'attachment-removed' is stored internal (its reason is for staff) but told to the customer without who or
// why (src/domain/attachments/customer-side.ts), so it has a customer label too.

function ticketAt(): Ticket {
  const opened = openTicket('TM-1001', aFiling({ priority: 'P3' }), et('2026-12-08T10:00:00'), engine);
  if (!opened.ok) throw opened.error;
  return opened.value.ticket;
}

function event(
  type: EventType,
  data?: TicketEvent['data'],
  role: 'customer' | 'engineer' = 'engineer',
): TicketEvent {
  return {
    ticketId: 'TM-1001',
    seq: 1,
    at: et('2026-12-08T10:37:00'),
    type,
    actor:
      role === 'customer'
        ? { id: 'c', name: 'Ann Customer', role }
        : { id: 'e', name: 'Local Engineer', role },
    text: 'steps.pdf (125 bytes)',
    internal: false,
    ...(data === undefined ? {} : { data }),
  };
}

function cardOf(ticket: Ticket, events: readonly TicketEvent[]): string {
  return cardText(
    customerTicketCard({
      policy: DEFAULT_POLICY,
      ticket,
      targets: targetLines(engine, ticket, now),
      events,
      clock,
      userId: 'c',
    }),
  );
}

describe("the customer's ticket card", () => {
  it('has a customer label for every event type that is not staff-only, and none for the staff-only ones', () => {
    for (const type of EVENT_TYPES) {
      const label = CUSTOMER_EVENT_LABELS[type];
      if (STAFF_ONLY.has(type)) expect([type, label]).toEqual([type, null]);
      else expect([type, typeof label]).toEqual([type, 'string']);
    }
  });

  it('never prints an event type: one event of each type, shown as customer-visible', () => {
    const ticket = ticketAt();
    for (const type of EVENT_TYPES) {
      const text = cardOf(ticket, [event(type)]);
      // Each timeline line opens with its label in bold: never the type's own name.
      expect([type, text.includes(`**${type}**`)]).toEqual([type, false]);
      if (!STAFF_ONLY.has(type)) expect(text).toContain(`**${customerEventLabel(event(type)) ?? '?'}**`);
    }
    const unknown = { ...event('resolved'), type: 'teleported' as EventType };
    expect(cardOf(ticket, [unknown])).not.toContain('teleported');
    expect(customerEventLabel(unknown)).toBeUndefined();
  });

  it('labels files and ratings in plain words', () => {
    const ticket = ticketAt();
    const text = cardOf(ticket, [
      event('attachment-added'),
      { ...event('attachment-added', undefined, 'customer'), seq: 2 },
      {
        ...event('rated', { score: 4, resolvedAt: 1, previous: null }, 'customer'),
        text: 'Fixed well in the end.',
        seq: 3,
      },
    ]);
    expect(text).toContain('**File added** (Local Engineer), today 10:37 ET: steps.pdf (125 bytes)');
    expect(text).toContain('**You sent a file**, today 10:37 ET: steps.pdf (125 bytes)');
    expect(text).toContain('**You rated 4 of 5**, today 10:37 ET: Fixed well in the end.');
  });
});

describe('the status shown after a reopen', () => {
  it('reads "Reopened" until the round\'s first reply, then the stored status again', () => {
    const t = ticketAt();
    const steps: [Parameters<typeof apply>[2], string][] = [
      [{ kind: 'reply', text: 'Looking.' }, '2026-12-08T10:05:00'],
      [{ kind: 'resolve', text: 'Fixed.' }, '2026-12-08T10:06:00'],
      [{ kind: 'reopen', reason: 'Broke again' }, '2026-12-08T10:38:00'],
    ];
    let cur = t;
    for (const [cmd, at] of steps) {
      const r = apply(cur, alice, cmd, et(at), engine);
      if (!r.ok) throw r.error;
      cur = r.value.ticket;
    }
    expect(cur.status).toBe('responded');
    expect(shownStatus(cur)).toBe('reopened');
    expect(STATUS_WORDS[shownStatus(cur)]).toBe('reopened');
    expect(cardOf(cur, [])).toContain('TM-1001 · P3 · Reopened');
    const r = apply(cur, alice, { kind: 'reply', text: 'On it again.' }, et('2026-12-08T10:45:00'), engine);
    if (!r.ok) throw r.error;
    expect(shownStatus(r.value.ticket)).toBe('responded');
    expect(cardOf(r.value.ticket, [])).toContain('TM-1001 · P3 · Responded');
  });
});

describe('the welcome card', () => {
  it('says how to reopen a ticket and how to attach files', () => {
    const text = cardText(
      welcomeCard({
        policy: DEFAULT_POLICY,
        contact: { phone: '+1 555 0100', email: 'support@example.com' },
        open: true,
        nextOpening: now,
        clock,
        customerName: 'Contoso',
      }),
    );
    expect(text).toContain('**reopen TM-1042: …** reopens it if the fix did not hold.');
    expect(text).toContain(
      'To attach files, send them in this chat with **TM-1042: …** or with the problem.',
    );
  });
});

describe('satisfaction in words', () => {
  it('is plain, with singular and plural right', () => {
    expect(satisfactionSentence({ asked: 1, answers: 1, csat: 1, responseRate: 1 })).toBe(
      '1 rating: 100 % rated 4 or 5. 1 of 1 rating card answered (100 %).',
    );
    expect(satisfactionSentence({ asked: 6, answers: 5, csat: 0.8, responseRate: 0.8333 })).toBe(
      '5 ratings: 80 % rated 4 or 5. 5 of 6 rating cards answered (83 %).',
    );
    expect(satisfactionSentence({ asked: 1, answers: 0, csat: null, responseRate: 0 })).toBe(
      'No ratings yet (1 rating card sent).',
    );
  });
});

describe("the dashboard's ticket count", () => {
  it('counts tickets, and names the reopened rounds counted with them', () => {
    expect(ticketsCounted({ tickets: 5, rounds: 5 })).toBe('5 tickets');
    expect(ticketsCounted({ tickets: 5, rounds: 7 })).toBe('5 tickets and 2 reopens');
    expect(ticketsCounted({ tickets: 1, rounds: 2 })).toBe('1 ticket and 1 reopen');
  });
});
