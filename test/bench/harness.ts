// A small benchmark harness: runs a named case for a fixed time (after a warm-up), reports ops/s and
// per-call p50/p99, and prints rows as an aligned table. Sections live in test/bench/<area>.ts.
import { performance } from 'node:perf_hooks';

/** One measured case. Times in microseconds; null where per-call latency was not sampled. */
export interface BenchRow {
  readonly section: string;
  readonly name: string;
  /** Calls made in the timed phase. */
  readonly iterations: number;
  readonly opsPerSec: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  /** Process CPU time over wall time in the timed phase: well under 1 means other processes took the core. */
  readonly cpuShare: number;
  readonly note: string;
}

export interface CaseOptions {
  /** Length of the timed phase (default 1000 ms). */
  readonly durationMs?: number;
  /** Length of the untimed warm-up, so the JIT and caches settle (default 300 ms). */
  readonly warmupMs?: number;
  /** Stop the timed phase after this many calls even if time remains. */
  readonly maxIterations?: number;
  /** Calls timed one by one for p50/p99 after the timed phase (default 20000; 0 skips). */
  readonly latencySamples?: number;
  readonly note?: string;
}

/** Options a section passes down to its cases (set by index.ts from the command line). */
export interface SectionOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
}

/** A section of the bench: an area's cases, run in turn. */
export type Section = (options: SectionOptions) => Promise<BenchRow[]>;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

/** Keeps results observable so the JIT cannot drop the calls; returns how many were defined. */
class Sink {
  count = 0;
  take(value: unknown): void {
    if (value !== undefined) this.count++;
  }
}

function latencies(samples: number, call: (i: number) => void): { p50: number; p99: number } | null {
  if (samples <= 0) return null;
  const times = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    call(i);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  times.sort();
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * Runs `fn(i)` (i = 0, 1, 2, …) synchronously: warm-up, then a timed phase checked every chunk of calls
 * (chunk sized to ~1 ms so the clock is not on the hot path), then per-call latency samples.
 * @example benchSync('sla', 'P1 evaluate', (i) => engine.evaluate(inputs[i % n]))
 *   // { section: 'sla', name: 'P1 evaluate', opsPerSec: 412000, p50Us: 2.1, p99Us: 4.8, … }
 */
export function benchSync(
  section: string,
  name: string,
  fn: (i: number) => unknown,
  options: CaseOptions = {},
): BenchRow {
  const durationMs = options.durationMs ?? 1000;
  const warmupMs = options.warmupMs ?? 300;
  const maxIterations = options.maxIterations ?? Infinity;
  const sink = new Sink();
  let i = 0;
  // Warm-up, growing the chunk until one takes about a millisecond.
  let chunk = 1;
  const warmEnd = performance.now() + warmupMs;
  for (;;) {
    const t0 = performance.now();
    for (let k = 0; k < chunk; k++) sink.take(fn(i++));
    const t1 = performance.now();
    if (t1 - t0 < 1 && chunk < 1 << 20) chunk *= 2;
    if (t1 >= warmEnd) break;
  }
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  let now = start;
  while (now < end && n < maxIterations) {
    const m = Math.min(chunk, maxIterations - n);
    for (let k = 0; k < m; k++) sink.take(fn(i++));
    n += m;
    now = performance.now();
  }
  const elapsed = now - start;
  const cpuShare = cpuMs(process.cpuUsage(cpu0)) / elapsed;
  const lat = latencies(
    Math.min(options.latencySamples ?? 20_000, Number.isFinite(maxIterations) ? maxIterations : Infinity),
    (k) => {
      sink.take(fn(i + k));
    },
  );
  return {
    section,
    name,
    iterations: n,
    opsPerSec: (n / elapsed) * 1000,
    p50Us: lat?.p50 ?? null,
    p99Us: lat?.p99 ?? null,
    cpuShare,
    note: options.note ?? '',
  };
}

/**
 * The same for an async case (storage, bot, watcher): calls are awaited one at a time.
 * @example await benchAsync('storage', 'save ticket', (i) => repo.save(aTicket({ id: `t${i}` })))
 */
export async function benchAsync(
  section: string,
  name: string,
  fn: (i: number) => Promise<unknown>,
  options: CaseOptions = {},
): Promise<BenchRow> {
  const durationMs = options.durationMs ?? 1000;
  const warmupMs = options.warmupMs ?? 300;
  const maxIterations = options.maxIterations ?? Infinity;
  const sampleLimit = options.latencySamples ?? 20_000;
  const sink = new Sink();
  let i = 0;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) sink.take(await fn(i++));
  const times: number[] = [];
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  let now = start;
  while (now < end && n < maxIterations) {
    const t0 = performance.now();
    sink.take(await fn(i++));
    now = performance.now();
    if (times.length < sampleLimit) times.push((now - t0) * 1000);
    n++;
  }
  const elapsed = now - start;
  const cpuShare = cpuMs(process.cpuUsage(cpu0)) / elapsed;
  const sorted = Float64Array.from(times).sort();
  return {
    section,
    name,
    iterations: n,
    opsPerSec: (n / elapsed) * 1000,
    p50Us: sorted.length > 0 ? percentile(sorted, 50) : null,
    p99Us: sorted.length > 0 ? percentile(sorted, 99) : null,
    cpuShare,
    note: options.note ?? '',
  };
}

/** A copy of `row` with `note` appended. */
export function withNote(row: BenchRow, note: string): BenchRow {
  return { ...row, note: row.note === '' ? note : `${row.note}; ${note}` };
}

const group = (n: number): string => Math.round(n).toLocaleString('en-US');
const micros = (n: number | null): string =>
  n === null ? '-' : n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : group(n);

/**
 * The rows as an aligned text table: section, case, ops/s, p50 µs, p99 µs, calls, cpu share, note.
 * @example formatTable([row]) // 'section  case         ops/s  p50 µs  p99 µs  calls  cpu  note\n…'
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['section', 'case', 'ops/s', 'p50 µs', 'p99 µs', 'calls', 'cpu', 'note'];
  const right = [false, false, true, true, true, true, true, false];
  const cells = rows.map((r) => [
    r.section,
    r.name,
    group(r.opsPerSec),
    micros(r.p50Us),
    micros(r.p99Us),
    group(r.iterations),
    `${Math.round(r.cpuShare * 100)}%`,
    r.note,
  ]);
  const all = [header, ...cells];
  const widths = header.map((_, c) => Math.max(...all.map((line) => (line[c] ?? '').length)));
  const line = (cols: readonly string[]): string =>
    cols
      .map((text, c) => {
        const w = widths[c] ?? 0;
        return right[c] === true ? text.padStart(w) : text.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...cells.map(line)].join('\n');
}
