// Issue 17: every sentence the bot shows is true. Over real HTTP with the fake connector and Azurite, on a
// simulated clock: what a P1 after hours is told, which clocks a question pauses, when an escalation may be said
// to have reached the team, clock names on the staff card, a midnight deadline, and long text kept whole.
import type { App } from '../../src/app';
import { pausedClocks } from '../../src/domain/cards/customer/notice';
import { budgetLeft, duration } from '../../src/domain/cards/time';
import type { Ticket } from '../../src/domain/tickets/model';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, personalMessage, post, type JsonObject } from '../support/activities';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';
import { startTestApp, supportChannel, type TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const CHANNEL = '19:sentences@thread.tacv2';
const PHONE = '+1 413-331-6100 option 2';
const et = (local: string): number => Date.parse(`${local}-05:00`);
const seen: unknown[] = [];

let azurite: TestAzurite;
let connector: FakeConnector;

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.stop();
  await azurite.stop();
  for (const c of seen) expect(cardProblems(c)).toEqual([]);
});

const customer = () => ({
  serviceUrl: connector.serviceUrl,
  tenantId: CONTOSO,
  userId: '29:ann',
  userName: 'Ann Customer',
  timezone: 'America/New_York',
});
const engineer = () => ({
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  userId: '29:alice',
  aadObjectId: ALICE,
  userName: 'Alice',
  channel: { channelId: CHANNEL, channelName: 'Support' },
});

/** Starts an app on `clock`; with `rotation`, Bob is the primary on call from Mon 2026-11-23 09:00. */
async function appWith(clock: TestClock, rotation: boolean): Promise<App> {
  return startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      SUPPORT_PHONE: PHONE,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer`,
      ...(rotation
        ? {
            ONCALL_ROTATION: JSON.stringify({
              start: '2026-11-23',
              handover: '09:00',
              weeks: [{ primary: BOB, secondary: ALICE }],
            }),
          }
        : {}),
    },
  });
}

async function invoke(
  app: App,
  verb: string,
  data: JsonObject,
  who: ReturnType<typeof customer> | ReturnType<typeof engineer> = customer(),
): Promise<{ card?: Record<string, unknown>; message?: string }> {
  const res = await post(
    `${app.url}/api/messages`,
    actionExecute(verb, { verb, ...data }, { ...who, replyToId: 'x' }),
  );
  expect(res.status).toBe(200);
  const body = res.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') {
    seen.push(body.value);
    return { card: body.value as Record<string, unknown> };
  }
  return { message: String(body.value) };
}

/** Sends a chat message; the cards and texts the bot answered with. */
async function say(app: App, text: string): Promise<{ cards: Record<string, unknown>[]; texts: string[] }> {
  connector.clear();
  const res = await post(`${app.url}/api/messages`, personalMessage({ ...customer(), text }));
  expect(res.status).toBe(200);
  const sent = connector.sent();
  const cards = sent.flatMap((r) => cardsOf(r.activity));
  seen.push(...cards);
  return { cards, texts: sent.map((r) => r.activity?.text ?? '').filter((t) => t !== '') };
}

/** The form's input values and its submit button's data. */
function formData(card: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (typeof o['type'] === 'string' && o['type'].startsWith('Input.') && typeof o['id'] === 'string')
        out[o['id']] = typeof o['value'] === 'string' ? o['value'] : '';
      if (o['type'] === 'Action.Execute' && o['verb'] === 'ticket.submit') Object.assign(out, o['data']);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

let filed = 0;
async function file(
  app: App,
  priority: 'P1' | 'P2' | 'P3',
  title: string,
): Promise<{ id: string; text: string }> {
  filed++;
  const res = await invoke(app, 'ticket.submit', {
    requestId: `5e17e17e-0000-4000-8000-${String(filed).padStart(12, '0')}`,
    title,
    description: `${title}, for the sentences test.`,
    category: priority === 'P1' ? 'outage' : priority === 'P2' ? 'partial-outage' : 'provisioning',
    priority,
  });
  const text = cardText(res.card);
  return { id: /TM-\d+/.exec(text)?.[0] ?? '', text };
}

async function ticket(app: App, id: string): Promise<Ticket> {
  const r = await app.tickets.get({ kind: 'staff' }, id);
  if (!r.ok) throw r.error;
  return r.value;
}

/** The ticket's live root card in the support channel, as Teams now shows it. */
async function rootText(app: App, id: string): Promise<string> {
  return cardText(await rootCard(app, id));
}

async function rootCard(app: App, id: string): Promise<unknown> {
  await app.background.drain();
  const root = (await ticket(app, id)).thread?.activityId ?? '';
  const card = cardsOf(connector.current(root))[0];
  seen.push(card);
  return card;
}

describe('with someone on call and a support channel', () => {
  const clock: TestClock = { now: et('2026-11-28T03:00:00') }; // Saturday, support closed
  let app: App;
  beforeAll(async () => {
    app = await appWith(clock, true);
    await app.deps.settings.setSupportChannel(
      supportChannel(CHANNEL, connector.serviceUrl, clock.now, VENDOR),
    );
  });
  afterAll(async () => {
    await app.stop();
  });

  it('a P1 after hours leads with the page that is really going out, then the reply time, then the hours', async () => {
    const { text } = await file(app, 'P1', 'No calls at all');
    expect(text).toContain(
      'Our on-call engineer is being paged now. Your P1 ticket will get a reply by today 05:00 ET, within 2 h. Support hours resume Monday 04:00 ET.',
    );
    expect(text).not.toContain('Support is closed');
  });

  it('a deadline at local midnight reads as the end of the day before (P3 Sat 10:00 → work-around Sat 12 Dec 00:00)', async () => {
    clock.now = et('2026-11-28T10:00:00');
    const { text } = await file(app, 'P3', 'Cannot add a user');
    expect(text).toContain('Work-around due: end of Fri 11 Dec ET');
    expect(text).toContain('Response due: Monday 12:00 ET');
  });

  it('the staff root card names the clock: plain time for a P1, support-hours and business-day time for a P2', async () => {
    clock.now = et('2026-11-25T10:00:00'); // Wednesday, in hours
    const p1 = await file(app, 'P1', 'Nobody can call');
    clock.now = et('2026-11-25T10:20:00');
    await invoke(app, 'staff.refresh', { ticketId: p1.id }, engineer());
    const one = await rootText(app, p1.id);
    expect(one).toContain('**Response** · On track · due today 11:00 ET: 40 min left');
    expect(one).toContain('**Work-around** · On track · due Friday 10:00 ET: 47 h 40 min left');
    expect(one).not.toContain('business time');
    clock.now = et('2026-11-25T10:00:00');
    const p2 = await file(app, 'P2', 'Transfers fail');
    const two = await rootText(app, p2.id);
    expect(two).toContain(
      '**Response** · On track · due today 12:00 ET: 2 h of support-hours time left (2 h wall time)',
    );
    expect(two).toContain(
      '**Work-around** · On track · due Wed 2 Dec 10:00 ET: 5 d of business-day time left (7 d wall time)',
    );
    expect(JSON.stringify(await rootCard(app, p2.id))).toContain(
      '"label":"Question for the customer (the work-around clock stops until they answer)"',
    );
  });

  it('a question names the clocks it pauses: the ask answers the customer, so only the work-around clock', async () => {
    clock.now = et('2026-11-25T10:00:00');
    const { id } = await file(app, 'P2', 'Hold music missing');
    connector.clear();
    await invoke(app, 'staff.ask', { ticketId: id, message: 'Which accounts?' }, engineer());
    await app.background.drain();
    const question = connector.sent().find((x) => x.activity?.summary === `${id}: info-requested`);
    const text = cardText(cardsOf(question?.activity)[0]);
    expect(text).toContain('The work-around clock is paused until you answer.');
    expect(text).not.toContain('response');
    // Which clocks ran until a pause: those not met when it started.
    const start = et('2026-11-25T11:00:00');
    expect(pausedClocks({}, start)).toBe('response and work-around clocks');
    expect(pausedClocks({ responseMetAt: start }, start)).toBe('work-around clock');
    expect(pausedClocks({ responseMetAt: start - 1, workaroundMetAt: start }, start)).toBe('');
  });

  it('an escalation is said to have reached the team once its note is in the ticket thread', async () => {
    clock.now = et('2026-11-25T10:00:00');
    const { id } = await file(app, 'P2', 'Voicemail down');
    await app.background.drain();
    connector.clear();
    const res = await invoke(app, 'ticket.escalate', { ticketId: id, reason: 'Our CEO is affected' });
    expect(cardText(res.card)).toContain('Escalation passed to the support team.');
    const note = connector.sent().find((x) => x.activity?.summary === `${id}: escalation-requested`);
    expect(note?.conversationId?.startsWith(`${CHANNEL};messageid=`)).toBe(true);
  });

  it('a message longer than the description is not cut: the customer is told and the rest reaches the timeline', async () => {
    clock.now = et('2026-11-25T10:00:00');
    const opening = 'None of our users can make calls since 9am. ';
    const message = (opening + 'the call log shows error 503 again '.repeat(300)).slice(0, 9_312).trim();
    expect(message.length).toBe(9_312);
    const form = (await say(app, message)).cards[0] ?? {};
    const shown = cardText(form);
    const { description = '', ...data } = formData(form);
    const rest = message.slice(description.length).trim();
    expect(shown).toContain(
      `Your message is 9,312 characters; the description holds 8,000. The description has the first ${description.length.toLocaleString('en-US')}, and the remaining ${rest.length.toLocaleString('en-US')} will be added to the ticket's timeline when you file it.`,
    );
    expect(description.length).toBeLessThanOrEqual(8_000);
    expect(description.length).toBeGreaterThan(7_900);
    expect(data['rest']).toBe(rest);
    const res = await invoke(app, 'ticket.submit', {
      requestId: data['requestId'] ?? '',
      rest: data['rest'] ?? '',
      title: 'None of our users can make calls since 9am.',
      description,
      category: 'outage',
      priority: 'P1',
    });
    const id = /TM-\d+/.exec(cardText(res.card))?.[0] ?? '';
    const timeline = await app.tickets.timeline({ kind: 'staff' }, id);
    if (!timeline.ok) throw timeline.error;
    const t = timeline.value;
    expect(t.ticket.description).toBe(description.trim());
    expect(t.events.filter((e) => e.type === 'customer-message').map((e) => e.text)).toEqual([rest]);
    expect(`${t.ticket.description} ${rest}`).toBe(message);
  });

  it('a follow-up over the limit gets an answer that names the limit, and nothing is cut', async () => {
    const { id } = await file(app, 'P3', 'Long follow-up');
    await app.background.drain();
    const before = (await ticket(app, id)).version;
    const { texts } = await say(app, `${id}: ${'x'.repeat(9_000)}`);
    expect(texts[0]).toBe(
      `Message is 9,000 characters; the limit is 8,000. Nothing was added to ${id}; please send it in parts of up to 8,000 characters.`,
    );
    const big = await invoke(app, 'ticket.answer', { ticketId: id, message: 'y'.repeat(45_000) });
    expect(big.message).toBe(
      `Message is 45,000 characters; the limit is 8,000. Nothing was added to ${id}; please send it in parts of up to 8,000 characters.`,
    );
    expect((await ticket(app, id)).version).toBe(before);
  });
});

describe('with nobody on call', () => {
  const clock: TestClock = { now: et('2026-11-28T03:00:00') }; // Saturday, support closed
  let app: App;
  beforeAll(async () => {
    app = await appWith(clock, false);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('without a support channel a P1 after hours claims no page and no alert: it gives the phone', async () => {
    const { text } = await file(app, 'P1', 'Everything is down');
    expect(text).toContain(
      `We could not alert our on-call team automatically: please call ${PHONE} now for this outage. A reply to your P1 ticket is due by today 05:00 ET, within 2 h. Support hours resume Monday 04:00 ET.`,
    );
    expect(text).not.toContain('paged now');
  });

  it('without a support channel an escalation is recorded, to be seen when support opens', async () => {
    const { id } = await file(app, 'P2', 'Transfers fail on Saturday');
    const res = await invoke(app, 'ticket.escalate', { ticketId: id, reason: 'Urgent for us' });
    expect(cardText(res.card)).toContain(
      `Your escalation is recorded on ${id}, but it cannot reach the support team automatically right now: for anything urgent call ${PHONE}. The team will see it when they next open the ticket (support opens Monday 04:00 ET).`,
    );
    expect(cardText(res.card)).not.toContain('passed to the support team');
  });

  it('with a support channel the managers are alerted, and the customer is told so', async () => {
    await app.deps.settings.setSupportChannel(
      supportChannel(CHANNEL, connector.serviceUrl, clock.now, VENDOR),
    );
    const { text } = await file(app, 'P1', 'Still everything down');
    expect(text).toContain(
      `Nobody is on call to be paged automatically right now, so we are alerting our support managers now. For the fastest help call ${PHONE}. A reply to your P1 ticket is due by today 05:00 ET, within 2 h.`,
    );
  });
});

describe('one duration format', () => {
  it.each([
    [45 * 60_000, '45 min'],
    [125 * 60_000, '2 h 5 min'],
    [120 * 60_000, '2 h'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h'],
    [48 * 3_600_000, '2 d'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it('names the clock of a budget', () => {
    expect(budgetLeft(80 * 60_000, 'continuous')).toBe('1 h 20 min');
    expect(budgetLeft(120 * 60_000, 'support-hours')).toBe('2 h of support-hours time');
    expect(budgetLeft(7_200 * 60_000, 'business-days')).toBe('5 d of business-day time');
  });
});
