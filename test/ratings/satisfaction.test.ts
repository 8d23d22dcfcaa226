// Satisfaction figures a manager trusts, over real HTTP on a real Azurite: ratings counted in the month of the
// resolution they rate (ET, the policy's zone), per priority and per engineer (the owner when resolved), a
// changed rating moving the figures rather than adding to them, an unanswered card lowering the response rate,
// an empty month reading "no ratings" (null, not 0 %); and each customer's report showing only their own.
// Expected values are worked out by hand below.
import type { App } from '../../src/app';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import type { SatisfactionMonth } from '../../src/domain/stats/satisfaction';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import {
  act,
  CONTOSO,
  FABRIKAM,
  getJson,
  MANAGER,
  seed,
  ssoClaims,
  STAFF_TENANT,
  ENGINEER,
} from '../support/tab';

let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-10-01 09:00') };
const nina: Actor = { id: 'aad-nina', name: 'Nina Engineer', role: 'engineer' };
const megan: Actor = { id: 'aad-megan', name: 'Megan Bowen', role: 'customer' };

/** Files, assigns and resolves a ticket, asks for its rating and sends the card; each step at its time. */
async function resolved(
  tenantId: string,
  priority: 'P1' | 'P2' | 'P3',
  owner: Actor,
  filed: string,
  resolvedAt: string,
): Promise<Ticket> {
  const t = await seed(app, clock, et(filed), { tenantId, priority, title: `Filed ${filed}` });
  await act(app, clock, et(filed) + 60_000, t.id, { kind: 'assign', to: { id: owner.id, name: owner.name } });
  await act(app, clock, et(resolvedAt), t.id, { kind: 'resolve', text: 'Done.' });
  clock.now = et(resolvedAt) + 60_000;
  const system = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
  const asked = await app.tickets.act({ kind: 'staff' }, t.id, system, {
    kind: 'ask-rating',
    resolvedAt: et(resolvedAt),
  });
  if (!asked.ok) throw asked.error;
  // Teams accepted the card (what the customer delivery records): the ask counts from now on.
  const sent = await app.tickets.act({ kind: 'staff' }, t.id, system, {
    kind: 'rating-sent',
    resolvedAt: et(resolvedAt),
  });
  if (!sent.ok) throw sent.error;
  return sent.value.ticket;
}

async function rate(t: Ticket, at: number, score: number): Promise<void> {
  clock.now = at;
  const rated = await app.tickets.act({ kind: 'tenant', tenantId: t.tenantId }, t.id, megan, {
    kind: 'rate',
    resolvedAt: Number(t.resolvedAt),
    score,
  });
  if (!rated.ok) throw rated.error;
}

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
  const eddie: Actor = { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' };
  // October: a P1 of Eddie's rated 5; a P2 of Eddie's rated 2, then changed to 4; a P2 of Nina's resolved
  // Sat 31 Oct 23:30 ET (1 Nov in UTC: October's) never answered.
  const a = await resolved(CONTOSO, 'P1', eddie, '2026-10-05 10:00', '2026-10-05 12:00');
  await rate(a, et('2026-10-05 13:00'), 5);
  const b = await resolved(CONTOSO, 'P2', eddie, '2026-10-20 10:00', '2026-10-21 10:00');
  await rate(b, et('2026-10-21 11:00'), 2);
  await rate(b, et('2026-10-24 11:00'), 4);
  await resolved(CONTOSO, 'P2', nina, '2026-10-30 10:00', '2026-10-31 23:30');
  // November: a P3 of Nina's (Contoso) rated 3; a P3 of Eddie's (Fabrikam) rated 1.
  const d = await resolved(CONTOSO, 'P3', nina, '2026-11-02 10:00', '2026-11-03 10:00');
  await rate(d, et('2026-11-03 12:00'), 3);
  const e = await resolved(FABRIKAM, 'P3', eddie, '2026-11-02 11:00', '2026-11-04 10:00');
  await rate(e, et('2026-11-04 12:00'), 1);
  clock.now = et('2026-12-02 09:00');
  await app.background.drain();
});
afterAll(() => stop());

const token = (tenant: string, oid: string) => entra.mintToken(ssoClaims(tenant, oid));
const get = (path: string, t: string) => getJson(`${app.url}${path}`, t);
const manager = () => token(STAFF_TENANT, MANAGER);

function monthOf(body: Record<string, unknown>, month: string): SatisfactionMonth {
  const months = body['satisfaction'] as SatisfactionMonth[];
  const m = months.find((x) => x.month === month);
  if (m === undefined) throw new Error(`no ${month}`);
  return m;
}

describe('satisfaction on the dashboard', () => {
  it('counts October by the resolution month, with the change moved, not doubled', async () => {
    const res = await get('/api/dashboard?month=2026-12', manager());
    expect(res.status).toBe(200);
    const oct = monthOf(res.body, '2026-10');
    // Asked 3 (A, B, C); answered 2 (A 5, B 4 after its change); 4-5: both.
    expect(oct.all).toEqual({ asked: 3, answers: 2, positive: 2, csat: 1, responseRate: 0.6667 });
    expect(oct.byPriority.P1).toEqual({ asked: 1, answers: 1, positive: 1, csat: 1, responseRate: 1 });
    expect(oct.byPriority.P2).toEqual({ asked: 2, answers: 1, positive: 1, csat: 1, responseRate: 0.5 });
    expect(oct.byPriority.P3).toEqual({ asked: 0, answers: 0, positive: 0, csat: null, responseRate: null });
    expect(oct.byEngineer).toEqual([
      { id: ENGINEER, name: 'Eddie Engineer', asked: 2, answers: 2, positive: 2, csat: 1, responseRate: 1 },
      { id: nina.id, name: 'Nina Engineer', asked: 1, answers: 0, positive: 0, csat: null, responseRate: 0 },
    ]);
  });

  it('counts November for every tenant, and an empty month as no ratings rather than 0 %', async () => {
    const res = await get('/api/dashboard?month=2026-12', manager());
    const nov = monthOf(res.body, '2026-11');
    // D rated 3, E rated 1: two answers, none 4-5.
    expect(nov.all).toEqual({ asked: 2, answers: 2, positive: 0, csat: 0, responseRate: 1 });
    expect(nov.byPriority.P3).toEqual(nov.all);
    expect(nov.byEngineer.map((e) => [e.name, e.answers, e.csat])).toEqual([
      ['Eddie Engineer', 1, 0],
      ['Nina Engineer', 1, 0],
    ]);
    const dec = monthOf(res.body, '2026-12');
    expect(dec.all).toEqual({ asked: 0, answers: 0, positive: 0, csat: null, responseRate: null });
    expect(dec.byEngineer).toEqual([]);
  });
});

describe("the customer's monthly report", () => {
  it("shows each tenant's own ratings only", async () => {
    const contoso = await get(
      '/api/reports/sla?month=2026-10',
      token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001'),
    );
    expect(contoso.status).toBe(200);
    expect(contoso.body['satisfaction']).toEqual({
      asked: 3,
      answers: 2,
      positive: 2,
      csat: 1,
      responseRate: 0.6667,
    });
    const novContoso = await get(
      '/api/reports/sla?month=2026-11',
      token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001'),
    );
    expect(novContoso.body['satisfaction']).toEqual({
      asked: 1,
      answers: 1,
      positive: 0,
      csat: 0,
      responseRate: 1,
    });
    const novFabrikam = await get(
      '/api/reports/sla?month=2026-11',
      token(FABRIKAM, 'ffffffff-0000-4000-8000-000000000001'),
    );
    expect(novFabrikam.body['satisfaction']).toEqual({
      asked: 1,
      answers: 1,
      positive: 0,
      csat: 0,
      responseRate: 1,
    });
    const html = await fetch(`${app.url}/api/reports/sla?month=2026-10&format=html`, {
      headers: { authorization: `Bearer ${token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001')}` },
    });
    expect(await html.text()).toContain(
      '2 ratings: 100 % rated 4 or 5. 2 of 3 rating cards answered (67 %).',
    );
  });
});
