// The command line, end to end: each case spawns `node --import tsx src/cli/index.ts …` (started together,
// a few at a time, before the tests read them); checks that can share a process go through stdin mode.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY_JSON } from '../../src/domain/policy/default';
import { parsePolicy } from '../../src/domain/policy/schema';

const ROOT = join(__dirname, '..', '..');
const DIR = mkdtempSync(join(tmpdir(), 'sla-cli-'));
const GOOD_POLICY = join(DIR, 'good.json');
const BAD_POLICY = join(DIR, 'bad.json');
const BAD_MESSAGE = `invalid policy (${BAD_POLICY}): targets.P2.response.inHours.minutes must be a positive integer`;

interface Spec {
  readonly args: readonly string[];
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(spec: Spec): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
    if (spec.env?.['POLICY_FILE'] === undefined) delete env['POLICY_FILE'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...spec.args], {
      cwd: ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (e) => {
      resolve({ status: null, stdout, stderr: stderr + e.message });
    });
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(spec.input ?? '');
  });
}

/** Runs every spec, `limit` processes at a time. */
async function runAll(specs: Readonly<Record<string, Spec>>, limit: number): Promise<Map<string, Run>> {
  const entries = Object.entries(specs);
  const runs = new Map<string, Run>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const entry = entries[next++];
      if (entry !== undefined) runs.set(entry[0], await cli(entry[1]));
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return runs;
}

const P2_FRIDAY = ['deadlines', '--priority', 'P2', '--dispatched', '2026-11-27T23:10:00-05:00'];
const P2_FRIDAY_OUTPUT =
  '{"priority":"P2","window":"after-hours",' +
  '"response":{"due":"2026-11-30T05:10:00.000-05:00","clock":"business-days","budgetMinutes":360,"warnings":' +
  '{"50":"2026-11-30T02:10:00.000-05:00","75":"2026-11-30T03:40:00.000-05:00","90":"2026-11-30T04:34:00.000-05:00"}},' +
  '"workaround":{"due":"2026-12-04T23:10:00.000-05:00","clock":"business-days","budgetMinutes":7200,"warnings":' +
  '{"50":"2026-12-02T11:10:00.000-05:00","75":"2026-12-03T17:10:00.000-05:00","90":"2026-12-04T11:10:00.000-05:00"}}}\n';

const NOV = ['availability', '--month', '2026-11'];

/** The worked examples of SLA-RULES.md as stdin requests, with the window and due times they must get. */
const WORKED: readonly { request: object; window: string; response: string; workaround: string }[] = [
  {
    request: { priority: 'P1', dispatched: '2026-11-25T10:00:00-05:00' },
    window: 'in-hours',
    response: '2026-11-25T11:00:00.000-05:00',
    workaround: '2026-11-27T10:00:00.000-05:00',
  },
  {
    request: { priority: 'P1', dispatched: '2026-11-28T03:00:00-05:00' },
    window: 'after-hours',
    response: '2026-11-28T05:00:00.000-05:00',
    workaround: '2026-11-30T03:00:00.000-05:00',
  },
  {
    request: { priority: 'P2', dispatched: '2026-11-25T21:30:00-05:00' },
    window: 'in-hours',
    response: '2026-11-26T05:30:00.000-05:00',
    workaround: '2026-12-02T21:30:00.000-05:00',
  },
  {
    request: { priority: 'P2', dispatched: '2026-11-25T21:30:00-05:00', holidays: ['2026-11-26'] },
    window: 'in-hours',
    response: '2026-11-27T05:30:00.000-05:00',
    workaround: '2026-12-03T21:30:00.000-05:00',
  },
  {
    request: { priority: 'P2', dispatched: '2026-11-27T23:10:00-05:00' },
    window: 'after-hours',
    response: '2026-11-30T05:10:00.000-05:00',
    workaround: '2026-12-04T23:10:00.000-05:00',
  },
  {
    request: { priority: 'P3', dispatched: '2026-11-28T10:00:00-05:00' },
    window: 'after-hours',
    response: '2026-11-30T12:00:00.000-05:00',
    workaround: '2026-12-12T00:00:00.000-05:00',
  },
  {
    request: { priority: 'P2', dispatched: '2026-03-06T21:00:00-05:00' },
    window: 'in-hours',
    response: '2026-03-09T05:00:00.000-04:00',
    workaround: '2026-03-13T21:00:00.000-04:00',
  },
  {
    request: { priority: 'P1', dispatched: '2026-10-31T23:30:00-04:00' },
    window: 'after-hours',
    response: '2026-11-01T01:30:00.000-04:00',
    workaround: '2026-11-02T22:30:00.000-05:00',
  },
  {
    request: {
      priority: 'P3',
      dispatched: '2026-11-24T09:00:00-05:00',
      pauses: [['2026-11-24T10:00:00-05:00', '2026-11-24T15:00:00-05:00']],
    },
    window: 'in-hours',
    response: '2026-11-24T18:00:00.000-05:00',
    workaround: '2026-12-08T14:00:00.000-05:00',
  },
];

/** Bad stdin requests and what their error line must say. */
const BAD_LINES: readonly { line: string; error: RegExp }[] = [
  {
    line: '{"priority":"P4","dispatched":"2026-11-27T23:10:00-05:00"}',
    error: /^priority must be P1, P2 or P3, got "P4"$/,
  },
  { line: 'not json', error: /^request is not valid JSON/ },
  {
    line: '{"priority":"P2","dispatched":"2026-11-27T23:10"}',
    error: /^dispatched "2026-11-27T23:10" has no UTC offset/,
  },
  {
    line: '{"priority":"P2","dispatched":"tomorrow"}',
    error: /^dispatched "tomorrow" is not an ISO 8601 date-time/,
  },
  { line: '{"dispatched":"2026-11-27T23:10:00-05:00"}', error: /^priority is required$/ },
  {
    line: '{"priority":"P2","dispatched":"2026-11-27T23:10:00-05:00","pauses":[["2026-11-28T10:00:00-05:00","2026-11-28T09:00:00-05:00"]]}',
    error: /^pause 1 ends \(2026-11-28T09:00:00-05:00\) before it starts \(2026-11-28T10:00:00-05:00\)$/,
  },
  {
    line: '{"priority":"P2","dispatched":"2026-11-27T23:10:00-05:00","holidays":["2026-02-30"]}',
    error: /^holiday 1 "2026-02-30" is not a date like 2026-11-26$/,
  },
  {
    line: '{"priority":"P2","dispatched":"2026-11-27T23:10:00-05:00","pause":[]}',
    error: /^unknown field "pause"$/,
  },
];

/** stdin: every worked example, with a bad line after each and blank lines between, to check order. */
const STDIN_LINES = WORKED.flatMap((w, i) => {
  const bad = BAD_LINES[i % BAD_LINES.length];
  return [JSON.stringify(w.request), '', ...(bad === undefined ? [] : [bad.line]), '   '];
});

/** suggest: customer messages and bad lines, in order, each with what its answer must be. */
const SUGGEST: readonly { line: string; answer: Record<string, string> | RegExp }[] = [
  {
    line: JSON.stringify({ text: 'Since 7:30 not a single agent in our call centre can answer calls' }),
    answer: { priority: 'P1', category: 'outage' },
  },
  {
    line: JSON.stringify({ text: 'Call park has stopped working for the whole company' }),
    answer: { priority: 'P2', category: 'partial-outage' },
  },
  { line: '{"text": "Nobody can dial out', answer: /^request is not valid JSON/ },
  {
    line: JSON.stringify({ text: 'How do we order another licence for a new hire?' }),
    answer: { priority: 'P3', category: 'provisioning' },
  },
  { line: '{"text": 42}', answer: /^text must be a string, got number$/ },
  { line: '', answer: /^empty line: expected a JSON object like/ },
  { line: '{"text": "   "}', answer: /^text is empty$/ },
  { line: '{"message": "phones are dead"}', answer: /^text is required/ },
  {
    line: JSON.stringify({ text: 'x'.repeat(8001) }),
    answer: /^text is 8001 characters long; at most 8000$/,
  },
  {
    line: JSON.stringify({ text: 'Not an outage: calls work fine, but voicemail greetings will not save' }),
    answer: { priority: 'P3', category: 'provisioning' },
  },
  {
    line: JSON.stringify({ text: 'Users at our Leeds branch get one-way audio on every call' }),
    answer: { priority: 'P2', category: 'partial-outage' },
  },
];

/** Bad input on the command line: each exits 2 with this one line on stderr. */
const BAD_ARGS: Readonly<
  Record<string, { args: readonly string[]; env?: Record<string, string>; stderr: RegExp }>
> = {
  'unknown priority': {
    args: ['deadlines', '--priority', 'P4', '--dispatched', '2026-11-27T23:10:00-05:00'],
    stderr: /^deadlines: priority must be P1, P2 or P3, got "P4"$/,
  },
  'time without offset': {
    args: ['deadlines', '--priority', 'P2', '--dispatched', '2026-11-27T23:10'],
    stderr: /^deadlines: dispatched "2026-11-27T23:10" has no UTC offset/,
  },
  'pause that ends before it starts': {
    args: [...P2_FRIDAY, '--pause', '2026-11-28T10:00:00-05:00/2026-11-28T09:00:00-05:00'],
    stderr: /^deadlines: pause 1 ends .* before it starts/,
  },
  'bad month': {
    args: ['availability', '--month', '2026-13'],
    stderr: /^availability: month must look like 2026-11, got "2026-13"$/,
  },
  'bad outage class': {
    args: [...NOV, '--outage', '2026-11-10T10:00:00-05:00/2026-11-10T10:03:00-05:00=z'],
    stderr: /^availability: --outage exclusion "z" must be one of a, b, c, d, e$/,
  },
  'suggest with a bad policy file': {
    args: ['suggest', '--policy', BAD_POLICY],
    stderr: new RegExp(`^${escape(BAD_MESSAGE)}$`),
  },
  'suggest with a stray argument': {
    args: ['suggest', 'phones are dead'],
    stderr: /^suggest: unexpected argument "phones are dead"/,
  },
  'unknown command': { args: ['frobnicate'], stderr: /^unknown command "frobnicate"/ },
  'unknown flag': { args: ['deadlines', '--priorty', 'P2'], stderr: /^deadlines: unknown flag --priorty/ },
  'missing value': { args: ['deadlines', '--priority'], stderr: /^deadlines: --priority needs a value$/ },
  'bad policy file (--policy)': {
    args: [...NOV, '--policy', BAD_POLICY],
    stderr: new RegExp(`^${escape(BAD_MESSAGE)}$`),
  },
  'bad policy file (POLICY_FILE)': {
    args: P2_FRIDAY,
    env: { POLICY_FILE: BAD_POLICY },
    stderr: new RegExp(`^${escape(BAD_MESSAGE)}$`),
  },
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const SPECS: Readonly<Record<string, Spec>> = {
  p2Friday: { args: P2_FRIDAY },
  holiday: {
    args: [
      'deadlines',
      '--priority',
      'P2',
      '--dispatched',
      '2026-11-25T21:30:00-05:00',
      '--holiday',
      '2026-11-26',
    ],
  },
  pauses: {
    args: [
      'deadlines',
      '--priority',
      'P3',
      '--dispatched',
      '2026-11-24T09:00:00-05:00',
      '--pause',
      '2026-11-24T10:00:00-05:00/2026-11-24T15:00:00-05:00',
      '--pause=2026-11-30T12:00:00-05:00/',
    ],
  },
  delivery: { args: [...P2_FRIDAY, '--delivery'] },
  stdin: { args: ['deadlines'], input: STDIN_LINES.join('\n') + '\n' },
  suggest: { args: ['suggest'], input: SUGGEST.map((s) => s.line).join('\n') + '\n' },
  suggestPolicyFile: {
    args: ['suggest'],
    input: '{"text":"Everyone in the company is unable to log in"}\n',
    env: { POLICY_FILE: GOOD_POLICY },
  },
  threeMinutes: { args: [...NOV, '--outage', '2026-11-10T10:00:00-05:00/2026-11-10T10:03:00-05:00'] },
  fiveMinutes: { args: [...NOV, '--outage', '2026-11-10T10:00:00-05:00/2026-11-10T10:05:00-05:00'] },
  forceMajeure: { args: [...NOV, '--outage', '2026-11-10T10:00:00-05:00/2026-11-10T11:00:00-05:00=b'] },
  ongoing: { args: [...NOV, '--outage', '2026-11-10T10:00:00-05:00/', '--now', '2026-11-10T10:02:00-05:00'] },
  policy: { args: ['policy'] },
  checkGood: { args: ['policy', '--check', GOOD_POLICY] },
  checkBad: { args: ['policy', '--check', BAD_POLICY] },
  help: { args: ['--help'] },
  ...Object.fromEntries(
    Object.entries(BAD_ARGS).map(([name, c]) => [
      name,
      c.env === undefined ? { args: c.args } : { args: c.args, env: c.env },
    ]),
  ),
};

/** Every run's result by spec name, filled once in beforeAll. */
const runs = new Map<string, Run>();

function run(name: string): Run {
  const r = runs.get(name);
  if (r === undefined) throw new Error(`no run "${name}"`);
  return r;
}

function json(r: Run): unknown {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  writeFileSync(GOOD_POLICY, JSON.stringify(DEFAULT_POLICY_JSON));
  const bad = structuredClone(DEFAULT_POLICY_JSON);
  bad.targets.P2.response.inHours.minutes = 0;
  writeFileSync(BAD_POLICY, JSON.stringify(bad));
  for (const [name, r] of await runAll(SPECS, 3)) runs.set(name, r);
}, 120_000);

afterAll(() => {
  rmSync(DIR, { recursive: true, force: true });
});

describe('deadlines (flags)', () => {
  test('when a P2 arrives Friday 23:10, then the reply is due Monday 05:10 ET and the work-around Friday 23:10', () => {
    const r = run('p2Friday');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(P2_FRIDAY_OUTPUT);
  });

  test('--holiday: a P2 Wednesday 21:30 with Thursday a holiday is answered Friday 05:30', () => {
    expect(json(run('holiday'))).toMatchObject({
      window: 'in-hours',
      response: { due: '2026-11-27T05:30:00.000-05:00', clock: 'support-hours', budgetMinutes: 120 },
      workaround: { due: '2026-12-03T21:30:00.000-05:00' },
    });
  });

  test('--pause: time waiting on the customer does not count; an open pause leaves unreachable times null', () => {
    expect(json(run('pauses'))).toEqual({
      priority: 'P3',
      window: 'in-hours',
      response: {
        due: '2026-11-24T18:00:00.000-05:00',
        clock: 'support-hours',
        budgetMinutes: 240,
        warnings: {
          '50': '2026-11-24T16:00:00.000-05:00',
          '75': '2026-11-24T17:00:00.000-05:00',
          '90': '2026-11-24T17:36:00.000-05:00',
        },
      },
      // 5640 of 14400 minutes counted before the open pause (Mon 12:00): not even 50 % is reachable.
      workaround: {
        due: null,
        clock: 'business-days',
        budgetMinutes: 14400,
        warnings: { '50': null, '75': null, '90': null },
      },
    });
  });

  test('--delivery: warnings held overnight are posted at the 04:00 opening, only the highest', () => {
    const out = json(run('delivery')) as { response: { notices: unknown }; workaround: { notices: unknown } };
    expect(out.response.notices).toEqual([
      { percent: 75, firesAt: '2026-11-30T03:40:00.000-05:00', deliverAt: '2026-11-30T04:00:00.000-05:00' },
      { percent: 90, firesAt: '2026-11-30T04:34:00.000-05:00', deliverAt: '2026-11-30T04:34:00.000-05:00' },
      { percent: 100, firesAt: '2026-11-30T05:10:00.000-05:00', deliverAt: '2026-11-30T05:10:00.000-05:00' },
    ]);
    expect(out.workaround.notices).toContainEqual({
      percent: 100,
      firesAt: '2026-12-04T23:10:00.000-05:00',
      deliverAt: '2026-12-07T04:00:00.000-05:00',
    });
  });
});

describe('deadlines (stdin)', () => {
  const expected = WORKED.flatMap((w, i) => {
    const bad = BAD_LINES[i % BAD_LINES.length];
    return [{ worked: w }, ...(bad === undefined ? [] : [{ bad }])];
  });

  test('answers one line per request, in order, skipping blank lines', () => {
    const r = run('stdin');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(expected.length);
  });

  const described = expected.map((e, i) => {
    const what =
      'bad' in e ? `error ${String(e.bad.error)}` : `${JSON.stringify(e.worked.request).slice(0, 60)}…`;
    return [i + 1, what, e] as const;
  });

  test.each(described)('line %i: %s', (i, _what, e) => {
    const line = run('stdin').stdout.split('\n')[i - 1] ?? '';
    const out = JSON.parse(line) as Record<string, unknown>;
    if ('bad' in e) {
      expect(Object.keys(out)).toEqual(['error']);
      expect(out['error']).toMatch(e.bad.error);
    } else {
      expect(out).toMatchObject({
        priority: (e.worked.request as { priority: string }).priority,
        window: e.worked.window,
        response: { due: e.worked.response },
        workaround: { due: e.worked.workaround },
      });
    }
  });
});

describe('suggest (stdin)', () => {
  test('answers every line, in order, a bad line with an error while the rest go on', () => {
    const r = run('suggest');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(SUGGEST.length);
  });

  test.each(SUGGEST.map((s, i) => [i + 1, s.line.slice(0, 50), s] as const))('line %i: %s', (i, _l, s) => {
    const out = JSON.parse(run('suggest').stdout.split('\n')[i - 1] ?? '') as Record<string, unknown>;
    if (s.answer instanceof RegExp) {
      expect(Object.keys(out)).toEqual(['error']);
      expect(out['error']).toMatch(s.answer);
    } else {
      expect(Object.keys(out)).toEqual(['priority', 'category', 'reason']);
      expect(out).toMatchObject(s.answer);
      expect(out['reason']).toMatch(new RegExp(`→ ${s.answer['priority'] ?? ''}, `));
    }
  });

  test('reads POLICY_FILE like the other commands', () => {
    expect(json(run('suggestPolicyFile'))).toEqual({
      priority: 'P1',
      category: 'outage',
      reason: '"everyone" + "log in" → P1, system-wide outage',
    });
  });
});

describe('availability', () => {
  test('November 2026 with one 3-minute outage: 0.99993065, met', () => {
    expect(run('threeMinutes').stdout).toBe(
      '{"month":"2026-11","minutes":43260,"outageMinutes":3,"excludedMinutes":0,"availability":0.99993065,"target":0.9999,"met":true,"budgetMinutes":4.326}\n',
    );
    expect(run('threeMinutes').status).toBe(0);
  });

  test('with a 5-minute outage: 0.99988442, missed', () => {
    expect(json(run('fiveMinutes'))).toEqual({
      month: '2026-11',
      minutes: 43260,
      outageMinutes: 5,
      excludedMinutes: 0,
      availability: 0.99988442,
      target: 0.9999,
      met: false,
      budgetMinutes: 4.326,
    });
  });

  test('a 60-minute outage classed (b) is 60 excluded minutes and none down', () => {
    expect(json(run('forceMajeure'))).toMatchObject({
      outageMinutes: 0,
      excludedMinutes: 60,
      availability: 1,
      met: true,
    });
  });

  test('an ongoing outage counts up to --now', () => {
    expect(json(run('ongoing'))).toMatchObject({ outageMinutes: 2, availability: 0.99995377 });
  });
});

describe('policy', () => {
  test('prints the default policy, which parses back to the same policy', () => {
    const printed = json(run('policy'));
    expect(printed).toEqual(DEFAULT_POLICY_JSON);
    expect(() => parsePolicy(printed, 'printed')).not.toThrow();
  });

  test('--check prints ok for a good file', () => {
    expect(run('checkGood')).toEqual({ status: 0, stdout: 'ok\n', stderr: '' });
  });

  test('--check names each problem of a bad file and exits 1', () => {
    expect(run('checkBad')).toEqual({
      status: 1,
      stdout: `${BAD_POLICY}: targets.P2.response.inHours.minutes must be a positive integer\n`,
      stderr: '',
    });
  });
});

describe('bad input exits 2 with one line on stderr', () => {
  test.each(Object.entries(BAD_ARGS))('%s', (name, c) => {
    const r = run(name);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    const lines = r.stderr.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(c.stderr);
  });

  test('--help prints usage and exits 0', () => {
    const r = run('help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sla-desk CLI/);
    expect(r.stdout).toContain('deadlines --priority');
  });
});
