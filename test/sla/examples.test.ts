// Every worked example of SLA-RULES.md, checked against the engine and against the brute-force reference.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { monthAvailability, SlaEngine } from '../../src/domain/sla';
import type { SlaInput } from '../../src/domain/sla/engine';
import type { Priority, Window } from '../../src/domain/sla/types';
import { aTicket, anOutage, etText, type TicketSpec } from '../fixtures';
import { referenceEvaluate } from './reference';

/** What both implementations answer, as ET wall times. */
interface Answer {
  readonly window: Window;
  readonly response: string | null;
  readonly warnings: readonly (string | null)[];
  readonly workaround: string | null;
}

type Evaluate = (holidays: readonly string[], input: SlaInput) => Answer;

const byEngine: Evaluate = (holidays, input) => {
  const r = new SlaEngine(DEFAULT_POLICY, holidays).evaluate(input);
  return {
    window: r.window,
    response: etText(r.response.due),
    warnings: r.response.warnings.map((w) => etText(w.at)),
    workaround: etText(r.workaround.due),
  };
};

const byReference: Evaluate = (holidays, input) => {
  const r = referenceEvaluate(DEFAULT_POLICY, holidays, input);
  return {
    window: r.window,
    response: etText(r.response.due),
    warnings: r.response.warnings.map(etText),
    workaround: etText(r.workaround.due),
  };
};

interface Example {
  readonly story: string;
  readonly priority: Priority;
  readonly at: string;
  readonly holidays?: readonly string[];
  readonly waits?: TicketSpec['waits'];
  readonly window: Window;
  readonly response: string;
  readonly warnings?: readonly string[];
  readonly workaround: string;
}

// The table of SLA-RULES.md, "Worked examples", row by row.
const EXAMPLES: readonly Example[] = [
  {
    story: 'a P1 arrives Wednesday 10:00',
    priority: 'P1',
    at: 'Wed 2026-11-25 10:00',
    window: 'in-hours',
    response: 'Wed 2026-11-25 11:00 EST',
    warnings: ['Wed 2026-11-25 10:30 EST', 'Wed 2026-11-25 10:45 EST', 'Wed 2026-11-25 10:54 EST'],
    workaround: 'Fri 2026-11-27 10:00 EST',
  },
  {
    story: 'a P1 arrives Saturday 03:00',
    priority: 'P1',
    at: 'Sat 2026-11-28 03:00',
    window: 'after-hours',
    response: 'Sat 2026-11-28 05:00 EST',
    workaround: 'Mon 2026-11-30 03:00 EST',
  },
  {
    story: 'a P2 arrives Wednesday 21:30',
    priority: 'P2',
    at: 'Wed 2026-11-25 21:30',
    window: 'in-hours',
    response: 'Thu 2026-11-26 05:30 EST',
    workaround: 'Wed 2026-12-02 21:30 EST',
  },
  {
    story: 'a P2 arrives Wednesday 21:30 before a Thursday holiday',
    priority: 'P2',
    at: 'Wed 2026-11-25 21:30',
    holidays: ['2026-11-26'],
    window: 'in-hours',
    response: 'Fri 2026-11-27 05:30 EST',
    workaround: 'Thu 2026-12-03 21:30 EST',
  },
  {
    story: 'a P2 arrives Friday 23:10',
    priority: 'P2',
    at: 'Fri 2026-11-27 23:10',
    window: 'after-hours',
    response: 'Mon 2026-11-30 05:10 EST',
    workaround: 'Fri 2026-12-04 23:10 EST',
  },
  {
    story: 'a P3 arrives Saturday 10:00',
    priority: 'P3',
    at: 'Sat 2026-11-28 10:00',
    window: 'after-hours',
    response: 'Mon 2026-11-30 12:00 EST',
    workaround: 'Sat 2026-12-12 00:00 EST',
  },
  {
    story: 'a P2 arrives Friday 21:00 EST before clocks spring forward',
    priority: 'P2',
    at: 'Fri 2026-03-06 21:00 EST',
    window: 'in-hours',
    response: 'Mon 2026-03-09 05:00 EDT',
    workaround: 'Fri 2026-03-13 21:00 EDT',
  },
  {
    story: 'a P1 arrives Saturday 23:30 EDT before clocks fall back',
    priority: 'P1',
    at: 'Sat 2026-10-31 23:30 EDT',
    window: 'after-hours',
    response: 'Sun 2026-11-01 01:30 EDT',
    workaround: 'Mon 2026-11-02 22:30 EST',
  },
  {
    story: 'a P3 arrives Tuesday 09:00 and waits on the customer 10:00–15:00',
    priority: 'P3',
    at: 'Tue 2026-11-24 09:00',
    waits: [['Tue 2026-11-24 10:00', 'Tue 2026-11-24 15:00']],
    window: 'in-hours',
    response: 'Tue 2026-11-24 18:00 EST',
    workaround: 'Tue 2026-12-08 14:00 EST',
  },
];

describe.each<[string, Evaluate]>([
  ['the engine', byEngine],
  ['the reference', byReference],
])('worked examples, by %s', (_, evaluate) => {
  it.each(EXAMPLES)(
    'when $story, the window is $window, the reply is due $response and the work-around $workaround',
    ({ priority, at, holidays = [], waits, window, response, warnings, workaround }) => {
      const answer = evaluate(holidays, aTicket({ priority, at, ...(waits ? { waits } : {}) }));
      expect(answer.window).toBe(window);
      expect(answer.response).toBe(response);
      expect(answer.workaround).toBe(workaround);
      if (warnings !== undefined) expect(answer.warnings).toEqual(warnings);
    },
  );
});

describe('worked examples of availability', () => {
  const now = Date.parse('2027-01-01T00:00:00Z');
  const NOV = '2026-11';

  it('November 2026 is 43,260 minutes long and its budget is 4.326 minutes', () => {
    const a = monthAvailability(DEFAULT_POLICY, NOV, [], now);
    expect(a.minutes).toBe(43_260);
    expect(a.budgetMinutes).toBe(4.326);
    expect(a.availability).toBe(1);
    expect(a.met).toBe(true);
  });

  it('March 2026 is 44,580 minutes long', () => {
    expect(monthAvailability(DEFAULT_POLICY, '2026-03', [], now).minutes).toBe(44_580);
  });

  it.each([
    { minutes: 3, end: 'Wed 2026-11-25 10:03', availability: 0.99993065, met: true },
    { minutes: 5, end: 'Wed 2026-11-25 10:05', availability: 0.99988442, met: false },
  ])('a $minutes-minute Core Service outage in November 2026 gives $availability (met: $met)', (example) => {
    const a = monthAvailability(DEFAULT_POLICY, NOV, [anOutage('Wed 2026-11-25 10:00', example.end)], now);
    expect(a.outageMinutes).toBe(example.minutes);
    expect(a.availability).toBe(example.availability);
    expect(a.met).toBe(example.met);
  });

  it('a 60-minute outage classed (b) force majeure adds 60 excluded minutes and no down minutes', () => {
    const a = monthAvailability(
      DEFAULT_POLICY,
      NOV,
      [anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 11:00', 'b')],
      now,
    );
    expect(a.excludedMinutes).toBe(60);
    expect(a.excludedByCategory.b).toBe(60);
    expect(a.outageMinutes).toBe(0);
    expect(a.availability).toBe(1);
    expect(a.met).toBe(true);
  });
});
