// A target's standing at an instant: met, paused, breached, at risk (from atRiskFrom %), on track; time left.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine, type TargetStatus } from '../../src/domain/sla';
import { HOUR, MINUTE, aPolicy, aTicket, et, type TicketSpec } from '../fixtures';

const sla = new SlaEngine(DEFAULT_POLICY);

function statusAt(spec: TicketSpec, now: string, engine = sla): TargetStatus {
  const input = aTicket(spec);
  return engine.status(engine.evaluate(input).response, et(now), input.pauses);
}

const P1_WED_10 = { priority: 'P1', at: 'Wed 2026-11-25 10:00' } as const;

describe('status of a P1 reply due Wed 11:00 (dispatched 10:00)', () => {
  it.each([
    { now: 'Wed 2026-11-25 10:00', state: 'on-track', used: 0, left: 60 * MINUTE, wall: 60 * MINUTE },
    { now: 'Wed 2026-11-25 10:20', state: 'on-track', used: 1 / 3, left: 40 * MINUTE, wall: 40 * MINUTE },
    { now: 'Wed 2026-11-25 10:44', state: 'on-track', used: 44 / 60, left: 16 * MINUTE, wall: 16 * MINUTE },
    { now: 'Wed 2026-11-25 10:45', state: 'at-risk', used: 0.75, left: 15 * MINUTE, wall: 15 * MINUTE },
    { now: 'Wed 2026-11-25 10:50', state: 'at-risk', used: 50 / 60, left: 10 * MINUTE, wall: 10 * MINUTE },
    { now: 'Wed 2026-11-25 10:59', state: 'at-risk', used: 59 / 60, left: MINUTE, wall: MINUTE },
    { now: 'Wed 2026-11-25 11:00', state: 'breached', used: 1, left: 0, wall: 0 },
    { now: 'Wed 2026-11-25 11:30', state: 'breached', used: 1.5, left: 0, wall: -30 * MINUTE },
  ])('at $now it is $state', ({ now, state, used, left, wall }) => {
    const s = statusAt(P1_WED_10, now);
    expect(s.state).toBe(state);
    expect(s.used).toBeCloseTo(used, 10);
    expect(s.businessLeftMs).toBe(left);
    expect(s.wallLeftMs).toBe(wall);
  });

  it('once the reply is sent (10:50) it is met, whatever the time, with the time left when it was met', () => {
    const s = statusAt({ ...P1_WED_10, met: { response: 'Wed 2026-11-25 10:50' } }, 'Wed 2026-11-25 12:00');
    expect(s).toEqual({ state: 'met', businessLeftMs: 10 * MINUTE, wallLeftMs: 10 * MINUTE, used: 50 / 60 });
  });

  it('a reply sent late is still met (not breached)', () => {
    expect(
      statusAt({ ...P1_WED_10, met: { response: 'Wed 2026-11-25 11:10' } }, 'Wed 2026-11-25 12:00').state,
    ).toBe('met');
  });

  it('a policy with atRiskFrom 50 calls it at risk from 10:30', () => {
    const engine = new SlaEngine(aPolicy({ 'warnings.atRiskFrom': 50 }));
    expect(statusAt(P1_WED_10, 'Wed 2026-11-25 10:29', engine).state).toBe('on-track');
    expect(statusAt(P1_WED_10, 'Wed 2026-11-25 10:30', engine).state).toBe('at-risk');
  });
});

describe('status while waiting on the customer', () => {
  const P2_WAITING = {
    priority: 'P2',
    at: 'Wed 2026-11-25 10:00',
    waits: [['Wed 2026-11-25 10:30', 'Wed 2026-11-25 11:00']],
  } as const;

  it('during a wait that has ended since, it was paused, with the budget left and the wall time to the deadline', () => {
    const s = statusAt(P2_WAITING, 'Wed 2026-11-25 10:45');
    expect(s).toEqual({ state: 'paused', businessLeftMs: 90 * MINUTE, wallLeftMs: 105 * MINUTE, used: 0.25 });
  });

  it('after the wait, the clock runs again', () => {
    expect(statusAt(P2_WAITING, 'Wed 2026-11-25 11:00').state).toBe('on-track');
    expect(statusAt(P2_WAITING, 'Wed 2026-11-25 12:00')).toMatchObject({
      state: 'at-risk',
      businessLeftMs: 30 * MINUTE,
    });
  });

  it('during an open wait it is paused, with no wall time to a deadline', () => {
    const s = statusAt(
      { priority: 'P2', at: 'Wed 2026-11-25 10:00', waits: [['Wed 2026-11-25 10:30', null]] },
      'Thu 2026-11-26 10:00',
    );
    expect(s).toEqual({ state: 'paused', businessLeftMs: 90 * MINUTE, wallLeftMs: null, used: 0.25 });
  });

  it('a breach before the customer went quiet stays a breach', () => {
    const s = statusAt({ ...P1_WED_10, waits: [['Wed 2026-11-25 11:30', null]] }, 'Wed 2026-11-25 11:45');
    expect(s.state).toBe('breached');
  });
});

describe('time left on the support-hours and business-days clocks', () => {
  it('a P2 from Wed 21:00 at 23:00 has used half its budget; the deadline is Thu 05:00, six wall hours away', () => {
    expect(statusAt({ priority: 'P2', at: 'Wed 2026-11-25 21:00' }, 'Wed 2026-11-25 23:00')).toEqual({
      state: 'on-track',
      businessLeftMs: 60 * MINUTE,
      wallLeftMs: 6 * HOUR,
      used: 0.5,
    });
  });

  it('a P2 from Fri 23:10 on Sunday has used only Friday night’s 50 minutes', () => {
    expect(statusAt({ priority: 'P2', at: 'Fri 2026-11-27 23:10' }, 'Sun 2026-11-29 12:00')).toMatchObject({
      state: 'on-track',
      businessLeftMs: 310 * MINUTE,
      wallLeftMs: (12 + 5) * HOUR + 10 * MINUTE,
    });
  });

  it('a raised ticket counts from the raise: P3 raised to P1 at 10:00 is at risk from 10:45', () => {
    const spec = {
      priority: 'P3',
      at: 'Wed 2026-11-25 09:00',
      changes: [['Wed 2026-11-25 10:00', 'P1']],
    } as const;
    expect(statusAt(spec, 'Wed 2026-11-25 10:30')).toMatchObject({ state: 'on-track', used: 0.5 });
    expect(statusAt(spec, 'Wed 2026-11-25 10:45')).toMatchObject({ state: 'at-risk', used: 0.75 });
  });
});
