// The sign-in window's first page (auth-start.html), opened by Teams for authentication.authenticate(): it
// takes the app's sign-in settings from the server, keeps a fresh state for auth-end.html to check, and goes
// on to the Entra authorize endpoint of the person's tenant (given by the tab as ?tenant=&loginHint=).
import type { AuthConfig } from '../../../src/adapters/api/contract';
// It needs no teams-js: a failure here goes on to auth-end.html as an error answer, which tells Teams.
import { authorizeUrl, challengeOf, END_PATH, randomToken, STATE_KEY } from './flow';

async function begin(state: string): Promise<void> {
  const asked = new URLSearchParams(window.location.search);
  const r = await fetch('/api/auth/config');
  const cfg = r.ok ? ((await r.json()) as AuthConfig) : undefined;
  if (cfg?.mode !== 'entra' || cfg.clientId === undefined || cfg.consent === undefined) {
    fail(state, 'not_configured');
    return;
  }
  window.location.replace(
    authorizeUrl({
      loginEndpoint: cfg.consent.loginEndpoint,
      clientId: cfg.clientId,
      scope: cfg.consent.scope,
      tenantId: asked.get('tenant'),
      loginHint: asked.get('loginHint'),
      origin: window.location.origin,
      state,
      // The code is never redeemed, so the verifier is not kept.
      codeChallenge: await challengeOf(randomToken()),
    }),
  );
}

/** Ends the round trip here: auth-end.html reports `error` to the tab. */
function fail(state: string, error: string): void {
  window.location.replace(`${END_PATH}#${new URLSearchParams({ error, state }).toString()}`);
}

const state = randomToken();
sessionStorage.setItem(STATE_KEY, state);
begin(state).catch(() => {
  fail(state, 'unexpected_failure');
});
