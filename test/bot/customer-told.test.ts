// What the customer is told in their chat, over real HTTP with the fake Bot Connector and a real Azurite:
// a reopen by support reaches them, and an escalation in its cooldown says so before asking for a reason.
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { actionExecute, post } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') }; // Wednesday, support open
const seenCards: unknown[] = [];
const ENGINEER = {
  id: 'eeeeeeee-0000-4000-8000-000000000001',
  name: 'Eddie Engineer',
  role: 'engineer' as const,
};
const HOUR = 3_600_000;
let chats = 0;

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso`, SUPPORT_PHONE: '+1 413-331-6100 option 2' },
  }));
});
afterAll(async () => {
  await stop();
  for (const card of seenCards) expect(cardProblems(card)).toEqual([]);
});

const ann = {
  tenantId: CONTOSO,
  userId: '29:ann',
  userName: 'Ann Customer',
  timezone: 'Europe/London',
};

async function filed(title: string): Promise<{ ticket: Ticket; chat: string }> {
  const chat = `a:ann-chat-${++chats}`;
  const made = await app.tickets.file(
    aFiling({
      title,
      priority: 'P2',
      customerChat: { conversationId: chat, serviceUrl: connector.serviceUrl, userId: '29:ann' },
    }),
  );
  if (!made.ok) throw made.error;
  await app.background.drain();
  return { ticket: made.value.ticket, chat };
}

async function staff(id: string, cmd: Parameters<App['tickets']['act']>[3]): Promise<void> {
  clock.now += 60_000;
  const acted = await app.tickets.act({ kind: 'staff' }, id, ENGINEER, cmd, {});
  if (!acted.ok) throw acted.error;
  await app.background.drain();
}

/** The texts of the cards the customer's chat received. */
function inChat(chat: string): string[] {
  return connector
    .sent()
    .filter((r) => r.conversationId === chat)
    .map((r) => {
      const card = cardsOf(r.activity)[0];
      seenCards.push(card);
      return cardText(card);
    });
}

async function press(verb: string, data: Record<string, string>) {
  const res = await post(
    `${app.url}/api/messages`,
    actionExecute(verb, { verb, ...data }, { ...ann, serviceUrl: connector.serviceUrl, replyToId: '1:card' }),
  );
  const body = res.body as { type?: string; value?: unknown } | undefined;
  if (body?.type === 'application/vnd.microsoft.card.adaptive') {
    seenCards.push(body.value);
    return { card: body.value as Record<string, unknown>, message: undefined };
  }
  return {
    card: undefined,
    message: typeof body?.value === 'string' ? body.value : JSON.stringify(body?.value),
  };
}

describe('a reopen by support', () => {
  it('tells the customer, with the reason, in their chat', async () => {
    const { ticket, chat } = await filed('Transfers fail');
    await staff(ticket.id, { kind: 'resolve', text: 'Fixed the dial plan.' });
    // The resolution, then its rating card (test/ratings).
    expect(inChat(chat).at(-2)).toContain(`Resolved · ${ticket.id}`);
    expect(inChat(chat).at(-1)).toContain(`How did we do on ${ticket.id}?`);
    await staff(ticket.id, { kind: 'reopen', reason: 'The fix did not cover transfers' });
    const last = inChat(chat).at(-1) ?? '';
    expect(last).toContain(`Reopened · ${ticket.id}`);
    expect(last).toContain(
      `${ticket.id} was reopened by support: The fix did not cover transfers. We'll get back to you.`,
    );
  });

  it('without a reason still says it was reopened', async () => {
    const { ticket, chat } = await filed('Voicemail is silent');
    await staff(ticket.id, { kind: 'resolve' });
    await staff(ticket.id, { kind: 'reopen' });
    expect(inChat(chat).at(-1)).toContain(`${ticket.id} was reopened by support. We'll get back to you.`);
  });
});

describe('a second escalation in its cooldown', () => {
  it('says the cooldown first, without asking for a reason', async () => {
    const { ticket } = await filed('Hold music missing');
    const first = await press('ticket.escalate', { ticketId: ticket.id, reason: 'Our CEO is waiting' });
    expect(cardText(first.card)).toContain(`Your escalation is recorded on ${ticket.id}`);
    // The card the customer now holds offers Escalate without the reason form.
    expect(JSON.stringify(first.card)).not.toContain('Why does this need escalation?');
    const again = await press('ticket.escalate', { ticketId: ticket.id });
    expect(again.message).toContain(
      `${ticket.id} was escalated less than 4 hours ago; you can escalate it again from`,
    );
    clock.now += 4 * HOUR;
    const shown = await press('ticket.show', { ticketId: ticket.id });
    expect(JSON.stringify(shown.card)).toContain('Why does this need escalation?');
    const noReason = await press('ticket.escalate', { ticketId: ticket.id });
    expect(noReason.message).toBe('Reason is required.');
    const timeline = await app.tickets.timeline({ kind: 'staff' }, ticket.id);
    if (!timeline.ok) throw timeline.error;
    expect(timeline.value.events.filter((e) => e.type === 'escalation-requested')).toHaveLength(1);
  });
});
