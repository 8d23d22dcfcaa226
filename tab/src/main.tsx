// Entry, kept small: it starts signing in and asking for the viewer's profile at once, then loads the app's
// code (shell.tsx, the big chunk) meanwhile, so the two overlap on a slow link. Everything else is in App.tsx.
import type { Me } from '../../src/adapters/api/contract';
import { authConfig, getJson } from './api/client';
import { initTeams, maybeInTeams } from './api/host';
import type { Session } from './components/Zone';

const root = document.getElementById('root');
if (root !== null) {
  // App reports a failure of either when it asks again; here they are only started.
  const config = authConfig();
  config.catch(() => undefined);
  const session: Promise<Session> | undefined = window.location.hash.startsWith('#/config')
    ? undefined
    : config.then(() => getJson<Me>('/api/me')).then((me) => ({ me, offsetMs: me.now - Date.now() }));
  session?.catch(() => undefined);
  // Inside Teams, teams-js (a chunk of its own) starts loading now too, and so do the themes other than the
  // light web one (theme.ts) when they will be needed.
  void initTeams();
  const otherTheme =
    maybeInTeams() ||
    window.matchMedia('(prefers-color-scheme: dark)').matches ||
    window.matchMedia('(forced-colors: active)').matches;
  if (otherTheme) void import('./themes');
  void import('./shell').then((m) => m.start(root, session));
}
