// The customer's whole experience over real HTTP: activities shaped like Teams traffic are posted to
// /api/messages; a fake Bot Connector on loopback records what the bot sends; assertions read the cards.
import type { App } from '../../src/app';
import { CONTOSO, FABRIKAM } from '../fixtures/filing';
import { actionExecute, personalMessage, installUpdate, post, type JsonObject } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';

const STRANGER = '33333333-3333-4333-8333-333333333333';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') }; // Wednesday, support open
const seenCards: unknown[] = [];

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso;${FABRIKAM}=Fabrikam`,
      SUPPORT_PHONE: '+1 413-331-6100 option 2',
      SUPPORT_EMAIL: 'help@teammate.example',
    },
  }));
});
afterAll(async () => {
  await stop();
  // Every card the bot sent in this file parses cleanly and fits a Teams message.
  for (const card of seenCards) expect(cardProblems(card)).toEqual([]);
});

const who = (tenantId = CONTOSO, userId = '29:ann') => ({
  serviceUrl: connector.serviceUrl,
  tenantId,
  userId,
  userName: 'Ann Customer',
  timezone: 'Europe/London',
});
const messages = `/api/messages`;

/** Posts a message and returns the cards (or texts) the bot sent back. */
async function say(
  text: string,
  tenantId = CONTOSO,
  userId = '29:ann',
): Promise<{ cards: Record<string, unknown>[]; texts: string[] }> {
  connector.clear();
  const res = await post(`${app.url}${messages}`, personalMessage({ ...who(tenantId, userId), text }));
  expect(res.status).toBe(200);
  const sent = connector.sent();
  const cards = sent.flatMap((r) => cardsOf(r.activity));
  seenCards.push(...cards);
  return { cards, texts: sent.map((r) => r.activity?.text ?? '').filter((t) => t !== '') };
}

/** Presses an Action.Execute button; returns the card (or message) of the invoke response. */
async function press(
  verb: string,
  data: JsonObject,
  tenantId = CONTOSO,
  userId = '29:ann',
  id?: string,
): Promise<{ card?: Record<string, unknown>; message?: string; status: number }> {
  const res = await post(
    `${app.url}${messages}`,
    actionExecute(
      verb,
      { verb, ...data },
      { ...who(tenantId, userId), replyToId: '1:card', ...(id === undefined ? {} : { id }) },
    ),
  );
  const body = res.body as { statusCode?: number; type?: string; value?: unknown } | undefined;
  const value = body?.value;
  if (body?.type === 'application/vnd.microsoft.card.adaptive') {
    seenCards.push(value);
    return { card: value as Record<string, unknown>, status: res.status };
  }
  return { message: typeof value === 'string' ? value : JSON.stringify(value), status: res.status };
}

function formData(card: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (typeof o['type'] === 'string' && o['type'].startsWith('Input.') && typeof o['id'] === 'string')
        out[o['id']] =
          typeof o['value'] === 'string' || typeof o['value'] === 'number' ? String(o['value']) : '';
      if (o['type'] === 'Action.Execute' && o['verb'] === 'ticket.submit') Object.assign(out, o['data']);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('a customer files and follows a ticket in Teams chat', () => {
  it('welcomes on install with hours, open now, phone and email, and two buttons', async () => {
    connector.clear();
    const res = await post(`${app.url}${messages}`, installUpdate(who()));
    expect(res.status).toBe(200);
    const card = (await connector.waitFor((r) => cardsOf(r.activity).length > 0)).activity;
    const welcome = cardsOf(card)[0];
    seenCards.push(welcome);
    const text = cardText(welcome);
    expect(text).toContain('Monday to Friday, 04:00–22:00 ET');
    expect(text).toContain('Support is open now.');
    expect(text).toContain('+1 413-331-6100 option 2');
    expect(text).toContain('help@teammate.example');
    expect(JSON.stringify(welcome)).toContain('"verb":"ticket.new"');
    expect(JSON.stringify(welcome)).toContain('"verb":"tickets.mine"');
    const help = await say('help');
    expect(cardText(help.cards[0])).toContain('Support hours');
  });

  it('a message that describes a problem opens the form, prefilled, with a suggested priority and why', async () => {
    const { cards } = await say('None of our users can make calls since 9am');
    expect(cards).toHaveLength(1);
    const form = cards[0] ?? {};
    const values = formData(form);
    expect(values['title']).toBe('None of our users can make calls since 9am');
    expect(values['priority']).toBe('P1');
    expect(values['category']).toBe('outage');
    expect(cardText(form)).toContain('"none of our" + "make calls" → P1, system-wide outage');
    expect(cardText(form)).toContain('system-wide outages that affect all Customer accounts');
    expect(values['requestId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a valid submit files one ticket and confirms with both deadlines in both zones and a plain sentence', async () => {
    clock.now = Date.parse('2026-11-25T10:00:00-05:00');
    const form = (await say('new ticket')).cards[0] ?? {};
    const data = {
      ...formData(form),
      title: 'Cannot transfer calls',
      description: 'Two accounts cannot transfer calls.',
      category: 'partial-outage',
      priority: 'P2',
      affectedUsers: '12',
      callbackNumber: '+1 555 0100',
    };
    const first = await press('ticket.submit', data);
    const text = cardText(first.card);
    const id = /TM-\d+/.exec(text)?.[0] ?? '';
    expect(id).not.toBe('');
    expect(text).toContain(`Ticket ${id} filed`);
    expect(text).toContain('Priority: P2: Partial outage on multiple accounts');
    expect(text).toContain('Window: In support hours');
    // 120 support-hours minutes from Wed 10:00 ET: Wed 12:00 ET, 17:00 in London.
    expect(text).toContain('Response due: today 12:00 ET (today 17:00 your time)');
    expect(text).toContain('Work-around due: Wed 2 Dec 10:00 ET (Wed 2 Dec 15:00 your time)');
    expect(text).toContain(
      'Support is open now. Your P2 ticket will get a reply by today 12:00 ET (today 17:00 your time).',
    );
    expect(JSON.stringify(first.card)).toContain('"refresh"');
    // Submitting the same form again files nothing new.
    const second = await press('ticket.submit', data);
    expect(cardText(second.card)).toContain(`Ticket ${id} filed`);
    const mine = await app.tickets.tenantTickets(CONTOSO, 50);
    expect(mine.items.filter((t) => t.title === 'Cannot transfer calls')).toHaveLength(1);
  });

  it('after hours the sentence says when support opens and when the reply is due', async () => {
    clock.now = Date.parse('2026-11-28T10:00:00-05:00'); // Saturday
    const form = (await say('new ticket')).cards[0] ?? {};
    const res = await press('ticket.submit', {
      ...formData(form),
      title: 'Cannot add a user',
      description: 'The admin portal refuses new users.',
      category: 'provisioning',
      priority: 'P3',
    });
    expect(cardText(res.card)).toContain(
      'Support is closed until Monday 04:00 ET (Monday 09:00 your time). Your P3 ticket will get a reply by Monday 12:00 ET (Monday 17:00 your time).',
    );
    clock.now = Date.parse('2026-11-25T10:00:00-05:00');
  });

  it('validation errors come back in the card with what was typed kept', async () => {
    const form = (await say('new ticket')).cards[0] ?? {};
    const res = await press('ticket.submit', {
      ...formData(form),
      title: '',
      description: 'typed text stays',
      priority: 'P9',
      affectedUsers: 'many',
    });
    const text = cardText(res.card);
    expect(text).toContain('Please check the fields marked below.');
    expect(text).toContain('A short title is required.');
    expect(text).toContain('Pick a priority.');
    expect(text).toContain('A whole number from 0 to 10,000,000.');
    expect(formData(res.card ?? {})['description']).toBe('typed text stays');
  });

  it('"my tickets" lists the tenant\'s open tickets with state and next deadline; "status" shows one with its timeline', async () => {
    const { cards } = await say('my tickets');
    const text = cardText(cards[0]);
    expect(text).toMatch(/Open tickets \(\d+\)/);
    expect(text).toContain('Cannot transfer calls');
    expect(text).toContain('Response due today 12:00 ET');
    const id = /(TM-\d+)\*\* · P2 · Cannot transfer calls/.exec(text)?.[1] ?? '';
    const status = await say(`status ${id}`);
    const card = cardText(status.cards[0]);
    expect(card).toContain(`${id} · P2 · New`);
    expect(card).toContain('Response: On track: due today 12:00 ET');
    expect(card).toContain('**Filed**');
  });

  it('a follow-up "TM-…: text" goes to the timeline', async () => {
    const list = await app.tickets.tenantOpen(CONTOSO);
    const ticket = list.find((t) => t.title === 'Cannot transfer calls');
    if (ticket === undefined) throw new Error('no ticket');
    const { cards } = await say(`${ticket.id}: it also fails on hold`);
    expect(cardText(cards[0])).toContain('Added to your ticket.');
    expect(cardText(cards[0])).toContain('it also fails on hold');
  });

  it("a reply to the bot's message about a ticket goes to that ticket", async () => {
    const ticket = (await app.tickets.tenantOpen(CONTOSO)).find((t) => t.title === 'Cannot transfer calls');
    if (ticket === undefined) throw new Error('no ticket');
    connector.clear();
    await post(`${app.url}${messages}`, personalMessage({ ...who(), text: `status ${ticket.id}` }));
    const shown = connector.sent()[0]?.id ?? '';
    connector.clear();
    const res = await post(
      `${app.url}${messages}`,
      personalMessage({ ...who(), text: 'Also the hold button fails', replyToId: shown }),
    );
    expect(res.status).toBe(200);
    expect(cardText(cardsOf(connector.sent()[0]?.activity)[0])).toContain('Added to your ticket.');
    const timeline = await app.tickets.timeline({ kind: 'tenant', tenantId: CONTOSO }, ticket.id);
    if (!timeline.ok) throw timeline.error;
    expect(timeline.value.events.map((e) => e.text)).toContain('Also the hold button fails');
  });

  it('escalation is recorded once per four hours', async () => {
    const ticket = (await app.tickets.tenantOpen(CONTOSO)).find((t) => t.title === 'Cannot transfer calls');
    if (ticket === undefined) throw new Error('no ticket');
    const first = await press('ticket.escalate', { ticketId: ticket.id, reason: 'Our CEO cannot transfer' });
    // No support channel is set in this file: nobody is told it reached the team.
    expect(cardText(first.card)).toContain(
      `Your escalation is recorded on ${ticket.id}, but it cannot reach the support team automatically right now: for anything urgent call +1 413-331-6100 option 2. The team will see it when they next open the ticket.`,
    );
    const again = await press('ticket.escalate', { ticketId: ticket.id, reason: 'Still' });
    expect(again.message).toContain('was escalated less than 4 hours ago');
    const timeline = await app.tickets.timeline({ kind: 'staff' }, ticket.id);
    if (!timeline.ok) throw timeline.error;
    expect(timeline.value.events.filter((e) => e.type === 'escalation-requested')).toHaveLength(1);
  });

  it("another tenant's ticket id is not found, exactly like a missing one", async () => {
    const ticket = (await app.tickets.tenantOpen(CONTOSO))[0];
    if (ticket === undefined) throw new Error('no ticket');
    const theirs = await say(`status ${ticket.id}`, FABRIKAM, '29:fab');
    const missing = await say('status TM-999999', FABRIKAM, '29:fab');
    expect(theirs.texts[0]).toBe(`No ticket ${ticket.id} was found for your organisation.`);
    expect(missing.texts[0]).toBe('No ticket TM-999999 was found for your organisation.');
    const replayed = await press(
      'ticket.answer',
      { ticketId: ticket.id, message: 'let me in' },
      FABRIKAM,
      '29:fab',
    );
    expect(replayed.message).toBe(`No ticket ${ticket.id} was found for your organisation.`);
    const shown = await press('ticket.show', { ticketId: ticket.id }, FABRIKAM, '29:fab');
    expect(shown.message).not.toContain(ticket.title);
  });

  it('a user from a tenant that is not a customer gets the phone and email, and nothing is stored', async () => {
    const before = (await app.tickets.tenantTickets(STRANGER, 10)).items.length;
    const { texts, cards } = await say('None of our users can make calls', STRANGER, '29:x');
    expect(cards).toHaveLength(0);
    expect(texts[0]).toContain('+1 413-331-6100 option 2');
    expect(texts[0]).toContain('help@teammate.example');
    const res = await press(
      'ticket.submit',
      {
        requestId: '3b7e6c1a-0000-4000-8000-000000000001',
        title: 'x',
        description: 'y',
        category: 'outage',
        priority: 'P1',
      },
      STRANGER,
      '29:x',
    );
    expect(res.message).toContain('not set up for SLA Desk support');
    expect((await app.tickets.tenantTickets(STRANGER, 10)).items.length).toBe(before);
  });

  it('oversized and malformed input gets a clear answer and changes nothing', async () => {
    const before = (await app.tickets.tenantTickets(CONTOSO, 100)).items.length;
    const huge = await post(
      `${app.url}${messages}`,
      personalMessage({ ...who(), text: 'x'.repeat(300_000) }),
    );
    expect(huge.status).toBe(413);
    const broken = await fetch(`${app.url}${messages}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(broken.status).toBe(400);
    const notObject = await fetch(`${app.url}${messages}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(notObject.status).toBe(400);
    const badForm = await press('ticket.submit', { requestId: 'x/../#?', title: 'a' });
    expect(badForm.message).toContain('could not be read');
    const longTitle = await press('ticket.submit', {
      requestId: '3b7e6c1a-0000-4000-8000-000000000002',
      title: 't'.repeat(201),
      description: 'd',
      category: 'outage',
      priority: 'P1',
    });
    expect(cardText(longTitle.card)).toContain('At most 200 characters.');
    const injection = await press('ticket.submit', {
      requestId: '3b7e6c1a-0000-4000-8000-000000000003',
      title: '**bold** <at>Bob</at> [click](https://evil.example)',
      description: 'd',
      category: 'question',
      priority: 'P3',
    });
    const shown = cardText(injection.card);
    expect(shown).toContain('\\*\\*bold\\*\\* \\<at\\>Bob\\</at\\> \\[click\\](https://evil.example)');
    expect((await app.tickets.tenantTickets(CONTOSO, 100)).items.length).toBe(before + 1);
  });
});
