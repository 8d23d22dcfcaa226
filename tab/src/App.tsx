// The tab's shell: Teams theme (light, dark, high contrast; live), sign-in (Teams SSO, or the local issuer
// with a persona switcher), navigation by hash route (tabs, a menu on phones), the viewer's zone beside the
// support zone. Every view but the queue is loaded on demand.
import {
  Caption1,
  FluentProvider,
  Select,
  Text,
  makeStyles,
  tokens,
  type Theme,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { authConfig, choosePersona, chosenPersona, CONSENT_REQUIRED, getJson } from './api/client';
import { initTeams, teamsSubPage, teamsTheme } from './api/host';
import { routeOfSubPage } from './deeplink';
import type { AuthConfig, Me } from '../../src/adapters/api/contract';
import { Empty, ErrorState, Loading } from './components/Bits';
import { Options } from './components/Fields';
import { viewerZone } from './components/time';
import { SessionContext, type Session } from './components/Zone';
import { PHONE } from './components/media';
import { Nav } from './Nav';
import { loadTheme, systemTheme, type ThemeChoice } from './theme';
import { Queue } from './pages/Queue';

// The queue is the first view; the others come as their own chunks when opened.
const Availability = lazy(() => import('./pages/Availability').then((m) => ({ default: m.Availability })));
const Outages = lazy(() => import('./pages/Outages').then((m) => ({ default: m.Outages })));
const Reports = lazy(() => import('./pages/Reports').then((m) => ({ default: m.Reports })));
const Config = lazy(() => import('./pages/Config').then((m) => ({ default: m.Config })));
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));
const OnCall = lazy(() => import('./pages/OnCall').then((m) => ({ default: m.OnCall })));
const Team = lazy(() => import('./pages/Team').then((m) => ({ default: m.Team })));
const Ticket = lazy(() => import('./pages/Ticket').then((m) => ({ default: m.Ticket })));
// Asked for only when Teams says the person has not yet let SLA Desk sign them in.
const Consent = lazy(() => import('./components/Consent').then((m) => ({ default: m.Consent })));
const WhatIf = lazy(() => import('./pages/WhatIf').then((m) => ({ default: m.WhatIf })));

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  // The header wraps onto more lines rather than pushing the page wider, so nothing it holds spills past
  // its own background (the nav once did, its text then at 1.45:1 on the page behind).
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    [PHONE]: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}` },
  },
  brand: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  title: { margin: 0 },
  main: {
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    maxWidth: '1400px',
    minWidth: 0,
    [PHONE]: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
  },
  right: {
    display: 'flex',
    alignItems: 'center',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    flexWrap: 'wrap',
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  persona: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    minWidth: 0,
    maxWidth: '100%',
  },
  // A select is as wide as its longest option (a long name) unless told to fit.
  personaSelect: { maxWidth: '100%', minWidth: 0, '& select': { minWidth: 0, width: '100%' } },
});

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}
const hash = (): string => window.location.hash;

/** The route: "#/queue", "#/ticket/TM-1042", … */
function useRoute(): string[] {
  const h = useSyncExternalStore(subscribeHash, hash);
  const path = h.replace(/^#\/?/, '').split('?')[0] ?? '';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length === 0 ? ['queue'] : parts;
}

const STAFF_VIEWS = [
  ['queue', 'Queue'],
  ['dashboard', 'Dashboard'],
  ['availability', 'Availability'],
  ['outages', 'Outages'],
  ['reports', 'Reports'],
  ['whatif', 'What-if'],
  ['oncall', 'On call'],
  ['team', 'Team'],
] as const;
const CUSTOMER_VIEWS = [
  ['queue', 'My tickets'],
  ['availability', 'Service health'],
  ['reports', 'SLA report'],
] as const;

/**
 * The shell; `initial` is the theme for the first paint and the session main.tsx started asking for (used
 * for the first sign-in; a persona switch asks again).
 */
export function App({
  initial,
}: {
  readonly initial: {
    readonly choice: ThemeChoice;
    readonly theme: Theme;
    readonly session?: Promise<Session>;
  };
}) {
  const s = useStyles();
  const [choice, setTheme] = useState<ThemeChoice>(initial.choice);
  // The theme drawn: the last one loaded (a choice's theme may still be on its way).
  const [theme, setDrawn] = useState<{ choice: ThemeChoice; theme: Theme }>(initial);
  useEffect(() => {
    let live = true;
    void loadTheme(choice).then((t) => {
      if (live) setDrawn({ choice, theme: t });
    });
    return () => {
      live = false;
    };
  }, [choice.name, choice.teams]);
  const route = useRoute();
  const [cfg, setCfg] = useState<AuthConfig | null>(null);
  const [persona, setPersona] = useState<string | undefined>(undefined);
  const [session, setSession] = useState<Session | null>(null);
  const [failure, setFailure] = useState<{ status: number; code?: string; message: string } | null>(null);
  // Counts sign-ins started after the person consented (each asks Teams for a token again).
  const [signIns, setSignIns] = useState(0);
  const early = useRef(initial.session);

  useEffect(() => {
    void teamsTheme((name) => setTheme({ name, teams: true })).then((name) => {
      if (name !== undefined) setTheme({ name, teams: true });
    });
    // Outside Teams the system's scheme and forced colours (Windows high contrast) are followed live.
    const media = ['(prefers-color-scheme: dark)', '(forced-colors: active)'].map((q) =>
      window.matchMedia(q),
    );
    const follow = () => {
      void initTeams().then((inTeams) => {
        if (!inTeams) setTheme({ name: systemTheme(), teams: false });
      });
    };
    for (const m of media) m.addEventListener('change', follow);
    return () => {
      for (const m of media) m.removeEventListener('change', follow);
    };
  }, []);

  // A Teams deep link's sub-page (a ticket, a file of it) wins over the tab's configured route, once.
  useEffect(() => {
    void teamsSubPage().then((id) => {
      const to = routeOfSubPage(id);
      if (to !== undefined && window.location.hash !== to) window.location.hash = to;
    });
  }, []);

  useEffect(() => {
    authConfig().then(
      (c) => {
        setCfg(c);
        setPersona(chosenPersona(c));
      },
      (e: unknown) => setFailure({ status: 0, message: e instanceof Error ? e.message : String(e) }),
    );
  }, []);

  useEffect(() => {
    if (cfg === null || route[0] === 'config') return;
    setSession(null);
    setFailure(null);
    const asked =
      early.current ?? getJson<Me>('/api/me').then((me) => ({ me, offsetMs: me.now - Date.now() }));
    early.current = undefined;
    // An answer for a persona or route left since is dropped: only the latest sign-in sets the session.
    let live = true;
    asked.then(
      (started) => {
        if (live) setSession(started);
      },
      (e: unknown) => {
        if (!live) return;
        const status = typeof e === 'object' && e !== null && 'status' in e ? Number(e.status) : 0;
        const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
        setFailure({ status, code, message: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [cfg, persona, route[0] === 'config', signIns]);

  const views = session?.me.role === 'customer' ? CUSTOMER_VIEWS : STAFF_VIEWS;
  const current = route[0] ?? 'queue';
  const allowed = views.some(([v]) => v === current) || current === 'ticket';

  let body;
  if (current === 'config') body = <Config />;
  else if (failure?.code === CONSENT_REQUIRED && cfg?.clientId !== undefined && cfg.consent !== undefined)
    body = (
      <Consent
        clientId={cfg.clientId}
        loginEndpoint={cfg.consent.loginEndpoint}
        onConsented={() => setSignIns((n) => n + 1)}
      />
    );
  else if (failure !== null)
    body =
      failure.status === 403 ? (
        <Empty title="No access">{failure.message} Ask your SLA Desk administrator to add you.</Empty>
      ) : (
        <ErrorState message={failure.message} onRetry={() => window.location.reload()} />
      );
  else if (session === null) body = <Loading label="Signing in…" />;
  else if (!allowed) body = <Empty title="Not available">This view is for support staff.</Empty>;
  else if (current === 'ticket')
    body = (
      <Ticket
        id={route[1] ?? ''}
        file={route[2] === 'file' ? route[3] : undefined}
        back={views.find(([v]) => v === 'queue')?.[1] ?? 'Queue'}
      />
    );
  else if (current === 'dashboard') body = <Dashboard />;
  else if (current === 'availability') body = <Availability />;
  else if (current === 'outages') body = <Outages />;
  else if (current === 'reports') body = <Reports />;
  else if (current === 'whatif') body = <WhatIf />;
  else if (current === 'oncall') body = <OnCall />;
  else if (current === 'team') body = <Team />;
  else body = <Queue />;

  return (
    <FluentProvider theme={theme.theme} className={s.root} data-theme={theme.choice.name}>
      <header className={s.header}>
        <div className={s.brand}>
          <Text as="h1" size={500} weight="semibold" className={s.title}>
            SLA Desk
          </Text>
          {session && (
            <Caption1 data-testid="zones">
              Times in your zone ({viewerZone})
              {session.me.timeZone !== viewerZone
                ? `, support zone (${session.me.timeZoneLabel}) beside`
                : ''}{' '}
              · support is {session.me.supportOpen ? 'open' : 'closed'} now
            </Caption1>
          )}
        </div>
        {current !== 'config' && session && (
          <Nav views={views} current={current === 'ticket' ? 'queue' : current} />
        )}
        <div className={s.right}>
          {cfg?.mode === 'local' && current !== 'config' && (
            <label className={s.persona}>
              <Caption1>View as (local mode) </Caption1>
              <Select
                aria-label="View as"
                className={s.personaSelect}
                data-testid="persona"
                value={persona ?? ''}
                onChange={(_e, d) => {
                  choosePersona(d.value);
                  setPersona(d.value);
                }}
              >
                <Options
                  of={cfg.personas.map(
                    (p) =>
                      [
                        p.id,
                        p.role === 'customer'
                          ? `Customer of ${p.customerName ?? ''}`
                          : `${p.name} (${p.role})`,
                      ] as const,
                  )}
                />
              </Select>
            </label>
          )}
          {session && (
            <Caption1>
              {session.me.name} · {session.me.role}
              {session.me.customerName ? ` · ${session.me.customerName}` : ''}
            </Caption1>
          )}
        </div>
      </header>
      <main className={s.main}>
        {cfg === null && failure === null && current !== 'config' ? <Loading label="Starting…" /> : null}
        <SessionContext.Provider value={session}>
          <Suspense fallback={<Loading label="Loading the view…" />}>
            {cfg !== null || current === 'config' || failure ? body : null}
          </Suspense>
        </SessionContext.Provider>
      </main>
    </FluentProvider>
  );
}
