// The environment's keys as a zod schema: names, types, limits and defaults (read by src/config.ts only).
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1')
  .optional();
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalGuid = optionalText.refine(
  (v) => v === undefined || GUID.test(v),
  'an Entra object id (a GUID)',
);
/** localhost, 127.0.0.0/8 or [::1] as a URL host name (no port): also what the Teams adapter takes as loopback. */
export const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;
/** An https base URL (http only on loopback, for tests), kept without a trailing slash. */
const endpoint = z
  .string()
  .trim()
  .url()
  .refine((v) => {
    if (!URL.canParse(v)) return false;
    const u = new URL(v);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOST.test(u.hostname));
  }, 'an https URL (http only on loopback)')
  .transform((v) => v.replace(/\/+$/, ''));

export const envSchema = z.object({
  /** `production` refuses unsafe settings (local mode, missing bot id, auth off). */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Port the server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Interface to bind; loopback unless deployed. */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Replaces the built-in policy with a JSON file (see docs/cli.md "The policy"). */
  POLICY_FILE: optionalText,
  /** Azure Table Storage connection string (Azurite or a real account). */
  TABLES_CONNECTION_STRING: optionalText,
  /** Table service endpoint used with DefaultAzureCredential (managed identity): https://<account>.table.core.windows.net */
  TABLES_ENDPOINT: optionalText,
  /** Blob service endpoint used with managed identity for attachments (default: TABLES_ENDPOINT's account, https://<account>.blob.core.windows.net). */
  BLOBS_ENDPOINT: optionalText,
  /** Client id of the user-assigned managed identity that reaches TABLES_ENDPOINT (infra/azure.bicep sets it); unset = the system-assigned one. */
  AZURE_CLIENT_ID: optionalText,
  /** Where embedded Azurite keeps its data when neither of the above is set. */
  DATA_DIR: z.string().trim().min(1).default('.data'),
  /** Prefix of every table name, so that several deployments can share one storage account. */
  TABLE_PREFIX: z
    .string()
    .trim()
    .regex(/^(?:[A-Za-z][A-Za-z0-9]{0,29})?$/, 'letters and digits, starting with a letter, at most 30')
    .default(''),
  /** Ticket ids look like <prefix>-1042. */
  TICKET_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Z]{1,8}$/, '1 to 8 capital letters')
    .default('TM'),
  /** Bot identity (Entra app id); unset = local mode, allowed only on loopback outside production. */
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  /**
   * How the bot proves who it is: UserAssignedMSI (Azure: a managed identity, BOT_ID its client id, no password),
   * SingleTenant (an Entra app of BOT_TENANT_ID with BOT_PASSWORD) or MultiTenant (Developer Portal registrations,
   * e.g. debugging through a tunnel; Azure Bot Service no longer creates them).
   */
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** The tenant of the bot's identity; required for SingleTenant and UserAssignedMSI. */
  BOT_TENANT_ID: optionalText,
  /**
   * Host names of the Teams service URLs activities may name (`;` or `,` separated); with a bot id, an activity
   * whose serviceUrl is elsewhere is refused. Loopback names (tests) are refused in production.
   */
  TEAMS_SERVICE_HOSTS: z.string().default('smba.trafficmanager.net'),
  /**
   * Hosts the bot may download a customer's chat files and pasted images from (`,` or `;` separated; `*.suffix`
   * matches any host under suffix). https on the default port only; loopback names (tests) are refused in production.
   */
  ATTACHMENT_HOSTS: z
    .string()
    .default(
      'smba.trafficmanager.net,*.smba.trafficmanager.net,*.asm.skype.com,*.teams.microsoft.com,*.sharepoint.com',
    ),
  /** Real milliseconds one chat file may take to download (headers and body) before it is given up. */
  ATTACHMENT_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Files and pasted images taken from one chat message; those past it are refused with the reason. */
  ATTACHMENTS_PER_MESSAGE: z.coerce.number().int().min(1).max(50).default(10),
  /** The Teams app's id (the manifest's `id`), for links from cards to the tab's ticket pages; unset = no such links. */
  TEAMS_APP_ID: optionalGuid,
  /** Support phone line and email shown to customers; default to the policy's. */
  SUPPORT_PHONE: optionalText,
  SUPPORT_EMAIL: optionalText,
  /** Log JSON lines instead of text. */
  LOG_JSON: bool,
  /** Lowest level written: debug, info, warn or error. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Real milliseconds a stopping instance (SIGTERM) gives requests in flight to be answered before closing. */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Application Insights: metrics and traces are exported there when set (nothing starts when unset). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
  /** `Authorization=AAD;ClientId=<managed identity client id>`: export with that identity (local auth off). */
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: optionalText,
  /** Customer tenants allowed to file tickets: `tenantId=Account name` pairs separated by `;` (or a JSON object). */
  CUSTOMER_TENANTS: z.string().default(''),
  /** The vendor's own Entra tenant: where engineers and managers sign in. */
  STAFF_TENANT_ID: optionalText,
  /** Engineers and managers: Entra object ids, `id=Name` pairs separated by `;` (names are shown in cards). */
  STAFF_ENGINEERS: z.string().default(''),
  STAFF_MANAGERS: z.string().default(''),
  /** Entra groups (object ids) of the staff tenant whose members are engineers / managers; read as the bot (BOT_ID). */
  STAFF_ENGINEER_GROUP: optionalGuid,
  STAFF_MANAGER_GROUP: optionalGuid,
  /** Microsoft Graph, where group membership is checked (another cloud's Graph, or a loopback stand-in in tests). */
  GRAPH_ENDPOINT: endpoint.default('https://graph.microsoft.com'),
  /** The Entra token authority the bot gets its Graph token from (another cloud's, or a loopback stand-in in tests). */
  LOGIN_ENDPOINT: endpoint.default('https://login.microsoftonline.com'),
  /** The on-call rotation, JSON: {"start":"2026-11-23","handover":"09:00","weeks":[{"primary":"<id>","secondary":"<id>"}]}. */
  ONCALL_ROTATION: optionalText,
  /** Real ms between looks for open tickets whose thread a crash kept from being posted; 0 = never. */
  THREAD_REPAIR_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** How old (real ms) a ticket without a thread must be before another look posts it (its own instance had time). */
  THREAD_REPAIR_GRACE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(120_000),
  /** The first message to the customer on an unowned ticket makes its sender the owner (default true). */
  OWNER_ON_FIRST_REPLY: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .default('true'),
  /** Minutes (app clock) a message for the customer may stay undelivered before the managers' channel is told. */
  DELIVERY_ALERT_MINUTES: z.coerce.number().positive().max(1_440).default(5),
  /** Entra app (client) id the tab's Teams SSO tokens are issued for; unset = local sign-in (loopback, not production). */
  AAD_APP_CLIENT_ID: optionalText,
  /** The tab's domain; with AAD_APP_CLIENT_ID it makes the Application ID URI api://<TAB_DOMAIN>/<client id>. */
  TAB_DOMAIN: optionalText,
  /** The Application ID URI tokens may carry as `aud` (default api://<TAB_DOMAIN>/<AAD_APP_CLIENT_ID>). */
  TAB_API_AUDIENCE: optionalText,
  /** Where Entra publishes its signing keys (https; plain http only to loopback, for tests). */
  TAB_AUTH_JWKS_URL: z
    .string()
    .trim()
    .url()
    .default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  /** The support manager, last step of the P1 paging chain (an id of STAFF_MANAGERS; default: the first one). */
  ONCALL_MANAGER: optionalText,
  /** Who is @mentioned when a P1 arrives inside support hours: staff ids separated by `;` (default: the primary on call). */
  P1_RESPONDERS: z.string().default(''),
  /** Real milliseconds between two passes of the deadline watcher; 0 = only when a change makes something due. */
  WATCHER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** Real milliseconds an instance holds an outbox entry it claimed; a crashed instance's claims expire after it. */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Messages per second the app sends to one tenant, shared among the live instances (Teams' per-thread limit of 7/s always applies). */
  OUTBOX_TENANT_RATE: z.coerce.number().positive().max(1_000).default(20),
  /** Days a finished outbox entry (sent, cancelled) is kept before the watcher deletes it; failing entries are always kept. */
  OUTBOX_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(7),
  /** Attempts after which a delivery is listed as stuck (it is still retried, never dropped). */
  OUTBOX_STUCK_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Simulated clock for local mode: the instant the app starts at (ISO 8601 with offset). Refused in production. */
  SIM_CLOCK_START: optionalText,
  /** How many simulated seconds pass per real second (default 1). */
  SIM_CLOCK_SPEED: z.coerce.number().positive().max(100_000).default(1),
  /** The real instant (epoch ms) at which the simulated clock shows SIM_CLOCK_START (default: when the app starts), so several instances can share one simulated clock. */
  SIM_CLOCK_ANCHOR: z.coerce.number().int().positive().optional(),
  /** This instance's name in outbox claims and logs (default: host, pid and a random suffix). */
  INSTANCE_ID: optionalText,
  /** Largest file (MB, 1 MB = 1024 KB) a ticket takes, from the chat or the tab. */
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(250).default(25),
  /** Most files one ticket keeps (deleted ones do not count). */
  ATTACHMENT_MAX_PER_TICKET: z.coerce.number().int().min(1).max(500).default(20),
  /** Blob container of the attachments (TABLE_PREFIX, in lower case, goes before it). */
  ATTACHMENT_CONTAINER: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens')
    .min(3)
    .max(30)
    .default('attachments'),
  /** Days after a ticket is closed before its files are deleted; 0 = kept (the default). */
  ATTACHMENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** Seconds over which the rate limits below are counted (per instance: N instances allow N times as much). */
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).max(3_600).default(10),
  /** Requests (bot activities; tab API calls) one user may make per window; 0 = no limit. */
  RATE_LIMIT_USER: z.coerce.number().int().min(0).max(1_000_000).default(30),
  /** Requests the users of one tenant together may make per window; 0 = no limit. */
  RATE_LIMIT_TENANT: z.coerce.number().int().min(0).max(1_000_000).default(300),
  /** Refused tokens one client address may send per window before it is answered 429; 0 = no limit. */
  RATE_LIMIT_CLIENT: z.coerce.number().int().min(0).max(1_000_000).default(60),
});

export type Env = z.infer<typeof envSchema>;
