// The tab API's route layer: `api.route(method, path, roles, handler)` checks the bearer token, the role,
// parses nothing else; handlers return `{ status, body }` and never throw expected failures. Responses say
// no more than they must: 401 "unauthorized", 403 "forbidden", 404 the same for missing and not yours.
import type restify from 'restify';
import type { Logger } from '../log';
import { AuthError, type ApiRole, type Principal, type TokenChecker } from './auth';

export interface ApiRequest {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export type Handler = (req: ApiRequest) => Promise<ApiResponse> | ApiResponse;

/** Every staff role. */
export const STAFF: readonly ApiRole[] = ['engineer', 'manager'];
/** Everyone with a role. */
export const ANYONE: readonly ApiRole[] = ['customer', 'engineer', 'manager'];

export const ok = (body: unknown): ApiResponse => ({ status: 200, body });
export const problem = (status: number, code: string, message: string): ApiResponse => ({
  status,
  body: { error: { code, message } },
});
export const notFound = (): ApiResponse => problem(404, 'NOT_FOUND', 'Not found.');
export const badRequest = (message: string, field?: string): ApiResponse => ({
  status: 400,
  body: { error: { code: 'INVALID_INPUT', message, ...(field === undefined ? {} : { field }) } },
});

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Registers authenticated JSON routes on a restify server. */
export class ApiRouter {
  constructor(
    private readonly server: restify.Server,
    private readonly checker: TokenChecker,
    private readonly log: Logger,
  ) {}

  /**
   * Adds a route open to the given roles.
   * @example api.route('get', '/api/tickets/:id', ANYONE, async ({ principal, params }) => ok(...))
   */
  route(method: 'get' | 'post', path: string, roles: readonly ApiRole[], handler: Handler): void {
    const register =
      method === 'get' ? this.server.get.bind(this.server) : this.server.post.bind(this.server);
    register(path, async (req: restify.Request, res: restify.Response) => {
      res.header('cache-control', 'no-store');
      let principal: Principal;
      try {
        principal = await this.checker.principal(req.headers.authorization);
      } catch (err) {
        if (err instanceof AuthError) {
          this.log.warn('tab API refused a request', {
            path,
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
          return;
        }
        throw err;
      }
      if (!roles.includes(principal.role)) {
        res.send(403, { error: { code: 'FORBIDDEN', message: 'You do not have access to this.' } });
        return;
      }
      try {
        const out = await handler({
          principal,
          params: strings(req.params),
          query: strings(req.query),
          body: req.body as unknown,
        });
        res.send(out.status, out.body);
      } catch (err) {
        this.log.error('tab API failed', { path, error: err instanceof Error ? err.message : String(err) });
        res.send(503, {
          error: { code: 'UNAVAILABLE', message: 'SLA Desk could not answer right now. Please try again.' },
        });
      }
    });
  }
}
