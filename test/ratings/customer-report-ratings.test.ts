// The customer's monthly report counts every resolution of the month, however long before it the ticket was
// filed, over real HTTP on a real Azurite: a ticket filed 90 days before its resolution (older than the
// tickets the report reads for its deadlines) is in its "How we did", and another tenant's is not.
import type { App } from '../../src/app';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import { act, CONTOSO, FABRIKAM, getJson, seed, ssoClaims } from '../support/tab';

let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-08-05 09:00') };
const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
const megan: Actor = { id: 'aad-megan', name: 'Megan Bowen', role: 'customer' };
const CONTOSO_USER = 'cccccccc-0000-4000-8000-000000000001';
const FABRIKAM_USER = 'ffffffff-0000-4000-8000-000000000001';

/** Files a ticket, resolves it, sends its rating card and rates it, each at its time. */
async function rated(tenantId: string, filed: string, resolved: string, score: number): Promise<Ticket> {
  const t = await seed(app, clock, et(filed), { tenantId, priority: 'P3', title: `Filed ${filed}` });
  await act(app, clock, et(filed) + 60_000, t.id, { kind: 'take' });
  await act(app, clock, et(resolved), t.id, { kind: 'resolve', text: 'Done.' });
  const resolvedAt = et(resolved);
  for (const cmd of [
    { kind: 'ask-rating', resolvedAt },
    { kind: 'rating-sent', resolvedAt },
  ] as const) {
    const done = await app.tickets.act({ kind: 'staff' }, t.id, SYSTEM, cmd);
    if (!done.ok) throw done.error;
  }
  clock.now = resolvedAt + 3_600_000;
  const r = await app.tickets.act({ kind: 'tenant', tenantId }, t.id, megan, {
    kind: 'rate',
    resolvedAt,
    score,
  });
  if (!r.ok) throw r.error;
  return r.value.ticket;
}

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
  // Filed Wed 5 Aug, resolved Tue 3 Nov: 90 days on.
  await rated(CONTOSO, '2026-08-05 10:00', '2026-11-03 10:00', 5);
  // Filed and resolved in November.
  await rated(CONTOSO, '2026-11-10 10:00', '2026-11-11 10:00', 2);
  // Another tenant's, in November.
  await rated(FABRIKAM, '2026-11-12 10:00', '2026-11-13 10:00', 4);
  clock.now = et('2026-12-01 09:00');
  await app.background.drain();
});
afterAll(() => stop());

const report = (tenant: string, user: string, format = 'json') =>
  getJson(
    `${app.url}/api/reports/sla?month=2026-11&format=${format}`,
    entra.mintToken(ssoClaims(tenant, user)),
  );

describe("the customer's monthly report: how we did", () => {
  it('counts a resolution of the month whose ticket was filed 90 days before', async () => {
    const res = await report(CONTOSO, CONTOSO_USER);
    expect(res.status).toBe(200);
    expect(res.body['filed']).toBe(1);
    expect(res.body['satisfaction']).toEqual({
      asked: 2,
      answers: 2,
      positive: 1,
      csat: 0.5,
      responseRate: 1,
    });
  });

  it("shows only the tenant's own, in the sentence of the page too", async () => {
    const fab = await report(FABRIKAM, FABRIKAM_USER);
    expect(fab.body['satisfaction']).toEqual({ asked: 1, answers: 1, positive: 1, csat: 1, responseRate: 1 });
    const html = await fetch(`${app.url}/api/reports/sla?month=2026-11&format=html`, {
      headers: { authorization: `Bearer ${entra.mintToken(ssoClaims(CONTOSO, CONTOSO_USER))}` },
    });
    expect(await html.text()).toContain(
      '2 ratings: 50 % rated 4 or 5. 2 of 2 rating cards answered (100 %).',
    );
  });
});
