// A fake Microsoft Graph on 127.0.0.1: POST /v1.0/{directoryObjects|users}/{id}/checkMemberGroups and
// GET /v1.0/groups/{id}/transitiveMembers (paged), answered from groups the test sets, for callers bearing an app-only token from a FakeEntra (audience: this Graph, tenant: the
// one given). Records every request; can fail or stall the next ones. Test support only: node built-ins.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeEntra } from './entra';
import { listenOnLoopback } from './listen';

export interface GraphRequest {
  readonly method: string;
  readonly path: string;
  /** The object id in the path (lower-case), for checkMemberGroups. */
  readonly objectId: string | undefined;
  readonly groupIds: readonly string[];
  /** The `tid` of a valid bearer token, or undefined when the token was missing or not valid. */
  readonly tokenTenant: string | undefined;
  readonly status: number;
}

export interface FakeGraph {
  /** `http://127.0.0.1:PORT`, no trailing slash: GRAPH_ENDPOINT. */
  readonly url: string;
  /** Makes these users (object ids) the members of a group, replacing its members. */
  setMembers(groupId: string, userIds: readonly string[]): void;
  /** Users that exist in the directory without being in any group. */
  addUsers(userIds: readonly string[]): void;
  /** Display names of users (by object id); a user without one is listed with a null displayName. */
  nameUsers(names: Readonly<Record<string, string>>): void;
  /** Members per page of transitiveMembers (default 999, Graph's largest). */
  setPageSize(size: number): void;
  /** The next `count` Graph requests (either kind) get this status (after the token is checked). */
  failNext(status: number, count?: number): void;
  /** The next `count` Graph requests (either kind) are answered only after `ms` (or never, if the client gives up). */
  stallNext(ms: number, count?: number): void;
  requests(): readonly GraphRequest[];
  clear(): void;
  stop(): Promise<void>;
}

export interface FakeGraphOptions {
  /** The authority whose tokens are accepted. */
  readonly entra: FakeEntra;
  /** Tokens must be for this tenant (`tid`). */
  readonly tenantId: string;
}

const PATH = /^\/v1\.0\/(?:directoryObjects|users)\/([^/]+)\/checkMemberGroups$/;
const MEMBERS = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/;

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const groups = new Map<string, Set<string>>();
  const users = new Set<string>();
  const names = new Map<string, string>();
  let pageSize = 999;
  const faults: number[] = [];
  const stalls: number[] = [];
  const requests: GraphRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let url = '';

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      respond(res, 500, { error: { code: 'InternalServerError', message: 'fake graph failed' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const full = new URL(req.url ?? '/', url);
    const path = full.pathname;
    const match = PATH.exec(path) ?? MEMBERS.exec(path);
    const listing = req.method === 'GET' && MEMBERS.test(path);
    const objectId = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]).toLowerCase();
    const auth = req.headers.authorization ?? '';
    const claims = auth.startsWith('Bearer ')
      ? options.entra.verifyToken(auth.slice(7), { audience: url })
      : undefined;
    const tid = claims?.['tid'];
    const tokenTenant = typeof tid === 'string' ? tid : undefined;
    let groupIds: string[] = [];
    try {
      const parsed = JSON.parse(body) as { groupIds?: unknown };
      if (Array.isArray(parsed.groupIds)) groupIds = parsed.groupIds.map(String);
    } catch {
      // not JSON: answered 400 below
    }
    const answer = (status: number, json: unknown): void => {
      requests.push({ method: req.method ?? '', path, objectId, groupIds, tokenTenant, status });
      respond(res, status, json);
    };
    if (objectId === undefined || (req.method !== 'POST' && !listing)) {
      answer(404, { error: { code: 'BadRequest', message: 'Resource not found for the segment.' } });
      return;
    }
    if (tokenTenant !== options.tenantId) {
      answer(401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
      });
      return;
    }
    const stall = stalls.shift();
    if (stall !== undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, stall);
        timers.add(timer);
      });
    }
    const fault = faults.shift();
    if (fault !== undefined) {
      answer(fault, { error: { code: 'ServiceUnavailable', message: 'Injected fault.' } });
      return;
    }
    if (listing) {
      const members = [...(groups.get(objectId) ?? [])];
      const skip = Number(full.searchParams.get('$skiptoken') ?? '0');
      const value = members.slice(skip, skip + pageSize).map((id) => ({
        '@odata.type': '#microsoft.graph.user',
        id,
        displayName: names.get(id) ?? null,
      }));
      const more = skip + pageSize < members.length;
      answer(groups.has(objectId) ? 200 : 404, {
        value,
        ...(more
          ? {
              '@odata.nextLink': `${url}${path}?$select=id,displayName&$top=999&$skiptoken=${skip + pageSize}`,
            }
          : {}),
      });
      return;
    }
    if (groupIds.length === 0 || groupIds.length > 20) {
      answer(400, { error: { code: 'Request_BadRequest', message: 'groupIds: 1 to 20 ids.' } });
      return;
    }
    const inAnyGroup = [...groups.values()].some((m) => m.has(objectId));
    if (!users.has(objectId) && !inAnyGroup) {
      answer(404, {
        error: { code: 'Request_ResourceNotFound', message: `Resource '${objectId}' does not exist.` },
      });
      return;
    }
    const value = groupIds.filter((g) => groups.get(g.toLowerCase())?.has(objectId) === true);
    answer(200, { '@odata.context': `${url}/v1.0/$metadata#Collection(Edm.String)`, value });
  }

  const port = await listenOnLoopback(server);
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    setMembers: (groupId, userIds) => {
      groups.set(groupId.toLowerCase(), new Set(userIds.map((u) => u.toLowerCase())));
    },
    addUsers: (userIds) => {
      for (const u of userIds) users.add(u.toLowerCase());
    },
    nameUsers: (given) => {
      for (const [id, name] of Object.entries(given)) names.set(id.toLowerCase(), name);
    },
    setPageSize: (size) => {
      pageSize = size;
    },
    failNext: (status, count = 1) => {
      for (let i = 0; i < count; i++) faults.push(status);
    },
    stallNext: (ms, count = 1) => {
      for (let i = 0; i < count; i++) stalls.push(ms);
    },
    requests: () => [...requests],
    clear: () => {
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export interface FakeManagedIdentity {
  /** IDENTITY_ENDPOINT, as App Service sets it for its managed identities. */
  readonly endpoint: string;
  /** IDENTITY_HEADER: requests without it are refused. */
  readonly header: string;
  /** Token requests so far: the resource and client id asked for. */
  requests(): readonly { readonly resource: string | null; readonly clientId: string | null }[];
  stop(): Promise<void>;
}

/**
 * App Service's managed identity endpoint (api-version 2019-08-01) on 127.0.0.1: tokens signed by a FakeEntra
 * for the resource asked, in one tenant. @azure/identity's ManagedIdentityCredential finds it through the
 * IDENTITY_ENDPOINT and IDENTITY_HEADER environment variables.
 */
export async function startFakeManagedIdentity(
  entra: FakeEntra,
  tenantId: string,
): Promise<FakeManagedIdentity> {
  const header = 'fake-identity-header';
  const requests: { resource: string | null; clientId: string | null }[] = [];
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const resource = q.get('resource');
    const clientId = q.get('client_id');
    requests.push({ resource, clientId });
    if (req.headers['x-identity-header'] !== header || resource === null) {
      respond(res, 400, { error: 'invalid_request' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = entra.mintToken({
      aud: resource,
      iss: entra.tokenIssuer(tenantId),
      tid: tenantId,
      iat: now,
      nbf: now,
      exp: now + 3600,
      appid: clientId ?? '',
      ver: '1.0',
    });
    respond(res, 200, {
      access_token: token,
      expires_on: String(now + 3600),
      resource,
      token_type: 'Bearer',
      client_id: clientId,
    });
  });
  const port = await listenOnLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}/msi/token`,
    header,
    requests: () => [...requests],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
