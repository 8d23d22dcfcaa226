// The ticket lifecycle as pure commands: every legal move, every illegal one refused with a reason.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice, ann, bob, system } from '../fixtures/filing';

const engine = new SlaEngine(DEFAULT_POLICY);
const et = (local: string): number => Date.parse(`${local}-05:00`);

function filed(at = et('2026-11-24T09:00:00'), priority: 'P1' | 'P2' | 'P3' = 'P3'): Ticket {
  const r = openTicket('TM-1001', aFiling({ priority }), at, engine);
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

describe('a ticket moves new → responded → waiting ⇄ back → work-around → resolved → closed', () => {
  it('follows the policy end to end, meeting targets at the instants they happen', () => {
    const t0 = filed();
    expect(t0.status).toBe('new');
    expect(t0.window).toBe('in-hours');
    expect(t0.sla.responseDue).toBe(et('2026-11-24T13:00:00'));

    const t1 = run(t0, [[alice, { kind: 'reply', text: 'Looking into it' }, '2026-11-24T09:30:00']]);
    expect(t1.status).toBe('responded');
    expect(t1.responseMetAt).toBe(et('2026-11-24T09:30:00'));

    // Waiting on the customer 10:00–15:00 pauses the work-around clock (SLA-RULES example).
    const t2 = run(t1, [[alice, { kind: 'ask', text: 'Which users?' }, '2026-11-24T10:00:00']]);
    expect(t2.status).toBe('waiting-on-customer');
    expect(t2.sla.workaroundDue).toBeNull();
    const t3 = run(t2, [[ann, { kind: 'customer-message', text: 'All of sales' }, '2026-11-24T15:00:00']]);
    expect(t3.status).toBe('responded');
    expect(t3.pauses).toEqual([{ start: et('2026-11-24T10:00:00'), end: et('2026-11-24T15:00:00') }]);
    expect(t3.sla.workaroundDue).toBe(Date.parse('2026-12-08T14:00:00-05:00'));
    expect(t3.sla.pausedMs).toBe(5 * 3_600_000);

    const t4 = run(t3, [[bob, { kind: 'workaround', text: 'Use the web client' }, '2026-11-25T11:00:00']]);
    expect(t4.status).toBe('workaround-delivered');
    expect(t4.workaroundMetAt).toBe(et('2026-11-25T11:00:00'));
    const t5 = run(t4, [
      [bob, { kind: 'fix', release: '5.2.1' }, '2026-11-26T10:00:00'],
      [bob, { kind: 'resolve', text: 'Fixed in 5.2.1' }, '2026-11-27T10:00:00'],
    ]);
    expect(t5.status).toBe('resolved');
    expect(t5.fix?.release).toBe('5.2.1');
    expect(t5.sla.nextDeadline).toBeNull();
    const t6 = run(t5, [[ann, { kind: 'close' }, '2026-11-27T11:00:00']]);
    expect(t6.status).toBe('closed');
    const t7 = run(t6, [[ann, { kind: 'reopen', reason: 'It is back' }, '2026-11-28T11:00:00']]);
    expect(t7.status).toBe('responded');
    expect(t7.version).toBe(t0.version + 8);
  });

  it('asking for information before any reply meets the response target', () => {
    const t = run(filed(), [[alice, { kind: 'ask', text: 'Which account?' }, '2026-11-24T09:10:00']]);
    expect(t.responseMetAt).toBe(et('2026-11-24T09:10:00'));
    const back = run(t, [[ann, { kind: 'customer-message', text: 'Account 7' }, '2026-11-24T09:20:00']]);
    expect(back.status).toBe('responded');
  });

  it('an engineer message while waiting ends the pause too', () => {
    const t = run(filed(), [
      [alice, { kind: 'ask', text: 'Logs?' }, '2026-11-24T09:10:00'],
      [alice, { kind: 'reply', text: 'Found them myself' }, '2026-11-24T09:40:00'],
    ]);
    expect(t.status).toBe('responded');
    expect(t.pauses[0]?.end).toBe(et('2026-11-24T09:40:00'));
  });

  it('raising the priority applies the raise rule and records old and new deadlines', () => {
    const t = filed(et('2026-11-24T09:00:00'), 'P3');
    const r = apply(
      t,
      alice,
      { kind: 'change-priority', to: 'P1', reason: 'All users down now' },
      et('2026-11-24T10:00:00'),
      engine,
    );
    if (!r.ok) throw r.error;
    expect(r.value.ticket.priority).toBe('P1');
    expect(r.value.ticket.sla.responseDue).toBe(et('2026-11-24T11:00:00'));
    expect(r.value.events[0]?.data).toMatchObject({
      from: 'P3',
      to: 'P1',
      direction: 'raised',
      oldResponseDue: et('2026-11-24T13:00:00'),
      newResponseDue: et('2026-11-24T11:00:00'),
    });
  });
});

describe('the first message to the customer takes ownership', () => {
  const at = et('2026-11-24T09:30:00');

  it.each([
    ['reply', { kind: 'reply', text: 'Looking into it' }, 'engineer-reply'],
    ['ask', { kind: 'ask', text: 'Which users?' }, 'info-requested'],
    ['workaround', { kind: 'workaround', text: 'Restart the gateway' }, 'workaround-delivered'],
  ] as const)(
    'a %s on an unowned ticket makes the sender its owner, said first in the timeline',
    (_, cmd, type) => {
      const r = apply(filed(), alice, cmd, at, engine);
      if (!r.ok) throw r.error;
      expect(r.value.ticket.owner).toEqual({ id: alice.id, name: alice.name });
      expect(r.value.events.map((e) => [e.type, e.text, e.internal])).toEqual([
        ['owner-changed', 'Took ownership with the first reply', true],
        [type, cmd.text, false],
      ]);
      expect(r.value.events[0]?.data).toEqual({ from: null, to: alice.name });
    },
  );

  it('leaves an owned ticket with its owner', () => {
    const owned = run(filed(), [[bob, { kind: 'take' }, '2026-11-24T09:10:00']]);
    const r = apply(owned, alice, { kind: 'reply', text: 'Looking into it' }, at, engine);
    if (!r.ok) throw r.error;
    expect(r.value.ticket.owner).toEqual({ id: bob.id, name: bob.name });
    expect(r.value.events.map((e) => e.type)).toEqual(['engineer-reply']);
  });

  it('takes nothing when OWNER_ON_FIRST_REPLY is off', () => {
    const r = apply(filed(), alice, { kind: 'reply', text: 'Looking into it' }, at, engine, {
      ownerOnFirstReply: false,
    });
    if (!r.ok) throw r.error;
    expect(r.value.ticket.owner).toBeUndefined();
    expect(r.value.events.map((e) => e.type)).toEqual(['engineer-reply']);
  });
});

describe('illegal moves are refused with a reason and change nothing', () => {
  const cases: [string, (t: Ticket) => Ticket, Actor, Command, RegExp][] = [
    ['close a new ticket', (t) => t, ann, { kind: 'close' }, /Only a resolved ticket can be closed/],
    ['reopen an open ticket', (t) => t, ann, { kind: 'reopen' }, /not resolved or closed/],
    [
      'reply on a resolved ticket',
      (t) => run(t, [[alice, { kind: 'resolve' }, '2026-11-24T10:00:00']]),
      alice,
      { kind: 'reply', text: 'hi' },
      /Reopen it first/,
    ],
    [
      'deliver a work-around on a closed ticket',
      (t) =>
        run(t, [
          [alice, { kind: 'resolve' }, '2026-11-24T10:00:00'],
          [ann, { kind: 'close' }, '2026-11-24T11:00:00'],
        ]),
      alice,
      { kind: 'workaround', text: 'x' },
      /closed/,
    ],
    [
      'write on a closed ticket',
      (t) =>
        run(t, [
          [alice, { kind: 'resolve' }, '2026-11-24T10:00:00'],
          [ann, { kind: 'close' }, '2026-11-24T11:00:00'],
        ]),
      ann,
      { kind: 'customer-message', text: 'x' },
      /closed/,
    ],
    [
      'set the same priority',
      (t) => t,
      alice,
      { kind: 'change-priority', to: 'P3', reason: 'x' },
      /already P3/,
    ],
    [
      'take a ticket you own',
      (t) => run(t, [[alice, { kind: 'take' }, '2026-11-24T09:05:00']]),
      alice,
      { kind: 'take' },
      /already own/,
    ],
    ['a customer replies as staff', (t) => t, ann, { kind: 'reply', text: 'x' }, /Only support staff/],
    [
      'staff escalate as the customer',
      (t) => t,
      alice,
      { kind: 'escalate', reason: 'x' },
      /Only the customer/,
    ],
    [
      'a customer records a page',
      (t) => t,
      ann,
      { kind: 'record', type: 'page-sent', text: 'x' },
      /Only the app/,
    ],
    ['an empty reply', (t) => t, alice, { kind: 'reply', text: '   ' }, /Message is required/],
    [
      'an oversized reply',
      (t) => t,
      alice,
      { kind: 'reply', text: 'x'.repeat(8001) },
      /8,001 characters; the limit is 8,000/,
    ],
    [
      'a priority change without a reason',
      (t) => t,
      alice,
      { kind: 'change-priority', to: 'P1', reason: '' },
      /Reason is required/,
    ],
  ];
  it.each(cases)('%s', (_name, setup, actor, cmd, message) => {
    const t = setup(filed());
    const r = apply(t, actor, cmd, et('2026-11-24T12:00:00'), engine);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(message);
  });

  it('escalation is allowed once per ticket every four hours', () => {
    const t = run(filed(), [[ann, { kind: 'escalate', reason: 'Urgent for us' }, '2026-11-24T09:10:00']]);
    const again = apply(
      t,
      ann,
      { kind: 'escalate', reason: 'Still urgent' },
      et('2026-11-24T13:00:00'),
      engine,
    );
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('RATE_LIMITED');
    const later = apply(
      t,
      ann,
      { kind: 'escalate', reason: 'Still urgent' },
      et('2026-11-24T13:10:00'),
      engine,
    );
    expect(later.ok).toBe(true);
  });

  it('a warning record marks its threshold as posted and moves the next notice', () => {
    const t = filed(et('2026-11-24T09:00:00'), 'P3');
    expect(t.sla.nextNoticeAt).toBe(et('2026-11-24T11:00:00'));
    const r = apply(
      t,
      system,
      {
        kind: 'record',
        type: 'warning-sent',
        text: '50% of the response time used',
        data: { key: 'response:50' },
      },
      et('2026-11-24T11:00:00'),
      engine,
    );
    if (!r.ok) throw r.error;
    expect(r.value.ticket.notified).toEqual(['response:50']);
    expect(r.value.ticket.sla.nextNoticeAt).toBe(et('2026-11-24T12:00:00'));
  });

  it('filing refuses bad input with the field named', () => {
    const bad = openTicket('TM-1', aFiling({ title: 'x'.repeat(201) }), et('2026-11-24T09:00:00'), engine);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.details).toEqual({ field: 'title' });
    const badCallback = openTicket(
      'TM-1',
      aFiling({ callbackNumber: 'call me maybe' }),
      et('2026-11-24T09:00:00'),
      engine,
    );
    expect(badCallback.ok).toBe(false);
  });
});
