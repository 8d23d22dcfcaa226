// The calendar under the clocks: the DST weeks of 2026 and 2027, holidays, and the edges of support hours.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import type { Policy } from '../../src/domain/policy/schema';
import { SlaEngine } from '../../src/domain/sla';
import type { Clock, Priority, Window } from '../../src/domain/sla/types';
import { DAY, MINUTE, aPolicy, aTicket, et, etText } from '../fixtures';
import { referenceEvaluate, referenceWindow } from './reference';

interface Row {
  readonly story: string;
  readonly priority: Priority;
  readonly at: string;
  readonly window?: Window;
  readonly response?: string;
  readonly warnings?: readonly string[];
  readonly workaround?: string;
}

/** Checks one row against the engine (and, as a second opinion on the expected values, the reference). */
function check(row: Row, policy: Policy = DEFAULT_POLICY, holidays: readonly string[] = []): void {
  const input = aTicket({ priority: row.priority, at: row.at });
  const r = new SlaEngine(policy, holidays).evaluate(input);
  const ref = referenceEvaluate(policy, holidays, input);
  if (row.window !== undefined) expect(r.window).toBe(row.window);
  if (row.response !== undefined) expect(etText(r.response.due)).toBe(row.response);
  if (row.warnings !== undefined) expect(r.response.warnings.map((w) => etText(w.at))).toEqual(row.warnings);
  if (row.workaround !== undefined) expect(etText(r.workaround.due)).toBe(row.workaround);
  expect(ref.response.due).toBe(r.response.due);
  expect(ref.workaround.due).toBe(r.workaround.due);
}

describe('the DST weeks of 2026 and 2027', () => {
  describe.each<[string, Clock, readonly Row[]]>([
    [
      'P1 on the continuous clock counts elapsed time: a 23- or 25-hour day',
      'continuous',
      [
        {
          story: 'a P1 arrives Sun 01:00 EST as clocks spring forward (2026-03-08)',
          priority: 'P1',
          at: 'Sun 2026-03-08 01:00 EST',
          window: 'after-hours',
          response: 'Sun 2026-03-08 04:00 EDT',
          warnings: ['Sun 2026-03-08 03:00 EDT', 'Sun 2026-03-08 03:30 EDT', 'Sun 2026-03-08 03:48 EDT'],
          workaround: 'Tue 2026-03-10 02:00 EDT',
        },
        {
          story: 'a P1 arrives Sun 00:30 EDT as clocks fall back (2026-11-01)',
          priority: 'P1',
          at: 'Sun 2026-11-01 00:30 EDT',
          window: 'after-hours',
          response: 'Sun 2026-11-01 01:30 EST',
          warnings: ['Sun 2026-11-01 01:30 EDT', 'Sun 2026-11-01 01:00 EST', 'Sun 2026-11-01 01:18 EST'],
          workaround: 'Mon 2026-11-02 23:30 EST',
        },
        {
          story: 'a P1 arrives Sun 01:00 EST as clocks spring forward (2027-03-14)',
          priority: 'P1',
          at: 'Sun 2027-03-14 01:00 EST',
          window: 'after-hours',
          response: 'Sun 2027-03-14 04:00 EDT',
          warnings: ['Sun 2027-03-14 03:00 EDT', 'Sun 2027-03-14 03:30 EDT', 'Sun 2027-03-14 03:48 EDT'],
          workaround: 'Tue 2027-03-16 02:00 EDT',
        },
        {
          story: 'a P1 arrives Sun 00:30 EDT as clocks fall back (2027-11-07)',
          priority: 'P1',
          at: 'Sun 2027-11-07 00:30 EDT',
          window: 'after-hours',
          response: 'Sun 2027-11-07 01:30 EST',
          warnings: ['Sun 2027-11-07 01:30 EDT', 'Sun 2027-11-07 01:00 EST', 'Sun 2027-11-07 01:18 EST'],
          workaround: 'Mon 2027-11-08 23:30 EST',
        },
        {
          story: 'a P1 arrives Fri 21:30 before spring forward (2026)',
          priority: 'P1',
          at: 'Fri 2026-03-06 21:30',
          window: 'in-hours',
          response: 'Fri 2026-03-06 22:30 EST',
          workaround: 'Sun 2026-03-08 22:30 EDT',
        },
        {
          story: 'a P1 arrives Fri 21:30 before fall back (2026)',
          priority: 'P1',
          at: 'Fri 2026-10-30 21:30',
          window: 'in-hours',
          response: 'Fri 2026-10-30 22:30 EDT',
          workaround: 'Sun 2026-11-01 20:30 EST',
        },
        {
          story: 'a P1 arrives Fri 21:30 before spring forward (2027)',
          priority: 'P1',
          at: 'Fri 2027-03-12 21:30',
          response: 'Fri 2027-03-12 22:30 EST',
          workaround: 'Sun 2027-03-14 22:30 EDT',
        },
        {
          story: 'a P1 arrives Fri 21:30 before fall back (2027)',
          priority: 'P1',
          at: 'Fri 2027-11-05 21:30',
          response: 'Fri 2027-11-05 22:30 EDT',
          workaround: 'Sun 2027-11-07 20:30 EST',
        },
      ],
    ],
    [
      'P2 in hours on the support-hours clock: Friday night, then Monday from 04:00 local',
      'support-hours',
      [
        {
          story: 'a P2 arrives Fri 21:00 before spring forward (2026)',
          priority: 'P2',
          at: 'Fri 2026-03-06 21:00',
          window: 'in-hours',
          response: 'Mon 2026-03-09 05:00 EDT',
          warnings: ['Fri 2026-03-06 22:00 EST', 'Mon 2026-03-09 04:30 EDT', 'Mon 2026-03-09 04:48 EDT'],
          workaround: 'Fri 2026-03-13 21:00 EDT',
        },
        {
          story: 'a P2 arrives Fri 21:00 before fall back (2026)',
          priority: 'P2',
          at: 'Fri 2026-10-30 21:00',
          window: 'in-hours',
          response: 'Mon 2026-11-02 05:00 EST',
          warnings: ['Fri 2026-10-30 22:00 EDT', 'Mon 2026-11-02 04:30 EST', 'Mon 2026-11-02 04:48 EST'],
          workaround: 'Fri 2026-11-06 21:00 EST',
        },
        {
          story: 'a P2 arrives Fri 21:00 before spring forward (2027)',
          priority: 'P2',
          at: 'Fri 2027-03-12 21:00',
          window: 'in-hours',
          response: 'Mon 2027-03-15 05:00 EDT',
          warnings: ['Fri 2027-03-12 22:00 EST', 'Mon 2027-03-15 04:30 EDT', 'Mon 2027-03-15 04:48 EDT'],
          workaround: 'Fri 2027-03-19 21:00 EDT',
        },
        {
          story: 'a P2 arrives Fri 21:00 before fall back (2027)',
          priority: 'P2',
          at: 'Fri 2027-11-05 21:00',
          window: 'in-hours',
          response: 'Mon 2027-11-08 05:00 EST',
          warnings: ['Fri 2027-11-05 22:00 EDT', 'Mon 2027-11-08 04:30 EST', 'Mon 2027-11-08 04:48 EST'],
          workaround: 'Fri 2027-11-12 21:00 EST',
        },
      ],
    ],
    [
      'P2 after hours on the business-days clock: the weekend (23 or 25 hours) does not count',
      'business-days',
      [
        {
          story: 'a P2 arrives Sat 10:00 before spring forward (2026)',
          priority: 'P2',
          at: 'Sat 2026-03-07 10:00',
          window: 'after-hours',
          response: 'Mon 2026-03-09 06:00 EDT',
          warnings: ['Mon 2026-03-09 03:00 EDT', 'Mon 2026-03-09 04:30 EDT', 'Mon 2026-03-09 05:24 EDT'],
          workaround: 'Sat 2026-03-14 00:00 EDT',
        },
        {
          story: 'a P2 arrives Sat 10:00 before fall back (2026)',
          priority: 'P2',
          at: 'Sat 2026-10-31 10:00',
          window: 'after-hours',
          response: 'Mon 2026-11-02 06:00 EST',
          workaround: 'Sat 2026-11-07 00:00 EST',
        },
        {
          story: 'a P2 arrives Sat 10:00 before spring forward (2027)',
          priority: 'P2',
          at: 'Sat 2027-03-13 10:00',
          window: 'after-hours',
          response: 'Mon 2027-03-15 06:00 EDT',
          workaround: 'Sat 2027-03-20 00:00 EDT',
        },
        {
          story: 'a P2 arrives Sat 10:00 before fall back (2027)',
          priority: 'P2',
          at: 'Sat 2027-11-06 10:00',
          window: 'after-hours',
          response: 'Mon 2027-11-08 06:00 EST',
          workaround: 'Sat 2027-11-13 00:00 EST',
        },
      ],
    ],
  ])('%s', (_, _clock, rows) => {
    it.each(rows)('when $story, the reply is due $response and the work-around $workaround', (row) => {
      check(row);
    });
  });

  describe('with a seven-day week, the change day itself counts', () => {
    const sevenDays = aPolicy({ 'calendar.businessDays': [1, 2, 3, 4, 5, 6, 7] });
    it.each<Row>([
      {
        story: 'Sun 2026-03-08 00:00 (a 23-hour business day)',
        priority: 'P2',
        at: 'Sun 2026-03-08 00:00',
        window: 'after-hours',
        response: 'Sun 2026-03-08 07:00 EDT',
        workaround: 'Fri 2026-03-13 01:00 EDT',
      },
      {
        story: 'Sun 2026-11-01 00:00 (a 25-hour business day)',
        priority: 'P2',
        at: 'Sun 2026-11-01 00:00',
        window: 'after-hours',
        response: 'Sun 2026-11-01 05:00 EST',
        workaround: 'Thu 2026-11-05 23:00 EST',
      },
      {
        story: 'Sun 2027-03-14 00:00 (a 23-hour business day)',
        priority: 'P2',
        at: 'Sun 2027-03-14 00:00',
        window: 'after-hours',
        response: 'Sun 2027-03-14 07:00 EDT',
        workaround: 'Fri 2027-03-19 01:00 EDT',
      },
      {
        story: 'Sun 2027-11-07 00:00 (a 25-hour business day)',
        priority: 'P2',
        at: 'Sun 2027-11-07 00:00',
        window: 'after-hours',
        response: 'Sun 2027-11-07 05:00 EST',
        workaround: 'Thu 2027-11-11 23:00 EST',
      },
    ])('business-days: when a P2 arrives $story, 360 minutes run out $response', (row) => {
      check(row, sevenDays);
    });

    const nightShift = aPolicy({
      'calendar.businessDays': [1, 2, 3, 4, 5, 6, 7],
      'calendar.supportHours': { open: '00:00', close: '06:00' },
      'targets.P2.response.inHours': { minutes: 360, clock: 'support-hours' },
    });
    it.each<Row>([
      {
        story: 'Sun 2026-03-08 00:00 (5 real hours)',
        priority: 'P2',
        at: 'Sun 2026-03-08 00:00',
        window: 'in-hours',
        response: 'Mon 2026-03-09 01:00 EDT',
      },
      {
        story: 'Sun 2026-11-01 00:00 (7 real hours)',
        priority: 'P2',
        at: 'Sun 2026-11-01 00:00',
        window: 'in-hours',
        response: 'Sun 2026-11-01 05:00 EST',
      },
      {
        story: 'Sun 2027-03-14 00:00 (5 real hours)',
        priority: 'P2',
        at: 'Sun 2027-03-14 00:00',
        window: 'in-hours',
        response: 'Mon 2027-03-15 01:00 EDT',
      },
      {
        story: 'Sun 2027-11-07 00:00 (7 real hours)',
        priority: 'P2',
        at: 'Sun 2027-11-07 00:00',
        window: 'in-hours',
        response: 'Sun 2027-11-07 05:00 EST',
      },
    ])('support-hours 00:00–06:00: when a P2 arrives $story, 360 minutes run out $response', (row) => {
      check(row, nightShift);
    });
  });
});

describe('holidays', () => {
  it.each<Row & { holidays: readonly string[] }>([
    {
      story: 'a P2 arrives Wed 21:30 before Thanksgiving and the Friday after (two holidays in a row)',
      holidays: ['2026-11-26', '2026-11-27'],
      priority: 'P2',
      at: 'Wed 2026-11-25 21:30',
      window: 'in-hours',
      response: 'Mon 2026-11-30 05:30 EST',
      workaround: 'Fri 2026-12-04 21:30 EST',
    },
    {
      story: 'a P3 arrives Thu 20:00 before a Friday holiday (Christmas 2026)',
      holidays: ['2026-12-25'],
      priority: 'P3',
      at: 'Thu 2026-12-24 20:00',
      window: 'in-hours',
      response: 'Mon 2026-12-28 06:00 EST',
      workaround: 'Fri 2027-01-08 20:00 EST',
    },
    {
      story: 'a P3 arrives Thu 20:00 before two Friday holidays a week apart',
      holidays: ['2026-12-25', '2027-01-01'],
      priority: 'P3',
      at: 'Thu 2026-12-24 20:00',
      response: 'Mon 2026-12-28 06:00 EST',
      workaround: 'Mon 2027-01-11 20:00 EST',
    },
    {
      story: 'a P2 arrives at 10:00 on a holiday (no support hours, so after-hours)',
      holidays: ['2026-11-26'],
      priority: 'P2',
      at: 'Thu 2026-11-26 10:00',
      window: 'after-hours',
      response: 'Fri 2026-11-27 06:00 EST',
      workaround: 'Fri 2026-12-04 00:00 EST',
    },
    {
      story: 'a P1 arrives on a holiday (continuous clocks ignore holidays)',
      holidays: ['2026-11-26'],
      priority: 'P1',
      at: 'Thu 2026-11-26 10:00',
      window: 'after-hours',
      response: 'Thu 2026-11-26 12:00 EST',
      workaround: 'Sat 2026-11-28 10:00 EST',
    },
    {
      story: 'a P2 arrives Fri 23:10 and a holiday falls on Saturday (it changes nothing)',
      holidays: ['2026-11-28'],
      priority: 'P2',
      at: 'Fri 2026-11-27 23:10',
      response: 'Mon 2026-11-30 05:10 EST',
      workaround: 'Fri 2026-12-04 23:10 EST',
    },
  ])('when $story, the reply is due $response and the work-around $workaround', (row) => {
    check(row, DEFAULT_POLICY, row.holidays);
  });

  it('a holiday in the policy file counts like one given to the engine', () => {
    const input = aTicket({ priority: 'P2', at: 'Wed 2026-11-25 21:30' });
    const fromPolicy = new SlaEngine(aPolicy({ 'calendar.holidays': ['2026-11-26'] })).evaluate(input);
    const fromEngine = new SlaEngine(DEFAULT_POLICY, ['2026-11-26']).evaluate(input);
    expect(etText(fromPolicy.response.due)).toBe('Fri 2026-11-27 05:30 EST');
    expect(fromPolicy).toEqual(fromEngine);
  });
});

describe('the edges of support hours (04:00 inclusive, 22:00 exclusive)', () => {
  it.each<Row>([
    {
      story: 'Wed 03:59',
      priority: 'P2',
      at: 'Wed 2026-11-25 03:59',
      window: 'after-hours',
      response: 'Wed 2026-11-25 09:59 EST',
    },
    {
      story: 'Wed 04:00 exactly',
      priority: 'P2',
      at: 'Wed 2026-11-25 04:00',
      window: 'in-hours',
      response: 'Wed 2026-11-25 06:00 EST',
    },
    {
      story: 'Wed 21:59',
      priority: 'P2',
      at: 'Wed 2026-11-25 21:59',
      window: 'in-hours',
      response: 'Thu 2026-11-26 05:59 EST',
    },
    {
      story: 'Wed 22:00 exactly',
      priority: 'P2',
      at: 'Wed 2026-11-25 22:00',
      window: 'after-hours',
      response: 'Thu 2026-11-26 04:00 EST',
    },
    {
      story: 'Wed 00:00 (midnight)',
      priority: 'P2',
      at: 'Wed 2026-11-25 00:00',
      window: 'after-hours',
      response: 'Wed 2026-11-25 06:00 EST',
    },
    {
      story: 'Sat 00:00 (midnight after Friday)',
      priority: 'P2',
      at: 'Sat 2026-11-28 00:00',
      window: 'after-hours',
      response: 'Mon 2026-11-30 06:00 EST',
    },
    {
      story: 'Mon 00:00 (midnight after Sunday)',
      priority: 'P2',
      at: 'Mon 2026-11-30 00:00',
      window: 'after-hours',
      response: 'Mon 2026-11-30 06:00 EST',
    },
    {
      story: 'Mon 04:00 exactly',
      priority: 'P3',
      at: 'Mon 2026-11-30 04:00',
      window: 'in-hours',
      response: 'Mon 2026-11-30 08:00 EST',
    },
    {
      story: 'Fri 21:59',
      priority: 'P3',
      at: 'Fri 2026-11-27 21:59',
      window: 'in-hours',
      response: 'Mon 2026-11-30 07:59 EST',
    },
  ])('when a $priority arrives $story, the window is $window and the reply is due $response', (row) => {
    check(row);
  });

  it('a reply budget that runs out exactly at 22:00 is due at 22:00, not at the next opening', () => {
    const r = new SlaEngine(DEFAULT_POLICY).evaluate(aTicket({ priority: 'P2', at: 'Wed 2026-11-25 20:00' }));
    expect(etText(r.response.due)).toBe('Wed 2026-11-25 22:00 EST');
  });

  it('the window agrees with the reference at every minute of the weeks around both 2026 clock changes', () => {
    const holidays = ['2026-03-09'];
    const sla = new SlaEngine(DEFAULT_POLICY, holidays);
    const disagreements: (string | null)[] = [];
    for (const from of [et('Thu 2026-03-05 00:00'), et('Thu 2026-10-29 00:00')]) {
      for (let t = from; t < from + 7 * DAY; t += MINUTE) {
        if (sla.window(t) !== referenceWindow(DEFAULT_POLICY, holidays, t)) disagreements.push(etText(t));
      }
    }
    expect(disagreements).toEqual([]);
  });
});

// Counterexamples found by the property tests under non-default policies (the default policy is not
// affected: New York never repeats midnight). SLA-RULES: a business day is "local 00:00 to 24:00", and
// the first 00:00–00:59 of these Sundays is already Sunday.
describe('a day whose midnight happens twice starts at the first one', () => {
  const CASES = [
    {
      zone: 'America/Havana',
      story: 'midnight happens twice (Sun 2027-11-07: 01:00 CDT → 00:00 CST)',
      at: '2027-11-07T00:00:00-04:00',
      due: '2027-11-07T05:00:00-05:00',
    },
    {
      zone: 'Atlantic/Azores',
      story: 'midnight happens twice (Sun 2026-10-25: 01:00 → 00:00)',
      at: '2026-10-25T00:00:00+00:00',
      due: '2026-10-25T05:00:00-01:00',
    },
  ];

  it.each(CASES)(
    'in $zone, the reference counts 360 business-day minutes from the first 00:00 to 05:00',
    (c) => {
      const policy = aPolicy({ timeZone: c.zone, 'calendar.businessDays': [7] });
      const r = referenceEvaluate(policy, [], { dispatched: Date.parse(c.at), priority: 'P2' });
      expect(r.response.due).toBe(Date.parse(c.due));
    },
  );

  it.each(CASES)(
    'in $zone, where $story, a Sunday business day starts at the first 00:00, so 360 business-day minutes from it end 6 real hours later',
    ({ zone, at, due }) => {
      const policy = aPolicy({ timeZone: zone, 'calendar.businessDays': [7] });
      const r = new SlaEngine(policy).evaluate({ dispatched: Date.parse(at), priority: 'P2' });
      expect(r.window).toBe('after-hours');
      expect(r.response.due).toBe(Date.parse(due));
    },
  );
});
