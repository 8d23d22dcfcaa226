// Local mode's door: an app that checks no tokens (no BOT_ID) or issues its own (local tab sign-in) answers only
// requests addressed to a loopback name and not relayed by a proxy, so neither a tunnel nor a web page that
// rebinds its DNS name to 127.0.0.1 can reach it. Production is not affected. No business rules here.
import type restify from 'restify';
import type { Config } from '../../config';

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

/** Why a request may not enter in local mode, or undefined when it may. */
export function localRefusal(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): { readonly status: 403 | 421; readonly code: string; readonly message: string } | undefined {
  const relayed = forwardingHeaders(headers);
  if (relayed.length > 0)
    return {
      status: 403,
      code: 'LOCAL_ONLY',
      message: `SLA Desk runs in local mode (no authentication) and answers only requests made on this machine; this one came through a proxy or tunnel (${relayed.join(', ')}). Set BOT_ID and AAD_APP_CLIENT_ID to serve it from elsewhere.`,
    };
  const host = headers['host'];
  if (typeof host !== 'string' || !isLoopbackHost(host))
    return {
      status: 421,
      code: 'LOCAL_ONLY',
      message: `SLA Desk runs in local mode (no authentication) and answers only for localhost, 127.0.0.1 or [::1], not for the host ${JSON.stringify(String(host ?? '').slice(0, 100))}. Open it at http://127.0.0.1:<port>.`,
    };
  return undefined;
}

/** A restify pre-handler refusing, in local mode, requests that are not addressed straight to loopback. */
export function localDoor(
  config: Pick<Config, 'bot' | 'tabAuth'>,
  warn: (msg: string, fields: Record<string, unknown>) => void,
): restify.RequestHandler | undefined {
  const scope = guarded(config);
  if (scope === 'none') return undefined;
  return (req, res, next) => {
    if (scope === 'all but the bot' && req.method === 'POST' && req.getPath() === '/api/messages') {
      next();
      return;
    }
    const refusal = localRefusal(req.headers);
    if (refusal === undefined) {
      next();
      return;
    }
    warn('local mode refused a request not made straight to loopback', {
      path: req.getPath().slice(0, 100),
      host: (req.headers.host ?? '').slice(0, 100),
      status: refusal.status,
    });
    res.header('cache-control', 'no-store');
    res.send(refusal.status, { error: { code: refusal.code, message: refusal.message } });
    next(false);
  };
}
