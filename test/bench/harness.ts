// A small benchmark harness: runs a named case for a fixed time (after a warm-up), reports ops/s and
// per-call p50/p99, and prints rows as an aligned table. Sections live in test/bench/<area>.ts.
// Async cases that wait on other processes (storage, HTTP) run as closed or open loops and count the CPU
// of those processes too; every row says how much CPU other processes on the machine took meanwhile.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
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
  /**
   * CPU time over wall time in the timed phase. Sync rows: this process; well under 1 means other processes
   * took the core. `io` rows: this process plus the child processes it measured (Azurite), in cores (may pass 1).
   */
  readonly cpuShare: number;
  readonly note: string;
  /** The case waits on other processes by design, so a low cpuShare is not a sign of contention. */
  readonly io?: boolean;
  /** Cores that processes outside this run used meanwhile (Linux /proc/stat); undefined where unknown. */
  readonly otherCores?: number | undefined;
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

/** CPU time of the machine, this process and some child processes over a stretch of wall time. */
export interface CpuReading {
  readonly wallMs: number;
  /** This process's CPU over wall time. */
  readonly selfCores: number;
  /** This process and the given children, over wall time. */
  readonly ourCores: number;
  /** Everything else on the machine, over wall time; undefined without /proc. */
  readonly otherCores: number | undefined;
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build we run on

/** Busy CPU ticks of the whole machine (user, nice, system, irq, softirq, steal), or undefined without /proc. */
function machineBusyTicks(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
    return user + nice + system + irq + softirq + steal;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in ticks; 0 once it has gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Starts measuring CPU; `stop()` returns the reading since the start.
 * @example const meter = startCpuMeter([azurite.pid]); await work(); meter.stop() // { ourCores: 1.3, otherCores: 0.1, … }
 */
export function startCpuMeter(childPids: readonly number[] = []): { stop(): CpuReading } {
  const wall0 = performance.now();
  const self0 = process.cpuUsage();
  const selfTicks0 = processTicks(process.pid);
  const children0 = childPids.map(processTicks);
  const busy0 = machineBusyTicks();
  return {
    stop(): CpuReading {
      const wallMs = performance.now() - wall0;
      const selfMs = cpuMs(process.cpuUsage(self0));
      const childMs =
        childPids.reduce((sum, pid, k) => sum + processTicks(pid) - (children0[k] ?? 0), 0) *
        (1000 / TICKS_PER_SECOND);
      const busy1 = machineBusyTicks();
      // Others = machine busy minus our own ticks (same clock source, so rounding cancels).
      const ourTicks = processTicks(process.pid) - selfTicks0 + childMs / (1000 / TICKS_PER_SECOND);
      const otherMs =
        busy0 === undefined || busy1 === undefined
          ? undefined
          : Math.max(0, (busy1 - busy0 - ourTicks) * (1000 / TICKS_PER_SECOND));
      return {
        wallMs,
        selfCores: selfMs / wallMs,
        ourCores: (selfMs + childMs) / wallMs,
        otherCores: otherMs === undefined ? undefined : otherMs / wallMs,
      };
    },
  };
}

/** The number of cores, for "of N" in reports. */
export const CORES = cpus().length;

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
  const meter = startCpuMeter();
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
  const { otherCores } = meter.stop();
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
    otherCores,
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
  const meter = startCpuMeter();
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
  const { otherCores } = meter.stop();
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
    otherCores,
  };
}

/** A copy of `row` with `note` appended. */
export function withNote(row: BenchRow, note: string): BenchRow {
  return { ...row, note: row.note === '' ? note : `${row.note}; ${note}` };
}

/** What a closed or open loop measured. Latencies in microseconds, of the calls that succeeded. */
export interface LoopResult {
  /** Calls that succeeded in the timed phase. */
  readonly iterations: number;
  /** Calls that threw in the timed phase (they count in neither ops/s nor latency). */
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly elapsedMs: number;
  readonly opsPerSec: number;
  readonly p50Us: number | null;
  readonly p95Us: number | null;
  readonly p99Us: number | null;
  readonly maxUs: number | null;
  /** Most calls in flight at once. */
  readonly maxInFlight: number;
  readonly cpu: CpuReading;
}

export interface LoopOptions {
  /** Length of the timed phase. */
  readonly durationMs: number;
  /** Untimed warm-up run the same way first (default 0). A call failing in the warm-up fails the case. */
  readonly warmupMs?: number;
  /** Start no more than this many calls in the timed phase. */
  readonly maxIterations?: number;
  /** Child processes whose CPU counts as this case's own (an emulator it drives). */
  readonly pids?: readonly number[];
  /** Called after the warm-up, just before the timed phase (e.g. to snapshot request counters). */
  readonly onTimedStart?: () => void;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

class Recorder {
  readonly times: number[] = [];
  errors = 0;
  firstError: string | undefined;
  inFlight = 0;
  maxInFlight = 0;
  /** Runs one call; its latency counts from `since` (its start, or its scheduled start in an open loop). */
  async run(call: () => Promise<void>, since: number): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await call();
      this.times.push((performance.now() - since) * 1000);
    } catch (e) {
      this.errors++;
      this.firstError ??= message(e);
    } finally {
      this.inFlight--;
    }
  }
  result(elapsedMs: number, cpu: CpuReading): LoopResult {
    const sorted = Float64Array.from(this.times).sort();
    const some = sorted.length > 0;
    return {
      iterations: sorted.length,
      errors: this.errors,
      firstError: this.firstError,
      elapsedMs,
      opsPerSec: (sorted.length / elapsedMs) * 1000,
      p50Us: some ? percentile(sorted, 50) : null,
      p95Us: some ? percentile(sorted, 95) : null,
      p99Us: some ? percentile(sorted, 99) : null,
      maxUs: some ? (sorted[sorted.length - 1] ?? null) : null,
      maxInFlight: this.maxInFlight,
      cpu,
    };
  }
}

/**
 * A closed loop: `concurrency` workers each call, await, and call again, for the duration (saturation
 * throughput; latency per call from its start). `call(i, worker)`, i = 0, 1, 2, … across workers.
 * @example await closedLoop(10, (i) => tickets.file(aFiling()).then(check), { durationMs: 5000, pids: [azurite.pid] })
 *   // { opsPerSec: 212, p50Us: 44000, p99Us: 91000, … }
 */
export async function closedLoop(
  concurrency: number,
  call: (i: number, worker: number) => Promise<void>,
  options: LoopOptions,
): Promise<LoopResult> {
  let i = 0;
  const warmEnd = performance.now() + (options.warmupMs ?? 0);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < warmEnd) await call(i++, w);
    }),
  );
  const recorder = new Recorder();
  const max = options.maxIterations ?? Infinity;
  let started = 0;
  options.onTimedStart?.();
  const meter = startCpuMeter(options.pids);
  const start = performance.now();
  const end = start + options.durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < end && started < max) {
        started++;
        const k = i++;
        await recorder.run(() => call(k, w), performance.now());
      }
    }),
  );
  const elapsed = performance.now() - start;
  return recorder.result(elapsed, meter.stop());
}

/**
 * An open loop: starts a call every 1/rate seconds whether or not earlier ones finished, and times each
 * from its scheduled start, so a stalled server shows up as latency instead of as fewer requests.
 * @example await openLoop(50, (i) => submitTicket(i), { durationMs: 10_000 }) // { p50Us: 21000, p99Us: 64000, … }
 */
export async function openLoop(
  ratePerSec: number,
  call: (i: number) => Promise<void>,
  options: LoopOptions,
): Promise<LoopResult> {
  const interval = 1000 / ratePerSec;
  let i = 0;
  const schedule = async (durationMs: number, recorder: Recorder): Promise<void> => {
    const count = Math.min(Math.floor(durationMs / interval), options.maxIterations ?? Infinity);
    const first = performance.now() + 1;
    const pending: Promise<void>[] = [];
    for (let k = 0; k < count; k++) {
      const due = first + k * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const n = i++;
      pending.push(recorder.run(() => call(n), due));
    }
    await Promise.all(pending);
  };
  const warm = new Recorder();
  if ((options.warmupMs ?? 0) > 0) await schedule(options.warmupMs ?? 0, warm);
  if (warm.errors > 0) throw new Error(`warm-up failed: ${warm.firstError ?? '?'}`);
  const recorder = new Recorder();
  options.onTimedStart?.();
  const meter = startCpuMeter(options.pids);
  const start = performance.now();
  await schedule(options.durationMs, recorder);
  const elapsed = performance.now() - start;
  return recorder.result(elapsed, meter.stop());
}

/**
 * A table row for a loop case: cpu is this process plus `pids`, and errors, if any, lead the note.
 * @example loopRow('bot', 'file ticket, 10 clients', result, 'goal met')
 */
export function loopRow(section: string, name: string, r: LoopResult, note: string): BenchRow {
  const failed = r.errors === 0 ? '' : `${r.errors} FAILED (${r.firstError ?? '?'}); `;
  return {
    section,
    name,
    iterations: r.iterations,
    opsPerSec: r.opsPerSec,
    p50Us: r.p50Us,
    p99Us: r.p99Us,
    cpuShare: r.cpu.ourCores,
    note: `${failed}${note}`,
    io: true,
    otherCores: r.cpu.otherCores,
  };
}

const group = (n: number): string => Math.round(n).toLocaleString('en-US');
const micros = (n: number | null): string =>
  n === null ? '-' : n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : group(n);

/**
 * The rows as an aligned text table: section, case, ops/s, p50 µs, p99 µs, calls, cpu share, other
 * processes' cpu, note.
 * @example formatTable([row]) // 'section  case         ops/s  p50 µs  p99 µs  calls  cpu  others  note\n…'
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['section', 'case', 'ops/s', 'p50 µs', 'p99 µs', 'calls', 'cpu', 'others', 'note'];
  const right = [false, false, true, true, true, true, true, true, false];
  const percent = (share: number | undefined): string =>
    share === undefined ? '-' : `${Math.round(share * 100)}%`;
  const cells = rows.map((r) => [
    r.section,
    r.name,
    group(r.opsPerSec),
    micros(r.p50Us),
    micros(r.p99Us),
    group(r.iterations),
    percent(r.cpuShare),
    percent(r.otherCores),
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
