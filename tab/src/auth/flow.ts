// The consent round trip's pure parts, shared by the sign-in window's pages (start.ts, end.ts) and the tab's
// consent message: the authorize request, the answer's outcome, the admin-consent link. No teams-js, no React.

/** Where start.ts keeps the state it sent, for end.ts to compare (the sign-in window's own session). */
export const STATE_KEY = 'sla-desk.consent-state';
/** The sign-in window's pages, served by the app under /tab. */
export const START_PATH = '/tab/auth-start.html';
export const END_PATH = '/tab/auth-end.html';

/** A tenant id as Entra names one (a GUID); anything else asks a tenant-less endpoint (`otherwise`). */
const TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const tenantOr = (tid: string | null | undefined, otherwise: string): string =>
  tid !== null && tid !== undefined && TENANT.test(tid) ? tid.toLowerCase() : otherwise;

export interface AuthorizeRequest {
  readonly loginEndpoint: string;
  readonly clientId: string;
  readonly scope: string;
  readonly tenantId: string | null;
  readonly loginHint: string | null;
  readonly origin: string;
  readonly state: string;
  readonly codeChallenge: string;
}

/**
 * The Entra authorize URL that asks the person (prompt=consent) to let SLA Desk sign them in, in their own
 * tenant. The code comes back in the fragment (never sent to a server) and is never redeemed: the consent is
 * the point. PKCE's challenge is there because Entra requires one for a single-page app's redirect URI.
 */
export function authorizeUrl(r: AuthorizeRequest): string {
  const q = new URLSearchParams({
    client_id: r.clientId,
    response_type: 'code',
    response_mode: 'fragment',
    scope: `${r.scope} openid profile`,
    prompt: 'consent',
    redirect_uri: `${r.origin}${END_PATH}`,
    state: r.state,
    code_challenge: r.codeChallenge,
    code_challenge_method: 'S256',
  });
  if (r.loginHint !== null && r.loginHint !== '') q.set('login_hint', r.loginHint);
  return `${r.loginEndpoint}/${tenantOr(r.tenantId, 'organizations')}/oauth2/v2.0/authorize?${q.toString()}`;
}

/** The link a tenant's admin opens to approve SLA Desk for everyone in that tenant ("common": theirs). */
export function adminConsentUrl(loginEndpoint: string, tenantId: string | null, clientId: string): string {
  const tenant = tenantOr(tenantId, 'common');
  return `${loginEndpoint}/${tenant}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * What Entra's answer (the fragment's parameters) means, given the state this window sent (null: none was
 * kept). A state that does not match is refused before anything else in the answer is believed.
 */
export function outcomeOf(answer: URLSearchParams, sent: string | null): Outcome {
  const state = answer.get('state');
  if (sent === null || sent === '' || state !== sent) return { ok: false, reason: 'StateDoesNotMatch' };
  const error = answer.get('error');
  if (error !== null)
    return { ok: false, reason: /^[a-z_]{1,40}$/.test(error) ? error : 'UnexpectedFailure' };
  return answer.get('code') !== null ? { ok: true } : { ok: false, reason: 'UnexpectedFailure' };
}

/** Random bytes as base64url (state, PKCE verifier). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** PKCE S256: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** What a failed consent means, in words for the person. */
export function reasonText(reason: string): string {
  switch (reason) {
    case 'CancelledByUser':
      return 'The sign-in window was closed before permission was given.';
    case 'access_denied':
      return 'Permission was not given. If your organisation lets only admins approve apps, ask your IT admin to approve SLA Desk with the link below.';
    case 'consent_required':
    case 'interaction_required':
      return 'Microsoft sign-in needs your organisation’s admin to approve SLA Desk first; send them the link below.';
    case 'StateDoesNotMatch':
      return 'The answer from Microsoft sign-in did not belong to this request, so SLA Desk did not use it.';
    case 'FailedToOpenWindow':
      return 'Teams could not open the sign-in window.';
    case 'not_configured':
      return 'SLA Desk’s sign-in settings are missing on the server; tell your SLA Desk administrator.';
    default:
      return `Microsoft sign-in did not finish (${reason.slice(0, 80)}). Try again.`;
  }
}
