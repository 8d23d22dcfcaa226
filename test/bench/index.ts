// `npm run bench [-- <section>...] [--quick]`: runs each bench section and prints one aligned table.
// Add an area by writing test/bench/<area>.ts exporting a Section and listing it in SECTIONS.
import { cpus, loadavg } from 'node:os';
import { CORES, formatTable, type BenchRow, type Section } from './harness';
import { botBench } from './bot';
import { cloudBench } from './cloud';
import { slaBench } from './sla';
import { staffBench } from './staff';
import { storageBench } from './storage';
import { tabBench } from './tab';
import { watcherBench } from './watcher';

const SECTIONS: Readonly<Record<string, Section>> = {
  sla: slaBench,
  storage: storageBench,
  bot: botBench,
  staff: staffBench,
  tab: tabBench,
  watcher: watcherBench,
  cloud: cloudBench,
};

/** Rows where other processes took at least this many cores are flagged as contended. */
const OTHERS_LIMIT = 0.25;

const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

async function run(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !Object.hasOwn(SECTIONS, n));
  if (unknown.length > 0) {
    console.error(`unknown bench section ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
    return 2;
  }
  const options = quick ? { durationMs: 250, warmupMs: 100 } : { durationMs: 2000, warmupMs: 500 };
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} x ${CORES}; ${options.durationMs} ms per sync case`,
  );
  const loadBefore = load();
  const rows: BenchRow[] = [];
  for (const name of names.length > 0 ? names : Object.keys(SECTIONS)) {
    const section = SECTIONS[name];
    if (section !== undefined) rows.push(...(await section(options)));
  }
  console.log(formatTable(rows));
  console.log(
    `load average (1 / 5 / 15 min) on ${CORES} cores: ${loadBefore} before, ${load()} after. ` +
      `cpu: sync rows, this thread's share of wall time; storage and bot rows, this process (client and app) ` +
      `plus its Azurite, in cores (100% = one). others: cpu that other processes took meanwhile.`,
  );
  const contended = rows
    .filter((r) => (r.io !== true && r.cpuShare < 0.9) || (r.otherCores ?? 0) >= OTHERS_LIMIT)
    .map((r) => `${r.section}/${r.name}`);
  if (contended.length > 0) {
    console.log(
      `contended (cpu < 90% on a sync row, or others >= ${OTHERS_LIMIT * 100}%): ${contended.join(', ')}; rerun on an idle machine`,
    );
  }
  return 0;
}

run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
