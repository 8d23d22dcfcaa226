// Local mode's door: an app that checks no tokens (no BOT_ID) or issues its own (local tab sign-in) answers only
// requests addressed to a loopback name and not relayed by a proxy, so neither a tunnel nor a web page that
// rebinds its DNS name to 127.0.0.1 can reach it. Production is not affected. No business rules here.
import type restify from 'restify';
import type { Config } from '../../config';
import { loggedPath } from './redact';

/** `localhost`, `*.localhost`, 127.0.0.0/8 and [::1], each with an optional port. */
const LOOPBACK_HOST =
  /^(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*localhost|127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}|\[::1\])(?::\d{1,5})?$/i;

/** Headers a proxy, tunnel or load balancer adds: their presence means the request did not come straight here. */
const FORWARDING = /^(?:forwarded|via|x-forwarded-.+|x-original-.+|x-real-ip|x-client-ip|true-client-ip)$/i;

/** True when a Host header names this machine's loopback interface. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/** The forwarding headers among a request's headers (lower-case names). */
export function forwardingHeaders(headers: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(headers).filter((h) => FORWARDING.test(h));
}

/**
 * Which requests local mode guards: all of them when the bot checks no tokens; all but the bot's (which Bot
 * Framework tokens protect) when only the tab signs in locally; none in production.
 */
export function guarded(config: Pick<Config, 'bot' | 'tabAuth'>): 'all' | 'all but the bot' | 'none' {
  if (config.bot.mode === 'local') return 'all';
  return config.tabAuth.mode === 'local' ? 'all but the bot' : 'none';
}

/**
 * Why a request may not enter in local mode, or undefined when it may. `port`: the port the request reached
 * (the 421's message says where to open the app instead).
 * @example localRefusal({ host: 'evil.example' }, 3978)?.message // '… Open it at http://127.0.0.1:3978.'
 */
export function localRefusal(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  port?: number,
):
  | {
      readonly status: 403 | 421;
      readonly code: string;
      readonly message: string;
      /** The forwarding headers that made it a 403 (none for a 421). */
      readonly relayed: readonly string[];
    }
  | undefined {
  const relayed = forwardingHeaders(headers);
  if (relayed.length > 0)
    return {
      status: 403,
      code: 'LOCAL_ONLY',
      message: `SLA Desk runs in local mode (no authentication) and answers only requests made on this machine; this one came through a proxy or tunnel (${relayed.join(', ')}). Set BOT_ID and AAD_APP_CLIENT_ID to serve it from elsewhere.`,
      relayed,
    };
  const host = headers['host'];
  if (typeof host !== 'string' || !isLoopbackHost(host))
    return {
      status: 421,
      code: 'LOCAL_ONLY',
      message: `SLA Desk runs in local mode (no authentication) and answers only for localhost, 127.0.0.1 or [::1], not for the host ${JSON.stringify(String(host ?? '').slice(0, 100))}. Open it at http://127.0.0.1:${port === undefined ? '<port>' : String(port)}.`,
      relayed,
    };
  return undefined;
}

/** Real ms in which one warn line per reason and host is written; the rest are counted into the next one. */
export const REFUSAL_LOG_WINDOW_MS = 60_000;
/** Reason-and-host pairs remembered at once: past this, the oldest is forgotten (a flood of names stays bounded). */
export const REFUSAL_LOG_KEYS = 256;

/**
 * Decides which refusals are logged: the first of a (reason, host) pair in each minute, carrying how many of
 * that pair were left out since its last line. Bounded: at most REFUSAL_LOG_KEYS pairs are remembered.
 */
export class RefusalLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The number of refusals left out before this one when it is to be logged, else undefined (left out). */
  take(reason: string, host: string): number | undefined {
    const key = `${reason}\u0000${host}`;
    const at = this.now();
    const seen = this.last.get(key);
    if (seen !== undefined && at - seen.at < REFUSAL_LOG_WINDOW_MS) {
      seen.suppressed++;
      return undefined;
    }
    this.last.delete(key);
    if (this.last.size >= REFUSAL_LOG_KEYS) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    this.last.set(key, { at, suppressed: 0 });
    return seen?.suppressed ?? 0;
  }
}

/** A restify pre-handler refusing, in local mode, requests that are not addressed straight to loopback. */
export function localDoor(
  config: Pick<Config, 'bot' | 'tabAuth'>,
  warn: (msg: string, fields: Record<string, unknown>) => void,
  now: () => number = Date.now,
): restify.RequestHandler | undefined {
  const scope = guarded(config);
  if (scope === 'none') return undefined;
  const logged = new RefusalLog(now);
  return (req, res, next) => {
    if (scope === 'all but the bot' && req.method === 'POST' && req.getPath() === '/api/messages') {
      next();
      return;
    }
    const refusal = localRefusal(req.headers, req.socket.localPort);
    if (refusal === undefined) {
      next();
      return;
    }
    const host = (req.headers.host ?? '').slice(0, 100);
    const reason = refusal.status === 403 ? `forwarded: ${refusal.relayed.join(', ')}` : 'foreign host';
    const suppressed = logged.take(reason, host);
    if (suppressed !== undefined)
      warn('local mode refused a request not made straight to loopback', {
        path: loggedPath(req.getPath()).slice(0, 100),
        host,
        status: refusal.status,
        ...(refusal.relayed.length === 0 ? {} : { headers: refusal.relayed.join(', ').slice(0, 200) }),
        ...(suppressed === 0 ? {} : { suppressed }),
      });
    res.header('cache-control', 'no-store');
    res.send(refusal.status, { error: { code: refusal.code, message: refusal.message } });
    next(false);
  };
}
