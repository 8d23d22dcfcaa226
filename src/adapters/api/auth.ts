// Bearer tokens of the tab API: Teams SSO (Entra) access tokens, or the app's own local issuer's in local
// mode, checked by the same code: RS256 signature against the issuer's published keys, issuer of the token's
// tenant, audience, `scp` containing access_as_user, expiry, the client application (`azp`/`appid`: Teams,
// Microsoft 365 or this app); then the role from tenant and staff configuration.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { Config } from '../../config';
import type { Caller } from '../../domain/staff/caller';
import type { ApiRole } from './contract';

/** The delegated scope the tab's token must carry (Teams SSO: "access_as_user"). */
export const API_SCOPE = 'access_as_user';
/** Issuer of the app's own tokens in local mode; `.invalid` can never be a real host. */
export const LOCAL_ISSUER_BASE = 'https://sign-in.sla-desk.invalid';

/** Who is calling, once the token checked out and the configuration gave them a role. */
export interface Principal {
  /** Lower-case Entra tenant id. */
  readonly tenantId: string;
  /** Lower-case Entra object id. */
  readonly userId: string;
  readonly name: string;
  readonly role: ApiRole;
  /** The customer account, for customers. */
  readonly customerName?: string | undefined;
}

/**
 * The client applications whose tokens the tab API takes: the hosts that get a Teams SSO token for the tab
 * (Microsoft's "Configure your tab app in Microsoft Entra ID": Teams desktop and mobile, Teams web, Microsoft 365
 * web, desktop and mobile, Outlook desktop, web and mobile); the app's own client id is added per configuration.
 */
export const TEAMS_CLIENT_IDS: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, Outlook desktop
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
];

/** The client id local tokens carry (`azp`): the local sign-in stands in for Teams. */
export const LOCAL_CLIENT_ID = 'sla-desk-local';

/** The clients a configuration accepts tokens from: Teams' and Microsoft 365's and the app's own, or the local one. */
export function clientsFor(config: Config): ReadonlySet<string> {
  return config.tabAuth.mode === 'local'
    ? new Set([LOCAL_CLIENT_ID])
    : new Set([...TEAMS_CLIENT_IDS, config.tabAuth.clientId.toLowerCase()]);
}

/** A refused request: 401 for a token that does not check out, 403 for a good token without the right. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    /** Logged, never sent: the response says only "unauthorized" / "forbidden" unless `answer` is given. */
    readonly reason: string,
    /** What the caller is told instead of the usual "Sign in again.", when it helps them and reveals nothing. */
    readonly answer?: { readonly code: string; readonly message: string },
    /** Recorded in the audit log: who the token named. */
    readonly audit?: { readonly tenantId: string; readonly userId: string; readonly target: string },
  ) {
    super(reason);
    this.name = 'AuthError';
  }
}

/** The issuers a tenant's tokens may name: Entra v2 and v1, or the local issuer. */
export function issuersFor(tenantId: string, mode: Config['tabAuth']['mode']): string[] {
  return mode === 'local'
    ? [`${LOCAL_ISSUER_BASE}/${tenantId}/v2.0`]
    : [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

/** A tenant id as it may appear in an issuer (Entra's are GUIDs; the Agents Playground's is GUID-like). */
const TENANT = /^[0-9a-f][0-9a-f-]{7,63}$/;
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
/** Clock skew allowed on exp/nbf, as Entra's own libraries do. */
const SKEW_SECONDS = 300;

/** The staff role of a user of a tenant (configured ids, then Entra groups), or undefined. */
export type StaffRole = (
  tenantId: string,
  userId: string,
  name: string,
) => Promise<{ readonly role: 'engineer' | 'manager'; readonly name: string } | undefined>;

/** A tab user as the staff directory sees callers (it reads tenant, object id and name). */
export function tabCaller(tenantId: string, userId: string, name: string): Caller {
  return {
    tenantId,
    userId,
    aadObjectId: userId,
    name,
    zone: undefined,
    conversationId: 'tab',
    conversationType: 'tab',
    serviceUrl: '',
  };
}

export interface TokenCheckOptions {
  readonly config: Config;
  /** Client applications (`azp`, v1 `appid`) whose tokens are taken (default clientsFor(config)). */
  readonly clients?: ReadonlySet<string>;
  /** Who is staff: the app's staff directory (configured ids, Entra groups). */
  readonly staffRole: StaffRole;
  /** The keys: Entra's JWKS (remote) or the local issuer's public key. */
  readonly keys: JWTVerifyGetKey;
  /** Accepted audiences. */
  readonly audiences: readonly string[];
  /** Real wall time for expiry (never the simulated clock). */
  readonly wallClock?: () => number;
}

/** Keys for a configuration: Entra's published keys, or the given local public JWK. */
export function keysFor(config: Config, localJwk: JWK | undefined): JWTVerifyGetKey {
  if (config.tabAuth.mode === 'entra')
    return createRemoteJWKSet(new URL(config.tabAuth.jwksUrl), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 6 * 3600_000,
    });
  if (localJwk === undefined) throw new Error('local sign-in needs the local issuer key');
  return createLocalJWKSet({ keys: [localJwk] });
}

/** Checks bearer tokens and maps them to principals. */
export class TokenChecker {
  private readonly clients: ReadonlySet<string>;

  constructor(private readonly o: TokenCheckOptions) {
    this.clients = o.clients ?? clientsFor(o.config);
  }

  /** The principal of an Authorization header, or an AuthError saying why not (for the log). */
  async principal(header: string | undefined): Promise<Principal> {
    const m = BEARER.exec(header ?? '');
    if (m?.[1] === undefined) throw new AuthError(401, 'no bearer token');
    const token = m[1];
    let tid: string;
    try {
      const unverified = decodeJwt(token);
      tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    } catch {
      throw new AuthError(401, 'malformed token');
    }
    if (!TENANT.test(tid)) throw new AuthError(401, 'token has no valid tid');
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, this.o.keys, {
        algorithms: ['RS256'],
        issuer: issuersFor(tid, this.o.config.tabAuth.mode),
        audience: [...this.o.audiences],
        requiredClaims: ['exp', 'iss', 'aud', 'tid', 'oid'],
        clockTolerance: SKEW_SECONDS,
        currentDate: new Date((this.o.wallClock ?? Date.now)()),
      });
      claims = verified.payload;
    } catch (err) {
      const reason =
        err instanceof errors.JOSEError ? `${err.code}: ${err.message}` : `key lookup failed: ${String(err)}`;
      throw new AuthError(401, reason);
    }
    const scopes = typeof claims['scp'] === 'string' ? claims['scp'].split(' ') : [];
    if (!scopes.includes(API_SCOPE)) throw new AuthError(401, `scp lacks ${API_SCOPE}`);
    if (String(claims['tid']).toLowerCase() !== tid) throw new AuthError(401, 'tid changed');
    const userId = String(claims['oid']).toLowerCase();
    this.checkClient(claims, tid, userId);
    const name = typeof claims['name'] === 'string' ? claims['name'].slice(0, 120) : '';
    const staff = await this.o.staffRole(tid, userId, name);
    if (staff !== undefined) return { tenantId: tid, userId, name: staff.name, role: staff.role };
    const customerName = this.o.config.customers.get(tid);
    if (customerName !== undefined)
      return { tenantId: tid, userId, name: name === '' ? 'Customer' : name, role: 'customer', customerName };
    throw new AuthError(403, `tenant ${tid} is neither a customer nor staff (user ${userId})`);
  }

  /** The token must have been obtained by Teams, Microsoft 365 or this app: `azp` (v2) or `appid` (v1). */
  private checkClient(claims: Record<string, unknown>, tid: string, userId: string): void {
    const raw = claims['azp'] ?? claims['appid'];
    const client = typeof raw === 'string' ? raw.toLowerCase() : '';
    if (this.clients.has(client)) return;
    const shown = client === '' ? 'none' : client.slice(0, 64);
    throw new AuthError(
      401,
      `token obtained by client application ${shown}, not Teams, Microsoft 365 or this app`,
      {
        code: 'FOREIGN_CLIENT',
        message:
          'This sign-in was issued to another application. Open SLA Desk in Teams or Microsoft 365 and sign in there.',
      },
      { tenantId: tid, userId, target: shown },
    );
  }
}
