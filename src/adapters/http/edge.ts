// The server's edge, built from the configuration: local mode's loopback door (guards.ts) and the bot's rate
// limits (throttle.ts); server.ts calls it in a few lines. The tab API builds its own Throttle (api/index.ts).
import type restify from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { AuditLog } from '../storage/audit';
import { localDoor } from './guards';
import { clientAddress, type Verdict } from './rate-limit';
import { Throttle, tooMany } from './throttle';

export interface Edge {
  /** The pre-handler refusing non-loopback requests in local mode; undefined in production. */
  readonly door: restify.RequestHandler | undefined;
  /** The bot's rate limits. */
  readonly bot: Throttle;
  /** The address a request came from, for the failed-sign-in limit. */
  address(req: restify.Request): string;
}

export function edgeFor(
  config: Pick<Config, 'bot' | 'tabAuth' | 'limits' | 'production'>,
  deps: { readonly audit: AuditLog; readonly log: Logger; readonly now: () => number },
): Edge {
  return {
    door: localDoor(config, (msg, fields) => {
      deps.log.warn(msg, fields);
    }),
    bot: new Throttle('bot', { limits: config.limits, ...deps }),
    address: (req) => clientAddress(req.headers, req.socket.remoteAddress, config.production),
  };
}

/** Answers a refused request 429 with Retry-After and a JSON error (or the bot's invoke response). */
export function sendTooMany(
  res: restify.Response,
  v: Verdict & { ok: false },
  invoke?: { readonly status: number; readonly body?: unknown },
): void {
  const { headers, body } = tooMany(v);
  for (const [k, value] of Object.entries(headers)) res.setHeader(k, value);
  if (invoke === undefined) res.send(429, body);
  else res.send(invoke.status, invoke.body);
}
