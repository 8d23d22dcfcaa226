// Microsoft Graph as the bot: an app-only token (client credentials in the staff tenant, or the bot's managed
// identity; cached until shortly before it expires), checkMemberGroups and group members. I/O only, no decisions. Application permissions
// (admin consent in the staff tenant): GroupMember.Read.All and User.Read.All.
import { z } from 'zod';
import { NotInDirectory, type GroupUser } from '../domain/staff/directory';

/** What a managed identity credential (@azure/identity's ManagedIdentityCredential) offers. */
export interface TokenSource {
  getToken(
    scope: string,
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ readonly token: string; readonly expiresOnTimestamp: number } | null>;
}

/** How the bot gets its Graph token. */
export type GraphCredential =
  | {
      readonly kind: 'client-secret';
      /** Entra token authority base URL, no trailing slash (https://login.microsoftonline.com). */
      readonly loginEndpoint: string;
      /** The tenant the token is for: the staff tenant, whose groups are read. */
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | { readonly kind: 'managed-identity'; readonly source: TokenSource };

export interface GraphOptions {
  /** Microsoft Graph base URL, no trailing slash (https://graph.microsoft.com). */
  readonly endpoint: string;
  readonly credential: GraphCredential;
  /** Each request (token or Graph) is abandoned after this long (default 3 s). */
  readonly timeoutMs?: number;
  /** Milliseconds since the epoch; the real clock unless a test drives it. */
  readonly clock?: () => number;
}

/** A Graph or token request that did not give an answer (network, timeout, refusal, bad body). */
export class GraphError extends Error {
  readonly code = 'GRAPH_FAILED';
  override readonly name = 'GraphError';
  constructor(
    message: string,
    /** The HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

const userPage = z.object({
  value: z.array(
    z.object({ '@odata.type': z.string().optional(), id: z.string(), displayName: z.string().nullish() }),
  ),
  '@odata.nextLink': z.string().optional(),
});

/** At most this many pages of 999 members are read per group. */
const MAX_PAGES = 20;

const tokenBody = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const memberBody = z.object({ value: z.array(z.string()) });

/** Tokens are renewed this long before they expire (as the Bot Framework SDK does), or at half-life if sooner. */
const RENEW_BEFORE_MS = 5 * 60_000;

export class GraphClient {
  private token: { readonly value: string; readonly renewAt: number } | undefined;
  private fetching: Promise<string> | undefined;
  private readonly timeoutMs: number;
  private readonly clock: () => number;

  constructor(private readonly o: GraphOptions) {
    this.timeoutMs = o.timeoutMs ?? 3000;
    this.clock = o.clock ?? Date.now;
  }

  /**
   * Which of `groupIds` the object is a member of, directly or through nested groups (lower-case ids).
   * Throws NotInDirectory for an unknown object, GraphError when there is no answer.
   */
  async memberGroups(objectId: string, groupIds: readonly string[]): Promise<string[]> {
    const token = await this.accessToken();
    const url = `${this.o.endpoint}/v1.0/users/${encodeURIComponent(objectId)}/checkMemberGroups`;
    const response = await this.send(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds }),
    });
    const text = await this.read(response, url);
    if (response.status === 404)
      throw new NotInDirectory(`${objectId} is not in the staff tenant's directory`);
    if (response.status === 401) this.token = undefined;
    if (!response.ok)
      throw new GraphError(
        `Graph checkMemberGroups answered ${response.status}: ${text.slice(0, 300)}`,
        response.status,
      );
    const parsed = memberBody.safeParse(parseJson(text));
    if (!parsed.success) throw new GraphError('Graph checkMemberGroups answered without a list of groups');
    return parsed.data.value.map((g) => g.toLowerCase());
  }

  /**
   * The users in a group, directly or through nested groups (lower-case ids, display names; other member types
   * such as devices are skipped). Follows Graph's paging, only on this Graph. Throws GraphError.
   */
  async groupUsers(groupId: string): Promise<GroupUser[]> {
    const users: GroupUser[] = [];
    let next: string | undefined =
      `${this.o.endpoint}/v1.0/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id,displayName&$top=999`;
    for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
      const token = await this.accessToken();
      const url: string = next;
      const response = await this.send(url, { headers: { authorization: `Bearer ${token}` } });
      const text = await this.read(response, url);
      if (response.status === 401) this.token = undefined;
      if (!response.ok)
        throw new GraphError(
          `Graph group members answered ${response.status}: ${text.slice(0, 300)}`,
          response.status,
        );
      const parsed = userPage.safeParse(parseJson(text));
      if (!parsed.success) throw new GraphError('Graph group members answered without a list of members');
      for (const m of parsed.data.value) {
        if (m['@odata.type'] !== undefined && m['@odata.type'] !== '#microsoft.graph.user') continue;
        users.push({ id: m.id.toLowerCase(), name: (m.displayName ?? '').trim().slice(0, 120) || m.id });
      }
      const link = parsed.data['@odata.nextLink'];
      next = link !== undefined && link.startsWith(`${this.o.endpoint}/`) ? link : undefined;
    }
    return users;
  }

  /** The cached app-only token, or a new one (one request at a time, however many callers wait). */
  private accessToken(): Promise<string> {
    const now = this.clock();
    if (this.token !== undefined && this.token.renewAt > now) return Promise.resolve(this.token.value);
    this.fetching ??= this.fetchToken().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetchToken(): Promise<string> {
    const c = this.o.credential;
    if (c.kind === 'managed-identity') return this.identityToken(c.source);
    const url = `${c.loginEndpoint}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`;
    const response = await this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: `${this.o.endpoint}/.default`,
        grant_type: 'client_credentials',
      }).toString(),
    });
    const text = await this.read(response, url);
    if (!response.ok)
      throw new GraphError(
        `token request answered ${response.status}: ${text.slice(0, 300)}`,
        response.status,
      );
    const parsed = tokenBody.safeParse(parseJson(text));
    if (!parsed.success) throw new GraphError('token response has no access_token or expires_in');
    return this.keep(parsed.data.access_token, parsed.data.expires_in * 1000);
  }

  /** A token from the managed identity (the SDK talks to the Azure identity endpoint), within the timeout. */
  private async identityToken(source: TokenSource): Promise<string> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let got: Awaited<ReturnType<TokenSource['getToken']>>;
    try {
      got = await Promise.race([
        source.getToken(`${this.o.endpoint}/.default`, { abortSignal: signal }),
        new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => {
            reject(new GraphError('managed identity: timed out'));
          });
        }),
      ]);
    } catch (err) {
      throw err instanceof GraphError ? err : new GraphError(`managed identity: ${describe(err)}`);
    }
    if (got === null) throw new GraphError('managed identity gave no token');
    return this.keep(got.token, got.expiresOnTimestamp - this.clock());
  }

  private keep(value: string, lifetime: number): string {
    this.token = { value, renewAt: this.clock() + Math.max(lifetime - RENEW_BEFORE_MS, lifetime / 2) };
    return value;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new GraphError(`${new URL(url).host}: ${describe(err)}`);
    }
  }

  private async read(response: Response, url: string): Promise<string> {
    try {
      return await response.text();
    } catch (err) {
      throw new GraphError(`${new URL(url).host}: ${describe(err)}`);
    }
  }
}

function describe(err: unknown): string {
  // fetch rejects with a DOMException (TimeoutError) on timeout, which is not always an Error of this realm.
  const { name, message, cause } = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  const reason = typeof message === 'string' ? message : String(err);
  const why = (cause as { code?: unknown } | undefined)?.code;
  return typeof why === 'string' ? `${reason} (${why})` : reason;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
