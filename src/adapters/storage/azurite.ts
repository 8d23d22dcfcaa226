// Runs Azurite's Table and Blob services as two child processes (local runs and tests): start, wait until
// ready, stop, kill. Each child shuts itself down when its parent goes away, so no Azurite outlives the app.
// Imports node built-ins and the pure kit only: no config, no logger, no @azure/* here.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { sleep } from '../../domain/kit/retry';

/** The emulator's fixed, public development account (documented by Microsoft; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const HOST = '127.0.0.1';
const LOCK_FILE = 'azurite.lock';

export type AzuriteErrorCode =
  'AZURITE_START_FAILED' | 'AZURITE_START_TIMEOUT' | 'AZURITE_PORT_IN_USE' | 'AZURITE_DATA_DIR_IN_USE';

/** Azurite could not be started; the message carries the tail of its output. */
export class AzuriteError extends Error {
  override readonly name = 'AzuriteError';
  constructor(
    readonly code: AzuriteErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface AzuriteOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. A fixed port that is taken fails with AZURITE_PORT_IN_USE. */
  readonly port?: number;
  /** The Blob service's port, the same way (a restart passes the earlier one, so connection strings still hold). */
  readonly blobPort?: number;
  /** Keep data in this directory (created if missing); absent keeps everything in memory. */
  readonly location?: string;
  /** How long to wait for the service to accept connections. Default 20 s. */
  readonly startTimeoutMs?: number;
}

export interface Azurite {
  /** The well-known devstoreaccount1 connection string with this instance's TableEndpoint and BlobEndpoint. */
  readonly connectionString: string;
  /** http://127.0.0.1:<port>/devstoreaccount1 (Table service) */
  readonly endpoint: string;
  readonly port: number;
  /** http://127.0.0.1:<blobPort>/devstoreaccount1 (Blob service) */
  readonly blobEndpoint: string;
  readonly blobPort: number;
  /** Absolute data directory; undefined when in memory. */
  readonly location: string | undefined;
  /** The Table service's process (it holds the data directory's lock); the Blob service runs beside it. */
  readonly pid: number;
  readonly blobPid: number;
  /** Resolves once both processes have exited, however they ended. */
  readonly exited: Promise<void>;
  /**
   * SIGTERM, which the child turns into Azurite's own graceful shutdown (it writes its data file),
   * then waits for exit; SIGKILL if it has not exited after 15 s. Safe to call twice.
   */
  stop(): Promise<void>;
  /** SIGKILL, no shutdown (crash tests). Await `exited` before starting on the same directory. */
  kill(): void;
  /** Stops this instance if it still runs, then starts a new one on the same port and directory. */
  restart(): Promise<Azurite>;
}

/**
 * Azurite persists its tables with LokiJS: an acknowledged write reaches the data file on the next
 * autosave (this often) or on a graceful stop. A SIGKILL loses writes younger than this.
 */
export const AZURITE_AUTOSAVE_MS = 5_000;

const STOP_TIMEOUT_MS = 15_000;
const CHILD_GRACE_MS = 10_000;
const OUTPUT_TAIL_CHARS = 4_000;

// Runs in the child (`node -e`): makes every way of being told to stop, and the parent vanishing
// (stdin reaches EOF when the parent dies, even by SIGKILL), go through Azurite's graceful SIGINT path.
// argv is [node, <azurite table main.js>, ...flags], which is what Azurite's argument parser expects.
const BOOTSTRAP = `
'use strict';
let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  process.stdin.destroy();
  setTimeout(() => process.exit(0), ${CHILD_GRACE_MS}).unref();
  if (process.listenerCount('SIGINT') > 1) process.emit('SIGINT', 'SIGINT');
  else process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);
process.stdin.on('end', shutdown).on('close', shutdown).on('error', shutdown).resume();
require(process.argv[1]);
`;

/** The connection string for an Azurite Table endpoint on this port (and a Blob endpoint, when given). */
export function azuriteConnectionString(port: number, blobPort?: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `TableEndpoint=http://${HOST}:${port}/${DEV_ACCOUNT};` +
    (blobPort === undefined ? '' : `BlobEndpoint=http://${HOST}:${blobPort}/${DEV_ACCOUNT};`)
  );
}

/**
 * Starts Azurite's Table service and resolves once it accepts connections.
 * @example
 * const azurite = await startAzurite({ location: '.data/azurite' });
 * azurite.endpoint // 'http://127.0.0.1:41337/devstoreaccount1'
 * await azurite.stop();
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const fixedPort = options.port !== undefined && options.port !== 0;
  const fixedBlob = options.blobPort !== undefined && options.blobPort !== 0;
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ? (options.port ?? 0) : await freePort();
    const blobPort = fixedBlob ? (options.blobPort ?? 0) : await freePort(port);
    try {
      return await startOnce(port, blobPort, options);
    } catch (err) {
      // A port we picked ourselves can be taken before Azurite binds it: pick another.
      if (
        !(fixedPort && fixedBlob) &&
        err instanceof AzuriteError &&
        err.code === 'AZURITE_PORT_IN_USE' &&
        attempt < 3
      )
        continue;
      throw err;
    }
  }
}

/** Starts Azurite again on the port and directory of an earlier instance (which must have exited). */
export function restartAzurite(
  previous: Pick<Azurite, 'port' | 'location'> & { readonly blobPort?: number },
  startTimeoutMs?: number,
): Promise<Azurite> {
  return startAzurite({
    port: previous.port,
    ...(previous.blobPort === undefined ? {} : { blobPort: previous.blobPort }),
    ...(previous.location === undefined ? {} : { location: previous.location }),
    ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
  });
}

/** True when nothing listens on 127.0.0.1:<port>. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => {
      done(false);
    });
    probe.listen(port, HOST, () => {
      probe.close(() => {
        done(true);
      });
    });
  });
}

/** One Azurite service as a child process: how it runs, its output's tail, and how it ends. */
interface Service {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<void>;
  readonly running: () => boolean;
  readonly output: () => string;
}

function spawnService(entry: string, flags: readonly string[], onExit: () => void): Service {
  const env = { ...process.env };
  delete env['NODE_OPTIONS']; // the parent's loaders or --inspect do not belong in the emulator
  const child = spawn(process.execPath, ['-e', BOOTSTRAP, require.resolve(entry), ...flags], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
    windowsHide: true,
  });
  let output = '';
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', record);
  child.stderr.on('data', record);
  // The parent exiting normally asks the child to stop gracefully; a parent that dies any other way
  // closes the child's stdin, which the bootstrap treats the same.
  const onParentExit = () => {
    child.kill('SIGTERM');
  };
  process.on('exit', onParentExit);
  let running = true;
  const exited = new Promise<void>((done) => {
    const finish = () => {
      if (!running) return;
      running = false;
      process.removeListener('exit', onParentExit);
      onExit();
      done();
    };
    child.once('exit', finish);
    child.once('error', (err) => {
      record(Buffer.from(`\n${err.message}`));
      finish();
    });
  });
  // Azurite never keeps the parent alive: the app decides when to exit, and the child follows.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) unrefStream(stream);
  return { child, exited, running: () => running, output: () => output.trim() };
}

async function startOnce(port: number, blobPort: number, options: AzuriteOptions): Promise<Azurite> {
  if (port === blobPort) {
    throw new AzuriteError(
      'AZURITE_PORT_IN_USE',
      `cannot start Azurite: Table and Blob both ask for ${port}`,
    );
  }
  for (const p of [port, blobPort]) {
    if (!(await isPortFree(p))) {
      throw new AzuriteError('AZURITE_PORT_IN_USE', `cannot start Azurite: ${HOST}:${p} is already in use`);
    }
  }
  const location = options.location === undefined ? undefined : resolve(options.location);
  if (location !== undefined) {
    mkdirSync(location, { recursive: true });
    claimDataDir(location);
  }
  const common = [
    ...(location === undefined ? ['--inMemoryPersistence'] : ['--location', location]),
    ...['--disableTelemetry', '--skipApiVersionCheck', '--loose', '--silent'],
  ];
  // Two processes started side by side (both start in well under a second): Table keeps the directory's lock.
  const table: Service = spawnService(
    'azurite/dist/src/table/main.js',
    ['--tableHost', HOST, '--tablePort', String(port), ...common],
    () => {
      if (location !== undefined && table.child.pid !== undefined) releaseDataDir(location, table.child.pid);
    },
  );
  const blob = spawnService(
    'azurite/dist/src/blob/main.js',
    ['--blobHost', HOST, '--blobPort', String(blobPort), ...common],
    () => undefined,
  );
  const both = [table, blob] as const;
  const exited = Promise.all(both.map((s) => s.exited)).then(() => undefined);
  const kill = (signal: NodeJS.Signals) => {
    for (const s of both) if (s.running()) s.child.kill(signal);
  };

  if (location !== undefined && table.child.pid !== undefined) {
    writeFileSync(join(location, LOCK_FILE), String(table.child.pid));
  }

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const outcomes = await Promise.all([
    waitForPort(port, () => table.running(), timeoutMs),
    waitForPort(blobPort, () => blob.running(), timeoutMs),
  ]);
  const failed = outcomes.findIndex((o) => o !== 'ready');
  if (failed >= 0) {
    kill('SIGKILL');
    await exited;
    const service = both[failed] ?? table;
    const name = failed === 0 ? 'Table' : 'Blob';
    const at = `${HOST}:${failed === 0 ? port : blobPort}`;
    const tail = service.output() === '' ? '(no output)' : service.output();
    if (outcomes[failed] === 'exited') {
      const code = /EADDRINUSE/.test(tail) ? 'AZURITE_PORT_IN_USE' : 'AZURITE_START_FAILED';
      const how = service.child.exitCode ?? service.child.signalCode ?? '?';
      throw new AzuriteError(
        code,
        `Azurite ${name} exited (code ${how}) before accepting connections on ${at}: ${tail}`,
      );
    }
    throw new AzuriteError(
      'AZURITE_START_TIMEOUT',
      `Azurite ${name} did not accept connections on ${at} in time: ${tail}`,
    );
  }

  const stop = async (): Promise<void> => {
    if (!both.some((s) => s.running())) return;
    kill('SIGTERM');
    if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) {
      kill('SIGKILL');
      await exited;
    }
  };
  const azurite: Azurite = {
    connectionString: azuriteConnectionString(port, blobPort),
    endpoint: `http://${HOST}:${port}/${DEV_ACCOUNT}`,
    port,
    blobEndpoint: `http://${HOST}:${blobPort}/${DEV_ACCOUNT}`,
    blobPort,
    location,
    pid: table.child.pid ?? -1,
    blobPid: blob.child.pid ?? -1,
    exited,
    stop,
    kill: () => {
      kill('SIGKILL');
    },
    restart: async () => {
      await stop();
      return restartAzurite(azurite, options.startTimeoutMs);
    },
  };
  return azurite;
}

/** Refuses a data directory that a live Azurite already writes to: two writers would overwrite each other. */
function claimDataDir(location: string): void {
  const lock = join(location, LOCK_FILE);
  if (!existsSync(lock)) return;
  const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && mayBeAzurite(pid)) {
    throw new AzuriteError(
      'AZURITE_DATA_DIR_IN_USE',
      `${location} is in use by process ${pid}. Stop that Azurite, or delete ${lock} if ${pid} is not one.`,
    );
  }
}

/** False when the process is known to be something else (pids are reused, e.g. across container restarts). */
function mayBeAzurite(pid: number): boolean {
  try {
    // Only our children write the lock, and their command line names Azurite's table entry point.
    return /azurite[\\/]dist[\\/]src[\\/]table[\\/]main\.js/.test(
      readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
    );
  } catch {
    return true; // no /proc: trust the pid
  }
}

function releaseDataDir(location: string, pid: number): void {
  const lock = join(location, LOCK_FILE);
  try {
    if (readFileSync(lock, 'utf8') === String(pid)) unlinkSync(lock);
  } catch {
    // Already gone.
  }
}

/** True while a process with this id runs (a zombie counts as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: a zombie (exited, not yet reaped) still answers signal 0.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A port that was free a moment ago (Azurite accepts --tablePort 0 but then cannot tell which port it got). */
async function freePort(not?: number): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (port !== not) return port;
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        done(port);
      });
    });
  });
}

/** Polls until a TCP connection succeeds, the child dies, or time runs out. */
async function waitForPort(
  port: number,
  alive: () => boolean,
  timeoutMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) return 'exited';
    if (await canConnect(port)) return alive() ? 'ready' : 'exited';
    if (Date.now() > deadline) return 'timeout';
    await sleep(25);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: HOST, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1_000, () => {
      finish(false);
    });
    socket.once('connect', () => {
      finish(true);
    });
    socket.once('error', () => {
      finish(false);
    });
  });
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => {
    timer = setTimeout(() => {
      done(false);
    }, ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function unrefStream(stream: unknown): void {
  if (
    typeof stream === 'object' &&
    stream !== null &&
    'unref' in stream &&
    typeof stream.unref === 'function'
  ) {
    (stream as { unref(): void }).unref();
  }
}
