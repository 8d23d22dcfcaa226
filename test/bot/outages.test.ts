// Outages over real HTTP with the fake connector: an engineer records one from a card in the support channel,
// asks for an exclusion, a manager approves it (an engineer and a customer are refused and recorded), the
// cards update in place, and customers asking "is there an outage?" see the service and the month.
import type { App } from '../../src/app';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, channelMessage, personalMessage, post, type JsonObject } from '../support/activities';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';

const ALICE = 'a11ce000-0000-4000-8000-000000000001';
const BOB = 'b0b00000-0000-4000-8000-000000000002';
const MEG = 'ae900000-0000-4000-8000-000000000003';
const SUPPORT = '19:supportchannel@thread.tacv2';
const MANAGERS = '19:managerschannel@thread.tacv2';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-10T12:02:00-05:00') };
const cards: unknown[] = [];

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ALICE}=Alice Engineer;${BOB}=Bob Engineer`,
      STAFF_MANAGERS: `${MEG}=Meg Manager`,
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
  timezone: 'Europe/London',
});
const staff = (aad: string, name: string, channelId = SUPPORT, threadId?: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  userId: `29:${name}`,
  aadObjectId: aad,
  userName: name,
  channel: { channelId, channelName: 'Support', ...(threadId === undefined ? {} : { threadId }) },
});
type Who = ReturnType<typeof customer> | ReturnType<typeof staff>;

async function invoke(
  verb: string,
  data: JsonObject,
  who: Who,
  replyToId = 'root',
): Promise<{ card?: Record<string, unknown>; message?: string }> {
  const res = await post(url(), actionExecute(verb, { verb, ...data }, { ...who, replyToId }));
  expect(res.status).toBe(200);
  const body = res.body as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive') {
    cards.push(body.value);
    return { card: body.value as Record<string, unknown> };
  }
  return { message: String(body.value) };
}

/** Sends a message and returns the card the bot answered with. */
async function ask(text: string, who: Who): Promise<Record<string, unknown>> {
  await app.background.drain();
  connector.clear();
  const activity = 'channel' in who ? channelMessage({ ...who, text }) : personalMessage({ ...who, text });
  expect((await post(url(), activity)).status).toBe(200);
  const reply = await connector.waitFor(
    (r) => r.conversationId === activity.conversation.id && cardsOf(r.activity).length > 0,
  );
  const card = cardsOf(reply.activity)[0] as Record<string, unknown>;
  cards.push(card);
  return { ...card, activityId: reply.id };
}

async function auditToday(): Promise<{ action: string; reason: string; userId?: string | undefined }[]> {
  return app.deps.audit.day(new Date(clock.now).toISOString().slice(0, 10));
}

const form = (over: JsonObject = {}): JsonObject => ({
  requestId: 'b7c1d2e3-0000-4000-8000-000000000001',
  startDate: '2026-11-10',
  startTime: '12:00',
  endDate: '',
  endTime: '',
  affected: 'Calling in the US region',
  cause: 'Microsoft Teams calling incident',
  category: 'b',
  justification: 'Microsoft incident TM123456 (force majeure)',
  ...over,
});

let formId = '';
let version = 0;

describe('outages from the support channel', () => {
  it('staff choose the support and managers’ channels; an engineer cannot choose the managers’ one', async () => {
    await post(url(), channelMessage({ ...staff(ALICE, 'Alice'), text: 'use this channel for support' }));
    connector.clear();
    await post(
      url(),
      channelMessage({ ...staff(BOB, 'Bob', MANAGERS), text: 'use this channel for managers' }),
    );
    const no = await connector.waitFor((r) => r.activity?.text !== undefined);
    expect(no.activity?.text).toBe('Only a support manager can choose the managers’ channel.');
    expect(await app.deps.settings.managersChannel()).toBeNull();
    connector.clear();
    await post(
      url(),
      channelMessage({ ...staff(MEG, 'Meg', MANAGERS), text: 'use this channel for managers' }),
    );
    const yes = await connector.waitFor((r) => r.activity?.text !== undefined);
    expect(yes.activity?.text).toContain('This channel is now the managers’ channel');
    expect((await app.deps.settings.managersChannel())?.conversationId).toBe(MANAGERS);
    expect((await auditToday()).map((e) => [e.action, e.reason])).toContainEqual([
      'channel.managers',
      'not a manager',
    ]);
  });

  it('"outage" in the channel answers with the form (times in ET, exclusions (a)–(e))', async () => {
    const card = await ask('outage', staff(ALICE, 'Alice'));
    formId = String(card['activityId']);
    const text = cardText(card);
    expect(text).toContain('Record a Core Service outage');
    expect(text).toContain('Times in ET (America/New_York)');
    expect(JSON.stringify(card)).toContain('(b) Force majeure (including Microsoft)');
    expect(JSON.stringify(card)).toContain('"value":"2026-11-10"');
  });

  it('bad input comes back in the form with what was typed kept; nothing is recorded', async () => {
    const cases: [JsonObject, string][] = [
      [{ endDate: '2026-11-10', endTime: '11:00' }, 'The end must be after the start.'],
      [{ startDate: '10/11/2026' }, 'The start date must look like 2026-11-10.'],
      [{ startDate: '2026-02-30' }, 'The start is not a real date and time.'],
      [{ endDate: '2026-11-10' }, 'The end time must look like 14:05.'],
      [{ startTime: '12:30' }, 'The start is in the future.'],
      [{ affected: 'x'.repeat(501) }, 'What was affected is 501 characters; at most 500 are allowed.'],
      [{ category: 'z' }, 'Exclusion category "z" is not one of (a), (b), (c), (d), (e).'],
      [{ justification: '' }, 'A justification is required.'],
    ];
    for (const [over, message] of cases) {
      const { card } = await invoke(
        'outage.record',
        form({ requestId: `bad-${Object.keys(over).join('-')}`, ...over }),
        staff(ALICE, 'Alice'),
        formId,
      );
      expect(cardText(card)).toContain(message.replace(/"/g, '"'));
      expect(cardText(card)).toContain('Record a Core Service outage');
    }
    const { message } = await invoke(
      'outage.record',
      { requestId: 'x', affected: 42 },
      staff(ALICE, 'Alice'),
      formId,
    );
    expect(message).toBe('This form is not valid any more; say "outage" for a fresh one.');
    expect(await app.deps.outages.ongoing()).toEqual([]);
  });

  it('an engineer records an ongoing outage from the card: it turns into the live outage card', async () => {
    const { card } = await invoke('outage.record', form(), staff(ALICE, 'Alice'), formId);
    const text = cardText(card);
    expect(text).toContain('OUT-1 · Core Service outage · Ongoing');
    expect(text).toContain('Start: today 12:00 ET');
    expect(text).toContain('End: ongoing (2 min so far)');
    expect(text).toContain('Affected: Calling in the US region');
    expect(text).toContain(
      'Exclusion: (b) Force majeure (including Microsoft): requested by Alice Engineer, awaiting a manager',
    );
    expect(text).toContain('**Recorded** · Alice Engineer · today 12:02 ET');
    // Submitting the same form again records nothing new.
    const again = await invoke('outage.record', form(), staff(ALICE, 'Alice'), formId);
    expect(cardText(again.card)).toContain('OUT-1 ·');
    const o = await app.deps.outages.get('OUT-1');
    expect(o.ok && o.value.card).toMatchObject({ activityId: formId });
    version = o.ok ? o.value.version : 0;
    await app.background.drain();
    // The exclusion to approve is posted in the managers' channel.
    const posted = connector.sent().find((r) => r.conversationId === MANAGERS);
    expect(cardText(cardsOf(posted?.activity)[0])).toContain('OUT-1 · Core Service outage · Ongoing');
    expect((await app.deps.outages.month('2026-11')).availability).toMatchObject({
      outageMinutes: 2,
      excludedMinutes: 0,
    });
  });

  it('a customer asking "is there an outage?" sees the ongoing outage and the month so far', async () => {
    const card = await ask('is there an outage?', customer());
    const text = cardText(card);
    expect(text).toContain('An outage is ongoing');
    expect(text).toContain('Calling in the US region, since today 12:00 ET (today 17:00 your time) (2 min)');
    expect(text).toContain('November 2026 so far');
    expect(text).toContain('Availability: 99.9953 %');
    expect(text).toContain('Standing: Within target');
    expect(text).not.toContain('Microsoft Teams calling incident');
    expect(text).not.toContain('OUT-1');
  });

  it('an engineer cannot approve the exclusion: refused, recorded in the audit log, nothing changes', async () => {
    const { card } = await invoke(
      'outage.approve',
      { outageId: 'OUT-1', version },
      staff(BOB, 'Bob'),
      formId,
    );
    expect(cardText(card)).toContain('Only a manager can approve an exclusion.');
    expect(cardText(card)).toContain('awaiting a manager');
    const audit = await auditToday();
    expect(audit.map((e) => [e.action, e.reason, e.userId])).toContainEqual([
      'outage.approve',
      'Only a manager can approve an exclusion.',
      BOB,
    ]);
    const o = await app.deps.outages.get('OUT-1');
    expect(o.ok && o.value.exclusion?.status).toBe('requested');
  });

  it('a customer pressing a staff button is refused and recorded', async () => {
    const { message } = await invoke('outage.approve', { outageId: 'OUT-1', version }, customer());
    expect(message).toBe('Only support staff can do that.');
    expect((await auditToday()).map((e) => [e.action, e.reason])).toContainEqual([
      'outage.approve',
      'not support staff',
    ]);
  });

  it('the engineer ends it; the minutes are fixed', async () => {
    clock.now = Date.parse('2026-11-10T12:10:00-05:00');
    const { card } = await invoke(
      'outage.end',
      { outageId: 'OUT-1', version, endDate: '2026-11-10', endTime: '12:05' },
      staff(ALICE, 'Alice'),
      formId,
    );
    const text = cardText(card);
    expect(text).toContain('OUT-1 · Core Service outage · Ended');
    expect(text).toContain('End: today 12:05 ET (5 min)');
    expect(text).toContain('**Ended** · Alice Engineer · today 12:10 ET: Ended 2026-11-10 12:05 ET');
    clock.now = Date.parse('2026-11-10T13:00:00-05:00');
    expect((await app.deps.outages.month('2026-11')).availability).toMatchObject({
      outageMinutes: 5,
      met: false,
    });
  });

  it('a manager approves from the managers’ channel: excluded, and the card in the support channel updates in place', async () => {
    await app.background.drain();
    const managersPost = connector.sent().find((r) => r.conversationId === MANAGERS)?.id ?? '';
    const stale = await invoke(
      'outage.approve',
      { outageId: 'OUT-1', version },
      staff(MEG, 'Meg', MANAGERS, managersPost),
      managersPost,
    );
    expect(cardText(stale.card)).toMatch(/Alice Engineer ended it first \(OUT-1/);
    const o = await app.deps.outages.get('OUT-1');
    const seen = o.ok ? o.value.version : 0;
    connector.clear();
    const { card } = await invoke(
      'outage.approve',
      { outageId: 'OUT-1', version: seen },
      staff(MEG, 'Meg', MANAGERS, managersPost),
      managersPost,
    );
    expect(cardText(card)).toContain(
      'Exclusion: (b) Force majeure (including Microsoft): approved by Meg Manager today 13:00 ET',
    );
    await app.background.drain();
    const updated = connector
      .requests()
      .find((r) => r.operation === 'updateActivity' && r.activityId === formId);
    expect(updated).toBeDefined();
    expect(cardText(cardsOf(connector.current(formId))[0])).toContain('approved by Meg Manager');
    expect(
      connector.requests().some((r) => r.operation === 'updateActivity' && r.activityId === managersPost),
    ).toBe(false);
    expect((await app.deps.outages.month('2026-11')).availability).toMatchObject({
      outageMinutes: 0,
      excludedMinutes: 5,
      availability: 1,
      met: true,
    });
    const history = await app.deps.outages.history('OUT-1');
    expect(history.ok && history.value.changes.map((c) => [c.type, c.actor.name])).toEqual([
      ['recorded', 'Alice Engineer'],
      ['exclusion-requested', 'Alice Engineer'],
      ['ended', 'Alice Engineer'],
      ['exclusion-approved', 'Meg Manager'],
    ]);
  });

  it('"status" as a customer now says the service is up, with the month at 100 %', async () => {
    const card = await ask('status', customer());
    const text = cardText(card);
    expect(text).toContain('The Core Service is up');
    expect(text).toContain('Availability: 100.0000 %');
  });

  it('"outages" as staff shows the month’s figures and outages', async () => {
    const card = await ask('outages', staff(ALICE, 'Alice'));
    const text = cardText(card);
    expect(text).toContain('Excluded: 5 min');
    expect(text).toContain('Error budget: 0 of 4.326 min used, 4.326 left');
    expect(text).toContain('OUT-1 ·');
    expect(text).toContain('(b) approved');
  });

  it('an engineer edits the outage from its card: the change is in the history; a bad time changes nothing', async () => {
    const bad = await invoke(
      'outage.edit',
      {
        outageId: 'OUT-1',
        editStartDate: '2026-11-10',
        editStartTime: '25:00',
        editEndDate: '2026-11-10',
        editEndTime: '12:05',
        editAffected: 'Calling',
        editCause: '',
      },
      staff(ALICE, 'Alice'),
      formId,
    );
    expect(cardText(bad.card)).toContain('The start is not a real date and time.');
    const { card } = await invoke(
      'outage.edit',
      {
        outageId: 'OUT-1',
        editStartDate: '2026-11-10',
        editStartTime: '12:00',
        editEndDate: '2026-11-10',
        editEndTime: '12:05',
        editAffected: 'Calling in the US and EU regions',
        editCause: 'Microsoft Teams calling incident',
      },
      staff(ALICE, 'Alice'),
      formId,
    );
    expect(cardText(card)).toContain('Affected: Calling in the US and EU regions');
    expect(cardText(card)).toContain(
      '**Edited** · Alice Engineer · today 13:00 ET: Edited: what was affected',
    );
    // Texts only: the approved exclusion stands.
    expect(cardText(card)).toContain('approved by Meg Manager');
  });

  it('a customer asks for their report and gets their month: targets, breaches, availability', async () => {
    clock.now = Date.parse('2026-11-10T09:00:00-05:00');
    const filed = await app.tickets.file({
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      tenantId: CONTOSO,
      customerName: 'Contoso',
      requester: { id: 'aad-ann', name: 'Ann Customer' },
      title: 'No dial tone <at>anyone</at>',
      description: 'All phones are silent.',
      category: 'outage',
      priority: 'P1',
    });
    expect(filed.ok).toBe(true);
    clock.now = Date.parse('2026-11-10T13:00:00-05:00');
    const card = await ask('report', customer());
    const text = cardText(card);
    expect(text).toContain('SLA report, 2026-11: Contoso');
    expect(text).toContain('Month in progress: figures so far. 1 ticket filed.');
    expect(text).toContain('P1 Response: 0 of 1 met, 1 breached');
    expect(text).toMatch(/TM-\d+ · P1 Response · No dial tone \\<at\\>anyone\\</);
    expect(text).toContain('not yet met (3 h late)');
    expect(text).toContain('Availability: 100.0000 % (target 99.9900 %)');
    const october = await invoke('report.show', { month: '2026-10' }, customer());
    expect(cardText(october.card)).toContain('No response or work-around target fell due this month.');
    expect((await invoke('report.show', { month: '2027-01' }, customer())).message).toBe(
      'There is no report for 2027-01 yet.',
    );
  });

  it('someone of another tenant asking gets the polite answer and nothing else', async () => {
    connector.clear();
    await post(
      url(),
      personalMessage({
        ...customer(),
        tenantId: '99999999-9999-4999-8999-999999999999',
        text: 'is there an outage?',
      }),
    );
    const reply = await connector.waitFor((r) => r.activity?.text !== undefined);
    expect(reply.activity?.text).toContain('is not set up for SLA Desk support');
  });
});
