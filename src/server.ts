// restify: routes for health, the bot's /api/messages (and, as features land, the tab API and files).
// start() listens; stop() closes connections. No business rules here.
import type { Application } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';
import { BadActivity, Unauthorized, type BotAdapter } from './bot/adapter';
import restify from 'restify';
import type { Logger } from './log';
import type { SlaEngine } from './sla';

export interface ServerDeps {
  readonly engine: SlaEngine;
  readonly log: Logger;
  /** The clock; injected so tests and simulated time can drive it. */
  readonly now: () => number;
  readonly bot: { readonly adapter: BotAdapter; readonly app: Application };
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
      let activity: Activity;
      try {
        activity = deps.bot.adapter.parse(req.body);
      } catch (err) {
        res.send(400, { error: err instanceof BadActivity ? err.message : 'not a valid activity' });
        return;
      }
      const header = req.headers.authorization;
      try {
        const invoke = await deps.bot.adapter.handle(
          activity,
          typeof header === 'string' ? header : '',
          async (context) => {
            await deps.bot.app.run(context);
          },
        );
        if (invoke?.body === undefined) res.send(invoke?.status ?? 200);
        else res.send(invoke.status, invoke.body);
      } catch (err) {
        if (err instanceof Unauthorized) {
          deps.log.warn('refused an unauthenticated request', { reason: err.message.slice(0, 200) });
          res.send(401, { error: 'unauthorized' });
          return;
        }
        deps.log.error('activity failed', {
          error: err instanceof Error ? err.message : String(err),
          type: activity.type,
        });
        res.send(500, { error: 'internal error' });
      }
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
  const address = server.address();
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
