// Local mode only (loopback, never production): the app is its own token issuer, so the tab API checks
// local tokens with the same code as Teams SSO tokens. A fresh RSA key per process; personas come from the
// configuration: each staff member, and one user per customer tenant.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, type JWK, type KeyLike } from 'jose';
import type { Config } from '../../config';
import { API_SCOPE, LOCAL_CLIENT_ID, LOCAL_ISSUER_BASE } from './auth';
import type { ApiRole } from './contract';

/** The audience of local tokens. */
export const LOCAL_AUDIENCE = 'api://localhost/sla-desk-local';
/** Lifetime of a local token, seconds. */
const LIFETIME = 3600;

export interface Persona {
  /** e.g. "manager:<object id>" or "customer:<tenant id>". */
  readonly id: string;
  readonly role: ApiRole;
  readonly name: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly customerName?: string | undefined;
}

/** The people one can view the tab as locally. */
export function personasOf(config: Config): Persona[] {
  const out: Persona[] = [];
  const staffTenant = config.staff.tenantId;
  if (staffTenant !== undefined) {
    for (const [id, name] of config.staff.managers)
      out.push({ id: `manager:${id}`, role: 'manager', name, tenantId: staffTenant, userId: id });
    for (const [id, name] of config.staff.engineers)
      if (!config.staff.managers.has(id))
        out.push({ id: `engineer:${id}`, role: 'engineer', name, tenantId: staffTenant, userId: id });
  }
  for (const [tenantId, customerName] of config.customers)
    out.push({
      id: `customer:${tenantId}`,
      role: 'customer',
      name: `${customerName} user`,
      tenantId,
      userId: `local-customer-${tenantId.slice(0, 8)}`,
      customerName,
    });
  return out;
}

export class LocalIssuer {
  private constructor(
    private readonly privateKey: KeyLike,
    readonly kid: string,
    /** The public key as a JWK, served at /api/auth/local/keys. */
    readonly publicJwk: Readonly<JWK>,
  ) {}

  static async create(): Promise<LocalIssuer> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = `local-${randomUUID()}`;
    const jwk = await exportJWK(publicKey);
    return new LocalIssuer(privateKey, kid, { ...jwk, kid, alg: 'RS256', use: 'sig' });
  }

  /** A token as Teams SSO would give this persona (scp access_as_user, tenant, object id, name; the local client as azp). */
  async mint(p: Persona, nowMs: number): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(nowMs / 1000);
    const token = await new SignJWT({
      tid: p.tenantId,
      oid: p.userId,
      name: p.name,
      scp: API_SCOPE,
      azp: LOCAL_CLIENT_ID,
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(`${LOCAL_ISSUER_BASE}/${p.tenantId}/v2.0`)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + LIFETIME)
      .sign(this.privateKey);
    return { token, expiresIn: LIFETIME };
  }
}
