// Wiring only: read config, start telemetry, build the app, drain and stop on SIGTERM/SIGINT.
// The app (restify, the Azure SDK) is loaded after telemetry starts, so its instrumentation sees them.
import { Settings } from 'luxon';
import { startTelemetry } from './telemetry';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { DEFAULT_POLICY } from './domain/policy/default';
import { loadPolicyFile } from './domain/policy/file';
import { InvalidPolicy } from './domain/policy/schema';
import { simulatedClock } from './watcher/clock';

Settings.throwOnInvalid = true;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ json: config.logJson, level: config.logLevel });
  const telemetry = await startTelemetry();
  if (telemetry.started)
    log.info('telemetry: exporting metrics and traces to Application Insights', {
      identity: telemetry.clientId === undefined ? 'connection string' : 'managed identity',
    });
  const { startApp } = await import('./app.js');
  const policy = config.policyFile === undefined ? DEFAULT_POLICY : loadPolicyFile(config.policyFile);
  if (config.bot.mode === 'local') {
    log.warn(
      'local mode: no BOT_ID, so Bot Framework authentication is off (loopback only, never in production)',
    );
  }
  const clock = config.simClock === undefined ? undefined : simulatedClock(config.simClock);
  if (clock !== undefined)
    log.warn(
      `simulated clock: starts at ${new Date(config.simClock?.start ?? 0).toISOString()}, ${clock.speed}× real time (local mode only)`,
    );
  const app = await startApp({
    config,
    policy,
    log,
    ...(clock === undefined ? {} : { now: () => clock.now(), speed: clock.speed }),
  });
  log.info(`listening on ${app.url} (policy "${policy.name}", zone ${policy.timeZone})`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining (at most ${config.drainTimeoutMs} ms for requests in flight)`);
    app
      .stop()
      .then(() => (telemetry.started ? telemetry.stop() : undefined))
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error('shutdown failed', { err });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof InvalidPolicy;
  process.stderr.write(
    `[sla-desk] cannot start: ${known ? err.message : String(err instanceof Error ? err.stack : err)}\n`,
  );
  process.exit(known ? 2 : 1);
});
