// The Bot Framework adapter: teams-ai's TeamsAdapter (a CloudAdapter with ConfigurationBotFrameworkAuthentication).
// With a bot id every inbound request must carry a valid token, or it gets 401 and is not processed, and only
// Teams may speak (channel msteams, a Teams service URL, the Bot Framework's own token issuer), or it gets 403;
// local mode (no id) is allowed only on loopback and only talks to loopback service URLs.
import { TeamsAdapter } from '@microsoft/teams-ai';
import type {
  Activity,
  ConfigurationBotFrameworkAuthenticationOptions,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  ConnectorFactory,
  type ClaimsIdentity,
  type ConnectorClient,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { z } from 'zod';
import type { Config } from '../../config';
import { LOOPBACK_HOST as LOOPBACK } from '../../config-env';
import { messageOf } from '../../domain/kit/errors';
import type { Logger } from '../../log';

/** Extra authentication settings (the token authority's endpoints); tests point them at loopback stand-ins. */
export type AuthOverrides = Partial<Record<string, string | boolean>>;

export interface AdapterOptions {
  readonly overrides?: AuthOverrides | undefined;
  /** Outbound credentials; the SDK's own (MSAL) when absent. */
  readonly credentialsFactory?: ServiceClientCredentialsFactory | undefined;
  /** Host names of the Teams service URLs activities may name (TEAMS_SERVICE_HOSTS); public Teams by default. */
  readonly serviceHosts?: readonly string[] | undefined;
  /** Where refused requests are told (reasons and hosts only, never a token). */
  readonly log?: Logger | undefined;
}

/** The public cloud's Teams service host (https://smba.trafficmanager.net/<region>/). */
export const TEAMS_SERVICE_HOST = 'smba.trafficmanager.net';

/** What proves an authenticated activity came from Teams (absent in local mode). */
interface TeamsOnly {
  readonly serviceHosts: ReadonlySet<string>;
  /** The `iss` of the Bot Framework Connector's channel tokens (not the emulator's nor a tenant's). */
  readonly issuer: string;
  readonly log: Logger | undefined;
}

/** The request did not authenticate: answered 401 and not processed. */
export class Unauthorized extends Error {
  readonly code = 'UNAUTHORIZED';
}

/** The body is not an activity we can process: answered 400 with this message. */
export class BadActivity extends Error {
  readonly code = 'BAD_ACTIVITY';
}

/** C0 controls and DEL (CR and LF among them): refused in ids, which end up in outgoing URL paths and headers. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const id = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters');
const account = z.object({ id: id(512).pipe(z.string().min(1)) }).passthrough();
/** channelData's tenant, team and channel: the team and channel ids become the support channel's address. */
const named = (max: number) => z.object({ id: id(max).optional() }).passthrough();
const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    serviceUrl: id(512).pipe(z.string().url()),
    channelId: id(64).pipe(z.string().min(1)),
    from: account,
    recipient: account.optional(),
    conversation: z
      .object({ id: id(1024).pipe(z.string().min(1)), tenantId: id(128).optional() })
      .passthrough(),
    text: z.string().max(100_000).optional(),
    // Fields the SDK or the app read as strings, objects or lists: another type would fail deep in a turn.
    id: id(512).optional(),
    replyToId: id(512).optional(),
    name: z.string().max(256).optional(),
    timestamp: z.string().max(64).optional(),
    localTimestamp: z.string().max(64).optional(),
    localTimezone: z.string().max(128).optional(),
    locale: z.string().max(64).optional(),
    textFormat: z.string().max(32).optional(),
    channelData: z
      .object({ tenant: named(128).optional(), team: named(512).optional(), channel: named(512).optional() })
      .passthrough()
      .optional(),
    entities: z.array(z.object({}).passthrough()).max(64).optional(),
    attachments: z.array(z.object({}).passthrough()).max(64).optional(),
    membersAdded: z.array(account).max(256).optional(),
    membersRemoved: z.array(account).max(256).optional(),
  })
  .passthrough();

/** Clients kept per bot identity, service URL and audience (there are few of each); beyond this, oldest go. */
const MAX_CLIENTS = 64;

/**
 * The SDK builds a new Bot Connector client (an HTTP pipeline, its credentials) and a user-token client
 * for every turn, which costs more CPU than our own work on a turn. Both are stateless apart from their
 * credentials' token cache, so one per identity, service URL and audience serves every turn.
 */
class ClientCache {
  private readonly clients = new Map<string, Promise<unknown>>();

  get<T>(key: string, make: () => Promise<T>): Promise<T> {
    const known = this.clients.get(key) as Promise<T> | undefined;
    if (known !== undefined) return known;
    const made = make();
    if (this.clients.size >= MAX_CLIENTS) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
    this.clients.set(key, made);
    made.catch(() => this.clients.delete(key));
    return made;
  }
}

const appIdOf = (claims: ClaimsIdentity): string =>
  claims.getClaimValue(AuthenticationConstants.AudienceClaim) ??
  claims.getClaimValue(AuthenticationConstants.AppIdClaim) ??
  '';

class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly cache: ClientCache,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.get(`connector|${this.appId}|${serviceUrl}|${audience ?? ''}`, () =>
      this.inner.create(serviceUrl, audience),
    );
  }
}

export class BotAdapter extends TeamsAdapter {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly local: boolean,
    /** Undefined in local mode, which checks no tokens. */
    private readonly teamsOnly?: TeamsOnly,
  ) {
    super(settings, credentialsFactory);
    const auth = this.botFrameworkAuthentication;
    const makeFactory = auth.createConnectorFactory.bind(auth);
    const makeTokenClient = auth.createUserTokenClient.bind(auth);
    auth.createConnectorFactory = (claims) => this.cached(makeFactory(claims), claims);
    auth.createUserTokenClient = (claims): Promise<UserTokenClient> =>
      this.clients.get(`token|${appIdOf(claims)}`, () => makeTokenClient(claims));
  }

  private readonly clients = new ClientCache();

  private cached(factory: ConnectorFactory, claims: ClaimsIdentity): ConnectorFactory {
    return new CachingConnectorFactory(factory, appIdOf(claims), this.clients);
  }

  /** Checks the body's shape; in local mode also that replies can only go to loopback. */
  parse(body: unknown): Activity {
    const parsed = activitySchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadActivity(
        `not a valid activity: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || 'body'} ${issue.message}`}`,
      );
    }
    if (this.local && !LOOPBACK.test(new URL(parsed.data.serviceUrl).hostname)) {
      throw new BadActivity('local mode only serves a loopback serviceUrl');
    }
    return parsed.data as unknown as Activity;
  }

  /**
   * Authenticates the request, then runs the turn; Unauthorized when the token is missing or not valid. An
   * activity that is not Teams' (another channel, a service URL not Teams', a token not from the Bot Framework
   * channel issuer) is answered 403 and not processed.
   */
  async handle(
    activity: Activity,
    authHeader: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const notTeams = this.notTeams(activity);
    if (notTeams !== undefined) return this.refuse(activity, notTeams);
    let auth: Awaited<ReturnType<typeof this.botFrameworkAuthentication.authenticateRequest>>;
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw new Unauthorized(messageOf(err));
    }
    if (this.teamsOnly !== undefined) {
      const issuer = auth.claimsIdentity.getClaimValue(AuthenticationConstants.IssuerClaim);
      if (issuer !== this.teamsOnly.issuer)
        return this.refuse(
          activity,
          'the token is not from the Bot Framework channel issuer',
          issuer ?? undefined,
        );
    }
    const inbound =
      auth.connectorFactory === undefined
        ? auth
        : { ...auth, connectorFactory: this.cached(auth.connectorFactory, auth.claimsIdentity) };
    return this.processActivity(inbound, activity, logic);
  }

  /** Why an activity is not one Teams sent (checked before its token, so no other channel costs a key fetch). */
  private notTeams(activity: Activity): string | undefined {
    const only = this.teamsOnly;
    if (only === undefined) return undefined;
    if (activity.channelId !== 'msteams')
      return 'only Microsoft Teams may send activities (channelId msteams)';
    const url = new URL(activity.serviceUrl);
    const loopback = LOOPBACK.test(url.hostname);
    const scheme = url.protocol === 'https:' || (loopback && url.protocol === 'http:');
    if (!scheme || url.username !== '' || url.password !== '' || !only.serviceHosts.has(url.hostname))
      return 'the serviceUrl is not a Teams service URL';
    return undefined;
  }

  private refuse(activity: Activity, reason: string, issuer?: string): InvokeResponse {
    this.teamsOnly?.log?.warn('refused an activity not from Teams', {
      reason,
      channelId: activity.channelId.slice(0, 64),
      serviceHost: URL.canParse(activity.serviceUrl) ? new URL(activity.serviceUrl).host : undefined,
      issuer: issuer?.slice(0, 200),
      type: activity.type,
    });
    return { status: 403, body: { error: `forbidden: ${reason}` } };
  }
}

/** The adapter for the bot's identity (BOT_* settings); local mode checks no tokens. */
export function createAdapter(bot: Config['bot'], options: AdapterOptions = {}): BotAdapter {
  const settings: Record<string, string | boolean | undefined> =
    bot.mode === 'local'
      ? { MicrosoftAppId: '', MicrosoftAppPassword: '' }
      : {
          MicrosoftAppId: bot.appId,
          MicrosoftAppPassword: bot.password,
          MicrosoftAppType: bot.type,
          MicrosoftAppTenantId: bot.tenantId,
          ...options.overrides,
        };
  if (bot.mode === 'local') return new BotAdapter(settings, options.credentialsFactory, true);
  const issuer = settings['ToBotFromChannelTokenIssuer'];
  return new BotAdapter(settings, options.credentialsFactory, false, {
    serviceHosts: new Set(options.serviceHosts ?? [TEAMS_SERVICE_HOST]),
    issuer: typeof issuer === 'string' ? issuer : AuthenticationConstants.ToBotFromChannelTokenIssuer,
    log: options.log,
  });
}
