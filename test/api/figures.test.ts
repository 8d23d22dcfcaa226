// Figures a manager trusts, over real HTTP on a real Azurite: the dashboard's time waiting on the customer
// counts a wait still open up to now; first-reply percentiles are read on the target's own clock (a weekend
// inside counts nothing), wall time beside; the availability view gives staff every exclusion with its state
// and customers only approved ones. Expected values are worked out by hand from the policy (SLA-RULES.md).
import type { App } from '../../src/app';
import type { Actor } from '../../src/domain/tickets/model';
import { duration, minutesText } from '../../src/domain/reports/duration';
import { et, HOUR, MINUTE } from '../fixtures';
import { ann } from '../fixtures/filing';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import { act, CONTOSO, getJson, MANAGER, seed, ssoClaims, STAFF_TENANT } from '../support/tab';

let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-02 09:00') };
const NOW = et('2026-11-09 12:00');
const eddie: Actor = { id: 'aad-eddie', name: 'Eddie Engineer', role: 'engineer' };
const maria: Actor = { id: MANAGER, name: 'Maria Manager', role: 'manager' };

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
  // P1, Mon 2 Nov 09:00: first reply 120.1 s later (continuous clock: wall and clock alike).
  const p1 = await seed(app, clock, et('2026-11-02 09:00'), { priority: 'P1', title: 'Quick reply' });
  await act(app, clock, et('2026-11-02 09:00') + 120_100, p1.id, { kind: 'reply', text: 'On it' });
  // P3, Mon 2 Nov 10:00: asked the customer at 11:00, who answered Tue 3 Nov 14:00 (a closed wait of 27 h).
  const closed = await seed(app, clock, et('2026-11-02 10:00'), { priority: 'P3', title: 'Closed wait' });
  await act(app, clock, et('2026-11-02 11:00'), closed.id, { kind: 'ask', text: 'Which numbers?' });
  clock.now = et('2026-11-03 14:00');
  const answered = await app.tickets.act({ kind: 'tenant', tenantId: CONTOSO }, closed.id, ann, {
    kind: 'customer-message',
    text: '+1 555 0100',
  });
  if (!answered.ok) throw answered.error;
  // P3, Wed 4 Nov 10:00: asked at 10:30, never answered: still waiting at NOW (Mon 9 Nov 12:00).
  const open = await seed(app, clock, et('2026-11-04 10:00'), { priority: 'P3', title: 'Open wait' });
  await act(app, clock, et('2026-11-04 10:30'), open.id, { kind: 'ask', text: 'Which site?' });
  // Three P2s around a weekend, each answered on Monday 9 Nov.
  const replies: [filed: string, replied: string][] = [
    ['2026-11-06 21:00', '2026-11-09 05:00'], // Fri, in hours (support-hours clock)
    ['2026-11-06 21:30', '2026-11-09 04:30'], // Fri, in hours (support-hours clock)
    ['2026-11-07 10:00', '2026-11-09 03:00'], // Sat, after hours (business-days clock)
  ];
  for (const [filed, replied] of replies) {
    const t = await seed(app, clock, et(filed), { priority: 'P2', title: `Filed ${filed}` });
    await act(app, clock, et(replied), t.id, { kind: 'reply', text: 'Looking now' });
  }
  // Outages of November: one exclusion asked for, one approved, one rejected.
  clock.now = et('2026-11-05 09:00');
  const outage = async (start: string, end: string, affected: string, category: string) => {
    const made = await app.deps.outages.record(eddie, {
      start: et(start),
      end: et(end),
      affected,
      cause: `internal cause of ${affected}`,
      exclusion: { category, justification: `justified ${affected}` },
    });
    if (!made.ok) throw made.error;
    return made.value.outage.id;
  };
  await outage('2026-11-05 08:00', '2026-11-05 08:02', 'Pending outage', 'a');
  const approved = await outage('2026-11-05 08:10', '2026-11-05 08:13', 'Approved outage', 'b');
  const rejected = await outage('2026-11-05 08:20', '2026-11-05 08:21', 'Rejected outage', 'd');
  clock.now = et('2026-11-05 10:00');
  for (const [id, kind] of [
    [approved, 'approve-exclusion'],
    [rejected, 'reject-exclusion'],
  ] as const) {
    const decided = await app.deps.outages.act(id, maria, { kind });
    if (!decided.ok) throw decided.error;
  }
  clock.now = NOW;
  await app.background.drain();
});
afterAll(() => stop());

const token = (tenant: string, oid: string) => entra.mintToken(ssoClaims(tenant, oid));
const manager = () => token(STAFF_TENANT, MANAGER);
const contoso = () => token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001');
const get = (path: string, t: string) => getJson(`${app.url}${path}`, t);

interface Fig {
  tickets: number;
  responseMedianMinutes: number | null;
  responseP90Minutes: number | null;
  responseWallMedianMinutes: number | null;
  responseWallP90Minutes: number | null;
  responseClocks: string[];
  pausedMinutes: number;
  pausedHours: number;
  waitingNow: number;
}
interface Dash {
  month: string;
  current: { byPriority: Record<string, Fig>; all: Fig };
}

describe('the dashboard', () => {
  it('counts a wait still open up to now, beside a closed one', async () => {
    const res = await get('/api/dashboard', manager());
    expect(res.status).toBe(200);
    const d = res.body as unknown as Dash;
    // The month defaults to the support zone's: Mon 9 Nov 12:00 ET is November.
    expect(d.month).toBe('2026-11');
    // Closed: Mon 2 Nov 11:00 → Tue 3 Nov 14:00 = 27 h. Open: Wed 4 Nov 10:30 → Mon 9 Nov 12:00 =
    // 5 days and 1 h 30 min = 121 h 30 min. Together 148 h 30 min = 8910 minutes.
    const closedWait = 27 * HOUR;
    const openWait = 5 * 24 * HOUR + 90 * MINUTE;
    const p3 = d.current.byPriority['P3'];
    expect(p3).toMatchObject({
      tickets: 2,
      pausedMinutes: (closedWait + openWait) / MINUTE,
      pausedHours: 148.5,
      waitingNow: 1,
    });
    expect(d.current.byPriority['P2']).toMatchObject({ pausedMinutes: 0, waitingNow: 0 });
    expect(d.current.all).toMatchObject({ pausedMinutes: 8910, waitingNow: 1 });
    expect(duration(closedWait + openWait)).toBe('6 d 4 h 30 min');
  });

  it('reads first replies on the business clock, a weekend inside counting nothing, wall time beside', async () => {
    const d = (await get('/api/dashboard', manager())).body as unknown as Dash;
    // By hand, from the policy (support hours Mon–Fri 04:00–22:00 ET; a business day counts 00:00–24:00):
    //   Fri 21:00 → Mon 05:00, support hours: 60 min Friday (21–22) + 60 min Monday (04–05) = 120 min.
    //   Fri 21:30 → Mon 04:30, support hours: 30 + 30 = 60 min.
    //   Sat 10:00 → Mon 03:00, business days: nothing on the weekend, Monday 00:00–03:00 = 180 min.
    // Nearest rank: median = 2nd of [60, 120, 180] = 120; p90 = 3rd = 180.
    // Wall: 56 h = 3360, 55 h = 3300, 41 h = 2460 min: median 3300, p90 3360.
    // (Each is the lower edge of its bucket: to the minute below 8 h, 5 min below 3 days, 30 min below 30 days.)
    const p2 = d.current.byPriority['P2'];
    expect(p2).toMatchObject({
      tickets: 3,
      responseMedianMinutes: 120,
      responseP90Minutes: 180,
      responseWallMedianMinutes: 3300,
      responseWallP90Minutes: 3360,
    });
    expect(p2?.responseClocks).toEqual(['support-hours', 'business-days']);
    // P1's response targets run on the continuous clock only: never called business time.
    // Its one reply took 120.1 s = 2.0017 min: the bucket [2, 3) min, reported as its lower edge, 2 min
    // (durations are cut to the minute, never rounded up; the upper edge said 3 min).
    expect(d.current.byPriority['P1']).toMatchObject({
      responseMedianMinutes: 2,
      responseP90Minutes: 2,
      responseWallMedianMinutes: 2,
      responseWallP90Minutes: 2,
    });
    expect(d.current.byPriority['P1']?.responseClocks).toEqual(['continuous']);
  });
});

describe('durations', () => {
  it.each([
    [0, '0 min'],
    [40_000, '40 s'],
    [59_999, '59 s'],
    [45 * MINUTE, '45 min'],
    [45 * MINUTE + 30_000, '45 min'],
    [2219.5 * MINUTE, '36 h 59 min'],
    [2 * HOUR, '2 h'],
    [125 * MINUTE, '2 h 5 min'],
    [48 * HOUR, '2 d'],
    [3 * 24 * HOUR + 4 * HOUR + 12 * MINUTE, '3 d 4 h 12 min'],
    [-90 * MINUTE, '1 h 30 min'],
  ])('%d ms reads "%s" (cut, never rounded up)', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it('keeps seconds under an hour when asked (availability budgets), and reads no minutes as "—"', () => {
    expect(minutesText(4.326, true)).toBe('4 min 19 s');
    expect(minutesText(0.326, true)).toBe('19 s');
    expect(minutesText(4.326)).toBe('4 min');
    expect(minutesText(null)).toBe('—');
    expect(minutesText(2219.5)).toBe('36 h 59 min');
  });
});

describe('the availability view', () => {
  interface Out {
    id: string;
    affected: string;
    cause?: string;
    countsAs: string;
    exclusion: { category: string; status: string; decidedBy?: string; decidedAt?: number } | null;
  }
  const outagesOf = (body: Record<string, unknown>) =>
    (body['outages'] as Out[]).map((o) => [o.affected, o.exclusion, o.countsAs, o.cause ?? null]);

  it('gives staff every exclusion with its state and who decided', async () => {
    const res = await get('/api/availability', manager());
    expect(res.status).toBe(200);
    expect(res.body['month']).toBe('2026-11');
    const decidedAt = et('2026-11-05 10:00');
    expect(outagesOf(res.body)).toEqual([
      ['Pending outage', { category: 'a', status: 'requested' }, 'down', 'internal cause of Pending outage'],
      [
        'Approved outage',
        { category: 'b', status: 'approved', decidedBy: 'Maria Manager', decidedAt },
        'excluded',
        'internal cause of Approved outage',
      ],
      [
        'Rejected outage',
        { category: 'd', status: 'rejected', decidedBy: 'Maria Manager', decidedAt },
        'down',
        'internal cause of Rejected outage',
      ],
    ]);
    // 2 + 1 minutes down; the approved 3 minutes excluded.
    expect(res.body['current']).toMatchObject({ outageMinutes: 3, excludedMinutes: 3 });
  });

  it('gives a customer approved exclusions only, without causes or who decided', async () => {
    const res = await get('/api/availability', contoso());
    expect(res.status).toBe(200);
    expect(outagesOf(res.body)).toEqual([
      ['Pending outage', null, 'down', null],
      ['Approved outage', { category: 'b', status: 'approved' }, 'excluded', null],
      ['Rejected outage', null, 'down', null],
    ]);
    const text = JSON.stringify(res.body);
    for (const hidden of ['requested', 'rejected', 'Maria', 'justified', 'internal cause'])
      expect(text).not.toContain(hidden);
  });

  it("the customer's availability report hides exclusions no manager approved", async () => {
    const res = await get('/api/reports/availability?month=2026-11', contoso());
    expect(res.status).toBe(200);
    const lines = (res.body['outages'] as { affected: string; exclusion: unknown; counted: string }[]).map(
      (o) => [o.affected, o.exclusion, o.counted],
    );
    expect(lines).toEqual([
      ['Pending outage', null, 'down'],
      ['Approved outage', { category: 'b', status: 'approved' }, 'excluded'],
      ['Rejected outage', null, 'down'],
    ]);
  });
});
