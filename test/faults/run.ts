// `npm run test:faults [-- options]`: the proof under fire. Runs each scenario (load with a crash, storage
// outage, slow or failing Teams, clock skew, hostile input, authentication, tenant isolation), prints one
// summary table and exits non-zero on any loss, duplicate, leak, undelivered message or failed check.
//
//   --only a,b        run only these scenarios (load, outage, teams, clock, fuzz, auth, isolation)
//   --duration 90     seconds of load in the load scenario (FAULTS_DURATION_S; default 75)
//   --outage 30       seconds Azurite stays down in the outage scenario (FAULTS_OUTAGE_S; default 30)
//   --runs 3000       fuzz inputs (FAULTS_FUZZ_RUNS; default 3000)
//   --seed 20261126   fast-check seed (FAULTS_SEED; fixed by default)
//   --verbose         print every problem found, not just the first ones
import { Settings } from 'luxon';
import { apiAuthentication } from './api';
import { flood, localDoors } from './doors';
import { authentication } from './auth';
import { clockSkew } from './clock';
import { filesAuth, filesFuzz, filesIsolation } from './files';
import { fuzz, isolation, startStage, type Stage } from './hostile';
import { loadWithKill } from './load';
import { storageOutage, teamsFaults } from './outages';
import { failed, type ScenarioResult } from './rig';
import { formatTable } from './table';

Settings.throwOnInvalid = true;

interface Options {
  readonly only: readonly string[] | undefined;
  readonly durationS: number;
  readonly outageS: number;
  readonly runs: number;
  readonly seed: number;
  readonly verbose: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (flag: string, env: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    const text = at >= 0 ? argv[at + 1] : process.env[env];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, not ${text}`);
    return n;
  };
  const at = argv.indexOf('--only');
  return {
    only: at >= 0 ? (argv[at + 1] ?? '').split(',').filter((s) => s !== '') : undefined,
    durationS: value('--duration', 'FAULTS_DURATION_S', 75),
    outageS: value('--outage', 'FAULTS_OUTAGE_S', 30),
    runs: value('--runs', 'FAULTS_FUZZ_RUNS', 3000),
    seed: value('--seed', 'FAULTS_SEED', 20261126),
    verbose: argv.includes('--verbose'),
  };
}

type Scenario = (o: Options, log: (line: string) => void) => Promise<ScenarioResult>;

/** Runs one in-process hostile-input scenario on its own stage (tenant A's tickets already worked). */
const onStage =
  (run: (stage: Stage, o: Options) => Promise<ScenarioResult>): Scenario =>
  async (o) => {
    const stage = await startStage();
    try {
      return await run(stage, o);
    } finally {
      await stage.stop();
    }
  };

const SCENARIOS: readonly (readonly [string, Scenario])[] = [
  ['load', (o, log) => loadWithKill({ durationMs: o.durationS * 1000, customers: 50, engineers: 5, log })],
  ['outage', (o, log) => storageOutage({ outageMs: o.outageS * 1000, customers: 30, engineers: 3, log })],
  ['teams', (_o, log) => teamsFaults({ faultMs: 25_000, customers: 20, engineers: 3, log })],
  ['clock', (_o, log) => clockSkew({ customers: 10, log })],
  [
    'fuzz',
    onStage(async (stage, o) => {
      const r = await fuzz(stage, o.runs, o.seed);
      await filesFuzz(stage, r);
      return r;
    }),
  ],
  [
    'auth',
    async () => {
      const r = await authentication();
      const stage = await startStage();
      try {
        await apiAuthentication(stage, r);
        await filesAuth(stage, r);
      } finally {
        await stage.stop();
      }
      await localDoors(r);
      return r;
    },
  ],
  [
    'isolation',
    onStage(async (stage) => {
      const r = await isolation(stage);
      await filesIsolation(stage, r);
      await flood(r);
      return r;
    }),
  ],
];

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const results: ScenarioResult[] = [];
  for (const [name, scenario] of SCENARIOS) {
    if (o.only !== undefined && !o.only.includes(name)) continue;
    log(`== ${name}`);
    const r = await scenario(o, log);
    results.push(r);
    for (const note of r.notes) log(`  ${note}`);
    const shown = o.verbose ? r.failures : r.failures.slice(0, 12);
    for (const f of shown) log(`  FAIL ${f}`);
    if (shown.length < r.failures.length) log(`  … ${r.failures.length - shown.length} more (--verbose)`);
  }
  log('');
  log(formatTable(results));
  const bad = results.filter(failed);
  if (bad.length > 0) {
    log(`\nFAILED: ${bad.map((r) => r.scenario).join('; ')}`);
    process.exitCode = 1;
  } else log('\nAll scenarios held: nothing lost, duplicated, leaked or left undelivered.');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `test:faults crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 2;
});
