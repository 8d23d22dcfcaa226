// Short-lived download links (`/api/files/<token>`): the token names one file of one ticket and tenant, who asked
// for it and until when, signed with HMAC-SHA256 under a key of the day (link-keys.ts). Nothing secret is inside.
// Pure: the key and the time are passed in. The routes are in routes/file-links.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a link works after it is made, ms (enough for Teams to hand it to a browser, short if it leaks). */
export const LINK_TTL_MS = 2 * 60_000;
/** How long one signing key signs, ms: a new key each UTC day; the day before's stays good for links still live. */
export const KEY_PERIOD_MS = 24 * 60 * 60_000;
/** Longest token read (the real ones are about 250 characters). */
const MAX_TOKEN = 1_000;
const VERSION = 1;
/** Signed text starts with this, so a signature over anything else never passes as a link's. */
const CONTEXT = 'sla-desk file link v1\n';

export interface LinkClaims {
  /** The signing key's period (keyPeriod of the time the link was made). */
  readonly keyId: number;
  readonly attachmentId: string;
  readonly ticketId: string;
  /** The file's tenant: the ticket must still be that tenant's when the link is used. */
  readonly tenantId: string;
  /** Who asked for the link (their user id). */
  readonly viewerId: string;
  /** Real time after which the link does not work, ms. */
  readonly expiresAt: number;
}

/**
 * The period of the key that signs at `now` (whole days since 1970, UTC).
 * @example keyPeriod(Date.UTC(2026, 10, 25, 13)) // 20417
 */
export function keyPeriod(now: number): number {
  return Math.floor(now / KEY_PERIOD_MS);
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(CONTEXT).update(payload).digest();
}

/** The token for `claims`: base64url(JSON payload) "." base64url(HMAC). */
export function signLink(key: Buffer, claims: LinkClaims): string {
  const c = claims;
  const payload = Buffer.from(
    JSON.stringify([VERSION, c.keyId, c.attachmentId, c.ticketId, c.tenantId, c.viewerId, c.expiresAt]),
  ).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** The claims a token says it carries, unchecked (to find its key), or undefined when it is not a token at all. */
export function readLink(token: string): LinkClaims | undefined {
  if (token.length > MAX_TOKEN) return undefined;
  const [payload = '', sig = '', ...rest] = token.split('.');
  if (rest.length > 0 || !B64URL.test(payload) || !B64URL.test(sig)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== 7 || v[0] !== VERSION) return undefined;
  const [, keyId, attachmentId, ticketId, tenantId, viewerId, expiresAt] = v as unknown[];
  if (!Number.isSafeInteger(keyId) || !Number.isSafeInteger(expiresAt)) return undefined;
  if (![attachmentId, ticketId, tenantId, viewerId].every((s) => typeof s === 'string')) return undefined;
  return {
    keyId: keyId as number,
    attachmentId: attachmentId as string,
    ticketId: ticketId as string,
    tenantId: tenantId as string,
    viewerId: viewerId as string,
    expiresAt: expiresAt as number,
  };
}

/**
 * The claims of a genuine, unexpired token, else undefined. `key(id)` gives the key of a period (undefined when
 * there is none). Only today's and yesterday's keys are asked for: a link made before midnight under yesterday's
 * key expires at most LINK_TTL_MS after it, so yesterday's key stays good exactly as long as its links do.
 */
export async function verifyLink(
  token: string,
  key: (keyId: number) => Promise<Buffer | undefined>,
  now: number,
): Promise<LinkClaims | undefined> {
  const claims = readLink(token);
  if (claims === undefined) return undefined;
  const today = keyPeriod(now);
  if (claims.keyId !== today && claims.keyId !== today - 1) return undefined;
  if (claims.expiresAt <= now || claims.expiresAt > now + LINK_TTL_MS) return undefined;
  const k = await key(claims.keyId);
  if (k === undefined) return undefined;
  const [payload = '', sig = ''] = token.split('.');
  const given = Buffer.from(sig, 'base64url');
  const wanted = mac(k, payload);
  // Compared in constant time; a re-encoded signature (other padding bits) is refused by the exact match below.
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
  if (sig !== wanted.toString('base64url')) return undefined;
  return claims;
}
