// Puts tab API routes (route.ts) on the restify server: checks the bearer token and the role, reads params,
// query and JSON body, sends the answer. Responses say no more than they must: 401 "unauthorized",
// 403 "forbidden", 404 the same for missing and not yours, 503 for anything unexpected.
import restify from 'restify';
import { addLogContext, withLogContext, type Logger } from '../../log';
import { AuthError, type Principal, type TokenChecker } from './auth';
import type { ApiResponse, PublicRouteSpec, RouteSpec } from './route';

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
  ) {}

  /** Adds routes: public ones answer anyone; the others need a token and one of their roles. */
  add(routes: readonly (RouteSpec | PublicRouteSpec)[]): void {
    for (const r of routes) this.one(r);
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

  /** The caller if their token checks out and their role may use the route; otherwise answers 401/403. */
  private async caller(
    r: RouteSpec,
    req: restify.Request,
    res: restify.Response,
  ): Promise<Principal | undefined> {
    let principal: Principal;
    try {
      principal = await this.checker.principal(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      this.log.warn('tab API refused a request', {
        path: r.path,
        status: err.status,
        reason: err.reason.slice(0, 200),
      });
      if (err.status === 401) res.header('www-authenticate', 'Bearer');
      res.send(err.status, {
        error:
          err.status === 401
            ? { code: 'UNAUTHORIZED', message: 'Sign in again.' }
            : { code: 'FORBIDDEN', message: 'You do not have access to SLA Desk.' },
      });
      return undefined;
    }
    if (r.roles.includes(principal.role)) return principal;
    res.send(403, { error: { code: 'FORBIDDEN', message: 'You do not have access to this.' } });
    return undefined;
  }
}
