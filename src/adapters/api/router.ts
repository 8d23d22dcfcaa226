// Puts tab API routes (route.ts) on the restify server: checks the bearer token and the role, reads params,
// query and JSON body, sends the answer. Responses say no more than they must: 401 "unauthorized",
// 403 "forbidden", 404 the same for missing and not yours, 429 over a rate limit, 503 for anything unexpected.
import restify from 'restify';
import { sendTooMany } from '../http/edge';
import { clientAddress } from '../http/rate-limit';
import type { Throttle } from '../http/throttle';
import type { AuditEntry } from '../storage/audit';
import { addLogContext, withLogContext, type Logger } from '../../log';
import { messageOf } from '../../domain/kit/errors';
import { AuthError, type Principal, type TokenChecker } from './auth';
import type { ApiResponse, PublicRouteSpec, RouteSpec } from './route';
import type { ApiRole } from './contract';

/**
 * A route that reads or writes the raw HTTP stream (file uploads and downloads): the same token, role and rate
 * limit checks; the handler answers itself (returns undefined) or returns an answer to send.
 */
export interface StreamRouteSpec {
  readonly method: 'get' | 'head' | 'post' | 'del';
  readonly path: string;
  readonly roles: readonly ApiRole[];
  readonly handler: (
    principal: Principal,
    req: restify.Request,
    res: restify.Response,
  ) => Promise<ApiResponse | undefined>;
}
import { pageCsp } from './page-csp';

/**
 * A stream route open without a token (signed download links): the client address's allowance is checked
 * first; the handler calls `refused()` for a request that spends it (a forged or expired link).
 */
export interface OpenStreamRouteSpec {
  readonly method: 'get';
  readonly path: string;
  readonly roles: 'public';
  readonly handler: (
    req: restify.Request,
    res: restify.Response,
    refused: () => void,
  ) => Promise<ApiResponse | undefined>;
}

/** Largest JSON body a POST route accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function send(res: restify.Response, out: ApiResponse): void {
  if (out.contentType === undefined) {
    res.send(out.status, out.body);
    return;
  }
  const headers: Record<string, string> = {
    'content-type': out.contentType,
    'x-content-type-options': 'nosniff',
  };
  // A printable page gets its own strict policy (page-csp.ts).
  if (out.contentType.startsWith('text/html')) headers['content-security-policy'] = pageCsp(String(out.body));
  if (out.filename !== undefined)
    headers['content-disposition'] =
      `attachment; filename="${out.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
  res.sendRaw(out.status, String(out.body), headers);
}

/** Registers routes on a restify server, every one the same way. */
export class ApiRouter {
  constructor(
    private readonly server: restify.Server,
    private readonly checker: TokenChecker,
    private readonly log: Logger,
    private readonly o: {
      /** Rate limits per user and tenant (after the token), per client address (refused tokens). */
      readonly throttle?: { readonly limits: Throttle; readonly behindProxy: boolean };
      /** Records refused tokens that name who sent them (a foreign client application). */
      readonly audit?: (entry: AuditEntry) => Promise<void>;
      readonly now?: () => number;
    } = {},
  ) {}

  /** Adds routes: public ones answer anyone; the others need a token and one of their roles. */
  add(routes: readonly (RouteSpec | PublicRouteSpec)[]): void {
    for (const r of routes) this.one(r);
  }

  /** Adds stream routes (attachments): checked like the others; a DELETE's small JSON body is parsed. */
  addStream(routes: readonly StreamRouteSpec[]): void {
    for (const r of routes) {
      const json =
        r.method === 'del'
          ? [restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false })]
          : [];
      const handle = async (req: restify.Request, res: restify.Response): Promise<void> =>
        withLogContext({ route: r.path }, async () => {
          res.header('cache-control', 'no-store');
          const principal = await this.caller(r, req, res);
          if (principal === undefined) return;
          addLogContext({ tenant: principal.tenantId });
          await this.stream(r.path, res, () => r.handler(principal, req, res));
        });
      this.server[r.method](r.path, ...json, handle);
    }
  }

  /** Adds open stream routes: no token; refused requests count against their address like refused tokens. */
  addOpen(routes: readonly OpenStreamRouteSpec[]): void {
    for (const r of routes)
      this.server[r.method](r.path, async (req: restify.Request, res: restify.Response) =>
        withLogContext({ route: r.path }, async () => {
          res.header('cache-control', 'no-store');
          const t = this.o.throttle;
          const address = clientAddress(req.headers, req.socket.remoteAddress, t?.behindProxy ?? false);
          const flood = await t?.limits.client(address);
          if (flood?.ok === false) {
            sendTooMany(res, flood);
            return;
          }
          await this.stream(r.path, res, () => r.handler(req, res, () => t?.limits.failed(address)));
        }),
      );
  }

  /** Runs a stream handler: sends what it returns; a failure is a 503, or a cut connection once bytes went. */
  private async stream(
    path: string,
    res: restify.Response,
    run: () => Promise<ApiResponse | undefined>,
  ): Promise<void> {
    try {
      const out = await run();
      if (out !== undefined) send(res, out);
    } catch (err) {
      this.log.error('tab API failed', { path, err });
      if (res.headersSent) res.destroy();
      else
        res.send(503, {
          error: { code: 'UNAVAILABLE', message: 'SLA Desk could not answer right now. Please try again.' },
        });
    }
  }

  private one(r: RouteSpec | PublicRouteSpec): void {
    const register =
      r.method === 'get' ? this.server.get.bind(this.server) : this.server.post.bind(this.server);
    // POST bodies are JSON, small (the largest is an outage with its texts), never mapped onto params.
    const body =
      r.method === 'post' && r.roles !== 'public'
        ? restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false })
        : [];
    // Every log line of the request names its route (and the caller's tenant once the token is checked).
    const handle = async (req: restify.Request, res: restify.Response): Promise<void> =>
      withLogContext({ route: r.path }, () => this.answer(r, req, res));
    register(r.path, ...body, handle);
  }

  private async answer(
    r: RouteSpec | PublicRouteSpec,
    req: restify.Request,
    res: restify.Response,
  ): Promise<void> {
    res.header('cache-control', 'no-store');
    const input = { params: strings(req.params), query: strings(req.query), body: req.body as unknown };
    let run: () => Promise<ApiResponse> | ApiResponse;
    if (r.roles === 'public') run = () => r.handler(input);
    else {
      // Refusals are answered here; any other failure of the check is left to restify.
      const principal = await this.caller(r, req, res);
      if (principal === undefined) return;
      addLogContext({ tenant: principal.tenantId });
      run = () => r.handler({ principal, ...input });
    }
    let out: ApiResponse;
    try {
      out = await run();
    } catch (err) {
      this.log.error('tab API failed', { path: r.path, err });
      out = {
        status: 503,
        body: {
          error: { code: 'UNAVAILABLE', message: 'SLA Desk could not answer right now. Please try again.' },
        },
      };
    }
    send(res, out);
  }

  /** Records a refused token in the audit log (its failure is logged: the caller is refused either way). */
  private async record(err: AuthError, path: string): Promise<void> {
    const { audit, now } = this.o;
    if (audit === undefined || err.audit === undefined) return;
    try {
      await audit({
        at: (now ?? Date.now)(),
        action: 'api.token',
        outcome: 'refused',
        reason: `${err.reason} (${path})`.slice(0, 300),
        ...err.audit,
      });
    } catch (e) {
      this.log.warn('could not record a refused token', { error: messageOf(e) });
    }
  }

  /** The caller if their token checks out and their role may use the route; otherwise answers 401/403. */
  private async caller(
    r: Pick<RouteSpec, 'roles' | 'path'>,
    req: restify.Request,
    res: restify.Response,
  ): Promise<Principal | undefined> {
    const t = this.o.throttle;
    const address = clientAddress(req.headers, req.socket.remoteAddress, t?.behindProxy ?? false);
    const flood = await t?.limits.client(address);
    if (flood?.ok === false) {
      sendTooMany(res, flood);
      return undefined;
    }
    let principal: Principal;
    try {
      principal = await this.checker.principal(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.status === 401) t?.limits.failed(address);
      if (err.audit !== undefined) await this.record(err, r.path);
      this.log.warn('tab API refused a request', {
        path: r.path,
        status: err.status,
        reason: err.reason.slice(0, 200),
      });
      if (err.status === 401) res.header('www-authenticate', 'Bearer');
      res.send(err.status, {
        error:
          err.answer ??
          (err.status === 401
            ? { code: 'UNAUTHORIZED', message: 'Sign in again.' }
            : { code: 'FORBIDDEN', message: 'You do not have access to SLA Desk.' }),
      });
      return undefined;
    }
    // Counted once the token checked out: a throttled request does no storage work.
    const verdict = await t?.limits.user(principal.tenantId, principal.userId);
    if (verdict?.ok === false) {
      sendTooMany(res, verdict);
      return undefined;
    }
    if (r.roles.includes(principal.role)) return principal;
    res.send(403, { error: { code: 'FORBIDDEN', message: 'You do not have access to this.' } });
    return undefined;
  }
}
