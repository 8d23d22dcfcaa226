// The tab's ticket page as a person reads it (issue 19, trial): the details the channel's root card shows
// (callback, affected users, fix release), events named by what they did (took, assigned to, P3 → P2, the
// release), the customer's escalation, a priority change told to the customer whole, and a stale action's
// error with its time in the support zone. Over real HTTP, a real Azurite and the fake Bot Connector.
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import type { TicketDetail } from '../../src/adapters/api/contract';
import { et } from '../fixtures';
import { ann } from '../fixtures/filing';
import type { TestClock } from '../support/app';
import { cardProblems } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER, MANAGER, STAFF_TENANT } from '../support/tab';
import { StaffDesk, type Answer } from '../support/staff-world';

let connector: FakeConnector;
let app: App;
// Wednesday morning, inside support hours.
const clock: TestClock = { now: et('2026-11-25 08:00') };
const desk = new StaffDesk({ clock, sso: true });
const { cards, token, call, fresh, stored, file, rootText, toCustomer } = desk;

beforeAll(async () => {
  ({ app, connector } = await desk.start());
});
afterAll(async () => {
  await desk.stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const engineer = () => token(STAFF_TENANT, ENGINEER);
const manager = () => token(STAFF_TENANT, MANAGER);
const ANN = 'cccccccc-0000-4000-8000-000000000001';
const contoso = () => token(CONTOSO, ANN);

/** An action from the tab with a fresh request id. */
function actOn(id: string, body: Record<string, unknown>, t = engineer()): Promise<Answer<TicketDetail>> {
  return call<TicketDetail>('POST', `/api/tickets/${id}/actions`, t, { requestId: fresh(), ...body });
}

describe('the ticket page and the events around it', () => {
  let t: Ticket;
  let chat = '';
  beforeAll(async () => {
    clock.now = et('2026-11-25 08:00');
    ({ ticket: t, chat } = await file({
      priority: 'P3',
      title: 'Calls drop after 30 s',
      callbackNumber: '+1 555 0100',
      affectedUsers: 250,
    }));
  });

  it('sends the callback number and the affected users', async () => {
    const res = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({
      callbackNumber: '+1 555 0100',
      affectedUsers: 250,
      fix: null,
      escalation: null,
    });
    // The customer sees their own callback number too.
    const own = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, contoso());
    expect(own.body.ticket.callbackNumber).toBe('+1 555 0100');
  });

  it('names a take and an assign in the timeline and the root card', async () => {
    expect((await actOn(t.id, { action: 'take' })).status).toBe(200);
    clock.now += 60_000;
    const assigned = await actOn(t.id, { action: 'assign', to: MANAGER });
    expect(assigned.status).toBe(200);
    await app.background.drain();
    const root = rootText(await stored(t.id));
    expect(root).toContain('**Took ownership** · Eddie Engineer (from the tab)');
    expect(root).toContain('**Assigned to Maria Manager** · by Eddie Engineer (from the tab)');
    expect(root).not.toContain('**Owner**');
  });

  it('says P3 → P2 with the reason, and tells the customer both', async () => {
    connector.clear();
    clock.now += 60_000;
    const res = await actOn(t.id, { action: 'priority', to: 'P2', reason: 'More users affected' }, manager());
    expect(res.status).toBe(200);
    const e = res.body.timeline.find((x) => x.type === 'priority-changed');
    expect(e?.data).toMatchObject({ from: 'P3', to: 'P2' });
    await app.background.drain();
    expect(rootText(await stored(t.id))).toContain('**Priority P3 → P2** · Maria Manager (from the tab)');
    expect(rootText(await stored(t.id))).toContain(': More users affected');
    const told = toCustomer(chat);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Priority changed from P3 to P2');
    expect(told[0]).toContain(': More users affected');
    expect(told[0]).not.toContain('Now P2');
  });

  it('names the release of a fix on the root card', async () => {
    clock.now += 60_000;
    const res = await actOn(t.id, { action: 'fix', release: '2.14.4-hotfix1' }, manager());
    expect(res.status).toBe(200);
    expect(res.body.ticket.fix?.release).toBe('2.14.4-hotfix1');
    await app.background.drain();
    expect(rootText(await stored(t.id))).toContain('**Permanent fix: 2.14.4-hotfix1**');
  });

  it("sends the customer's escalation while the ticket is open: when, who and why", async () => {
    clock.now += 60_000;
    const at = clock.now;
    const r = await app.tickets.act({ kind: 'tenant', tenantId: CONTOSO }, t.id, ann, {
      kind: 'escalate',
      reason: 'Our call centre is down',
    });
    expect(r.ok).toBe(true);
    const res = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    expect(res.body.ticket.escalation).toEqual({ at, by: 'Ann Customer', reason: 'Our call centre is down' });
  });

  it('a stale action says when in the support zone, never an ISO stamp', async () => {
    const before = await stored(t.id);
    const res = await actOn(t.id, { action: 'reply', text: 'Too late', version: before.version - 1 });
    expect(res.status).toBe(409);
    const err = (res.body as unknown as { error: { message: string } }).error;
    // 08:04 ET on the day: "today 08:04 ET" as the cards say it.
    expect(err.message).toBe(`Ann Customer ${before.lastChange.what} first (${t.id}, today 08:04 ET).`);
    expect(err.message).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('a resolved ticket has no open escalation', async () => {
    clock.now += 60_000;
    expect((await actOn(t.id, { action: 'resolve' }, manager())).status).toBe(200);
    const res = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    expect(res.body.ticket.escalation).toBeNull();
  });
});
