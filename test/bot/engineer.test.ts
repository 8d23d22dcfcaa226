// Engineers work a ticket end to end from the support channel, over real HTTP with the fake connector:
// file → root card in the channel → take → reply reaches the customer → response met → ask → clocks stop →
// answer → clocks run with the pause added → raise → deadlines follow the rule → work-around → resolved.
import type { TableClient } from '@azure/data-tables';
import type { App } from '../../src/app';
import { TableSettings } from '../../src/adapters/storage/settings';
import type { Ticket } from '../../src/domain/tickets/model';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, channelMessage, post, type JsonObject } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const CHANNEL = '19:supportchannel@thread.tacv2';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-24T09:00:00-05:00') }; // Tuesday
const et = (local: string): number => Date.parse(`${local}-05:00`);
const cards: unknown[] = [];

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer`,
      ONCALL_ROTATION: JSON.stringify({
        start: '2026-11-23',
        handover: '09:00',
        weeks: [{ primary: BOB, secondary: ALICE }],
      }),
    },
  }));
});
afterAll(async () => {
  await stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const url = () => `${app.url}/api/messages`;
const customer = () => ({
  serviceUrl: connector.serviceUrl,
  tenantId: CONTOSO,
  userId: '29:ann',
  userName: 'Ann Customer',
  timezone: 'America/Chicago',
});
const engineer = (aad: string, name: string, threadId?: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  userId: `29:${name}`,
  aadObjectId: aad,
  userName: name,
  channel: { channelId: CHANNEL, channelName: 'Support', ...(threadId === undefined ? {} : { threadId }) },
});

async function invoke(
  verb: string,
  data: JsonObject,
  who: ReturnType<typeof customer> | ReturnType<typeof engineer>,
  id?: string,
): Promise<{ card?: Record<string, unknown>; message?: string }> {
  const res = await post(
    url(),
    actionExecute(
      verb,
      { verb, ...data },
      { ...who, ...(id === undefined ? {} : { id }), replyToId: 'root' },
    ),
  );
  expect(res.status).toBe(200);
  const body = res.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') {
    cards.push(body.value);
    return { card: body.value as Record<string, unknown> };
  }
  return { message: String(body.value) };
}

async function settle(): Promise<void> {
  await app.background.drain();
}

async function ticket(id: string): Promise<Ticket> {
  const r = await app.tickets.get({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value;
}

let id = '';
let rootId = '';

describe('an engineer works a ticket from the support channel', () => {
  it('a staff member makes a channel the support channel', async () => {
    connector.clear();
    const res = await post(
      url(),
      channelMessage({ ...engineer(ALICE, 'Alice'), text: 'use this channel for support' }),
    );
    expect(res.status).toBe(200);
    const reply = await connector.waitFor((r) => r.activity?.text !== undefined);
    expect(reply.activity?.text).toContain('This channel is now the support channel');
    expect((await app.deps.settings.supportChannel())?.conversationId).toBe(CHANNEL);
  });

  it('a customer files a ticket and its thread appears in the channel with the live card', async () => {
    connector.clear();
    const filed = await invoke(
      'ticket.submit',
      {
        requestId: '7d6c1a2b-0000-4000-8000-000000000001',
        title: 'Cannot add a user',
        description: 'The portal refuses new users.',
        category: 'provisioning',
        priority: 'P3',
      },
      customer(),
    );
    id = /TM-\d+/.exec(cardText(filed.card))?.[0] ?? '';
    await settle();
    const root = connector.sent().find((r) => r.conversationId === CHANNEL);
    expect(root).toBeDefined();
    rootId = root?.id ?? '';
    const card = cardsOf(root?.activity)[0];
    cards.push(card);
    const text = cardText(card);
    expect(text).toContain(`${id} · P3 · New · Contoso`);
    expect(text).toContain('Cannot add a user');
    expect(text).toContain('Provisioning problems that impact speed of setup/change');
    expect(text).toContain('Owner: Nobody yet');
    expect(text).toContain(
      '**Response** · On track · due today 13:00 ET: 4 h of support-hours time left (4 h wall time)',
    );
    expect(JSON.stringify(card)).toContain('"verb":"staff.take"');
    expect((await ticket(id)).thread).toEqual({
      conversationId: `${CHANNEL};messageid=${rootId}`,
      activityId: rootId,
      serviceUrl: connector.serviceUrl,
    });
  });

  it('two engineers press Take ownership at once: one owner, the other is told who took it', async () => {
    clock.now = et('2026-11-24T09:10:00');
    const [a, b] = await Promise.all([
      invoke('staff.take', { ticketId: id }, engineer(ALICE, 'Alice', rootId)),
      invoke('staff.take', { ticketId: id }, engineer(BOB, 'Bob', rootId)),
    ]);
    const texts = [cardText(a.card), cardText(b.card)];
    const owner = (await ticket(id)).owner?.name;
    expect(['Alice Engineer', 'Bob Engineer']).toContain(owner);
    expect(texts.filter((t) => t.includes(`${owner ?? ''} already took ownership of ${id}`))).toHaveLength(1);
    expect(texts.every((t) => t.includes(`Owner: ${owner ?? ''}`))).toBe(true);
    if (owner === 'Bob Engineer') {
      const back = await invoke('staff.assign', { ticketId: id, owner: ALICE }, engineer(BOB, 'Bob', rootId));
      expect(cardText(back.card)).toContain('Owner: Alice Engineer');
    }
    await settle();
  });

  it('a reply reaches the customer and meets the response target at that instant', async () => {
    clock.now = et('2026-11-24T09:30:00');
    connector.clear();
    const r = await invoke(
      'staff.reply',
      { ticketId: id, message: 'We are looking at the portal now.' },
      engineer(ALICE, 'Alice', rootId),
    );
    expect(cardText(r.card)).toContain('**Response** · Met');
    await settle();
    const delivered = connector
      .sent()
      .find(
        (x) =>
          x.conversationId?.startsWith('a:') === true ||
          x.conversationId?.includes('29:ann') === true ||
          x.activity?.summary?.includes('engineer-reply') === true,
      );
    expect(delivered).toBeDefined();
    const text = cardText(cardsOf(delivered?.activity)[0]);
    expect(text).toContain(`Support replied · ${id}`);
    expect(text).toContain('We are looking at the portal now.');
    const t = await ticket(id);
    expect(t.responseMetAt).toBe(et('2026-11-24T09:30:00'));
    expect(t.status).toBe('responded');
    // The root card was updated in place.
    expect(
      connector.requests().some((x) => x.operation === 'updateActivity' && x.activityId === rootId),
    ).toBe(true);
  });

  it('asking for information stops the clocks until the customer answers; then they run with the pause added', async () => {
    clock.now = et('2026-11-24T10:00:00');
    await invoke(
      'staff.ask',
      { ticketId: id, message: 'Which user cannot be added?' },
      engineer(ALICE, 'Alice', rootId),
    );
    await settle();
    let t = await ticket(id);
    expect(t.status).toBe('waiting-on-customer');
    expect(t.sla.workaroundDue).toBeNull();
    const question = connector.sent().find((x) => x.activity?.summary === `${id}: info-requested`);
    expect(cardText(cardsOf(question?.activity)[0])).toContain(
      'The work-around clock is paused until you answer.',
    );
    clock.now = et('2026-11-24T15:00:00');
    const answered = await invoke(
      'ticket.answer',
      { ticketId: id, message: 'bob@contoso.example' },
      customer(),
    );
    expect(cardText(answered.card)).toContain('Your message was added.');
    await settle();
    t = await ticket(id);
    expect(t.status).toBe('responded');
    expect(t.sla.pausedMs).toBe(5 * 3_600_000);
    // SLA-RULES example: P3 Tue 09:00, waiting 10:00–15:00 → work-around due Tue 2026-12-08 14:00.
    expect(t.sla.workaroundDue).toBe(et('2026-12-08T14:00:00'));
    const note = connector
      .sent()
      .find(
        (x) =>
          x.conversationId === `${CHANNEL};messageid=${rootId}` &&
          cardText(cardsOf(x.activity)[0]).includes('answered; the clocks run again'),
      );
    expect(note).toBeDefined();
  });

  it('raising the priority applies the raise rule and shows old and new deadlines in the thread', async () => {
    clock.now = et('2026-11-24T16:00:00');
    connector.clear();
    const r = await invoke(
      'staff.priority',
      { ticketId: id, priority: 'P1', reason: 'Now all users are blocked' },
      engineer(ALICE, 'Alice', rootId),
    );
    expect(cardText(r.card)).toContain(`${id} · P1`);
    await settle();
    const t = await ticket(id);
    // Raised at 16:00 in hours: work-around = earlier of old (Dec 8 14:00) and 2 days from now.
    expect(t.sla.workaroundDue).toBe(et('2026-11-26T16:00:00'));
    const note = connector.sent().find((x) => cardText(cardsOf(x.activity)[0]).includes('Priority P3 → P1'));
    const text = cardText(cardsOf(note?.activity)[0]);
    expect(text).toContain('Work-around due: Tue 8 Dec 14:00 ET → Thursday 16:00 ET');
    // The reply met the response target: the note says so, not "paused → paused".
    expect(text).toContain('Response: met');
    expect(text).not.toContain('Response due:');
  });

  it('a work-around meets its target, resolving closes the deadlines, and the customer hears both', async () => {
    clock.now = et('2026-11-25T09:00:00');
    connector.clear();
    await invoke(
      'staff.workaround',
      { ticketId: id, message: 'Add users through the CSV import meanwhile.' },
      engineer(ALICE, 'Alice', rootId),
    );
    clock.now = et('2026-11-25T12:00:00');
    const done = await invoke(
      'staff.resolve',
      { ticketId: id, message: 'Fixed in the portal.' },
      engineer(ALICE, 'Alice', rootId),
    );
    expect(cardText(done.card)).toContain(`${id} · P1 · Resolved`);
    await settle();
    const t = await ticket(id);
    expect(t.workaroundMetAt).toBe(et('2026-11-25T09:00:00'));
    expect(t.status).toBe('resolved');
    const summaries = connector.sent().map((x) => x.activity?.summary);
    expect(summaries).toContain(`${id}: workaround-delivered`);
    expect(summaries).toContain(`${id}: resolved`);
  });

  it('a replayed invoke does nothing twice', async () => {
    clock.now = et('2026-11-25T12:10:00');
    const first = await invoke(
      'staff.note',
      { ticketId: id, message: 'Customer confirmed by phone.' },
      engineer(ALICE, 'Alice', rootId),
      'retry-1',
    );
    const again = await invoke(
      'staff.note',
      { ticketId: id, message: 'Customer confirmed by phone.' },
      engineer(ALICE, 'Alice', rootId),
      'retry-1',
    );
    expect(cardText(first.card)).toContain('Customer confirmed by phone.');
    expect(cardText(again.card)).toContain(`${id} · P1 · Resolved`);
    const timeline = await app.tickets.timeline({ kind: 'staff' }, id);
    if (!timeline.ok) throw timeline.error;
    expect(timeline.value.events.filter((e) => e.text === 'Customer confirmed by phone.')).toHaveLength(1);
    // Every action is in the timeline with who and when.
    expect(timeline.value.events.map((e) => `${e.type}:${e.actor.name}`)).toEqual(
      expect.arrayContaining([
        'owner-changed:Alice Engineer',
        'engineer-reply:Alice Engineer',
        'info-requested:Alice Engineer',
        'customer-answered:Ann Customer',
        'priority-changed:Alice Engineer',
        'workaround-delivered:Alice Engineer',
        'resolved:Alice Engineer',
        'internal-note:Alice Engineer',
      ]),
    );
  });

  it('a burst of changes on one ticket ends with the root card showing the last of them', async () => {
    connector.clear();
    clock.now = et('2026-11-25T12:20:00');
    const notes = Array.from({ length: 5 }, (_, i) => `Burst note ${i + 1}`);
    await Promise.all(
      notes.map((message) =>
        invoke('staff.note', { ticketId: id, message }, engineer(ALICE, 'Alice', rootId)),
      ),
    );
    await settle();
    const puts = connector
      .requests()
      .filter((x) => x.operation === 'updateActivity' && x.activityId === rootId);
    expect(puts.length).toBeGreaterThanOrEqual(1);
    expect(puts.length).toBeLessThanOrEqual(notes.length);
    const last = cardText(cardsOf(puts[puts.length - 1]?.activity)[0]);
    for (const note of notes) expect(last).toContain(note);
    expect(last).toContain(`${id} · P1 · Resolved`);
  });

  it('a staff verb from a customer tenant is refused and recorded, and changes nothing', async () => {
    const before = (await ticket(id)).version;
    const forged = await invoke('staff.reopen', { ticketId: id }, { ...customer() });
    expect(forged.message).toBe('Only support staff can do that.');
    const fromVendorButNotStaff = await invoke(
      'staff.note',
      { ticketId: id, message: 'x' },
      engineer('c0ffee00-0000-4000-8000-000000000009', 'Mallory', rootId),
    );
    expect(fromVendorButNotStaff.message).toBe('Only support staff can do that.');
    expect((await ticket(id)).version).toBe(before);
    const audit = await app.deps.audit.day(new Date(clock.now).toISOString().slice(0, 10));
    expect(
      audit
        .filter((a) => a.outcome === 'refused' && a.target === id)
        .map((a) => a.action)
        .sort(),
    ).toEqual(['staff.note', 'staff.reopen']);
  });

  it('when Teams lost the root card, a fresh card is posted in the thread and remembered', async () => {
    connector.failUpdatesWith404(rootId);
    connector.clear();
    clock.now = et('2026-11-25T13:00:00');
    await invoke('staff.reopen', { ticketId: id }, engineer(ALICE, 'Alice', rootId));
    await settle();
    const fresh = connector
      .sent()
      .find(
        (x) =>
          x.conversationId === `${CHANNEL};messageid=${rootId}` &&
          cardText(cardsOf(x.activity)[0]).includes(`${id} · P1 · Reopened`),
      );
    expect(fresh).toBeDefined();
    const t = await ticket(id);
    expect(t.thread?.activityId).toBe(fresh?.id);
    expect(t.thread?.conversationId).toBe(`${CHANNEL};messageid=${rootId}`);
  });

  it('deleting the team forgets the support channel', async () => {
    const activity = channelMessage({ ...engineer(ALICE, 'Alice'), text: 'x' });
    const deleted = {
      ...activity,
      type: 'conversationUpdate',
      text: undefined,
      channelData: { ...activity.channelData, eventType: 'teamDeleted' },
    };
    const res = await post(url(), JSON.parse(JSON.stringify(deleted)) as JsonObject);
    expect(res.status).toBe(200);
    // Other instances read the setting fresh from storage.
    expect(
      await new TableSettings(
        app.storage.clients[`${app.config.tablePrefix}settings`] as TableClient,
        0,
      ).supportChannel(),
    ).toBeNull();
  });

  it('a P1 filed outside support hours pages the on-call engineer at once, in the thread and 1:1', async () => {
    await post(url(), channelMessage({ ...engineer(ALICE, 'Alice'), text: 'use this channel for support' }));
    clock.now = et('2026-11-28T03:00:00'); // Saturday
    connector.clear();
    const filed = await invoke(
      'ticket.submit',
      {
        requestId: '7d6c1a2b-0000-4000-8000-000000000009',
        title: 'No calls at all',
        description: 'None of our users can make calls.',
        category: 'outage',
        priority: 'P1',
      },
      customer(),
    );
    const text = cardText(filed.card);
    expect(text).toContain('Our on-call engineer is being paged now.');
    expect(text).toContain('Your P1 ticket will get a reply by today 05:00 ET');
    const p1 = /TM-\d+/.exec(text)?.[0] ?? '';
    await settle();
    const inThread = connector
      .sent()
      .find(
        (x) =>
          x.activity?.summary === `${p1}: page, primary` &&
          x.conversationId?.startsWith(`${CHANNEL};messageid=`) === true,
      );
    const pageCard = cardsOf(inThread?.activity)[0] ?? {};
    cards.push(pageCard);
    expect(cardText(pageCard)).toContain('<at>Bob Engineer</at>, you are on call');
    expect(JSON.stringify(pageCard)).toContain(`"mentioned":{"id":"${BOB}","name":"Bob Engineer"}`);
    const direct = connector
      .requests()
      .find((x) => x.operation === 'createConversation' && JSON.stringify(x.body).includes(BOB));
    expect(direct).toBeDefined();
    const ack = await invoke('page.ack', { ticketId: p1 }, engineer(BOB, 'Bob', inThread?.id));
    expect(cardText(ack.card)).toContain('Acknowledged by Bob Engineer');
    const timeline = await app.tickets.timeline({ kind: 'staff' }, p1);
    if (!timeline.ok) throw timeline.error;
    expect(timeline.value.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['page-sent', 'page-acknowledged']),
    );
  });
});
