// `npm start`: the whole app on this machine. Reads env/.env.local and env/.env.local.user, runs the app
// in-process (embedded Azurite, the bot on loopback) and the Microsoft 365 Agents Playground pointed at it;
// Ctrl-C stops them all. Development only: wiring and the playground child process, no business rules.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Settings } from 'luxon';
import { startApp } from '../app';
import { ensureTabBuilt } from './tab-build';
import { ConfigError, loadConfig } from '../config';
import { createLogger, type Logger } from '../log';
import { DEFAULT_POLICY } from '../domain/policy/default';
import { loadPolicyFile } from '../domain/policy/file';
import { InvalidPolicy } from '../domain/policy/schema';
import { isPortFree } from '../adapters/storage/azurite';
import { simulatedClock } from '../watcher/clock';
import { parseFlags, UsageError } from './args';
import { layerEnv, parseDotenv } from './dotenv';
import {
  LOCAL_STAFF,
  localRotation,
  PLAYGROUND_SETTER,
  playgroundChannel,
  playgroundTeamId,
} from './local-staff';
import { messageOf } from '../domain/kit/errors';

Settings.throwOnInvalid = true;

/** The playground's built-in mock tenant; a `tenantId:` in its config file replaces it. */
const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000001';
/** The playground's usual port; another free one is used when it is taken. */
const PLAYGROUND_PORT = 56150;
/** Read from the working directory (npm runs scripts from the package root), like the playground does. */
const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';
/** Later files win; `.localConfigs` is what `teamsapp provision --env local` writes for the app (teamsapp.local.yml). */
const ENV_FILES = ['env/.env.local', 'env/.env.local.user', '.localConfigs'] as const;
const PLAYGROUND_START_TIMEOUT_MS = 30_000;
const PLAYGROUND_STOP_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 2_000;

const USAGE = `Usage: npm start [-- --no-playground]
  Runs embedded Azurite, the bot on loopback and the Microsoft 365 Agents Playground, then prints the
  URL to chat with the bot. --no-playground (or PLAYGROUND=0) runs only the bot. Ctrl-C stops everything.`;

// Runs in the playground's process (`node -e`, argv [node, cli.js, ...flags], as its CLI expects).
// 1. Listeners that name no host bind to loopback: the playground would otherwise listen on every
//    interface and relay anyone's messages to a bot that runs without authentication.
// 2. It leaves when the launcher goes away however that ended (its stdin reaches end of file).
const PLAYGROUND_BOOTSTRAP = `
'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {
    if (args.length > 1 && args[1] == null) args[1] = '127.0.0.1';
    else if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  } else if (first !== null && typeof first === 'object' && first.path === undefined && first.host === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
const leave = () => process.exit(0);
process.stdin.on('end', leave).on('close', leave).on('error', leave).resume();
require(process.argv[1]);
`;

/** The command line the playground gets (after `node cli.js`). */
function playgroundFlags(endpoint: string, port: number): string[] {
  return [
    ...['--app-endpoint', endpoint],
    ...['--channel-id', 'msteams'],
    ...['--port', String(port)],
    ...['--service-url', `http://127.0.0.1:${port}/_connector`],
    '--disable-telemetry',
  ];
}

interface Playground {
  /** The port, once it listens; rejects with a reason a person can act on. */
  readonly ready: Promise<number>;
  /** How it ended ("code 1", "signal SIGTERM"), once it has. */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited in time. Safe to call twice. */
  stop(): Promise<void>;
}

interface PlaygroundOptions {
  readonly endpoint: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly log: Logger;
}

/** A playground that could not be started, and says why. */
function notStarted(reason: string): Playground {
  return {
    ready: Promise.reject(new Error(reason)),
    exited: Promise.resolve('not started'),
    stop: () => Promise.resolve(),
  };
}

function launchPlayground(o: PlaygroundOptions): Playground {
  let cli: string;
  try {
    cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    return notStarted('@microsoft/m365agentsplayground is not installed (run npm install)');
  }
  try {
    mkdirSync(dirname(o.logFile), { recursive: true });
  } catch (err) {
    return notStarted(`cannot create ${dirname(o.logFile)}: ${messageOf(err)}`);
  }
  const env: NodeJS.ProcessEnv = {
    ...o.env,
    TEAMSAPPTESTER_BROWSER: 'none', // never open a browser (it would also exit where there is none)
    M365_AGENTS_PLAYGROUND_LOGFILE: o.logFile,
  };
  delete env['NODE_OPTIONS']; // tsx's loaders and --inspect do not belong in the playground
  const child = spawn(
    process.execPath,
    ['-e', PLAYGROUND_BOOTSTRAP, cli, ...playgroundFlags(o.endpoint, o.port)],
    {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C reaches the launcher, which stops the playground first.
      detached: process.platform !== 'win32',
      windowsHide: true,
    },
  );

  // Its own errors go to its log file; its stdout carries only "Listening on <port>".
  let tail = '';
  const remember = (line: string) => {
    tail = `${tail}\n${line}`.slice(-OUTPUT_TAIL_CHARS);
  };
  const why = (): string => {
    const errors = errorsLogged(o.logFile);
    const lines =
      errors.length > 0
        ? errors
        : tail
            .trim()
            .split('\n')
            .filter((l) => l !== '');
    return lines.length === 0 ? '' : `: ${lines.slice(-3).join(' | ')}`;
  };
  let listening: ((port: number) => void) | undefined;
  const listened = new Promise<number>((done) => {
    listening = done;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const port = /^Listening on (\d+)\s*$/.exec(line)?.[1];
    if (port !== undefined) listening?.(Number(port));
    else if (line.trim() !== '') {
      remember(line);
      o.log.info(`playground: ${line}`);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.trim() === '') return;
    remember(line);
    o.log.warn(`playground: ${line}`);
  });

  const onLauncherExit = () => {
    child.kill('SIGTERM');
  };
  process.on('exit', onLauncherExit);
  let running = true;
  const exited = new Promise<string>((done) => {
    const finish = (how: string) => {
      if (!running) return;
      running = false;
      process.removeListener('exit', onLauncherExit);
      done(`${how}${why()}`);
    };
    child.once('exit', (code, signal) => {
      finish(signal === null ? `code ${code ?? '?'}` : `signal ${signal}`);
    });
    child.once('error', (err) => {
      finish(`error ${err.message}`);
    });
  });

  const stop = async (): Promise<void> => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), PLAYGROUND_STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  // Ready once it listens on the port the bot replies to and answers a request: it reads its config
  // file just after printing "Listening", and exits at once if that fails.
  const ready = (async (): Promise<number> => {
    const gone = exited.then((how) => new Error(`it exited (${how})`));
    const first = await Promise.race([listened, gone, delay(PLAYGROUND_START_TIMEOUT_MS)]);
    if (first instanceof Error) throw first;
    if (first === undefined) {
      await stop();
      throw new Error(`it did not listen within ${PLAYGROUND_START_TIMEOUT_MS / 1000} s${why()}`);
    }
    if (first !== o.port) {
      await stop();
      throw new Error(`it listens on ${first}, not on ${o.port} where the bot replies to it`);
    }
    const answered = await Promise.race([answers(`http://127.0.0.1:${first}/`, 10_000), gone]);
    if (answered instanceof Error) throw answered;
    if (!answered) {
      await stop();
      throw new Error(`http://127.0.0.1:${first}/ did not answer${why()}`);
    }
    return first;
  })();
  return { ready, exited, stop };
}

/** The `error …` lines in the playground's log file (it starts the file afresh each run). */
function errorsLogged(file: string): string[] {
  try {
    const text = readFileSync(file, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.startsWith('error '))
      .map((line) => line.slice('error '.length).trim().slice(0, 300));
  } catch {
    return [];
  }
}

/** Resolves undefined after ms; never keeps the process alive on its own. */
function delay(ms: number): Promise<undefined> {
  return new Promise((done) => {
    setTimeout(() => {
      done(undefined);
    }, ms).unref();
  });
}

/** True once a GET on url answers 2xx, false if none has within timeoutMs. */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return true;
    } catch {
      // not yet
    }
    await delay(200);
  }
  return false;
}

/** The playground's usual port when free on loopback, else any free one. */
async function playgroundPort(): Promise<number> {
  if (await isPortFree(PLAYGROUND_PORT)) return PLAYGROUND_PORT;
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        done(port);
      });
    });
  });
}

/** The tenant the playground will claim: its config file's `tenantId`, or its built-in one. */
function playgroundTenant(configFile: string): string {
  if (!existsSync(configFile)) return PLAYGROUND_TENANT;
  return (
    /^tenantId:\s*["']?([A-Za-z0-9._:-]+)/m.exec(readFileSync(configFile, 'utf8'))?.[1] ?? PLAYGROUND_TENANT
  );
}

/** The environment after env/.env.local, env/.env.local.user and .localConfigs, and what was wrong in them. */
function readEnvFiles(real: NodeJS.ProcessEnv): { env: Record<string, string>; problems: string[] } {
  const files: Record<string, string>[] = [];
  const problems: string[] = [];
  for (const file of ENV_FILES) {
    if (!existsSync(file)) continue;
    const parsed = parseDotenv(readFileSync(file, 'utf8'));
    files.push({ ...parsed.values });
    problems.push(...parsed.problems.map((p) => `${file} ${p} (ignored)`));
  }
  return { env: layerEnv(real, files), problems };
}

async function waitHealthy(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = messageOf(err);
    }
    if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer: ${last}`);
    await delay(200);
  }
}

const OFF = new Set(['0', 'false', 'no', 'off']);

async function main(argv: readonly string[]): Promise<void> {
  const flags = parseFlags('npm start', { 'no-playground': 'switch', help: 'switch' }, argv);
  if (flags.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { env, problems } = readEnvFiles(process.env);
  const withPlayground =
    flags['no-playground'] !== true && !OFF.has((env['PLAYGROUND'] ?? '').trim().toLowerCase());
  const configFile = resolve(env['M365_AGENTS_PLAYGROUND_CONFIG_PATH'] ?? PLAYGROUND_CONFIG_FILE);
  const tenant = playgroundTenant(configFile);
  const defaulted = (env['CUSTOMER_TENANTS'] ?? '').trim() === '';
  if (defaulted) env['CUSTOMER_TENANTS'] = `${tenant}=Playground Customer`;
  // The tab's local sign-in needs staff to view as: a local staff tenant (not the playground's, so the
  // playground's user stays a customer) with one manager and one engineer, unless staff are configured.
  const localStaff =
    (env['STAFF_TENANT_ID'] ?? '').trim() === '' && (env['AAD_APP_CLIENT_ID'] ?? '').trim() === '';
  if (localStaff) Object.assign(env, LOCAL_STAFF);
  // Local mode pages too: without ONCALL_ROTATION, the local engineers take turns (see the README).
  const rotation =
    (env['ONCALL_ROTATION'] ?? '').trim() === '' && (env['BOT_ID'] ?? '').trim() === ''
      ? localRotation(env)
      : undefined;
  if (rotation !== undefined) env['ONCALL_ROTATION'] = rotation;

  const config = loadConfig(env);
  const log = createLogger({ json: config.logJson, level: config.logLevel });
  for (const problem of problems) log.warn(problem);
  const policy = config.policyFile === undefined ? DEFAULT_POLICY : loadPolicyFile(config.policyFile);
  if (config.bot.mode === 'local') {
    log.warn(
      'local mode: no BOT_ID, so Bot Framework authentication is off (loopback only, never in production)',
    );
  }
  if (defaulted) log.info(`CUSTOMER_TENANTS is not set: the playground's tenant ${tenant} is a customer`);
  else if (withPlayground && !config.customers.has(tenant.toLowerCase())) {
    log.warn(`the playground's tenant ${tenant} is not in CUSTOMER_TENANTS: the bot will refuse its user`);
  }

  if (localStaff)
    log.info('STAFF_TENANT_ID is not set: the tab offers a local manager and engineers to view as');
  if (config.rotation !== undefined && rotation !== undefined) {
    const name = (id: string): string =>
      config.staff.engineers.get(id) ?? config.staff.managers.get(id) ?? id;
    const week = config.rotation.weeks[0];
    const manager = config.oncall.manager;
    log.info(
      `ONCALL_ROTATION is not set: ${name(week?.primary ?? '')} is primary on call, ${name(week?.secondary ?? '')} secondary${manager === undefined ? '' : `, ${name(manager)} the support manager`} (local mode)`,
    );
  }
  const tabReady = await ensureTabBuilt(log);
  const clock = config.simClock === undefined ? undefined : simulatedClock(config.simClock);
  if (clock !== undefined)
    log.warn(
      `simulated clock: starts at ${new Date(config.simClock?.start ?? 0).toISOString()}, ${clock.speed}× real time`,
    );
  const app = await startApp({
    config,
    policy,
    log,
    ...(clock === undefined ? {} : { now: () => clock.now(), speed: clock.speed }),
  });
  // Signals arrive at any await below: shutdown reads what has been started so far.
  const run: { stopping: boolean; playground: Playground | undefined } = {
    stopping: false,
    playground: undefined,
  };
  const stopping = (): boolean => run.stopping; // read afresh after each await
  const shutdown = (signal: string): void => {
    if (stopping()) return;
    run.stopping = true;
    const parts =
      run.playground === undefined ? 'the bot and storage' : 'the playground, the bot and storage';
    log.info(`${signal}: stopping ${parts}`);
    (async () => {
      await run.playground?.stop();
      await app.stop();
    })().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      shutdown(signal);
    });
  }
  await waitHealthy(app.url);
  const endpoint = `${app.url}/api/messages`;
  log.info(`listening on ${app.url} (policy "${policy.name}", zone ${policy.timeZone})`);
  // Where to click, as a plain banner for a person at the terminal; a log line like the others in JSON mode.
  const banner = (line: string): void => {
    if (config.logJson) log.info(line);
    else process.stdout.write(`${line}\n`);
  };
  if (tabReady)
    banner(
      `Open the tab: ${app.url}/tab/index.html#/queue   (${config.tabAuth.mode === 'local' ? 'local sign-in: pick who to view as' : 'Teams SSO'})`,
    );
  if (!withPlayground) {
    banner(`The bot is ready: ${endpoint} (no playground; Ctrl-C stops it)`);
    return;
  }
  if (config.bot.mode === 'authenticated') {
    log.warn('BOT_ID is set: the bot wants Bot Framework tokens, which the playground does not send');
  }

  // The playground logs to ./devTools/ unless told otherwise; .data/ is git-ignored local state.
  const dataDir = config.storage.kind === 'embedded' ? config.storage.dataDir : '.data';
  const logFile = resolve(env['M365_AGENTS_PLAYGROUND_LOGFILE'] ?? join(dataDir, 'playground.log'));
  const port = await playgroundPort();
  if (stopping()) return;
  const playground = launchPlayground({ endpoint, port, env, logFile, log });
  run.playground = playground;
  try {
    const listening = await playground.ready;
    if (stopping()) return;
    log.info(`playground: Microsoft 365 Agents Playground for ${endpoint}, log in ${logFile}`);
    if (config.bot.mode === 'local') {
      // Tickets need a support channel for their threads and pages: the playground's General channel, unless a
      // staff member chose one ("use this channel for support").
      const current = await app.deps.settings.supportChannel();
      if (current === null || current.setBy === PLAYGROUND_SETTER) {
        const team = playgroundTeamId(existsSync(configFile) ? readFileSync(configFile, 'utf8') : undefined);
        await app.deps.settings.setSupportChannel(playgroundChannel(tenant, listening, team, app.deps.now()));
        log.info("support channel: the playground's My Team > General (local mode)");
      }
    }
    banner(`Chat with the bot: http://localhost:${listening}   (Ctrl-C stops everything)`);
    void playground.exited.then((how) => {
      if (stopping()) return;
      run.playground = undefined;
      log.warn(`the playground stopped (${how}); the bot keeps running on ${endpoint}`);
    });
  } catch (err) {
    if (stopping()) return;
    run.playground = undefined;
    log.error(`the playground did not start: ${messageOf(err)}`);
    log.info(`the bot keeps running on ${endpoint} (Ctrl-C stops it)`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`[sla-desk] ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const known = err instanceof ConfigError || err instanceof InvalidPolicy;
  const text = known ? err.message : String(err instanceof Error ? err.stack : err);
  process.stderr.write(`[sla-desk] cannot start: ${text}\n`);
  process.exit(known ? 2 : 1);
});
