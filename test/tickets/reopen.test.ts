// Reopening (docs/sla-rules.md, "Reopening"): a reopen starts a new round counted from it. Every expected
// instant below was worked out by hand from the rules document's worked examples, not by the engine.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import { slaLines } from '../../src/domain/reports/sla-month';
import { customerReport } from '../../src/domain/reports/customer';
import { contributions, countKey } from '../../src/domain/stats/figures';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { pageTriggers, pending } from '../../src/domain/tickets/sla-view';
import { customerMayReopen, reopenDeadline, roundsSla } from '../../src/domain/tickets/rounds';
import { aFiling, alice, ann, bob } from '../fixtures/filing';
import { et } from '../fixtures/time';

const engine = new SlaEngine(DEFAULT_POLICY);

function filed(at: string, priority: 'P1' | 'P2' | 'P3'): Ticket {
  const r = openTicket('TM-1042', aFiling({ priority }), et(at), engine);
  if (!r.ok) throw r.error;
  return r.value.ticket;
}

function run(t: Ticket, steps: [Actor, Command, string][]): Ticket {
  let cur = t;
  for (const [actor, cmd, at] of steps) {
    const r = apply(cur, actor, cmd, et(at), engine);
    if (!r.ok) throw new Error(`${cmd.kind} failed: ${r.error.message}`);
    cur = r.value.ticket;
  }
  return cur;
}

/** Example A: a P2 filed Wed 10:00, answered 10:30, resolved Fri 15:00; reopened Mon 09:00. */
function exampleA(): Ticket {
  return run(filed('Wed 2026-11-25 10:00', 'P2'), [
    [alice, { kind: 'reply', text: 'Looking' }, 'Wed 2026-11-25 10:30'],
    [alice, { kind: 'resolve', text: 'Fixed' }, 'Fri 2026-11-27 15:00'],
    [ann, { kind: 'reopen', reason: 'Transfers fail again' }, 'Mon 2026-11-30 09:00'],
  ]);
}

describe('example A: a P2 resolved Friday, reopened Monday 09:00 (in hours)', () => {
  it('counts both targets again from the reopen, in the in-hours window', () => {
    const t = exampleA();
    expect(t.status).toBe('responded');
    expect(t.reopened?.window).toBe('in-hours');
    // 120 support-hours minutes from Mon 09:00.
    expect(t.sla.responseDue).toBe(et('Mon 2026-11-30 11:00'));
    // 5 business days = 120 h of business days from Mon 09:00: Mon 15 h, Tue–Fri 96 h, then 9 h of Mon 7 Dec.
    expect(t.sla.workaroundDue).toBe(et('Mon 2026-12-07 09:00'));
    expect(t.responseMetAt).toBeUndefined();
  });

  it('keeps round 1 as it was: due Wed 12:00 met 10:30, work-around due Wed 2 Dec 10:00 met Fri 15:00', () => {
    const t = exampleA();
    expect(t.rounds).toEqual([
      {
        n: 1,
        start: et('Wed 2026-11-25 10:00'),
        window: 'in-hours',
        priority: 'P2',
        endPriority: 'P2',
        responseDue: et('Wed 2026-11-25 12:00'),
        responseMetAt: et('Wed 2026-11-25 10:30'),
        workaroundDue: et('Wed 2026-12-02 10:00'),
        workaroundMetAt: et('Fri 2026-11-27 15:00'),
        resolvedAt: et('Fri 2026-11-27 15:00'),
      },
    ]);
  });

  it('owes the 50/75/90 % warnings again under round-2 keys, and the first reply meets the new target', () => {
    const t = exampleA();
    // Round 1's keys ("response:50"…) would have been recorded; they must not hold back round 2's.
    const old: Ticket = { ...t, notified: ['response:50', 'response:75', 'response:90', 'response:100'] };
    const owed = pending(engine, old).warnings.response;
    expect(owed.map((w) => [w.key, w.firesAt])).toEqual([
      ['r2:response:50', et('Mon 2026-11-30 10:00')],
      ['r2:response:75', et('Mon 2026-11-30 10:30')],
      ['r2:response:90', et('Mon 2026-11-30 10:48')],
      ['r2:response:100', et('Mon 2026-11-30 11:00')],
    ]);
    const replied = run(t, [[bob, { kind: 'reply', text: 'On it' }, 'Mon 2026-11-30 09:40']]);
    expect(replied.responseMetAt).toBe(et('Mon 2026-11-30 09:40'));
    expect(replied.rounds?.[0]?.responseMetAt).toBe(et('Wed 2026-11-25 10:30'));
  });

  it('a report counts the ticket once per round, and round 1 stays met', () => {
    const t = run(exampleA(), [[bob, { kind: 'reply', text: 'On it' }, 'Mon 2026-11-30 11:30']]);
    const lines = slaLines(engine, '2026-11', [t], et('Mon 2026-11-30 12:00')).filter(
      (l) => l.target === 'response',
    );
    expect(lines.map((l) => [l.round, l.due, l.metAt, l.outcome])).toEqual([
      [1, et('Wed 2026-11-25 12:00'), et('Wed 2026-11-25 10:30'), 'met'],
      [2, et('Mon 2026-11-30 11:00'), et('Mon 2026-11-30 11:30'), 'breached'],
    ]);
    const ks = contributions(engine, t);
    expect(ks.map(countKey)).toEqual(['TM-1042', 'TM-1042.r2']);
    expect(ks.map((k) => k.response.outcome)).toEqual(['on-time', 'late']);
    expect(ks.map((k) => k.month)).toEqual(['2026-11', '2026-11']);
    const report = customerReport(
      DEFAULT_POLICY,
      engine,
      '2026-11',
      t.tenantId,
      'Contoso',
      [t],
      [],
      et('Mon 2026-11-30 12:00'),
    );
    const p2 = report.targets.find((x) => x.priority === 'P2' && x.target === 'response');
    expect(p2).toEqual({ priority: 'P2', target: 'response', due: 2, met: 1, breached: 1, open: 0 });
    expect(report.breaches.map((b) => [b.ticketId, b.due])).toEqual([
      ['TM-1042', et('Mon 2026-11-30 11:00')],
    ]);
  });
});

describe('example B: a P1 reopened Saturday 03:00 (after hours)', () => {
  function exampleB(): Ticket {
    return run(filed('Wed 2026-11-25 10:00', 'P1'), [
      [alice, { kind: 'reply', text: 'Looking' }, 'Wed 2026-11-25 10:10'],
      [alice, { kind: 'resolve', text: 'Fixed' }, 'Thu 2026-11-26 09:00'],
      [ann, { kind: 'reopen', reason: 'No calls again' }, 'Sat 2026-11-28 03:00'],
    ]);
  }

  it('counts 120 continuous minutes and 2 days from the reopen, and pages like a new P1', () => {
    const t = exampleB();
    expect(t.reopened?.window).toBe('after-hours');
    expect(t.sla.responseDue).toBe(et('Sat 2026-11-28 05:00'));
    expect(t.sla.workaroundDue).toBe(et('Mon 2026-11-30 03:00'));
    expect(pageTriggers(engine, t)).toEqual([
      { at: et('Sat 2026-11-28 03:00'), kind: 'page', key: `page:${et('Sat 2026-11-28 03:00')}` },
    ]);
    // P1 warnings are delivered at once, at any hour: 04:00, 04:30, 04:48.
    expect(pending(engine, t).warnings.response.map((w) => w.deliverAt)).toEqual([
      et('Sat 2026-11-28 04:00'),
      et('Sat 2026-11-28 04:30'),
      et('Sat 2026-11-28 04:48'),
      et('Sat 2026-11-28 05:00'),
    ]);
  });
});

describe('example C: a P3 raised to P2 before its resolution, reopened Thu 21:30', () => {
  it('counts at the priority at the reopen (P2); the raise before it is history', () => {
    const t = run(filed('Tue 2026-11-24 09:00', 'P3'), [
      [alice, { kind: 'change-priority', to: 'P2', reason: 'More accounts' }, 'Tue 2026-11-24 10:00'],
      [alice, { kind: 'resolve', text: 'Fixed' }, 'Wed 2026-11-25 12:00'],
      [bob, { kind: 'reopen' }, 'Thu 2026-12-03 21:30'],
    ]);
    expect(t.reopened?.priority).toBe('P2');
    expect(t.reopened?.window).toBe('in-hours');
    // 120 support-hours minutes: 30 min to 22:00 Thursday, 90 min from Fri 04:00.
    expect(t.sla.responseDue).toBe(et('Fri 2026-12-04 05:30'));
    // 120 business-day hours: Thu 2.5, Fri 24, Mon–Wed 72, then 21.5 h of Thu 10 Dec.
    expect(t.sla.workaroundDue).toBe(et('Thu 2026-12-10 21:30'));
    const rounds = roundsSla(engine, t);
    expect(rounds.map((r) => [r.n, r.result.priority, r.result.response.basis.priority])).toEqual([
      [1, 'P2', 'P2'],
      [2, 'P2', 'P2'],
    ]);
    // Round 1: the raise at Tue 10:00 set the response deadline to the earlier of P3's Tue 13:00 and
    // P2 counted from the raise, Tue 12:00.
    expect(t.rounds?.[0]?.responseDue).toBe(et('Tue 2026-11-24 12:00'));
  });

  it('a priority lowered after the reopen recounts from the reopen', () => {
    const t = run(filed('Tue 2026-11-24 09:00', 'P2'), [
      [alice, { kind: 'resolve', text: 'Fixed' }, 'Wed 2026-11-25 12:00'],
      [bob, { kind: 'reopen' }, 'Mon 2026-11-30 09:00'],
      [bob, { kind: 'change-priority', to: 'P3', reason: 'One user only' }, 'Mon 2026-11-30 09:30'],
    ]);
    // P3 in hours: 240 support-hours minutes from Mon 09:00.
    expect(t.sla.responseDue).toBe(et('Mon 2026-11-30 13:00'));
  });
});

describe('the reopen window', () => {
  const resolved = (): Ticket =>
    run(filed('Wed 2026-11-25 10:00', 'P2'), [
      [alice, { kind: 'resolve', text: 'Fixed' }, 'Fri 2026-11-27 15:00'],
    ]);

  it('lets the customer reopen for 14 × 24 hours after the resolution, staff at any time', () => {
    const t = resolved();
    expect(reopenDeadline(DEFAULT_POLICY, t)).toBe(et('Fri 2026-12-11 15:00'));
    expect(customerMayReopen(DEFAULT_POLICY, t, et('Fri 2026-12-11 15:00'))).toBe(true);
    const late = apply(t, ann, { kind: 'reopen', reason: 'Back' }, et('Fri 2026-12-11 15:01'), engine);
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.code).toBe('ILLEGAL_MOVE');
      expect(late.error.details['reopenWindowPassed']).toBe(true);
    }
    const staff = run(t, [[bob, { kind: 'reopen' }, 'Mon 2027-01-04 09:00']]);
    expect(staff.sla.responseDue).toBe(et('Mon 2027-01-04 11:00'));
    expect(staff.reopened?.by.name).toBe('Bob Engineer');
  });

  it('needs the customer to say why; staff may leave it out', () => {
    const t = resolved();
    const bare = apply(t, ann, { kind: 'reopen' }, et('Mon 2026-11-30 09:00'), engine);
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.error.code).toBe('INVALID_INPUT');
  });

  it('counts 14 days as elapsed hours across the change of clocks', () => {
    const t = run(filed('Wed 2026-10-21 10:00', 'P2'), [
      [alice, { kind: 'resolve', text: 'Fixed' }, 'Fri 2026-10-23 12:00'],
    ]);
    // 336 h after 12:00 EDT is 11:00 EST: the clocks went back on Sunday 1 November.
    expect(reopenDeadline(DEFAULT_POLICY, t)).toBe(et('Fri 2026-11-06 11:00'));
  });
});

describe('tickets stored before rounds existed', () => {
  it('read as one round with the warning keys they had', () => {
    const t = filed('Wed 2026-11-25 10:00', 'P2');
    expect(t.rounds).toBeUndefined();
    expect(roundsSla(engine, t).map((r) => r.n)).toEqual([1]);
    expect(pending(engine, t).warnings.response[0]?.key).toBe('response:50');
    expect(contributions(engine, t).map(countKey)).toEqual(['TM-1042']);
  });
});
