// restify: routes for health, the bot's /api/messages (and, as features land, the tab API and files).
// start() listens; stop() closes connections. No business rules here.
import type { AddressInfo } from 'node:net';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import restify from 'restify';
import type { Logger } from './log';
import type { SlaEngine } from './sla';

export interface ServerDeps {
  readonly engine: SlaEngine;
  readonly log: Logger;
  /** The clock; injected so tests and simulated time can drive it. */
  readonly now: () => number;
  readonly bot: { readonly adapter: TeamsAdapter; readonly app: Application<TurnState> };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Largest activity accepted on /api/messages; Teams' own messages are far smaller. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

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
  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false, mapFiles: false }),
    async (req, res) => {
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        res.send(400, { error: 'an activity (a JSON object) is required' });
        return;
      }
      // restify's request carries the fields botbuilder reads (body, headers, method).
      const request = req as unknown as Parameters<TeamsAdapter['process']>[0];
      await deps.bot.adapter.process(request, res, async (context) => {
        await deps.bot.app.run(context);
      });
    },
  );
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
