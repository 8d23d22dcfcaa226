// The one place that reads process.env: every key typed, documented, defaulted where safe, frozen.
// Names match the Teams Toolkit env files (env/.env.*). Startup fails with a message naming the key.
import { rotationSchema, type Rotation } from './domain/oncall/roster';
import type { StaffSettings } from './domain/staff/caller';
import type { StorageOptions } from './adapters/storage/tables';
import type { RateLimits } from './adapters/http/rate-limit';
import type { Level } from './log';

import { envSchema, LOOPBACK_HOST, type Env } from './config-env';

export { envSchema, type Env };

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  /** True when the server binds only to loopback. */
  readonly loopback: boolean;
  readonly policyFile: string | undefined;
  readonly tablePrefix: string;
  readonly ticketPrefix: string;
  /** Where the tables are (src/storage/tables.ts opens them). */
  readonly storage: StorageOptions;
  /** Files on tickets (src/domain/attachments): limits, the blob container, retention. */
  readonly attachments: {
    readonly maxBytes: number;
    readonly maxPerTicket: number;
    /** The container's full name (TABLE_PREFIX in lower case, then ATTACHMENT_CONTAINER). */
    readonly container: string;
    /** 0 = files are kept. */
    readonly retentionDays: number;
    /** The blob endpoint with managed identity (BLOBS_ENDPOINT), when set. */
    readonly blobEndpoint: string | undefined;
  };
  readonly bot:
    | { readonly mode: 'local' }
    | {
        readonly mode: 'authenticated';
        readonly appId: string;
        readonly password: string | undefined;
        readonly type: Env['BOT_TYPE'];
        readonly tenantId: string | undefined;
      };
  readonly contact: { readonly phone: string | undefined; readonly email: string | undefined };
  /** Customer tenants by id, with the account name shown to staff. */
  readonly customers: ReadonlyMap<string, string>;
  readonly staff: StaffSettings;
  /** Microsoft Graph and the Entra token authority (base URLs, no trailing slash). */
  readonly graph: { readonly endpoint: string; readonly loginEndpoint: string };
  /** The weekly on-call rotation (ids are staff object ids); undefined when nobody is on call. */
  readonly rotation: Rotation | undefined;
  readonly oncall: {
    /** The support manager paged last (lower-case object id), if any manager is configured. */
    readonly manager: string | undefined;
    /** Staff ids @mentioned when a P1 arrives inside support hours. */
    readonly responders: readonly string[];
  };
  readonly watcher: {
    readonly intervalMs: number;
    readonly leaseMs: number;
    readonly tenantRate: number;
    readonly stuckAttempts: number;
    /** Clock ms a finished outbox entry is kept. */
    readonly retentionMs: number;
  };
  /** The simulated clock (local mode only): `start` shown at real instant `anchor`, running `speed` times faster. */
  readonly simClock:
    { readonly start: number; readonly speed: number; readonly anchor: number | undefined } | undefined;
  readonly instanceId: string | undefined;
  /** Posting threads a crash interrupted (src/bot/repair.ts). */
  readonly threadRepair: { readonly intervalMs: number; readonly graceMs: number };
  /** Customer deliveries (src/bot/customer-delivery.ts): clock ms undelivered before managers are told. */
  readonly delivery: { readonly alertMs: number };
  /** The desk's ticket settings. */
  readonly tickets: { readonly ownerOnFirstReply: boolean };
  readonly logJson: boolean;
  readonly logLevel: Level;
  /** Real ms a stopping instance waits for requests in flight. */
  readonly drainTimeoutMs: number;
  /**
   * How the tab API checks its bearer tokens: Entra (Teams SSO) tokens for this app, or tokens from the app's
   * own local issuer (loopback and not production only), so the same checks run in local development.
   */
  readonly tabAuth:
    | { readonly mode: 'local' }
    | {
        readonly mode: 'entra';
        readonly clientId: string;
        /** Accepted `aud` values: the client id (v2 tokens) and the Application ID URI. */
        readonly audiences: readonly string[];
        readonly jwksUrl: string;
      };
  /** The tab's Teams SSO app: its client id and the host in its resource URI (both unset locally). */
  readonly tab: { readonly clientId: string | undefined; readonly domain: string | undefined };
  /** Rate limits of the bot and the tab API, each instance on its own (src/adapters/http/rate-limit.ts). */
  readonly limits: RateLimits;
  /** Teams as the only channel (with a bot id): the host names of the service URLs activities may name. */
  readonly teams: { readonly serviceHosts: readonly string[] };
  /** The Teams app's id, for deep links from cards to the tab's ticket pages (TEAMS_APP_ID); undefined = none. */
  readonly teamsAppId: string | undefined;
  /** Files customers send in chat: where they may be downloaded from, how long one may take, how many per message. */
  readonly chatFiles: {
    readonly hosts: readonly string[];
    readonly timeoutMs: number;
    readonly perMessage: number;
  };
}

/** Thrown when the environment cannot make a valid configuration. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  override readonly name = 'ConfigError';
}

function rotationOf(text: string | undefined, staff: readonly string[]): Rotation | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('ONCALL_ROTATION is not valid JSON');
  }
  const parsed = rotationSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(`ONCALL_ROTATION: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const known = new Set(staff);
  const weeks = parsed.data.weeks.map((w) => ({
    primary: w.primary.toLowerCase(),
    secondary: w.secondary?.toLowerCase(),
  }));
  for (const w of weeks) {
    for (const id of [w.primary, ...(w.secondary === undefined ? [] : [w.secondary])]) {
      if (!known.has(id))
        throw new ConfigError(`ONCALL_ROTATION: ${id} is not in STAFF_ENGINEERS or STAFF_MANAGERS`);
    }
  }
  return { ...parsed.data, weeks };
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Parses `id=Name;id2=Name2` (or a JSON object of id → name) into a map keyed by lower-case id. */
function pairs(text: string, key: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const trimmed = text.trim();
  if (trimmed === '') return out;
  let entries: [string, unknown][];
  if (trimmed.startsWith('{')) {
    try {
      entries = Object.entries(JSON.parse(trimmed) as Record<string, unknown>);
    } catch {
      throw new ConfigError(`${key} is not valid JSON`);
    }
  } else {
    entries = trimmed
      .split(/[;\n]/)
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => {
        const at = p.indexOf('=');
        return at < 0 ? [p, p] : [p.slice(0, at).trim(), p.slice(at + 1).trim()];
      });
  }
  for (const [id, name] of entries) {
    if (!ID.test(id)) throw new ConfigError(`${key}: "${id}" is not a valid id`);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 120) {
      throw new ConfigError(`${key}: the name for ${id} must be 1 to 120 characters`);
    }
    out.set(id.toLowerCase(), name.trim());
  }
  return out;
}

/**
 * Staff groups are read from Microsoft Graph as the bot, with an app-only token in the staff tenant: from its
 * managed identity (UserAssignedMSI) or its client secret. In local mode there is no identity: the app warns at
 * start and only the configured ids are staff (see StaffDirectory).
 */
function checkGroups(groups: Config['staff']['groups'], e: Env, bot: Config['bot']): void {
  const key = groups.engineer !== undefined ? 'STAFF_ENGINEER_GROUP' : 'STAFF_MANAGER_GROUP';
  if (groups.engineer === undefined && groups.manager === undefined) return;
  if (e.STAFF_TENANT_ID === undefined)
    throw new ConfigError(`${key} needs STAFF_TENANT_ID (the groups' tenant)`);
  if (bot.mode === 'local') return;
  if (bot.type !== 'UserAssignedMSI' && bot.password === undefined) {
    throw new ConfigError(
      `${key} needs BOT_PASSWORD (or a UserAssignedMSI bot): group membership is read from Microsoft Graph as the bot`,
    );
  }
  if (bot.type !== 'MultiTenant' && bot.tenantId?.toLowerCase() !== e.STAFF_TENANT_ID.toLowerCase()) {
    throw new ConfigError(
      `${key}: a ${bot.type} bot can only read groups of its own tenant; BOT_TENANT_ID must be STAFF_TENANT_ID`,
    );
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** TEAMS_SERVICE_HOSTS as lower-case host names; loopback ones only outside production. */
function serviceHostsOf(text: string, production: boolean): readonly string[] {
  const hosts = text
    .split(/[;,\s]+/)
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  if (hosts.length === 0)
    throw new ConfigError('TEAMS_SERVICE_HOSTS names no host: activities could come from nowhere');
  for (const host of hosts) {
    const loopback = LOOPBACK_HOST.test(host);
    if (!loopback && !HOST_NAME.test(host))
      throw new ConfigError(`TEAMS_SERVICE_HOSTS: "${host}" is not a host name`);
    if (loopback && production)
      throw new ConfigError(`TEAMS_SERVICE_HOSTS: ${host} is a loopback name, refused in production`);
  }
  return Object.freeze(hosts);
}

/** ATTACHMENT_HOSTS as lower-case host names and `*.suffix` patterns; loopback ones only outside production. */
function fileHostsOf(text: string, production: boolean): readonly string[] {
  const hosts = text
    .split(/[;,\s]+/)
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const host of hosts) {
    const name = host.startsWith('*.') ? host.slice(2) : host;
    const loopback = LOOPBACK_HOST.test(name);
    if (!loopback && !(HOST_NAME.test(name) && name.includes('.')))
      throw new ConfigError(`ATTACHMENT_HOSTS: "${host}" is not a host name or *.domain pattern`);
    if (loopback && production)
      throw new ConfigError(`ATTACHMENT_HOSTS: ${host} is a loopback name, refused in production`);
  }
  return Object.freeze(hosts);
}

function tabAuthOf(e: Env, production: boolean, loopback: boolean): Config['tabAuth'] {
  if (e.AAD_APP_CLIENT_ID === undefined) {
    if (production)
      throw new ConfigError('AAD_APP_CLIENT_ID is required in production: the tab API cannot check tokens');
    if (!loopback)
      throw new ConfigError(
        `the tab's local sign-in (no AAD_APP_CLIENT_ID) only listens on loopback; HOST is ${e.HOST}`,
      );
    return { mode: 'local' };
  }
  const jwks = new URL(e.TAB_AUTH_JWKS_URL);
  if (
    jwks.protocol !== 'https:' &&
    !(jwks.protocol === 'http:' && /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/.test(jwks.hostname))
  )
    throw new ConfigError('TAB_AUTH_JWKS_URL must be https (plain http only to loopback)');
  const uri =
    e.TAB_API_AUDIENCE ??
    (e.TAB_DOMAIN === undefined ? undefined : `api://${e.TAB_DOMAIN}/${e.AAD_APP_CLIENT_ID}`);
  return {
    mode: 'entra',
    clientId: e.AAD_APP_CLIENT_ID,
    audiences: uri === undefined ? [e.AAD_APP_CLIENT_ID] : [e.AAD_APP_CLIENT_ID, uri],
    jwksUrl: e.TAB_AUTH_JWKS_URL,
  };
}

/** The Bot Framework SDK asserts these when the adapter is built; saying so here names the keys instead. */
function checkBotIdentity(bot: {
  readonly type: Env['BOT_TYPE'];
  readonly password: string | undefined;
  readonly tenantId: string | undefined;
}): void {
  if (bot.type !== 'MultiTenant' && bot.tenantId === undefined) {
    throw new ConfigError(`BOT_TYPE ${bot.type} needs BOT_TENANT_ID, the tenant of the bot's identity`);
  }
  if (bot.type === 'UserAssignedMSI' && bot.password !== undefined) {
    throw new ConfigError(
      'BOT_TYPE UserAssignedMSI takes no BOT_PASSWORD: the managed identity has no secret',
    );
  }
  if (bot.type === 'SingleTenant' && bot.password === undefined) {
    throw new ConfigError(
      "BOT_TYPE SingleTenant needs BOT_PASSWORD, the client secret of the bot's Entra app",
    );
  }
}

/**
 * Reads and checks the configuration.
 * @example loadConfig({ PORT: '4000' }).port // 4000
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const loopback = LOOPBACK.has(e.HOST);
  const bot: Config['bot'] =
    e.BOT_ID === undefined
      ? { mode: 'local' }
      : {
          mode: 'authenticated',
          appId: e.BOT_ID,
          password: e.BOT_PASSWORD,
          type: e.BOT_TYPE,
          tenantId: e.BOT_TENANT_ID,
        };
  if (bot.mode === 'local' && production) {
    throw new ConfigError('BOT_ID is required in production: authentication cannot be switched off');
  }
  if (bot.mode === 'local' && !loopback) {
    throw new ConfigError(`local mode (no BOT_ID) only listens on loopback; HOST is ${e.HOST}`);
  }
  if (bot.mode === 'authenticated') checkBotIdentity(bot);
  const storage: Config['storage'] =
    e.TABLES_CONNECTION_STRING !== undefined
      ? { kind: 'connection-string', connectionString: e.TABLES_CONNECTION_STRING }
      : e.TABLES_ENDPOINT !== undefined
        ? { kind: 'managed-identity', endpoint: e.TABLES_ENDPOINT, clientId: e.AZURE_CLIENT_ID }
        : { kind: 'embedded', dataDir: e.DATA_DIR };
  if (storage.kind === 'embedded' && production) {
    throw new ConfigError('production needs TABLES_ENDPOINT (managed identity) or TABLES_CONNECTION_STRING');
  }
  const tabAuth = tabAuthOf(e, production, loopback);
  const engineers = pairs(e.STAFF_ENGINEERS, 'STAFF_ENGINEERS');
  const managers = pairs(e.STAFF_MANAGERS, 'STAFF_MANAGERS');
  const groups = {
    engineer: e.STAFF_ENGINEER_GROUP?.toLowerCase(),
    manager: e.STAFF_MANAGER_GROUP?.toLowerCase(),
  };
  checkGroups(groups, e, bot);
  const staffIds = new Set([...engineers.keys(), ...managers.keys()]);
  const manager = e.ONCALL_MANAGER?.toLowerCase() ?? [...managers.keys()][0];
  if (manager !== undefined && !staffIds.has(manager))
    throw new ConfigError(`ONCALL_MANAGER: ${manager} is not in STAFF_MANAGERS or STAFF_ENGINEERS`);
  const responders = e.P1_RESPONDERS.split(/[;,\s]+/)
    .map((x) => x.trim().toLowerCase())
    .filter((x) => x !== '');
  for (const id of responders)
    if (!staffIds.has(id))
      throw new ConfigError(`P1_RESPONDERS: ${id} is not in STAFF_ENGINEERS or STAFF_MANAGERS`);
  let simClock: Config['simClock'];
  if (e.SIM_CLOCK_START !== undefined) {
    if (production)
      throw new ConfigError('SIM_CLOCK_START is for local mode only: production runs on the real clock');
    if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(e.SIM_CLOCK_START))
      throw new ConfigError(
        'SIM_CLOCK_START must be an ISO 8601 instant with an offset, e.g. 2026-11-27T21:30:00-05:00',
      );
    const start = Date.parse(e.SIM_CLOCK_START);
    if (Number.isNaN(start))
      throw new ConfigError(`SIM_CLOCK_START: "${e.SIM_CLOCK_START}" is not a valid instant`);
    simClock = Object.freeze({ start, speed: e.SIM_CLOCK_SPEED, anchor: e.SIM_CLOCK_ANCHOR });
  }
  return Object.freeze({
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    loopback,
    policyFile: e.POLICY_FILE,
    tablePrefix: e.TABLE_PREFIX,
    ticketPrefix: e.TICKET_PREFIX,
    storage: Object.freeze(storage),
    attachments: Object.freeze({
      maxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
      maxPerTicket: e.ATTACHMENT_MAX_PER_TICKET,
      container: `${e.TABLE_PREFIX.toLowerCase()}${e.ATTACHMENT_CONTAINER}`,
      retentionDays: e.ATTACHMENT_RETENTION_DAYS,
      blobEndpoint: e.BLOBS_ENDPOINT,
    }),
    bot: Object.freeze(bot),
    contact: Object.freeze({ phone: e.SUPPORT_PHONE, email: e.SUPPORT_EMAIL }),
    customers: pairs(e.CUSTOMER_TENANTS, 'CUSTOMER_TENANTS'),
    staff: Object.freeze({
      tenantId: e.STAFF_TENANT_ID?.toLowerCase(),
      engineers,
      managers,
      groups: Object.freeze(groups),
    }),
    graph: Object.freeze({ endpoint: e.GRAPH_ENDPOINT, loginEndpoint: e.LOGIN_ENDPOINT }),
    logJson: e.LOG_JSON ?? production,
    logLevel: e.LOG_LEVEL,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    oncall: Object.freeze({ manager, responders: Object.freeze(responders) }),
    watcher: Object.freeze({
      intervalMs: e.WATCHER_INTERVAL_MS,
      leaseMs: e.OUTBOX_LEASE_MS,
      tenantRate: e.OUTBOX_TENANT_RATE,
      stuckAttempts: e.OUTBOX_STUCK_ATTEMPTS,
      retentionMs: Math.round(e.OUTBOX_RETENTION_DAYS * 86_400_000),
    }),
    simClock,
    instanceId: e.INSTANCE_ID,
    threadRepair: Object.freeze({
      intervalMs: e.THREAD_REPAIR_INTERVAL_MS,
      graceMs: e.THREAD_REPAIR_GRACE_MS,
    }),
    delivery: Object.freeze({ alertMs: Math.round(e.DELIVERY_ALERT_MINUTES * 60_000) }),
    tickets: Object.freeze({ ownerOnFirstReply: e.OWNER_ON_FIRST_REPLY }),
    rotation: rotationOf(e.ONCALL_ROTATION, [...engineers.keys(), ...managers.keys()]),
    tabAuth: Object.freeze(tabAuth),
    tab: Object.freeze({ clientId: e.AAD_APP_CLIENT_ID, domain: e.TAB_DOMAIN }),
    limits: Object.freeze({
      windowMs: e.RATE_LIMIT_WINDOW_S * 1000,
      user: e.RATE_LIMIT_USER,
      tenant: e.RATE_LIMIT_TENANT,
      client: e.RATE_LIMIT_CLIENT,
    }),
    teams: Object.freeze({ serviceHosts: serviceHostsOf(e.TEAMS_SERVICE_HOSTS, production) }),
    teamsAppId: e.TEAMS_APP_ID?.toLowerCase(),
    chatFiles: Object.freeze({
      hosts: fileHostsOf(e.ATTACHMENT_HOSTS, production),
      timeoutMs: e.ATTACHMENT_FETCH_TIMEOUT_MS,
      perMessage: e.ATTACHMENTS_PER_MESSAGE,
    }),
  });
}
