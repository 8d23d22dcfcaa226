// The rating card goes out like every customer message, over real HTTP with the fake connector and Azurite:
// delivered, the ask is counted in the response rate; refused by Teams, the timeline and the staff card say
// the rating card could not be delivered, the managers' channel is told, and the ask is not counted.
import type { App } from '../../src/app';
import { isForCustomer } from '../../src/domain/cards/customer/notice';
import type { Ticket, TicketEvent } from '../../src/domain/tickets/model';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { startWithConnector } from '../support/authed';
import { cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { supportChannel, type TestClock } from '../support/app';

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
// Tuesday 24 November 2026, 10:00 ET.
const clock: TestClock = { now: Date.parse('2026-11-24T10:00:00-05:00') };
const ENGINEER = {
  id: 'eeeeeeee-0000-4000-8000-000000000002',
  name: 'Eddie Engineer',
  role: 'engineer' as const,
};
const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
const CHANNEL = '19:rating-delivery@thread.tacv2';
const MANAGERS = '19:rating-managers@thread.tacv2';
let chats = 0;

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso` },
  }));
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
  await app.deps.settings.setManagersChannel(supportChannel(MANAGERS, connector.serviceUrl, clock.now));
});
afterAll(() => stop());

async function filed(title: string): Promise<{ ticket: Ticket; chat: string }> {
  const chat = `a:rating-chat-${++chats}`;
  const made = await app.tickets.file(
    aFiling({
      title,
      requester: { id: 'aad-megan', name: 'Megan Bowen', timeZone: 'America/New_York' },
      customerChat: { conversationId: chat, serviceUrl: connector.serviceUrl, userId: '29:megan' },
    }),
  );
  if (!made.ok) throw made.error;
  await app.background.drain();
  return { ticket: made.value.ticket, chat };
}

async function act(
  id: string,
  cmd: Parameters<App['tickets']['act']>[3],
  actor: typeof ENGINEER | typeof SYSTEM = ENGINEER,
) {
  clock.now += 60_000;
  const acted = await app.tickets.act({ kind: 'staff' }, id, actor, cmd, {});
  if (!acted.ok) throw acted.error;
  await app.background.drain();
  return acted.value.ticket;
}

async function stored(id: string): Promise<{ ticket: Ticket; events: readonly TicketEvent[] }> {
  const got = await app.tickets.timeline({ kind: 'staff' }, id);
  if (!got.ok) throw got.error;
  return got.value;
}

const asked = async (month: string) =>
  (await app.stats.dashboard(clock.now, month)).satisfaction?.find((m) => m.month === month)?.all;

describe('the rating card is delivered like the customer’s other messages', () => {
  it('is a message for the customer (so the repair pass sends one a crash left unsent)', () => {
    const e = { type: 'rating-asked', internal: true } as TicketEvent;
    expect(isForCustomer(e)).toBe(true);
  });

  it('counts an ask only once Teams accepted the card', async () => {
    const { ticket, chat } = await filed('Exports time out');
    await act(ticket.id, { kind: 'take' });
    await act(ticket.id, { kind: 'resolve', text: 'Raised the export timeout.' });
    const cards = connector
      .sent()
      .filter((r) => r.conversationId === chat)
      .map((r) => cardText(cardsOf(r.activity)[0]));
    expect(cards.filter((t) => t.includes(`How did we do on ${ticket.id}?`))).toHaveLength(1);
    const { ticket: t, events } = await stored(ticket.id);
    expect(t.ratings?.[0]?.sentAt).toEqual(expect.any(Number));
    expect(t.undelivered ?? []).toEqual([]);
    expect(events.find((e) => e.type === 'rating-asked')?.text).toBe(
      'Sending the customer a card to rate this resolution.',
    );
    expect(events.some((e) => e.type === 'delivery-failed')).toBe(false);
    expect(await asked('2026-11')).toMatchObject({ asked: 1, answers: 0, responseRate: 0 });
  });

  it('says on the timeline and the staff card when Teams refuses it, and does not count it as asked', async () => {
    const { ticket, chat } = await filed('Invoices show the wrong VAT');
    await act(ticket.id, { kind: 'take' });
    // Teams refuses every message for this chat (not a reason to stop trying the chat: 400).
    const allow = connector.refuse({
      conversationId: chat,
      status: 400,
      code: 'BadArgument',
      message: 'The activity was refused.',
    });
    try {
      const resolved = await act(ticket.id, { kind: 'resolve', text: 'Fixed the VAT table.' });
      // As the delivery does once a resolution reached the chat (here it did not: the card is asked anyway).
      await act(ticket.id, { kind: 'ask-rating', resolvedAt: Number(resolved.resolvedAt) }, SYSTEM);
    } finally {
      allow();
    }
    const { ticket: t, events } = await stored(ticket.id);
    expect(t.ratings?.[0]?.sentAt).toBeUndefined();
    const failed = events.filter((e) => e.type === 'delivery-failed').map((e) => e.text);
    expect(failed).toContain('The rating card could not be delivered to the customer: Teams answered 400');
    expect(t.undelivered).toEqual(
      expect.arrayContaining([expect.objectContaining({ what: 'rating card', state: 'failed' })]),
    );
    const root = cardText(cardsOf(connector.current(t.thread?.activityId ?? ''))[0]);
    expect(root).toContain('Rating card of');
    expect(root).toContain('could not be delivered: Teams answered 400');
    const alerts = connector
      .sent()
      .filter((r) => r.conversationId === MANAGERS)
      .map((r) => cardText(cardsOf(r.activity)[0]));
    expect(alerts.some((a) => a.includes(ticket.id) && a.includes('rating card'))).toBe(true);
    // Still one asked in November: the refused card is not counted.
    expect(await asked('2026-11')).toMatchObject({ asked: 1, answers: 0 });
  });
});
