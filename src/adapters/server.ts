// restify: routes for health, the bot's /api/messages (and, as features land, the tab API and files).
// start() listens; stop() closes connections. No business rules here.
import type { Application } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';
import { BadActivity, Unauthorized, type BotAdapter } from './teams/adapter';
import { TurnFailed } from './bot';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import restify from 'restify';
import type { Logger } from '../log';
import type { SlaEngine } from '../domain/sla';
import { sendTooMany, type Edge } from './http/edge';
import type { Verdict } from './http/rate-limit';
import { withLogContext } from '../log';
import { inSpan } from './metrics';

export interface ServerDeps {
  readonly engine: SlaEngine;
  readonly log: Logger;
  /** The clock; injected so tests and simulated time can drive it. */
  readonly now: () => number;
  readonly bot: { readonly adapter: BotAdapter; readonly app: Application };
  /** Told of every request from its start until it is answered (background work yields to requests). */
  readonly requests?: { request(): () => void };
  /** Local mode's loopback door and the bot's rate limits (src/adapters/http/edge.ts). */
  readonly edge?: Edge;
  /** What is not ready (/readyz), each with why; empty when ready. */
  readonly readiness?: () => Promise<readonly string[]>;
  /** Told of every answered request: its route, verb, status and real ms. */
  readonly metrics?: { request(route: string, method: string, status: number, ms: number): void };
  /** Closed while the app stops: requests then get 503 and `Connection: close`. */
  readonly door?: { readonly open: boolean };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and closes idle ones; requests in flight go on (the start of a drain). */
  refuse(): void;
  /** Closes every connection and resolves when the server is closed. */
  stop(): Promise<void>;
}

/** Largest activity accepted on /api/messages; Teams' own messages are far smaller. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Builds the restify server with its routes. */
export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sla-desk', handleUncaughtExceptions: false });
  const { requests, edge } = deps;
  if (edge?.door !== undefined) server.pre(edge.door);
  server.pre((req, res, next) => {
    if (deps.door?.open === false) {
      res.header('connection', 'close');
      res.send(503, { error: 'this instance is shutting down; try again' });
      next(false);
      return;
    }
    const started = performance.now();
    res.once('finish', () => {
      const route = req.getRoute() as { path?: unknown } | null;
      const path = typeof route?.path === 'string' ? route.path : 'unmatched';
      deps.metrics?.request(path, req.method ?? 'GET', res.statusCode, performance.now() - started);
    });
    const done = requests?.request();
    if (done !== undefined) {
      res.once('finish', done);
      res.once('close', done);
    }
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // A verb a route does not take: the tab API answers in its own error shape (restify set `Allow` already).
  server.on(
    'MethodNotAllowed',
    (req: restify.Request, res: restify.Response, _err: unknown, done: () => void) => {
      if (req.getPath().startsWith('/api/'))
        res.send(405, {
          error: {
            code: 'METHOD_NOT_ALLOWED',
            message: `${String(req.method).slice(0, 10)} is not allowed here; use ${String(res.getHeader('allow') ?? 'another method')}.`,
          },
        });
      done();
    },
  );
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
  // Ready for traffic (App Service's health check): storage answers and the watcher's loop is alive.
  server.get('/readyz', async (_req, res) => {
    const failed = (await deps.readiness?.()) ?? [];
    res.header('cache-control', 'no-store');
    res.json(failed.length === 0 ? 200 : 503, {
      status: failed.length === 0 ? 'ready' : 'not ready',
      failed,
    });
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
      const address = edge?.address(req) ?? '';
      const flood = await edge?.bot.client(address);
      if (flood?.ok === false) {
        sendTooMany(res, flood);
        return;
      }
      const channel = activity.channelData as { tenant?: { id?: unknown } } | undefined;
      const ids = {
        activity: activity.id,
        conversation: activity.conversation.id,
        tenant:
          activity.conversation.tenantId ??
          (typeof channel?.tenant?.id === 'string' ? channel.tenant.id : undefined),
      };
      // Every log line of the turn carries its ids; the turn is one span.
      await withLogContext(ids, () =>
        inSpan('bot turn', { 'activity.type': activity.type }, async () => {
          deps.log.debug('turn started', { type: activity.type });
          // Counted after the activity is authenticated: nobody can spend another person's allowance.
          let throttled = { ok: true } as Verdict;
          try {
            const invoke = await deps.bot.adapter.handle(
              activity,
              typeof header === 'string' ? header : '',
              async (context) => {
                if (edge !== undefined) throttled = await edge.bot.turn(context);
                if (throttled.ok) await deps.bot.app.run(context);
              },
            );
            if (!throttled.ok) sendTooMany(res, throttled, invoke);
            else if (invoke?.body === undefined) res.send(invoke?.status ?? 200);
            else res.send(invoke.status, invoke.body);
            deps.log.debug('turn answered', { status: throttled.ok ? (invoke?.status ?? 200) : 429 });
          } catch (err) {
            if (err instanceof Unauthorized) {
              edge?.bot.failed(address);
              deps.log.warn('refused an unauthenticated request', { reason: err.message.slice(0, 200) });
              res.send(401, { error: 'unauthorized' });
              return;
            }
            // A turn's own failure is logged once, by the bot's error handler; this is for the rest.
            if (!(err instanceof TurnFailed)) deps.log.error('activity failed', { err, type: activity.type });
            res.send(500, { error: 'internal error' });
          }
        }),
      );
    },
  );
  return server;
}

/** Where `vite build` puts the tab (tab/dist), from src/ or from a compiled dist/. */
export const TAB_DIST = resolve(__dirname, '..', '..', 'tab', 'dist');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Text types sent compressed when the client accepts it (images and fonts are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The encoding to send: brotli, else gzip, else none, as the request's Accept-Encoding allows. */
export function encodingFor(accept: string | undefined): 'br' | 'gzip' | undefined {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name !== '') offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string): boolean => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/** Compressed copies of the tab's files, made once per file version (path, size and modification time). */
class Compressed {
  private readonly copies = new Map<string, Promise<Buffer>>();

  /**
   * The copy of file version `key` in `encoding`; the file is read (`read`) only when there is none yet.
   * `ready` may give a copy made at build time (tab/dist's name.br), used as is when there is one.
   */
  get(
    key: string,
    encoding: 'br' | 'gzip',
    read: () => Promise<Buffer>,
    ready: () => Promise<Buffer | undefined> = () => Promise.resolve(undefined),
  ): Promise<Buffer> {
    const id = `${encoding}:${key}`;
    let copy = this.copies.get(id);
    if (copy === undefined) {
      copy = ready().then(
        async (made) =>
          made ??
          read().then((body) =>
            encoding === 'br'
              ? brotli(body, {
                  params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
                })
              : gzipped(body, { level: 9 }),
          ),
      );
      // A failed read or compression is not kept: the next request tries again.
      copy.catch(() => this.copies.delete(id));
      this.copies.set(id, copy);
      if (this.copies.size > 200) this.copies.delete(this.copies.keys().next().value ?? id);
    }
    return copy;
  }
}

/** The brotli copy `vite build` made of a file (name.br), when it is there and not older than the file. */
async function builtBrotli(path: string, mtimeMs: number): Promise<Buffer | undefined> {
  try {
    const info = await stat(`${path}.br`);
    return info.isFile() && info.mtimeMs >= mtimeMs ? await readFile(`${path}.br`) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Teams (web, desktop, mobile) and Microsoft 365 hosts may frame the tab; nobody else. The one address
 * outside the app the tab fetches: teams-js 2.x's list of valid Teams origins (its `validOriginsCdnEndpoint`),
 * allowed by its full path and nothing more of that host.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://*.skype.com",
].join('; ');

/**
 * The sign-in window's two pages (tab/auth-start.html, auth-end.html; opened by Teams as a top-level window,
 * never framed): their own scripts, the app's sign-in settings and teams-js's list of origins, nothing else.
 * Going on to the Entra authorize endpoint is a navigation, which no CSP directive governs.
 */
const AUTH_PAGES = new Set(['auth-start.html', 'auth-end.html']);
const AUTH_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  'img-src data:',
  "connect-src 'self' https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built tab under /tab: text compressed (brotli or gzip, as the client accepts), hashed assets
 * cached for a year, index.html never cached; nothing outside `dir` is reachable. A missing build answers 503
 * saying how to build it.
 */
export function serveTab(server: restify.Server, dir: string = TAB_DIST): void {
  const root = resolve(dir);
  const compressed = new Compressed();
  const send = async (rel: string, req: restify.Request, res: restify.Response): Promise<void> => {
    const path = resolve(root, rel === '' ? 'index.html' : rel);
    if (path !== root && !path.startsWith(root + sep)) {
      res.send(404, { error: 'not found' });
      return;
    }
    const ext = extname(path);
    const encoding = COMPRESSIBLE.has(ext) ? encodingFor(req.header('accept-encoding')) : undefined;
    let sent: Buffer;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a file');
      const version = `${path}:${info.size}:${info.mtimeMs}`;
      sent =
        encoding === undefined
          ? await readFile(path)
          : await compressed.get(
              version,
              encoding,
              () => readFile(path),
              encoding === 'br' ? () => builtBrotli(path, info.mtimeMs) : undefined,
            );
    } catch {
      const built = await stat(join(root, 'index.html')).then(
        () => true,
        () => false,
      );
      if (built) res.send(404, { error: 'not found' });
      else {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(
          'The tab is not built yet: run `npm run build:tab` (npm start and npm test build it when missing).',
        );
      }
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'content-length': sent.length,
      ...(COMPRESSIBLE.has(ext) ? { vary: 'accept-encoding' } : {}),
      ...(encoding === undefined ? {} : { 'content-encoding': encoding }),
      'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      ...(ext === '.html' ? { 'content-security-policy': AUTH_PAGES.has(rel) ? AUTH_CSP : CSP } : {}),
    });
    res.end(sent);
  };
  server.get('/tab', (_req, res, next) => {
    res.redirect(302, '/tab/index.html', next);
  });
  server.get('/tab/*', async (req, res) => {
    const star: unknown = (req.params as Record<string, unknown>)['*'];
    const raw = typeof star === 'string' ? star : '';
    let rel: string;
    try {
      rel = decodeURIComponent(raw);
    } catch {
      res.send(400, { error: 'bad path' });
      return;
    }
    if (rel.includes('\u0000')) {
      res.send(400, { error: 'bad path' });
      return;
    }
    await send(rel, req, res);
  });
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
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    }));
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    refuse: () => {
      void close();
      server.server.closeIdleConnections();
    },
    stop: () => {
      const done = close();
      server.server.closeAllConnections();
      return done;
    },
  };
}
