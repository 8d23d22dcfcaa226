// One app instance as its own process (`node --import tsx src/index.ts`), as it runs in production: the real
// wiring, its own event loop, killable with SIGKILL. Test support only: node built-ins.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<void>;
  /** True until the process exits. */
  alive(): boolean;
  /** SIGKILL: no shutdown, requests in flight get a reset connection. */
  kill(): void;
  /** SIGTERM: the app's graceful stop (drains background work). */
  stop(): Promise<void>;
  /** The tail of its log (stdout and stderr). */
  output(): string;
}

/**
 * Starts `src/index.ts` with this environment (PORT 0: a free port) and resolves once it listens.
 * @example const a = await startInstance('a', { TABLES_CONNECTION_STRING: azurite.connectionString });
 */
export async function startInstance(
  name: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
): Promise<Instance> {
  const childEnv: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const v = process.env[key];
    if (v !== undefined) childEnv[key] = v;
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--disable-warning=DEP0111', '--import', 'tsx', 'src/index.ts'],
    {
      cwd: ROOT,
      env: { ...childEnv, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  let running = true;
  const exited = new Promise<void>((done) => {
    child.once('exit', () => {
      running = false;
      done();
    });
  });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`instance ${name} did not start in ${timeoutMs} ms:\n${log.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-4_000_000);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        done(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`instance ${name} exited before listening:\n${log.slice(-2000)}`));
    });
  });
  return {
    name,
    url,
    pid: child.pid ?? -1,
    exited,
    alive: () => running,
    kill: () => {
      if (running) child.kill('SIGKILL');
    },
    stop: async () => {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => log,
  };
}
