// restify: routes for health (and, as features land, /api/messages, the tab API and the tab files).
// start() listens; stop() closes connections. No business rules here.
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { Logger } from './log';
import type { SlaEngine } from './sla';

export interface ServerDeps {
  readonly engine: SlaEngine;
  readonly log: Logger;
  /** The clock; injected so tests and simulated time can drive it. */
  readonly now: () => number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Builds the restify server with its routes. */
export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sla-desk', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.get('/healthz', (_req, res, next) => {
    const now = deps.now();
    res.json(200, {
      status: 'ok',
      policy: deps.engine.policy.name,
      timeZone: deps.engine.policy.timeZone,
      supportOpen: deps.engine.calendar.inSupportHours(now),
    });
    next();
  });
  return server;
}

/** Starts listening on host:port (0 = a free port). */
export async function start(server: restify.Server, host: string, port: number): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.server.closeAllConnections();
      }),
  };
}
