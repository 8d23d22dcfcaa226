// The tab API: JSON routes under /api/ for everything the tab shows, one file of routes per feature in
// routes/, each route declared with route() (route.ts) and answering the view contract.ts names for it.
// registerApi puts the sign-in, ticket, staff action, SLA, on-call and team insight routes on the server; app.ts
// adds the outage and report routes (they need the outage service and the bot's card updates) with api.router.add.
import type restify from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { AuditLog } from '../storage/audit';
import type { Policy } from '../../domain/policy/schema';
import type { Instant, SlaEngine } from '../../domain/sla';
import type { StatsService } from '../../domain/stats/service';
import type { TicketService } from '../../domain/tickets/service';
import { keysFor, TokenChecker, type StaffRole } from './auth';
import { LOCAL_AUDIENCE, LocalIssuer } from './local-sign-in';
import type { OutageSource, OverrideSource } from './ports';
import type { RouteSpec } from './route';
import { ApiRouter } from './router';
import { Throttle } from '../http/throttle';
import { insightRoutes } from './routes/insights';
import { actionRoutes, type StaffPicker } from './routes/actions';
import { onCallRoutes } from './routes/oncall';
import { outageRoutes as outageOnlyRoutes, type OutageRouteDeps } from './routes/outages';
import { reportRoutes, type ReportRouteDeps } from './routes/reports';
import { sessionRoutes, signInRoutes } from './routes/session';
import { slaRoutes } from './routes/sla';
import { ticketRoutes } from './routes/tickets';
import { attachmentRoutes } from './routes/attachments';
import { fileLinkRoutes } from './routes/file-links';
import type { LinkKeys } from '../storage/link-keys';
import type { AttachmentService } from '../../domain/attachments/service';
import type { DeliveryLog } from './deliveries';

export interface ApiDeps {
  readonly config: Config;
  /** Who is staff (the app's staff directory). */
  readonly staffRole: StaffRole;
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly stats: StatsService;
  readonly outages: OutageSource;
  readonly overrides: OverrideSource;
  readonly log: Logger;
  /** The domain clock (simulated in tests). */
  readonly now: () => Instant;
  /** Real time, for token expiry. */
  readonly wallClock?: () => number;
  /** Where refused look-ups of another tenant's (or no) ticket, and refused staff actions, are recorded. */
  readonly audit: AuditLog;
  /** The staff directory's pick list, for assigning from the tab. */
  readonly staffPicker: StaffPicker;
  /** Files on tickets: download, upload, delete, and a reply's files. */
  readonly attachments: AttachmentService;
  /** The keys that sign short-lived download links (shared by every instance). */
  readonly linkKeys: LinkKeys;
  /** Which customer messages Teams accepted, for the tab's word on a reply's delivery. */
  readonly deliveries?: DeliveryLog | undefined;
}

/** The app's API: its router (to add routes) and, in local mode, its own token issuer. */
export interface Api {
  readonly router: ApiRouter;
  readonly localIssuer: LocalIssuer | undefined;
}

/** Registers the tab API's routes. Public: /api/auth/config and, in local mode, the local issuer's two routes. */
export async function registerApi(server: restify.Server, deps: ApiDeps): Promise<Api> {
  const { config } = deps;
  const localIssuer = config.tabAuth.mode === 'local' ? await LocalIssuer.create() : undefined;
  const checker = new TokenChecker({
    config,
    staffRole: deps.staffRole,
    keys: keysFor(config, localIssuer?.publicJwk),
    audiences: config.tabAuth.mode === 'entra' ? config.tabAuth.audiences : [LOCAL_AUDIENCE],
    ...(deps.wallClock === undefined ? {} : { wallClock: deps.wallClock }),
  });
  const router = new ApiRouter(server, checker, deps.log, {
    throttle: {
      limits: new Throttle('api', {
        limits: config.limits,
        audit: deps.audit,
        log: deps.log,
        now: deps.now,
        ...(deps.wallClock === undefined ? {} : { clock: deps.wallClock }),
      }),
      behindProxy: config.production,
    },
    audit: (entry) => deps.audit.record(entry),
    now: deps.now,
  });
  router.add([
    ...signInRoutes(deps, localIssuer),
    ...sessionRoutes(deps),
    ...ticketRoutes({ ...deps, ticketPrefix: config.ticketPrefix }),
    ...actionRoutes({ ...deps, staff: deps.staffPicker }),
    ...slaRoutes(deps),
    ...insightRoutes({ ...deps, staff: new Map([...config.staff.engineers, ...config.staff.managers]) }),
    ...onCallRoutes({
      rotation: config.rotation,
      names: new Map([...config.staff.engineers, ...config.staff.managers]),
      zone: deps.policy.timeZone,
      overrides: deps.overrides,
      now: deps.now,
      escalation: deps.policy.escalation,
      manager: config.oncall.manager,
    }),
  ]);
  router.addStream(attachmentRoutes(deps));
  const links = fileLinkRoutes({
    ...deps,
    keys: deps.linkKeys,
    origin: config.tab.domain === undefined ? undefined : `https://${config.tab.domain}`,
  });
  router.add([links.mint]);
  router.addOpen([links.open]);
  return { router, localIssuer };
}

/** The outage, status and report routes, for `api.router.add`. */
export function outageRoutes(deps: OutageRouteDeps & ReportRouteDeps): RouteSpec[] {
  return [...outageOnlyRoutes(deps), ...reportRoutes(deps)];
}

export type { OutageRouteDeps, ReportRouteDeps };
