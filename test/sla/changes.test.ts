// Changes while a ticket is open (SLA-RULES.md): waiting on the customer stops every clock;
// a raise takes the earlier deadline, a lower recounts from dispatch; met targets stay met.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine, type SlaResult } from '../../src/domain/sla';
import { aTicket, etText, type TicketSpec } from '../fixtures';
import { referenceEvaluate } from './reference';

const sla = new SlaEngine(DEFAULT_POLICY);

/** Evaluates with the engine, and checks the reference agrees on every instant. */
function evaluate(spec: TicketSpec): SlaResult {
  const input = aTicket(spec);
  const r = sla.evaluate(input);
  const ref = referenceEvaluate(DEFAULT_POLICY, [], input);
  for (const target of ['response', 'workaround'] as const) {
    expect({ target, due: r[target].due, warnings: r[target].warnings.map((w) => w.at) }).toEqual({
      target,
      due: ref[target].due,
      warnings: ref[target].warnings,
    });
  }
  return r;
}

describe('waiting on the customer', () => {
  it.each<{ story: string; spec: TicketSpec; response: string; workaround: string }>([
    {
      story: 'a P2 arrives Fri 21:00 and waits from 21:30 to Mon 05:00 (across the night and the weekend)',
      spec: {
        priority: 'P2',
        at: 'Fri 2026-11-20 21:00',
        waits: [['Fri 2026-11-20 21:30', 'Mon 2026-11-23 05:00']],
      },
      response: 'Mon 2026-11-23 06:30 EST',
      workaround: 'Mon 2026-11-30 04:30 EST',
    },
    {
      story:
        'a P3 arrives Tue 20:00 and waits from 21:00 to Wed 03:00 (the night costs its last in-hours hour)',
      spec: {
        priority: 'P3',
        at: 'Tue 2026-11-24 20:00',
        waits: [['Tue 2026-11-24 21:00', 'Wed 2026-11-25 03:00']],
      },
      response: 'Wed 2026-11-25 07:00 EST',
      workaround: 'Wed 2026-12-09 02:00 EST',
    },
    {
      story: 'a P2 arrives Fri 23:10 and waits all Saturday and Sunday (no business time is lost)',
      spec: {
        priority: 'P2',
        at: 'Fri 2026-11-27 23:10',
        waits: [['Sat 2026-11-28 10:00', 'Sun 2026-11-29 20:00']],
      },
      response: 'Mon 2026-11-30 05:10 EST',
      workaround: 'Fri 2026-12-04 23:10 EST',
    },
    {
      story: 'a P1 arrives Wed 10:00 and waits 10:20–10:50',
      spec: {
        priority: 'P1',
        at: 'Wed 2026-11-25 10:00',
        waits: [['Wed 2026-11-25 10:20', 'Wed 2026-11-25 10:50']],
      },
      response: 'Wed 2026-11-25 11:30 EST',
      workaround: 'Fri 2026-11-27 10:30 EST',
    },
    {
      story: 'a P1 arrives Wed 10:00 and waits 10:20–10:50 and 10:40–11:00 (overlaps count once)',
      spec: {
        priority: 'P1',
        at: 'Wed 2026-11-25 10:00',
        waits: [
          ['Wed 2026-11-25 10:40', 'Wed 2026-11-25 11:00'],
          ['Wed 2026-11-25 10:20', 'Wed 2026-11-25 10:50'],
        ],
      },
      response: 'Wed 2026-11-25 11:40 EST',
      workaround: 'Fri 2026-11-27 10:40 EST',
    },
  ])(
    'when $story, the reply is due $response and the work-around $workaround',
    ({ spec, response, workaround }) => {
      const r = evaluate(spec);
      expect(etText(r.response.due)).toBe(response);
      expect(etText(r.workaround.due)).toBe(workaround);
    },
  );

  it('a wait moves the warnings too: P1 Wed 10:00 waiting 10:20–10:50 warns at 11:00, 11:15 and 11:24', () => {
    const r = evaluate({
      priority: 'P1',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 10:20', 'Wed 2026-11-25 10:50']],
    });
    expect(r.response.warnings.map((w) => etText(w.at))).toEqual([
      'Wed 2026-11-25 11:00 EST',
      'Wed 2026-11-25 11:15 EST',
      'Wed 2026-11-25 11:24 EST',
    ]);
  });

  it('while a wait is still open, nothing is due: a P2 waiting since 10:30 has no deadline and no warnings', () => {
    const r = evaluate({
      priority: 'P2',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 10:30', null]],
    });
    expect(r.response.due).toBeNull();
    expect(r.response.warnings.map((w) => w.at)).toEqual([null, null, null]);
    expect(r.workaround.due).toBeNull();
  });

  it('an open wait keeps the warnings already reached: a P1 waiting since 10:40 keeps its 10:30 warning', () => {
    const r = evaluate({
      priority: 'P1',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 10:40', null]],
    });
    expect(r.response.warnings.map((w) => etText(w.at))).toEqual(['Wed 2026-11-25 10:30 EST', null, null]);
    expect(r.response.due).toBeNull();
  });

  it('an open wait that starts after the deadline leaves the deadline as it was', () => {
    const r = evaluate({
      priority: 'P1',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 11:30', null]],
    });
    expect(etText(r.response.due)).toBe('Wed 2026-11-25 11:00 EST');
    expect(r.workaround.due).toBeNull();
  });

  it('when the customer answers, the clocks start again from the answer', () => {
    const waiting = evaluate({
      priority: 'P2',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 10:30', null]],
    });
    const answered = evaluate({
      priority: 'P2',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 10:30', 'Wed 2026-11-25 13:00']],
    });
    expect(waiting.response.due).toBeNull();
    expect(etText(answered.response.due)).toBe('Wed 2026-11-25 14:30 EST');
  });
});

describe('priority changes', () => {
  it.each<{ story: string; spec: TicketSpec; response: [string, string]; workaround: [string, string] }>([
    {
      story: 'a P3 from Wed 09:00 is raised to P1 at 10:00 (in hours)',
      spec: { priority: 'P3', at: 'Wed 2026-11-25 09:00', changes: [['Wed 2026-11-25 10:00', 'P1']] },
      response: ['Wed 2026-11-25 13:00 EST', 'Wed 2026-11-25 11:00 EST'],
      workaround: ['Wed 2026-12-09 09:00 EST', 'Fri 2026-11-27 10:00 EST'],
    },
    {
      story:
        'a P3 from Wed 20:00 is raised to P1 at 23:00 (after hours: the after-hours P1 target, from 23:00)',
      spec: { priority: 'P3', at: 'Wed 2026-11-25 20:00', changes: [['Wed 2026-11-25 23:00', 'P1']] },
      response: ['Thu 2026-11-26 06:00 EST', 'Thu 2026-11-26 01:00 EST'],
      workaround: ['Wed 2026-12-09 20:00 EST', 'Fri 2026-11-27 23:00 EST'],
    },
    {
      story: 'a P1 from Wed 10:00 is lowered to P3 at 10:30 (recounted from dispatch)',
      spec: { priority: 'P1', at: 'Wed 2026-11-25 10:00', changes: [['Wed 2026-11-25 10:30', 'P3']] },
      response: ['Wed 2026-11-25 11:00 EST', 'Wed 2026-11-25 14:00 EST'],
      workaround: ['Fri 2026-11-27 10:00 EST', 'Wed 2026-12-09 10:00 EST'],
    },
    {
      story: 'a P1 from Wed 21:30 is lowered to P2 at 22:15 (the window stays in-hours, decided by dispatch)',
      spec: { priority: 'P1', at: 'Wed 2026-11-25 21:30', changes: [['Wed 2026-11-25 22:15', 'P2']] },
      response: ['Wed 2026-11-25 22:30 EST', 'Thu 2026-11-26 05:30 EST'],
      workaround: ['Fri 2026-11-27 21:30 EST', 'Wed 2026-12-02 21:30 EST'],
    },
    {
      story:
        'a P2 from Wed 10:00 is raised to P1 at 11:30 (the reply deadline does not move, the work-around does)',
      spec: { priority: 'P2', at: 'Wed 2026-11-25 10:00', changes: [['Wed 2026-11-25 11:30', 'P1']] },
      response: ['Wed 2026-11-25 12:00 EST', 'Wed 2026-11-25 12:00 EST'],
      workaround: ['Wed 2026-12-02 10:00 EST', 'Fri 2026-11-27 11:30 EST'],
    },
    {
      story:
        'a P3 from Sat 10:00 is raised to P2 on Mon 05:00 (the window is decided by the change: in-hours)',
      spec: { priority: 'P3', at: 'Sat 2026-11-28 10:00', changes: [['Mon 2026-11-30 05:00', 'P2']] },
      response: ['Mon 2026-11-30 12:00 EST', 'Mon 2026-11-30 07:00 EST'],
      workaround: ['Sat 2026-12-12 00:00 EST', 'Mon 2026-12-07 05:00 EST'],
    },
  ])('when $story, the reply moves $response.0 → $response.1', ({ spec, response, workaround }) => {
    const r = evaluate(spec);
    expect(etText(r.response.due)).toBe(response[1]);
    expect(etText(r.workaround.due)).toBe(workaround[1]);
    const [change] = r.response.changes;
    expect(r.response.changes).toHaveLength(1);
    expect([etText(change?.oldDue ?? null), etText(change?.newDue ?? null)]).toEqual(response);
    expect([
      etText(r.workaround.changes[0]?.oldDue ?? null),
      etText(r.workaround.changes[0]?.newDue ?? null),
    ]).toEqual(workaround);
  });

  it('a raise counts the new target from the change; a lower, from dispatch', () => {
    const raised = evaluate({
      priority: 'P3',
      at: 'Wed 2026-11-25 09:00',
      changes: [['Wed 2026-11-25 10:00', 'P1']],
    });
    expect(raised.priority).toBe('P1');
    expect(raised.response.basis).toMatchObject({
      reason: 'raised',
      priority: 'P1',
      window: 'in-hours',
      clock: 'continuous',
    });
    expect(etText(raised.response.basis.start)).toBe('Wed 2026-11-25 10:00 EST');
    const lowered = evaluate({
      priority: 'P1',
      at: 'Wed 2026-11-25 21:30',
      changes: [['Wed 2026-11-25 22:15', 'P2']],
    });
    expect(lowered.response.basis).toMatchObject({
      reason: 'lowered',
      priority: 'P2',
      window: 'in-hours',
      clock: 'support-hours',
    });
    expect(etText(lowered.response.basis.start)).toBe('Wed 2026-11-25 21:30 EST');
  });

  it('a raise that does not move a deadline keeps the basis (and warnings) of dispatch', () => {
    const r = evaluate({
      priority: 'P2',
      at: 'Wed 2026-11-25 10:00',
      changes: [['Wed 2026-11-25 11:30', 'P1']],
    });
    expect(r.response.basis.reason).toBe('dispatch');
    expect(r.response.warnings.map((w) => etText(w.at))).toEqual([
      'Wed 2026-11-25 11:00 EST',
      'Wed 2026-11-25 11:30 EST',
      'Wed 2026-11-25 11:48 EST',
    ]);
  });

  it('a met target stays met: the reply sent at 09:30 is not re-timed by a raise at 10:00', () => {
    const r = evaluate({
      priority: 'P3',
      at: 'Wed 2026-11-25 09:00',
      changes: [['Wed 2026-11-25 10:00', 'P1']],
      met: { response: 'Wed 2026-11-25 09:30' },
    });
    expect(etText(r.response.due)).toBe('Wed 2026-11-25 13:00 EST');
    expect(etText(r.response.metAt)).toBe('Wed 2026-11-25 09:30 EST');
    expect(r.response.changes).toEqual([]);
    expect(sla.status(r.response, r.response.basis.start + 86_400_000, undefined).state).toBe('met');
    expect(etText(r.workaround.due)).toBe('Fri 2026-11-27 10:00 EST');
  });

  it('a met target stays met when the priority is lowered after it was met', () => {
    const r = evaluate({
      priority: 'P1',
      at: 'Wed 2026-11-25 10:00',
      changes: [['Wed 2026-11-25 10:30', 'P3']],
      met: { response: 'Wed 2026-11-25 10:20' },
    });
    expect(etText(r.response.due)).toBe('Wed 2026-11-25 11:00 EST');
    expect(r.response.changes).toEqual([]);
    expect(etText(r.workaround.due)).toBe('Wed 2026-12-09 10:00 EST');
  });

  it('every change is kept with its old and new deadline: P3 → P2 → P1 → P3', () => {
    const r = evaluate({
      priority: 'P3',
      at: 'Wed 2026-11-25 09:00',
      changes: [
        ['Wed 2026-11-25 09:30', 'P2'],
        ['Wed 2026-11-25 10:00', 'P1'],
        ['Wed 2026-11-25 10:15', 'P3'],
      ],
    });
    expect(r.priority).toBe('P3');
    expect(
      r.response.changes.map(
        (c) =>
          `${etText(c.at) ?? ''} ${c.from}→${c.to}: ${etText(c.oldDue) ?? ''} → ${etText(c.newDue) ?? ''}`,
      ),
    ).toEqual([
      'Wed 2026-11-25 09:30 EST P3→P2: Wed 2026-11-25 13:00 EST → Wed 2026-11-25 11:30 EST',
      'Wed 2026-11-25 10:00 EST P2→P1: Wed 2026-11-25 11:30 EST → Wed 2026-11-25 11:00 EST',
      'Wed 2026-11-25 10:15 EST P1→P3: Wed 2026-11-25 11:00 EST → Wed 2026-11-25 13:00 EST',
    ]);
  });

  it('a "change" to the same priority changes nothing and is not recorded', () => {
    const r = evaluate({
      priority: 'P2',
      at: 'Wed 2026-11-25 10:00',
      changes: [['Wed 2026-11-25 10:30', 'P2']],
    });
    expect(etText(r.response.due)).toBe('Wed 2026-11-25 12:00 EST');
    expect(r.response.changes).toEqual([]);
  });

  it('a raise while waiting on the customer still has no deadline until the customer answers', () => {
    const r = evaluate({
      priority: 'P2',
      at: 'Wed 2026-11-25 10:00',
      waits: [['Wed 2026-11-25 10:30', null]],
      changes: [['Wed 2026-11-25 11:00', 'P1']],
    });
    expect(r.response.due).toBeNull();
    expect(r.response.changes).toEqual([expect.objectContaining({ oldDue: null, newDue: null })]);
  });
});
