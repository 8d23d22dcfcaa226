// A reopened ticket on the tab's ticket page, over real HTTP (tab tokens, Azurite): the rounds, and "why this
// deadline" counting from the reopen. Deadlines were counted by hand (docs/sla-rules.md, example A).
import type { TicketDetail } from '../../src/adapters/api/contract';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { cardProblems } from '../support/cards';
import { CONTOSO, ENGINEER, STAFF_TENANT } from '../support/tab';
import { StaffDesk } from '../support/staff-world';

const clock: TestClock = { now: et('2026-11-25 10:00') };
const desk = new StaffDesk({ clock, sso: true });
const { cards, token, call, fresh, file } = desk;

beforeAll(async () => {
  await desk.start();
});
afterAll(async () => {
  await desk.stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const engineer = () => token(STAFF_TENANT, ENGINEER);
const contoso = () => token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001');

async function act(id: string, at: string, body: Record<string, unknown>): Promise<void> {
  clock.now = et(at);
  const res = await call('POST', `/api/tickets/${id}/actions`, engineer(), { requestId: fresh(), ...body });
  expect(res.status).toBe(200);
}

describe('a P2 reopened Monday 09:00 on the ticket page', () => {
  it('lists both rounds and explains the deadline from the reopen', async () => {
    const { ticket } = await file({ priority: 'P2' });
    await act(ticket.id, '2026-11-25 10:30', { action: 'reply', text: 'Looking' });
    await act(ticket.id, '2026-11-27 15:00', { action: 'resolve', text: 'Fixed' });
    await act(ticket.id, '2026-11-30 09:00', { action: 'reopen', reason: 'Back again' });
    for (const viewer of [engineer(), contoso()]) {
      const res = await call<TicketDetail>('GET', `/api/tickets/${ticket.id}`, viewer);
      expect(res.status).toBe(200);
      const { rounds } = res.body.ticket;
      expect(rounds.map((r) => [r.n, r.start, r.by, r.responseDue, r.responseMetAt, r.current])).toEqual([
        [1, et('2026-11-25 10:00'), null, et('2026-11-25 12:00'), et('2026-11-25 10:30'), false],
        [2, et('2026-11-30 09:00'), 'Eddie Engineer', et('2026-11-30 11:00'), null, true],
      ]);
      const why = res.body.explanations.find((e) => e.target === 'response')?.reasons.map((r) => r.text);
      expect(why).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^Reopened Mon 30 Nov 2026 09:00 ET by .+, starting round 2: inside support hours/,
          ),
          'P2 response target (in-hours): 2 h (120 min), counted from the reopen at Mon 30 Nov 2026 09:00 ET.',
          'No pauses in this round: the ticket has not waited on the customer since the reopen.',
        ]),
      );
    }
  });

  it('calls the last round current only while the ticket is open', async () => {
    clock.now = et('2026-11-25 10:00'); // filed before its own actions (the test above moved the clock on)
    const { ticket } = await file({ priority: 'P2' });
    await act(ticket.id, '2026-11-25 10:30', { action: 'reply', text: 'Looking' });
    await act(ticket.id, '2026-11-27 15:00', { action: 'resolve', text: 'Fixed' });
    await act(ticket.id, '2026-11-30 09:00', { action: 'reopen', reason: 'Back again' });
    await act(ticket.id, '2026-11-30 10:00', { action: 'resolve', text: 'Fixed again' });
    for (const viewer of [engineer(), contoso()]) {
      const res = await call<TicketDetail>('GET', `/api/tickets/${ticket.id}`, viewer);
      expect(res.status).toBe(200);
      expect(res.body.ticket.status).toBe('resolved');
      const { rounds } = res.body.ticket;
      expect(rounds.map((r) => [r.n, r.current])).toEqual([
        [1, false],
        [2, false],
      ]);
      expect(rounds.map((r) => r.resolvedAt)).toEqual([et('2026-11-27 15:00'), et('2026-11-30 10:00')]);
    }
  });
});
