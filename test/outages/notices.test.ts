// The managers' channel notices: last month's summary on the first business day, warnings at half and all of
// the error budget, each exactly once across instances (claim markers in Table Storage), over the real app
// and the fake connector. The job takes `now` as a parameter: the tests tick it by hand.
import type { App } from '../../src/app';
import { OutageNotifier } from '../../src/domain/outages/notifier';
import { dueNotices, firstBusinessOpening } from '../../src/domain/outages/notices';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { monthAvailability, SlaEngine } from '../../src/domain/sla';
import { TableNoticeMarks } from '../../src/adapters/storage/outages';
import { silentLogger } from '../../src/log';
import type { Actor } from '../../src/domain/tickets/model';
import { et, etText } from '../fixtures';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { DEFAULT_TENANT_ID as VENDOR, startFakeConnector, type FakeConnector } from '../support/connector';
import { startTestApp, type TestClock } from '../support/app';
import type { SupportChannel } from '../../src/adapters/storage/settings';
import { budgetNoticePoster } from '../../src/adapters/teams/notices';

const engine = new SlaEngine(DEFAULT_POLICY);
const alice: Actor = { id: 'aad-alice', name: 'Alice Engineer', role: 'engineer' };
const SUPPORT = '19:support@thread.tacv2';
const MANAGERS = '19:managers@thread.tacv2';
let azurite: TestAzurite;
let connector: FakeConnector;
let app: App;
const clock: TestClock = { now: et('2026-07-20 09:00') };

beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startFakeConnector();
  app = await startTestApp({ connectionString: azurite.connectionString, clock });
});
afterAll(async () => {
  await app.stop();
  await connector.stop();
  await azurite.stop();
});

const channel = (id: string) => ({
  conversationId: id,
  serviceUrl: connector.serviceUrl,
  tenantId: VENDOR,
  teamId: `team-${id}`,
  channelId: id,
  teamName: 'Support',
  channelName: id,
  setBy: 'Meg Manager',
  setAt: clock.now,
});

/** Another instance of the app: same storage, its own claim owner. */
function otherInstance(): OutageNotifier<SupportChannel> {
  const table = app.storage.table(`${app.config.tablePrefix}outages`);
  return new OutageNotifier({
    policy: DEFAULT_POLICY,
    calendar: engine.calendar,
    outages: app.deps.outages,
    marks: new TableNoticeMarks(table),
    settings: app.deps.settings,
    post: budgetNoticePoster(app.deps.outbound, DEFAULT_POLICY),
    log: silentLogger,
    owner: 'instance-two',
  });
}

async function tickBoth(at: number): Promise<string[]> {
  clock.now = at;
  const [a, b] = await Promise.all([app.notices.tick(at), otherInstance().tick(at)]);
  return [...a, ...b].sort();
}

function posted(conversationId: string): string[] {
  return connector
    .sent()
    .filter((r) => r.conversationId === conversationId)
    .map((r) => {
      const card = cardsOf(r.activity)[0];
      expect(cardProblems(card)).toEqual([]);
      return cardText(card);
    });
}

async function outage(start: string, end: string): Promise<void> {
  clock.now = et(end) + 60_000;
  const r = await app.deps.outages.record(alice, {
    start: et(start),
    end: et(end),
    affected: 'Calling',
    cause: '',
  });
  if (!r.ok) throw r.error;
}

describe('when the first business day of a month comes', () => {
  it('is the first weekday that is not a holiday, at the opening of support hours', () => {
    const at = (m: string) => etText(firstBusinessOpening(engine.calendar, m, 'America/New_York'));
    expect(at('2026-08')).toBe('Mon 2026-08-03 04:00 EDT');
    expect(at('2026-12')).toBe('Tue 2026-12-01 04:00 EST');
    expect(at('2026-11')).toBe('Mon 2026-11-02 04:00 EST');
  });

  it('budget warnings: half at 50 %, spent at 100 % (spent covers half)', () => {
    const nov = (minutes: number) =>
      monthAvailability(
        DEFAULT_POLICY,
        '2026-11',
        minutes === 0
          ? []
          : [{ start: et('2026-11-10 12:00'), end: et('2026-11-10 12:00') + minutes * 60_000 }],
        et('2026-11-20 12:00'),
      );
    const oct = monthAvailability(DEFAULT_POLICY, '2026-10', [], et('2026-11-20 12:00'));
    const due = (m: number) =>
      dueNotices(engine.calendar, 'America/New_York', et('2026-11-20 12:00'), nov(m), oct).map((n) => n.key);
    expect(due(0)).toEqual([]);
    expect(due(2)).toEqual([]);
    expect(due(2.2)).toEqual(['half|2026-11']);
    expect(due(4.3)).toEqual(['half|2026-11']);
    expect(due(4.4)).toEqual(['spent|2026-11']);
  });
});

describe('the managers’ channel', () => {
  it('without a managers’ channel the support channel gets the summary, on the first business day only, once', async () => {
    await app.deps.settings.setSupportChannel(channel(SUPPORT));
    connector.clear();
    expect(await tickBoth(et('2026-08-01 10:00'))).toEqual([]); // Saturday
    expect(await tickBoth(et('2026-08-03 03:59'))).toEqual([]); // before the opening
    expect(await tickBoth(et('2026-08-03 04:00'))).toEqual(['summary|2026-07']);
    expect(await tickBoth(et('2026-08-03 04:01'))).toEqual([]);
    expect(await tickBoth(et('2026-08-04 09:00'))).toEqual([]);
    const cards = posted(SUPPORT);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('Core Service availability, July 2026: met');
    expect(cards[0]).toContain('Availability: 100.0000 % (target 99.9900 %)');
    expect(cards[0]).toContain('Minutes in month: 44,640');
  });

  it('with one: half the budget used warns once, spent warns once, across two instances', async () => {
    await app.deps.settings.setManagersChannel(channel(MANAGERS));
    connector.clear();
    await outage('2026-11-10 12:00', '2026-11-10 12:03');
    expect(await tickBoth(et('2026-11-10 12:10'))).toEqual(['half|2026-11']);
    expect(await tickBoth(et('2026-11-10 12:11'))).toEqual([]);
    await outage('2026-11-12 08:00', '2026-11-12 08:02');
    expect(await tickBoth(et('2026-11-12 08:05'))).toEqual(['spent|2026-11']);
    expect(await tickBoth(et('2026-11-12 08:06'))).toEqual([]);
    const cards = posted(MANAGERS);
    expect(cards).toHaveLength(2);
    expect(cards[0]).toContain('Half of November 2026’s error budget is used');
    expect(cards[0]).toContain('Error budget: 3 of 4.326 min used, 1.326 left');
    expect(cards[1]).toContain('November 2026’s error budget is spent');
    expect(cards[1]).toContain('Availability: 99.9884 % (target 99.9900 %)');
    expect(posted(SUPPORT)).toEqual([]);
  });

  it('a failed send is not lost: the claim is released and the next tick sends it', async () => {
    connector.clear();
    connector.failNext(1, { status: 429 });
    expect(await app.notices.tick(et('2026-12-01 04:00'))).toEqual([]);
    expect(await tickBoth(et('2026-12-01 04:01'))).toEqual(['summary|2026-11']);
    const cards = posted(MANAGERS);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('Core Service availability, November 2026: missed');
    expect(cards[0]).toContain('Down: 5 min');
  });
});
