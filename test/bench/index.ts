// `npm run bench [-- <section>...] [--quick]`: runs each bench section and prints one aligned table.
// Add an area by writing test/bench/<area>.ts exporting a Section and listing it in SECTIONS.
import { cpus } from 'node:os';
import { formatTable, type BenchRow, type Section } from './harness';
import { slaBench } from './sla';

const SECTIONS: Readonly<Record<string, Section>> = {
  sla: slaBench,
};

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
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, one thread; ${options.durationMs} ms per case`,
  );
  const rows: BenchRow[] = [];
  for (const name of names.length > 0 ? names : Object.keys(SECTIONS)) {
    const section = SECTIONS[name];
    if (section !== undefined) rows.push(...(await section(options)));
  }
  console.log(formatTable(rows));
  const contended = rows.filter((r) => r.cpuShare < 0.9).map((r) => r.name);
  if (contended.length > 0) {
    console.log(
      `cpu < 90% (other processes shared the core) in: ${contended.join(', ')}; rerun on an idle machine`,
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
