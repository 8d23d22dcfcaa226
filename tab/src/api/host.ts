// The Teams host: whether the tab runs inside Teams, its theme (followed live) and SSO tokens.
// In a plain browser none of this is there, and the tab uses the app's local sign-in instead; teams-js is
// then never loaded (it is a chunk of its own, fetched only when a Teams host may be there).
import type * as TeamsParts from './teams';

export type ThemeName = 'light' | 'dark' | 'contrast';

type TeamsJs = typeof TeamsParts;

/** True when a Teams client may be hosting us (framed, or a mobile webview). */
export function maybeInTeams(): boolean {
  return window.parent !== window || 'nativeInterface' in window || /Teams\//.test(navigator.userAgent);
}

let loaded: Promise<TeamsJs> | undefined;
/** teams-js, loaded once on first use. */
export function teamsJs(): Promise<TeamsJs> {
  loaded ??= import('./teams');
  return loaded;
}

let initialized: Promise<boolean> | undefined;

/** Initializes teams-js once; false when no Teams host answers within a few seconds. */
export function initTeams(): Promise<boolean> {
  initialized ??= maybeInTeams()
    ? Promise.race([
        teamsJs()
          .then((t) => t.app.initialize())
          .then(
            () => true,
            () => false,
          ),
        new Promise<boolean>((resolve) => {
          setTimeout(() => {
            resolve(false);
          }, 4000);
        }),
      ])
    : Promise.resolve(false);
  return initialized;
}

export function themeOf(teamsTheme: string | undefined): ThemeName {
  if (teamsTheme === 'dark') return 'dark';
  if (teamsTheme === 'contrast') return 'contrast';
  return 'light';
}

/** The Teams theme now, and a subscription to its changes. */
export async function teamsTheme(onChange: (t: ThemeName) => void): Promise<ThemeName | undefined> {
  if (!(await initTeams())) return undefined;
  const { app } = await teamsJs();
  const context = await app.getContext();
  app.registerOnThemeChangeHandler((t) => {
    onChange(themeOf(t));
  });
  void app.notifySuccess();
  return themeOf(context.app.theme);
}

/** The sub-page a Teams deep link opened the tab at (its context's subEntityId); undefined outside Teams. */
export async function teamsSubPage(): Promise<string | undefined> {
  if (!(await initTeams())) return undefined;
  const { app } = await teamsJs();
  const context = await app.getContext();
  return context.page.subPageId;
}

/** A Teams SSO token for the API (teams-js caches and refreshes it). */
export async function teamsToken(): Promise<string> {
  const { authentication } = await teamsJs();
  return authentication.getAuthToken();
}

/**
 * Whether getAuthToken failed for want of consent (Teams says resourceRequiresConsent; Entra's words may come
 * through as consent_required, interaction_required or invalid_grant, or an AADSTS65001 message). Then the
 * person is asked to consent in a window of their own (authentication.authenticate).
 */
export function needsConsent(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /resourceRequiresConsent|consent_required|interaction_required|invalid_grant|AADSTS65001/i.test(
    text,
  );
}

/** The signed-in person's tenant and login hint, as Teams gives them (for the consent window). */
export async function teamsUser(): Promise<{ tenantId: string | null; loginHint: string | null }> {
  const { app } = await teamsJs();
  const { user } = await app.getContext();
  return {
    tenantId: user?.tenant?.id ?? null,
    loginHint: user?.loginHint ?? user?.userPrincipalName ?? null,
  };
}

/** Opens `url` in Teams' sign-in window; resolves when it calls notifySuccess, rejects with its reason. */
export async function authenticateIn(url: string): Promise<void> {
  const { authentication } = await teamsJs();
  await authentication.authenticate({ url, width: 600, height: 535 });
}
