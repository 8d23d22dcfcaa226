// The one shape of a tab API route: "METHOD path", who may call it, how its input is read and checked,
// and a handler that answers with the view the contract (contract.ts) names for that route, a download,
// or a problem. ApiRouter.add (router.ts) registers every route; handlers never throw expected failures.
import type { ApiRole, ApiViews, ProblemBody, RouteKey } from './contract';
import type { Principal } from './auth';

export interface ApiRequest {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What a public route sees: no caller. */
export type PublicRequest = Omit<ApiRequest, 'principal'>;

export interface ApiResponse {
  readonly status: number;
  /** JSON, or the text of a download when `contentType` is set. */
  readonly body: unknown;
  /** A download (CSV, a printable page): sent as this type, not as JSON. */
  readonly contentType?: string | undefined;
  /** Offered as the download's file name (Content-Disposition: attachment). */
  readonly filename?: string | undefined;
}

/** A success answered as JSON. */
export interface Json<V> extends ApiResponse {
  readonly body: V;
  readonly contentType?: undefined;
}

/** A 4xx/5xx answer: `{ error: { code, message, field? } }`. */
export interface Problem extends ApiResponse {
  readonly body: ProblemBody;
  readonly contentType?: undefined;
}

/** A CSV file or a printable page. */
export interface Download extends ApiResponse {
  readonly body: string;
  readonly contentType: string;
}

/** What a route with view V answers. */
export type Reply<V> = Json<V> | Problem | Download;

export type Handler = (req: ApiRequest) => Promise<ApiResponse> | ApiResponse;

/** A route as registered: method, path, who may call it, and the handler. */
export interface RouteSpec {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly roles: readonly ApiRole[];
  readonly handler: Handler;
}

/** A route open without a token (sign-in). */
export interface PublicRouteSpec {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly roles: 'public';
  readonly handler: (req: PublicRequest) => Promise<ApiResponse> | ApiResponse;
}

/** Every staff role. */
export const STAFF: readonly ApiRole[] = ['engineer', 'manager'];
/** Everyone with a role. */
export const ANYONE: readonly ApiRole[] = ['customer', 'engineer', 'manager'];

export const ok = <V>(body: V, status = 200): Json<V> => ({ status, body });
export const problem = (status: number, code: string, message: string, field?: string): Problem => ({
  status,
  body: { error: { code, message, ...(field === undefined ? {} : { field }) } },
});
/** The same answer for missing and not yours. */
export const notFound = (): Problem => problem(404, 'NOT_FOUND', 'Not found.');
export const badRequest = (message: string, field?: string): Problem =>
  problem(400, 'INVALID_INPUT', message, field);

export function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'status' in x && 'body' in x;
}

/** A request's input once read and checked, or the answer saying what is wrong with it. */
export type Parsed<I> = I | Problem;

type MethodOf<K extends RouteKey> = K extends `GET ${string}` ? 'get' : 'post';
type PathOf<K extends RouteKey> = K extends `${string} ${infer P}` ? P : never;

interface Definition<K extends RouteKey, R, I> {
  readonly route: K;
  /** Reads and checks params, query and body; a problem answer (400, 404) when they do not hold. */
  readonly input?: (req: R) => Parsed<I> | Promise<Parsed<I>>;
  readonly handle: (input: I, req: R) => Reply<ApiViews[K]> | Promise<Reply<ApiViews[K]>>;
}

function split<K extends RouteKey>(key: K): { method: MethodOf<K>; path: PathOf<K> } {
  const [method = '', path = ''] = key.split(' ');
  return { method: method.toLowerCase() as MethodOf<K>, path: path as PathOf<K> };
}

function handler<K extends RouteKey, R, I>(d: Definition<K, R, I>): (req: R) => Promise<ApiResponse> {
  return async (req) => {
    const input = d.input === undefined ? (undefined as I) : await d.input(req);
    if (isProblem(input)) return input;
    return d.handle(input, req);
  };
}

/**
 * A route open to the given roles, answering with the contract's view for its key.
 * @example route(STAFF, { route: 'GET /api/outages/:id', handle: async (_input, { params }) => ok(...) })
 */
export function route<K extends RouteKey, I = undefined>(
  roles: readonly ApiRole[],
  d: Definition<K, ApiRequest, I>,
): RouteSpec {
  return { ...split(d.route), roles, handler: handler(d) };
}

/** A route anyone may call without a token. */
export function publicRoute<K extends RouteKey, I = undefined>(
  d: Definition<K, PublicRequest, I>,
): PublicRouteSpec {
  return { ...split(d.route), roles: 'public', handler: handler(d) };
}
