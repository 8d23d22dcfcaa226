// The composition root: builds every part from the configuration and starts/stops them together.
// src/index.ts runs it for real; tests build it in-process on a free port.
import { createAdapter, type AdapterOptions } from './adapters/teams/adapter';
import { botTokenSource } from './adapters/teams/bot-token';
import { FileFetcher } from './adapters/teams/chat-files';
import { createBot } from './adapters/bot';
import { OnCallLookup } from './domain/oncall/who';
import type { BotDeps } from './adapters/bot/deps';
import { onTicketChanged } from './adapters/teams/thread';
import { budgetNoticePoster } from './adapters/teams/notices';
import { Outbound, type Patience } from './adapters/teams/outbound';
import { Background } from './background';
import { TableAuditLog } from './adapters/storage/audit';
import { TableNoticeLog } from './adapters/storage/notices';
import { TableSettings, type SupportChannel } from './adapters/storage/settings';
import { TableLinkKeys } from './adapters/storage/link-keys';
import { TableMessageRefs } from './adapters/storage/messages';
import type { Config } from './config';
import type { Logger } from './log';
import type { Policy } from './domain/policy/schema';
import { createServer, serveTab, start, type RunningServer } from './adapters/server';
import { edgeFor } from './adapters/http/edge';
import { outageRoutes, registerApi, type Api } from './adapters/api';
import { tabCaller } from './adapters/api/auth';
import type { OutageSource, OverrideSource } from './adapters/api/ports';
import { StatsService } from './domain/stats/service';
import { TableStatsRepo } from './adapters/storage/stats-repo';
import { TableSatisfactionStore } from './adapters/storage/satisfaction';
import { countRatings } from './domain/stats/satisfaction-count';
import { catchUpRatings } from './domain/stats/satisfaction-catchup';
import { SlaEngine, type Instant } from './domain/sla';
import { createTableClients, type StorageHandle } from './adapters/storage/tables';
import { TableTicketRepo } from './adapters/storage/ticket-repo';
import { TicketService } from './domain/tickets/service';
import { OutageService } from './domain/outages/service';
import { TableNoticeMarks, TableOutageRepo } from './adapters/storage/outages';
import { OutageNotifier } from './domain/outages/notifier';
import { randomBytes } from 'node:crypto';
import { outageSource } from './adapters/api/ports';
import type { RouteSpec } from './adapters/api/route';
import { onOutageChanged } from './adapters/bot/outages';
import { ThreadRepair } from './adapters/bot/repair';
import { StaffDirectory } from './domain/staff/directory';
import { GraphClient, type GraphCredential } from './adapters/graph';
import { ManagedIdentityCredential } from '@azure/identity';

import { TableOutbox } from './adapters/storage/outbox';
import { TablePresence } from './adapters/storage/presence';
import { TableThreadClaims } from './adapters/storage/thread-claims';
import { REPAIR_LEASE, TableLease } from './adapters/storage/leases';
import { TableOverrides } from './adapters/storage/overrides';
import { settleEntry } from './watcher/settle';
import { Watcher } from './watcher/watcher';
import { realClock, type AppClock } from './watcher/clock';
import { hostname } from 'node:os';
import { addLogContext } from './log';
import { appMetrics } from './adapters/metrics';
import { readiness, type ReadinessOptions } from './adapters/readiness';
import { AttachmentService } from './domain/attachments/service';
import { blobOptionsFor, openBlobStore } from './adapters/storage/blobs';
import { TableAttachmentRows } from './adapters/storage/attachment-rows';

export const TABLES = [
  'tickets',
  'ticketindex',
  'settings',
  'audit',
  'stats',
  'statstickets',
  'outages',
  'outbox',
  'satisfaction',
  'attachments',
] as const;
export type TableName = (typeof TABLES)[number];

export interface App {
  readonly config: Config;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly storage: StorageHandle;
  /** Work that continues after requests are answered; tests drain it. */
  readonly background: Background;
  readonly deps: BotDeps;
  /** The managers' channel notices (monthly summary, budget warnings); ticks every minute while running. */
  readonly notices: OutageNotifier<SupportChannel>;
  /** The tab API's outage, status and report routes (src/api/routes), registered on the API's router. */
  readonly outageRoutes: readonly RouteSpec[];
  /** The dashboard's counters. */
  readonly stats: StatsService;
  /** The tab API (add routes with api.router.add). */
  readonly api: Api;
  /** The deadline watcher and its outbox (tests run passes by hand). */
  readonly watcher: Watcher;
  readonly outbox: TableOutbox;
  /** Files on tickets (Blob Storage and the attachments table). */
  readonly attachments: AttachmentService;
  /** Listening address, once started. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly config: Config;
  readonly policy: Policy;
  readonly log: Logger;
  /** The clock; the real one unless a test or the simulated clock drives it. */
  readonly now?: () => Instant;
  /** Clock ms per real ms (the simulated clock's speed), for leases and backoff; 1 by default. */
  readonly speed?: number;
  /** How long background sends retry through Teams failures (default DEFAULT_PATIENCE; tests shorten it). */
  readonly patience?: Patience;
  /** Token authority endpoints and credentials for the bot (tests point them at loopback stand-ins). */
  readonly botAuth?: AdapterOptions;
  /** How often the managers' channel notices are checked (default a minute; 0 = never, tests tick by hand). */
  readonly noticeIntervalMs?: number;
  /** Where the built tab is served from (default tab/dist). */
  readonly tabDir?: string;
  /** Outages for the availability view (default: the recorded outages in Table Storage). */
  readonly outages?: OutageSource;
  /** On-call overrides for the tab (default: the ones stored in Table Storage). */
  readonly overrides?: OverrideSource;
  /**
   * Catch up the dashboard's counters for this month and the last on start (changes counted in the
   * background of an instance that crashed); default true. The bench turns it off to measure alone.
   */
  readonly reconcileStats?: boolean;
  /** How /readyz judges storage and the watcher (tests shorten the limits). */
  readonly readiness?: ReadinessOptions;
}

/** Staff by configured ids, and by Entra group through Graph as the bot (its managed identity or client secret). */
function staffDirectory(config: Config, log: Logger): StaffDirectory {
  const { groups, tenantId } = config.staff;
  const bot = config.bot;
  const wanted = groups.engineer !== undefined || groups.manager !== undefined;
  const credential: GraphCredential | undefined =
    !wanted || tenantId === undefined || bot.mode === 'local'
      ? undefined
      : bot.type === 'UserAssignedMSI'
        ? { kind: 'managed-identity', source: new ManagedIdentityCredential({ clientId: bot.appId }) }
        : bot.password === undefined
          ? undefined
          : {
              kind: 'client-secret',
              loginEndpoint: config.graph.loginEndpoint,
              tenantId,
              clientId: bot.appId,
              clientSecret: bot.password,
            };
  const graph =
    credential === undefined ? undefined : new GraphClient({ endpoint: config.graph.endpoint, credential });
  if (wanted && graph === undefined) {
    // loadConfig refuses this outside local mode.
    log.warn(
      'local mode: STAFF_ENGINEER_GROUP/STAFF_MANAGER_GROUP are ignored (reading groups needs the bot identity, BOT_ID); only STAFF_ENGINEERS and STAFF_MANAGERS are staff',
    );
  }
  return new StaffDirectory({ config, graph, log });
}

/** Builds the app, opens storage (starting embedded Azurite when configured) and listens. */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, policy, log } = options;
  const now = options.now ?? (() => Date.now());
  const clock: AppClock = options.now === undefined ? realClock : { now, speed: options.speed ?? 1 };
  const engine = new SlaEngine(policy);
  const names = TABLES.map((t) => `${config.tablePrefix}${t}`);
  const storage = await createTableClients(config.storage, names, log);
  const metrics = appMetrics();
  for (const [name, client] of Object.entries(storage.clients))
    client.pipeline.addPolicy(metrics.storagePolicy(name.slice(config.tablePrefix.length)));
  const table = (name: TableName) => {
    const client = storage.clients[`${config.tablePrefix}${name}`];
    if (client === undefined) throw new Error(`table ${name} was not opened`);
    return client;
  };
  let running: RunningServer | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let sweeper: ReturnType<typeof setInterval> | undefined;
  let staff: StaffDirectory | undefined;
  try {
    const background = new Background(log);
    const repo = new TableTicketRepo({
      tickets: table('tickets'),
      index: table('ticketindex'),
      prefix: config.ticketPrefix,
      now,
      later: (key, work) => {
        background.run(key, 'cleaning the ticket index', work);
      },
    });
    const upgraded = await repo.upgradeIndex();
    if (upgraded > 0) log.info('moved index rows to their shards', { rows: upgraded });
    const statsRepo = new TableStatsRepo(table('stats'), table('statstickets'));
    const movedStats = await statsRepo.upgrade();
    if (movedStats > 0) log.info('moved dashboard ticket rows to statstickets', { rows: movedStats });
    const tickets = new TicketService({ repo, engine, now, rules: config.tickets });
    // The rest of a turn's log lines name the ticket it filed or changed.
    tickets.changes.subscribe(({ ticket }) => {
      addLogContext({ ticket: ticket.id });
      return Promise.resolve();
    });
    const adapter = createAdapter(config.bot, {
      ...options.botAuth,
      serviceHosts: config.teams.serviceHosts,
      log,
    });
    const outbound = new Outbound(
      adapter,
      config.bot.mode === 'authenticated' ? config.bot.appId : '',
      options.patience,
    );
    const outageRepo = new TableOutageRepo(table('outages'), { now });
    const instanceId = config.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    // Every instance keeps a presence row while it runs: the tenant rate is shared among the live ones, and a
    // thread another instance is posting is left to it while it lives.
    // Keyed by this run of the process: an instance restarted under the same INSTANCE_ID is a new one, so
    // that the claims of the run that died are taken over, not taken for its own.
    // Only letters, digits, `-`, `_` and `.` (table keys may not hold / \\ # ? or control characters).
    const run = `${instanceId.replace(/[^A-Za-z0-9._-]/g, '_')}.${randomBytes(4).toString('hex')}`;
    // A 60 s lease renewed every 10 s: a storage outage of half a minute does not make live instances look dead.
    const presence = new TablePresence(table('outbox'), { instanceId: run, ttlMs: 60_000, everyMs: 2_000 });
    const overrides = new TableOverrides(table('settings'));
    const { attachments: files } = config;
    const attachments = new AttachmentService({
      tickets,
      blobs: await openBlobStore(
        blobOptionsFor(config.storage, storage.connectionString, files.blobEndpoint),
        files.container,
      ),
      rows: new TableAttachmentRows(table('attachments')),
      limits: files,
      newId: () => randomBytes(12).toString('base64url'),
      now,
    });
    const satisfaction = new TableSatisfactionStore(table('satisfaction'));
    const deps: BotDeps = {
      config,
      policy,
      engine,
      tickets,
      log,
      now,
      contact: {
        phone: config.contact.phone ?? policy.contact.phone,
        email: config.contact.email ?? policy.contact.email,
      },
      // The watcher runs in every app (below): it pages whoever is on call, by rotation or by override.
      paging: true,
      oncall: new OnCallLookup(config, overrides, policy.timeZone),
      settings: new TableSettings(table('settings')),
      audit: new TableAuditLog(table('audit')),
      notices: new TableNoticeLog(table('settings')),
      threadClaims: new TableThreadClaims(table('outbox'), run, (id) => presence.isLive(id)),
      messages: new TableMessageRefs(table('tickets')),
      outbound,
      background,
      outages: new OutageService({ repo: outageRepo, policy, now }),
      staff: staffDirectory(config, log),
      attachments,
      satisfaction,
      // Files customers send in chat: only from ATTACHMENT_HOSTS; the bot's token only to Teams' own hosts.
      fetcher: new FileFetcher({
        hosts: config.chatFiles.hosts,
        tokenHosts: config.teams.serviceHosts,
        timeoutMs: config.chatFiles.timeoutMs,
        token: botTokenSource(adapter, config.bot.mode === 'authenticated' ? config.bot.appId : ''),
      }),
    };
    tickets.changes.subscribe(onTicketChanged(deps));
    deps.outages.changes.subscribe(onOutageChanged(deps));
    const notices = new OutageNotifier({
      policy,
      calendar: engine.calendar,
      outages: deps.outages,
      marks: new TableNoticeMarks(table('outages')),
      settings: deps.settings,
      post: budgetNoticePoster(outbound, policy),
      log,
      owner: `instance-${randomBytes(6).toString('hex')}`,
    });
    const every = options.noticeIntervalMs ?? 60_000;
    timer =
      every > 0
        ? setInterval(() => {
            background.run('outage-notices', 'checking availability notices', async () => {
              await notices.tick(now());
            });
          }, every)
        : undefined;
    timer?.unref();
    // Retention and orphan blobs, hourly (real time); each instance may run it: deletions are ETag-guarded.
    sweeper = setInterval(() => {
      background.run('attachments:sweep', 'deleting expired and orphan files', async () => {
        await attachments.sweep(now(), files.retentionDays);
      });
    }, 3_600_000);
    sweeper.unref();
    const repair = new ThreadRepair(deps, new TableLease(table('settings'), REPAIR_LEASE), {
      ...config.threadRepair,
      speed: clock.speed,
      owner: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    });
    const stats = new StatsService({ repo: statsRepo, engine, tickets, background, satisfaction });
    tickets.changes.subscribe(stats.listener());
    tickets.changes.subscribe(countRatings({ store: satisfaction, background, zone: policy.timeZone }));
    deps.staff.start();
    staff = deps.staff;
    const outbox = new TableOutbox(table('outbox'));
    const watcher = new Watcher({
      app: { ...deps, teams: outbound },
      outbox,
      overrides,
      clock,
      instanceId,
      presence,
      metrics,
    });
    metrics.observe({
      backlog: () => watcher.delivery.backlog,
      sinceLastPassMs: () => watcher.sinceLastPassMs(),
    });
    // A change that makes something due at once (a P1 to page or announce) is handled now, not at the next pass.
    tickets.changes.subscribe(({ ticket }) => {
      const next = ticket.sla.nextNoticeAt;
      if (next !== null && next <= now()) watcher.kick(ticket.id);
      return Promise.resolve();
    });
    // An acknowledged or resolved page: its cards in the channels lose their Acknowledge button.
    tickets.changes.subscribe((change) => {
      const entry = settleEntry(change, now());
      if (entry !== undefined)
        background.run(`ticket:${change.ticket.id}`, 'settling page cards', async () => {
          await outbox.enqueue(entry, now());
          watcher.kick(change.ticket.id);
        });
      return Promise.resolve();
    });

    const bot = createBot(adapter, deps, { overrides, watcher });
    const edge = edgeFor(config, { audit: deps.audit, log, now });
    const door = { open: true };
    const server = createServer({
      engine,
      log,
      now,
      bot: { adapter, app: bot },
      requests: background,
      edge,
      metrics,
      door,
      readiness: readiness({ settings: table('settings'), watcher, options: options.readiness }),
    });
    const directory = deps.staff;
    const api = await registerApi(server, {
      config,
      staffRole: (tenantId, userId, name) => directory.resolve(tabCaller(tenantId, userId, name)),
      policy,
      engine,
      tickets,
      stats,
      outages: options.outages ?? outageSource(outageRepo),
      overrides: options.overrides ?? overrides,
      log,
      now,
      audit: deps.audit,
      staffPicker: directory,
      attachments,
      linkKeys: new TableLinkKeys(table('settings')),
      deliveries: deps.notices,
    });
    const routes = outageRoutes({
      policy,
      engine,
      outages: deps.outages,
      tickets,
      customers: config.customers,
      audit: deps.audit,
      now,
      satisfaction,
    });
    api.router.add(routes);
    serveTab(server, options.tabDir);
    if (options.reconcileStats !== false) {
      background.run('stats:reconcile', 'catching up the dashboard counters', async () => {
        const fixed = await stats.catchUp(now());
        if (fixed > 0) log.info(`dashboard counters: caught up ${fixed} ticket changes`);
      });
      background.run('satisfaction:catch-up', 'catching up the satisfaction counters', async () => {
        const writtenSince = (since: number) => repo.writtenSince(since);
        const n = await catchUpRatings(
          { store: satisfaction, writtenSince, zone: policy.timeZone },
          Date.now(),
        );
        if (n > 0) log.info(`satisfaction counters: recounted ${n} ratings`);
      });
    }
    running = await start(server, config.host, config.port);
    await watcher.join();
    presence.start();
    watcher.start();
    repair.start();
    const listening = running;
    let stopped = false;
    return {
      config,
      engine,
      tickets,
      storage,
      background,
      deps,
      notices,
      outageRoutes: routes,
      stats,
      api,
      watcher,
      outbox,
      attachments,
      url: listening.url,
      async stop() {
        if (stopped) return;
        stopped = true;
        // New requests get 503 and Connection: close; those in flight get DRAIN_TIMEOUT_MS to be answered
        // while the watcher and delivery end after the step in hand and leave the live instances.
        door.open = false;
        listening.refuse();
        clearInterval(timer);
        clearInterval(sweeper);
        const [answered] = await Promise.all([
          background.answered(config.drainTimeoutMs),
          watcher.stop(),
          repair.stop(),
        ]);
        if (!answered)
          log.warn('stopping with requests still unanswered', { afterMs: config.drainTimeoutMs });
        await listening.stop();
        outbound.close();
        await deps.staff.stop();
        if (!(await background.drain(config.drainTimeoutMs)))
          log.warn('stopping with background work unfinished', { afterMs: config.drainTimeoutMs });
        metrics.stop();
        await storage.close();
      },
    };
  } catch (err) {
    clearInterval(timer);
    clearInterval(sweeper);
    metrics.stop();
    await running?.stop();
    await staff?.stop();
    await storage.close();
    throw err;
  }
}
