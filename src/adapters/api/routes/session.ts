// Signing in and who is signed in: the public sign-in configuration, in local mode the local issuer's key
// and tokens, and /api/me (the caller, the support zone and, for staff, the filter choices).
import type { Config } from '../../../config';
import type { Policy } from '../../../domain/policy/schema';
import type { Instant, SlaEngine } from '../../../domain/sla';
import { personasOf, type LocalIssuer } from '../local-sign-in';
import { ANYONE, badRequest, ok, publicRoute, route } from '../route';
import type { PublicRouteSpec, RouteSpec } from '../route';

export interface SessionDeps {
  readonly config: Config;
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly now: () => Instant;
  /** Real time, for token expiry. */
  readonly wallClock?: (() => number) | undefined;
}

/** The public routes: /api/auth/config and, in local mode, the local issuer's two. */
export function signInRoutes(deps: SessionDeps, localIssuer: LocalIssuer | undefined): PublicRouteSpec[] {
  const { config, policy } = deps;
  const routes: PublicRouteSpec[] = [
    publicRoute({
      route: 'GET /api/auth/config',
      handle: () =>
        ok({
          mode: config.tabAuth.mode,
          ...(config.tabAuth.mode === 'entra'
            ? { clientId: config.tabAuth.clientId, consent: consentOf(config) }
            : {}),
          personas:
            localIssuer === undefined
              ? []
              : personasOf(config).map((p) => ({
                  id: p.id,
                  role: p.role,
                  name: p.name,
                  customerName: p.customerName ?? null,
                })),
          timeZone: policy.timeZone,
          timeZoneLabel: policy.timeZoneLabel,
        }),
    }),
  ];
  if (localIssuer === undefined) return routes;
  return [
    ...routes,
    publicRoute({
      route: 'GET /api/auth/local/keys',
      handle: () => ok({ keys: [localIssuer.publicJwk] }),
    }),
    publicRoute({
      route: 'POST /api/auth/local/token',
      handle: async (_input, { query }) => {
        const persona = personasOf(config).find((p) => p.id === query['persona']);
        if (persona === undefined) return badRequest('Unknown persona.');
        const { token, expiresIn } = await localIssuer.mint(persona, (deps.wallClock ?? Date.now)());
        return ok({ access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn });
      },
    }),
  ];
}

/**
 * Where the tab's consent page sends a person: the token authority and the app's own scope, named by its
 * Application ID URI (api://<TAB_DOMAIN>/<client id>, or TAB_API_AUDIENCE; the client id when neither is set).
 */
function consentOf(config: Config): { loginEndpoint: string; scope: string } {
  const audiences = config.tabAuth.mode === 'entra' ? config.tabAuth.audiences : [];
  const uri = audiences.find((a) => a.startsWith('api://')) ?? `api://${audiences[0] ?? ''}`;
  return { loginEndpoint: config.graph.loginEndpoint, scope: `${uri}/access_as_user` };
}

export function sessionRoutes(deps: SessionDeps): RouteSpec[] {
  const { config, policy, engine } = deps;
  return [
    route(ANYONE, {
      route: 'GET /api/me',
      handle: (_input, { principal }) =>
        ok({
          ...principal,
          timeZone: policy.timeZone,
          timeZoneLabel: policy.timeZoneLabel,
          now: deps.now(),
          supportOpen: engine.calendar.inSupportHours(deps.now()),
          ...(principal.role === 'customer'
            ? {}
            : {
                customers: [...config.customers].map(([id, name]) => ({ id, name })),
                staff: [...new Map([...config.staff.engineers, ...config.staff.managers])].map(
                  ([id, name]) => ({ id, name }),
                ),
              }),
        }),
    }),
  ];
}
