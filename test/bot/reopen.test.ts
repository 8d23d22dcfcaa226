// Reopening over real HTTP (/api/messages, the fake Bot Connector, Azurite, a test clock): the customer's
// Reopen button and typed command inside the 14-day window, the refusal and linked ticket after it, another
// tenant's id, staff reopening after the window, round-2 warnings from the watcher and a P1 reopened after
// hours paging on-call. Expected deadlines were counted by hand (docs/sla-rules.md, "Reopening").
import type { App } from '../../src/app';
import type { Actor, Ticket, TicketEvent } from '../../src/domain/tickets/model';
import type { Command } from '../../src/domain/tickets/commands';
import { CONTOSO, FABRIKAM } from '../fixtures/filing';
import { actionExecute, channelMessage, personalMessage, post, type JsonObject } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';
import { et } from '../fixtures/time';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const CHANNEL = '19:supportchannel@thread.tacv2';
const alice: Actor = { id: ALICE, name: 'Alice Engineer', role: 'engineer' };

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('Wed 2026-11-25 09:00') };
const cards: unknown[] = [];
let requests = 0;

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso;${FABRIKAM}=Fabrikam`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer`,
      ONCALL_ROTATION: JSON.stringify({
        start: '2026-11-23',
        handover: '09:00',
        weeks: [{ primary: BOB, secondary: ALICE }],
      }),
    },
  }));
  await post(
    `${app.url}/api/messages`,
    channelMessage({
      serviceUrl: connector.serviceUrl,
      tenantId: VENDOR,
      userId: '29:alice',
      aadObjectId: ALICE,
      userName: 'Alice Engineer',
      channel: { channelId: CHANNEL, channelName: 'Support' },
      text: 'use this channel for support',
    }),
  );
});
afterAll(async () => {
  await stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const customer = (tenantId = CONTOSO) => ({
  serviceUrl: connector.serviceUrl,
  tenantId,
  userId: '29:ann',
  aadObjectId: 'aad-ann',
  userName: 'Ann Customer',
  timezone: 'Europe/London',
});

async function press(
  verb: string,
  data: JsonObject,
  tenantId = CONTOSO,
): Promise<{ card?: Record<string, unknown>; message?: string }> {
  const res = await post(
    `${app.url}/api/messages`,
    actionExecute(verb, { verb, ...data }, { ...customer(tenantId), replyToId: '1:card' }),
  );
  expect(res.status).toBe(200);
  const body = res.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') {
    cards.push(body.value);
    return { card: body.value as Record<string, unknown> };
  }
  return { message: String(body.value) };
}

/** Sends a chat message; what the bot said back (card texts and plain texts). */
async function say(
  text: string,
  tenantId = CONTOSO,
): Promise<{ text: string; cards: Record<string, unknown>[] }> {
  connector.clear();
  const res = await post(`${app.url}/api/messages`, personalMessage({ ...customer(tenantId), text }));
  expect(res.status).toBe(200);
  const sent = connector.sent().filter((r) => r.conversationId?.startsWith(CHANNEL) !== true);
  const got = sent.flatMap((r) => cardsOf(r.activity));
  cards.push(...got);
  return {
    cards: got,
    text: [...got.map((c) => cardText(c)), ...sent.map((r) => r.activity?.text ?? '')].join('\n'),
  };
}

/** Files a ticket as the customer through the form's submit; its id. */
async function file(priority: 'P1' | 'P2' | 'P3', extra: JsonObject = {}): Promise<string> {
  const filed = await press('ticket.submit', {
    requestId: `7d6c1a2b-0000-4000-8000-${String(++requests).padStart(12, '0')}`,
    title: 'Transfers fail',
    description: 'Users on two accounts cannot transfer calls.',
    category: 'partial-outage',
    priority,
    ...extra,
  });
  const id = /TM-\d+/.exec(cardText(filed.card))?.[0];
  if (id === undefined) throw new Error(`not filed: ${filed.message ?? cardText(filed.card)}`);
  await app.background.drain();
  return id;
}

async function staff(id: string, cmd: Command, at: string): Promise<Ticket> {
  clock.now = et(at);
  const r = await app.tickets.act({ kind: 'staff' }, id, alice, cmd);
  if (!r.ok) throw r.error;
  await app.background.drain();
  return r.value.ticket;
}

async function ticket(id: string): Promise<Ticket> {
  const r = await app.tickets.get({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value;
}

async function timeline(id: string): Promise<TicketEvent[]> {
  const r = await app.tickets.timeline({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value.events;
}

/** Posts in the support channel's threads whose summary starts with `prefix`, the rest of each summary. */
function summaries(prefix: string): string[] {
  return connector
    .sent()
    .filter((r) => r.conversationId?.startsWith(CHANNEL) === true)
    .map((r) => r.activity?.summary)
    .filter((s): s is string => typeof s === 'string' && s.startsWith(prefix))
    .map((s) => s.slice(prefix.length));
}

async function step(at: string): Promise<void> {
  clock.now = et(at);
  await app.watcher.pass();
  await app.background.drain();
}

let p2 = '';

describe('a customer reopens inside the window', () => {
  it('with the resolution message’s Reopen button: a new round, and the reply deadline in their zone', async () => {
    clock.now = et('Wed 2026-11-25 10:00');
    p2 = await file('P2');
    // Round 1: no reply until 11:50, so the response warnings at 11:00, 11:30 and 11:48 go out.
    await step('Wed 2026-11-25 11:00');
    await step('Wed 2026-11-25 11:30');
    await step('Wed 2026-11-25 11:48');
    expect(summaries(`${p2}: warning `)).toEqual(['response 50', 'response 75', 'response 90']);
    await staff(p2, { kind: 'reply', text: 'Looking' }, 'Wed 2026-11-25 11:50');
    connector.clear();
    await staff(p2, { kind: 'resolve', text: 'Fixed the dial plan' }, 'Fri 2026-11-27 15:00');
    // The resolution message in the customer's chat carries the Reopen form.
    const resolution = connector
      .sent()
      .flatMap((r) => cardsOf(r.activity))
      .find((c) => cardText(c).includes(`Resolved · ${p2}`));
    expect(JSON.stringify(resolution)).toContain('"verb":"ticket.reopen"');
    expect(JSON.stringify(resolution)).toContain('Why did it not hold?');

    clock.now = et('Mon 2026-11-30 09:00');
    connector.clear();
    const answer = await press('ticket.reopen', { ticketId: p2, reason: 'Transfers fail again' });
    const text = cardText(answer.card);
    expect(text).toContain(`${p2} is reopened.`);
    // Until the round's first reply it reads "Reopened", not the stored status.
    expect(text).toContain(`${p2} · P2 · Reopened`);
    // 120 support-hours minutes from Mon 09:00 ET: 11:00 ET, 16:00 in London.
    expect(text).toContain('11:00 ET (today 16:00 your time)');
    const t = await ticket(p2);
    expect(t.sla.responseDue).toBe(et('Mon 2026-11-30 11:00'));
    expect(t.sla.workaroundDue).toBe(et('Mon 2026-12-07 09:00'));
    expect(t.rounds?.[0]?.responseMetAt).toBe(et('Wed 2026-11-25 11:50'));
    expect(t.reopened?.by.name).toBe('Ann Customer');
  });

  it('tells the staff thread and updates the root card with round 2', async () => {
    await app.background.drain();
    const t = await ticket(p2);
    const inThread = connector.sent().filter((r) => r.conversationId === t.thread?.conversationId);
    const line = inThread.flatMap((r) => cardsOf(r.activity)).map((c) => cardText(c));
    expect(line.join('\n')).toContain(`${p2} reopened by Ann Customer (customer): round 2`);
    expect(line.join('\n')).toContain('Transfers fail again');
    expect(line.join('\n')).toContain(
      'Counted from the reopen at 09:00 ET, at P2: response due today 11:00 ET, work-around due Mon 7 Dec 09:00 ET',
    );
    // The root post as it stands after the updates: the card shows the round.
    const root = connector.current(t.thread?.activityId ?? '');
    const rootCard = cardsOf(root)[0];
    cards.push(rootCard);
    expect(cardText(rootCard)).toContain('Round 2');
    expect(cardText(rootCard)).toContain('by Ann Customer (in support hours)');
  });

  it('the watcher warns again in round 2: 10:00, 10:30, 10:48 and the breach at 11:00', async () => {
    const before = summaries(`${p2}: warning `).length;
    await step('Mon 2026-11-30 09:59');
    expect(summaries(`${p2}: warning `).slice(before)).toEqual([]);
    await step('Mon 2026-11-30 10:00');
    await step('Mon 2026-11-30 10:30');
    await step('Mon 2026-11-30 10:48');
    await step('Mon 2026-11-30 11:00');
    expect(summaries(`${p2}: warning `).slice(before)).toEqual([
      'response 50',
      'response 75',
      'response 90',
      'response 100',
    ]);
    expect((await ticket(p2)).notified).toEqual(
      expect.arrayContaining(['response:50', 'r2:response:50', 'r2:response:100']),
    );
    await staff(p2, { kind: 'resolve', text: 'Fixed again' }, 'Mon 2026-11-30 12:00');
  });

  it('the dashboard counts the ticket once and its targets per round: round 1 met on time, round 2 met late', async () => {
    await app.background.drain();
    const board = await app.stats.dashboard(et('Mon 2026-11-30 12:00'), '2026-11');
    const p2Figures = board.current.byPriority.P2;
    expect(p2Figures.tickets).toBe(1);
    expect(p2Figures.rounds).toBe(2);
    // Round 2 had no reply before its 11:00 deadline; the resolution at 12:00 is the first word to the customer.
    expect(p2Figures.response).toMatchObject({ onTime: 1, late: 1, breached: 0, pending: 0 });
    expect(board.breaches.filter((b) => b.ticketId === p2).map((b) => [b.target, b.due])).toEqual([
      ['response', et('Mon 2026-11-30 11:00')],
    ]);
  });

  it('with the typed command "reopen TM-…: why"', async () => {
    clock.now = et('Tue 2026-12-01 10:00');
    const id = await file('P3');
    await staff(id, { kind: 'resolve', text: 'Added the user' }, 'Tue 2026-12-01 11:00');
    clock.now = et('Wed 2026-12-02 21:30');
    const { text } = await say(`reopen ${id}: the user is gone again`);
    expect(text).toContain(`${id} is reopened.`);
    // P3 in hours, 240 support-hours minutes: 30 to 22:00, 210 from Thu 04:00: Thu 07:30 ET, 12:30 in London (already Thursday there).
    expect(text).toContain('tomorrow 07:30 ET (today 12:30 your time)');
    expect((await ticket(id)).sla.responseDue).toBe(et('Thu 2026-12-03 07:30'));
    const reopened = (await timeline(id)).filter((e) => e.type === 'reopened');
    expect(reopened.map((e) => [e.actor.role, e.text])).toEqual([['customer', 'the user is gone again']]);
  });

  it('asks for a reason when the command has none, and changes nothing', async () => {
    clock.now = et('Thu 2026-12-03 10:00');
    const id = await file('P3');
    await staff(id, { kind: 'resolve', text: 'Done' }, 'Thu 2026-12-03 11:00');
    const { text } = await say(`reopen ${id}`);
    expect(text).toContain(`Please say why ${id} did not hold`);
    expect((await say('reopen')).text).toBe('Which ticket? For example: reopen TM-1042: what did not hold');
    expect((await ticket(id)).status).toBe('resolved');
    const open = await file('P3');
    expect((await say(`reopen ${open}: why`)).text).toBe(
      `${open} is still open, so there is nothing to reopen. To add to it, type "${open}: …".`,
    );
  });
});

describe('after the window', () => {
  it('refuses, offers a linked ticket, and filing it records relatedTo', async () => {
    // Resolved again on Mon 30 Nov 12:00 ET (17:00 in London): the window ended Mon 14 Dec 12:00 ET.
    clock.now = et('Tue 2026-12-15 09:00');
    const { text, cards: got } = await say(`reopen ${p2}: broken once more`);
    expect(text).toContain(
      `${p2} was resolved on Monday 30 November 2026, more than 14 days ago, so it cannot be reopened. Would you like to file a new ticket about it?`,
    );
    expect((await ticket(p2)).status).toBe('resolved');
    const offer = JSON.stringify(got[0]);
    expect(offer).toContain('"verb":"ticket.follow-up"');
    const form = await press('ticket.follow-up', { ticketId: p2, reason: 'broken once more' });
    const formText = cardText(form.card);
    expect(formText).toContain(`This ticket will be linked to ${p2}.`);
    expect(JSON.stringify(form.card)).toContain(`"relatedTo":"${p2}"`);
    const id = await file('P2', { relatedTo: p2, title: `Follow-up to ${p2}` });
    expect((await ticket(id)).relatedTo).toBe(p2);
    const noted = (await timeline(p2)).filter((e) => e.type === 'follow-up-filed');
    expect(noted.map((e) => e.text)).toEqual([`Ann Customer filed ${id} as a follow-up: Follow-up to ${p2}`]);
    // The new ticket's customer card names the ticket it follows up.
    expect((await say(`status ${id}`)).text).toContain(p2);
  });

  it('staff may still reopen, with the same deadline rule', async () => {
    const t = await staff(p2, { kind: 'reopen' }, 'Tue 2026-12-15 09:30');
    // P2 in hours from Tue 09:30: 11:30; 120 business-day hours: Tue 14.5, Wed–Fri 72, Mon 24, 9.5 h of Tue 22 Dec.
    expect(t.sla.responseDue).toBe(et('Tue 2026-12-15 11:30'));
    expect(t.sla.workaroundDue).toBe(et('Tue 2026-12-22 09:30'));
    expect(t.rounds?.map((r) => r.n)).toEqual([1, 2]);
  });
});

describe('another tenant’s ticket id', () => {
  it('gets the answer of a missing ticket, by command and by button', async () => {
    const theirs = (await say(`reopen ${p2}: mine now`, FABRIKAM)).text;
    const missing = (await say('reopen TM-999999: nothing', FABRIKAM)).text;
    expect(theirs).toBe(`No ticket ${p2} was found for your organisation.`);
    expect(missing).toBe('No ticket TM-999999 was found for your organisation.');
    const pressed = await press('ticket.reopen', { ticketId: p2, reason: 'x' }, FABRIKAM);
    expect(pressed.message).toBe(`No ticket ${p2} was found for your organisation.`);
    const follow = await press('ticket.follow-up', { ticketId: p2 }, FABRIKAM);
    expect(follow.message).toBe(`No ticket ${p2} was found for your organisation.`);
    // A forged form linking another tenant's ticket files nothing.
    const forged = await press(
      'ticket.submit',
      {
        requestId: '7d6c1a2b-0000-4000-8000-ffffffffffff',
        title: 'Linked',
        description: 'Linked to a ticket of another organisation.',
        category: 'question',
        priority: 'P3',
        relatedTo: p2,
      },
      FABRIKAM,
    );
    expect(cardText(forged.card)).toContain(
      `No ticket ${p2} was found for your organisation, so nothing was filed.`,
    );
  });
});

describe('a P1 reopened after hours', () => {
  it('pages the on-call engineer like a new P1, and the customer is told', async () => {
    clock.now = et('Thu 2026-12-17 10:00');
    const id = await file('P1');
    await staff(id, { kind: 'reply', text: 'On it' }, 'Thu 2026-12-17 10:05');
    await staff(id, { kind: 'resolve', text: 'Restored' }, 'Thu 2026-12-17 12:00');
    clock.now = et('Sat 2026-12-19 03:00');
    const answer = await press('ticket.reopen', { ticketId: id, reason: 'No calls at all again' });
    const text = cardText(answer.card);
    expect(text).toContain('Our on-call engineer is being paged now.');
    // 120 continuous minutes from Sat 03:00 ET.
    expect(text).toContain('05:00 ET');
    expect((await ticket(id)).sla.responseDue).toBe(et('Sat 2026-12-19 05:00'));
    await step('Sat 2026-12-19 03:00');
    const events = (await timeline(id)).map((e) => e.type);
    expect(events).toContain('page-scheduled');
    expect(summaries(`${id}: page`).length).toBeGreaterThan(0);
  });
});
