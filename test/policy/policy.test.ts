// The policy as validated data: the default parses; every bad field is named by its dotted path and
// reason; the parsed policy is deeply frozen.
import { DEFAULT_POLICY, DEFAULT_POLICY_JSON } from '../../src/domain/policy/default';
import { InvalidPolicy, parsePolicy } from '../../src/domain/policy/schema';
import { defaultPolicyJson, policyJsonWith } from '../fixtures';

/** The problems parsePolicy reports for the default policy with `fields` replaced; [] when it parses. */
function problemsWith(fields: Readonly<Record<string, unknown>>): readonly string[] {
  try {
    parsePolicy(policyJsonWith(fields), 'test.json');
    return [];
  } catch (e) {
    if (e instanceof InvalidPolicy) return e.problems;
    throw e;
  }
}

describe('the default policy', () => {
  it('parses, and equals its JSON', () => {
    expect(parsePolicy(DEFAULT_POLICY_JSON, 'default')).toEqual(DEFAULT_POLICY_JSON);
    expect(DEFAULT_POLICY).toEqual(DEFAULT_POLICY_JSON);
  });

  it('has the targets of SLA-RULES.md', () => {
    expect(DEFAULT_POLICY.timeZone).toBe('America/New_York');
    expect(DEFAULT_POLICY.calendar).toEqual({
      businessDays: [1, 2, 3, 4, 5],
      supportHours: { open: '04:00', close: '22:00' },
      holidays: [],
    });
    expect(DEFAULT_POLICY.targets).toEqual({
      P1: {
        response: {
          inHours: { minutes: 60, clock: 'continuous' },
          afterHours: { minutes: 120, clock: 'continuous' },
        },
        workaround: { minutes: 2880, clock: 'continuous' },
      },
      P2: {
        response: {
          inHours: { minutes: 120, clock: 'support-hours' },
          afterHours: { minutes: 360, clock: 'business-days' },
        },
        workaround: { minutes: 7200, clock: 'business-days' },
      },
      P3: {
        response: {
          inHours: { minutes: 240, clock: 'support-hours' },
          afterHours: { minutes: 720, clock: 'business-days' },
        },
        workaround: { minutes: 14400, clock: 'business-days' },
      },
    });
    expect(DEFAULT_POLICY.warnings.thresholds).toEqual([50, 75, 90]);
    expect(DEFAULT_POLICY.availability.target).toBe(0.9999);
  });

  it('is deeply frozen: no field at any depth can be changed', () => {
    const unfrozen: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value === null || typeof value !== 'object') return;
      if (!Object.isFrozen(value)) unfrozen.push(path);
      for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
    };
    walk(DEFAULT_POLICY, 'policy');
    expect(unfrozen).toEqual([]);
    const minutes = DEFAULT_POLICY.targets.P1.response.inHours;
    expect(() => {
      minutes.minutes = 1;
    }).toThrow(TypeError);
    expect(() => DEFAULT_POLICY.calendar.holidays.push('2026-11-26')).toThrow(TypeError);
  });

  it('parsing freezes the copy, not the caller’s JSON', () => {
    const json = defaultPolicyJson();
    const policy = parsePolicy(json);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(json)).toBe(false);
  });
});

describe('a bad policy is refused with every problem named by its path', () => {
  const BUDGETS = ['P1', 'P2', 'P3'].flatMap((p) => [
    `targets.${p}.response.inHours`,
    `targets.${p}.response.afterHours`,
    `targets.${p}.workaround`,
  ]);

  it.each([0, -5, 1.5, '60'])(
    'minutes: %p → "targets.P2.response.inHours.minutes must be a positive integer"',
    (minutes) => {
      expect(problemsWith({ 'targets.P2.response.inHours.minutes': minutes })).toEqual([
        'targets.P2.response.inHours.minutes must be a positive integer',
      ]);
    },
  );

  it.each(BUDGETS.flatMap((path) => [0, -5, 1.5, '60', null].map((minutes) => ({ path, minutes }))))(
    '$path.minutes: $minutes is not a positive integer',
    ({ path, minutes }) => {
      expect(problemsWith({ [`${path}.minutes`]: minutes })).toEqual([
        `${path}.minutes must be a positive integer`,
      ]);
    },
  );

  it.each<[string, Record<string, unknown>, readonly (string | RegExp)[]]>([
    [
      'a missing field',
      { 'targets.P2.response.inHours.minutes': undefined },
      ['targets.P2.response.inHours.minutes is required'],
    ],
    [
      'an unknown clock',
      { 'targets.P3.workaround.clock': 'weekly' },
      ['targets.P3.workaround.clock must be one of "continuous", "support-hours", "business-days"'],
    ],
    ['an unknown field at the top', { colour: 'blue' }, ['colour: unknown field']],
    ['an unknown field inside', { 'calendar.lunch': '12:00' }, ['calendar.lunch: unknown field']],
    [
      'a zone that does not exist',
      { timeZone: 'Mars/Base' },
      ['timeZone must be an IANA time zone name such as "America/New_York"'],
    ],
    ['a zone given as an offset', { timeZone: '-05:00' }, [/^timeZone must be an IANA time zone name/]],
    [
      'close before open',
      { 'calendar.supportHours': { open: '22:00', close: '04:00' } },
      [/^calendar\.supportHours\.close .*must be later than open$/],
    ],
    [
      'close equal to open',
      { 'calendar.supportHours': { open: '09:00', close: '09:00' } },
      [/^calendar\.supportHours\.close .*must be later than open$/],
    ],
    [
      'thresholds not ascending',
      { 'warnings.thresholds': [50, 90, 75] },
      ['warnings.thresholds must be in ascending order'],
    ],
    [
      'a threshold repeated',
      { 'warnings.thresholds': [50, 50] },
      ['warnings.thresholds must be in ascending order'],
    ],
    [
      'a threshold of 100',
      { 'warnings.thresholds': [50, 100] },
      ['warnings.thresholds.1 must be between 1 and 99'],
    ],
    [
      'no business days',
      { 'calendar.businessDays': [] },
      ['calendar.businessDays must list at least one weekday'],
    ],
    [
      'a weekday 0',
      { 'calendar.businessDays': [0, 1] },
      ['calendar.businessDays.0 must be an ISO weekday 1-7'],
    ],
    [
      'a holiday repeated',
      { 'calendar.holidays': ['2026-11-26', '2026-11-26'] },
      ['calendar.holidays must not repeat a date'],
    ],
    [
      'a holiday not a date',
      { 'calendar.holidays': ['26/11/2026'] },
      ['calendar.holidays.0 must be a date "YYYY-MM-DD"'],
    ],
    [
      'an availability target of 1',
      { 'availability.target': 1 },
      ['availability.target must be a number between 0 and 1'],
    ],
  ])('%s', (_, fields, expected) => {
    const problems = problemsWith(fields);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      if (typeof want === 'string') expect(problems[i]).toBe(want);
      else expect(problems[i]).toMatch(want);
    });
  });

  it('all problems are reported at once, and the error names its source', () => {
    const json = policyJsonWith({ timeZone: 'Mars/Base', 'targets.P1.workaround.minutes': 0, extra: true });
    let error: unknown;
    try {
      parsePolicy(json, 'policy.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidPolicy);
    const invalid = error as InvalidPolicy;
    expect(invalid.code).toBe('INVALID_POLICY');
    expect(invalid.message).toMatch(/^invalid policy \(policy\.json\): /);
    expect([...invalid.problems].sort()).toEqual([
      'extra: unknown field',
      'targets.P1.workaround.minutes must be a positive integer',
      'timeZone must be an IANA time zone name such as "America/New_York"',
    ]);
  });

  it('something that is not an object at all is refused', () => {
    expect(() => parsePolicy('policy', 'x')).toThrow(InvalidPolicy);
    expect(() => parsePolicy(null, 'x')).toThrow(InvalidPolicy);
  });

  // "2026-02-30" matches the date pattern; it must still be refused, or the calendar would read it as 2026-03-02.
  it('a holiday that is not a real date (2026-02-30) is refused', () => {
    expect(problemsWith({ 'calendar.holidays': ['2026-02-30'] })).toEqual([
      expect.stringMatching(/^calendar\.holidays\.0 /),
    ]);
  });
});
