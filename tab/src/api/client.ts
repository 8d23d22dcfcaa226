// Calls the tab API with a bearer token: Teams SSO inside Teams, the app's local issuer in local mode.
import { initTeams, needsConsent, teamsToken } from './host';
import type { AuthConfig, LocalToken, ProblemBody } from '../../../src/adapters/api/contract';

const PERSONA_KEY = 'sla-desk.persona';

/** An API failure with the server's code and message (shown to the user as is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The code of the sign-in failure that the tab answers with its consent page (components/Consent.tsx). */
export const CONSENT_REQUIRED = 'CONSENT_REQUIRED';

let config: Promise<AuthConfig> | undefined;
let cached: { persona: string; token: string; until: number } | undefined;
/** Who is signed in: the persona in local mode; in Teams the viewer never changes. */
const viewerOf = (cfg: AuthConfig | null): string | null =>
  cfg?.mode === 'local' ? (chosenPersona(cfg) ?? null) : null;

/**
 * The result of `ask` if the viewer is still who asked. An answer to a request made before a persona switch
 * is for someone else and is never delivered (neither data nor error): a slow staff answer must not land in
 * a customer's view after the switch.
 */
async function forSameViewer<T>(ask: () => Promise<T>): Promise<T> {
  const cfg = await authConfig().catch(() => null);
  const asked = viewerOf(cfg);
  const dropped = new Promise<never>(() => undefined);
  try {
    const answer = await ask();
    if (asked !== viewerOf(cfg)) return await dropped;
    return answer;
  } catch (err) {
    if (asked !== viewerOf(cfg)) return await dropped;
    throw err;
  }
}

export function authConfig(): Promise<AuthConfig> {
  const asked = (config ??= fetch('/api/auth/config').then(async (r) => {
    if (!r.ok) throw new ApiError(r.status, 'UNAVAILABLE', 'SLA Desk is not answering.');
    return (await r.json()) as AuthConfig;
  }));
  // A failure (the app restarting, the network down) is not kept: the next request (Try again) asks again.
  asked.catch(() => {
    if (config === asked) config = undefined;
  });
  return asked;
}

export function chosenPersona(cfg: AuthConfig): string | undefined {
  const stored = localStorage.getItem(PERSONA_KEY) ?? undefined;
  if (stored !== undefined && cfg.personas.some((p) => p.id === stored)) return stored;
  return cfg.personas[0]?.id;
}

export function choosePersona(id: string): void {
  localStorage.setItem(PERSONA_KEY, id);
  cached = undefined;
}

async function token(): Promise<string> {
  const cfg = await authConfig();
  if (cfg.mode === 'entra') {
    if (!(await initTeams()))
      throw new ApiError(401, 'NOT_IN_TEAMS', 'Open SLA Desk in Microsoft Teams to sign in.');
    return teamsToken().catch((e: unknown) => {
      if (needsConsent(e))
        throw new ApiError(401, CONSENT_REQUIRED, 'SLA Desk needs your permission to sign you in.');
      throw e;
    });
  }
  const persona = chosenPersona(cfg);
  if (persona === undefined)
    throw new ApiError(
      401,
      'NO_PERSONA',
      'Local mode has no one to sign in as: set STAFF_* or CUSTOMER_TENANTS.',
    );
  if (cached !== undefined && cached.persona === persona && cached.until > Date.now()) return cached.token;
  const r = await fetch(`/api/auth/local/token?persona=${encodeURIComponent(persona)}`, { method: 'POST' });
  if (!r.ok) throw new ApiError(r.status, 'SIGN_IN_FAILED', 'Local sign-in failed.');
  const body = (await r.json()) as LocalToken;
  cached = { persona, token: body.access_token, until: Date.now() + (body.expires_in - 60) * 1000 };
  return body.access_token;
}

/** The JSON answer of a response, or an ApiError with the server's code and message. */
async function answerOf<T>(r: Response): Promise<T> {
  const text = await r.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!r.ok) {
    const e = (body as Partial<ProblemBody> | undefined)?.error;
    throw new ApiError(r.status, e?.code ?? 'ERROR', e?.message ?? `The server answered ${r.status}.`);
  }
  return body as T;
}

/** Forgets the token kept for reuse, so the next request signs in again. */
export function forgetToken(): void {
  cached = undefined;
}

/**
 * A request with the bearer token; the raw response (downloads, POSTs). A token the server no longer accepts
 * (401: the app restarted with a new local signing key, or the token was revoked) is dropped and the request
 * sent once more with a fresh one; a second 401 is the answer.
 */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = async (): Promise<Response> => {
    const t = await token();
    return fetch(path, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${t}` },
    });
  };
  const first = await send();
  if (first.status !== 401) return first;
  forgetToken();
  return send();
}

/** GET an API path as JSON. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return forSameViewer(async () => answerOf<T>(await authorizedFetch(path, signal ? { signal } : {})));
}

/** POST JSON to an API path; the JSON answer, or an ApiError with the server's message. */
export function postJson<T>(path: string, body: unknown): Promise<T> {
  return forSameViewer(async () =>
    answerOf<T>(
      await authorizedFetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    ),
  );
}

/** The bearer token, for a request the tab sends itself (an upload with progress over XMLHttpRequest). */
export const bearerToken = (): Promise<string> => token();

/** A fresh idempotency key for an action (a retry of the same action reuses it). */
export function requestId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c !== undefined && typeof c.randomUUID === 'function') return c.randomUUID();
  return `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
