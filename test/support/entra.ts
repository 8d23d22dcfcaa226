// A fake Entra ID / Bot Framework token authority on 127.0.0.1: OpenID metadata, signing keys, a
// client-credentials token endpoint, and RS256 JWTs signed with node:crypto. Test support only; it
// imports node built-ins and botbuilder types, and nothing in it talks beyond loopback.
//
// What botbuilder 4.23.3 checks, and which settings point it here. Read from
// botbuilder-core/lib/configurationBotFrameworkAuthentication.js and, in botframework-connector/lib/auth/,
// botFrameworkAuthenticationFactory, parameterizedBotFrameworkAuthentication, jwtTokenExtractor, openIdMetadata,
// endorsementsValidator, passwordServiceClientCredentialFactory, microsoftAppCredentials and msalAppCredentials;
// MSAL's rule is in @azure/msal-common's UrlString.validateAsUri. stand-ins.test.ts proves each status below,
// the outbound token, and the MSAL refusal.
//
// Choosing the mode
// - If any one of ToChannelFromBotLoginUrl, ToChannelFromBotOAuthScope, ToBotFromChannelTokenIssuer, OAuthUrl,
//   ToBotFromChannelOpenIdMetadataUrl, ToBotFromEmulatorOpenIdMetadataUrl or CallerId is set, the SDK uses
//   ParameterizedBotFrameworkAuthentication and takes all seven as given. Unset ones become `undefined`, not the
//   public-cloud defaults, so botAuthSettings() sets all seven.
// - With no MicrosoftAppId, authentication is off: any request is accepted as anonymous, and outbound calls
//   carry no Authorization header (MicrosoftAppCredentials.Empty).
//
// Inbound (channel → bot), for a token whose `iss` is not one of Microsoft's emulator issuers
// - ToBotFromChannelTokenIssuer: the token's `iss` must equal it exactly. A token from any other issuer is
//   dropped before its signature is checked, and the request gets 401.
// - ToBotFromChannelOpenIdMetadataUrl: fetched with node-fetch, so http is fine. Then its `jwks_uri` is fetched,
//   and the key is looked up by the token's `kid` (the key needs `n` and `e`). The keys are cached per metadata
//   URL for the life of the process, refreshed after 24 h (or after 1 h for an unknown kid). So every FakeEntra
//   gets its own metadata URL (`?instance=<kid>`), and a second authority on a reused port cannot get the
//   first one's keys.
// - The signature is checked with jsonwebtoken against RS256/RS384/RS512, with a 5-minute clock tolerance on
//   `exp`/`nbf`. An expired token gets 401 ("The token has expired"). But if the signature does not verify,
//   jsonwebtoken's JsonWebTokenError is rethrown as is. CloudAdapter.process turns only AuthenticationError
//   into 401, so a forged signature (or an `nbf` in the future, a NotBeforeError) gets **500**.
// - Endorsements: if the key lists any, activity.channelId must be one of them, otherwise 401. Real Bot
//   Framework keys list channels, so publishedKey() carries ['msteams'] by default.
// - `aud` must equal MicrosoftAppId. jsonwebtoken does not check it; the credentials factory's isValidAppId
//   does, and the request gets 401.
// - `serviceurl` must equal activity.serviceUrl exactly (a plain string compare, so a trailing slash counts),
//   otherwise 401.
// - Channel tokens carry no `ver`. A token with `ver` and an `appid`/`azp` other than its `aud` is taken for a
//   skill token instead: other issuers, the emulator metadata URL, and refused without a validateClaims callback.
// - A token whose `iss` is sts.windows.net/… or login.microsoftonline.com/… takes the emulator path, with keys
//   from ToBotFromEmulatorOpenIdMetadataUrl. botAuthSettings() points that here as well, so nothing leaves
//   loopback. One exception stays hard-coded to Microsoft: channelId 'directlinease' (AseChannelValidation).
//
// Outbound (bot → connector)
// - The ConnectorClient's base URI is activity.serviceUrl. http: is allowed (allowInsecureConnection is set for
//   http: base URIs), and credentials.signRequest adds `Authorization: Bearer …` itself, so the token does reach
//   an http serviceUrl.
// - The token comes from credentialsFactory.createCredentials(appId, ToChannelFromBotOAuthScope,
//   ToChannelFromBotLoginUrl, ValidateAuthority). The stock ConfigurationServiceClientCredentialFactory hands
//   ToChannelFromBotLoginUrl (lowercased) to MSAL as the authority. MSAL throws ClientConfigurationError
//   `authority_uri_insecure` for any non-https authority. ValidateAuthority is stored on PrivateCloudAppCredentials
//   but never reaches MSAL, so `ValidateAuthority: false` does not get around that. What does is the
//   `credentialsFactory` parameter of ConfigurationBotFrameworkAuthentication (and of teams-ai's TeamsAdapter).
//   botCredentialsFactory() below sends the client-credentials POST that MSAL would send, over http, to
//   ToChannelFromBotLoginUrl + '/oauth2/v2.0/token' with scope ToChannelFromBotOAuthScope + '/.default'.
// - The stock AppCredentials caches tokens in one process-wide static Map keyed by appId + scope.
//   botCredentialsFactory() keeps one cache per factory, so no test sees another test's token.
// - OAuthUrl (the user-token service, for SSO and sign-in cards) is not faked: it points here and gets 404.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';

/** The issuer the Bot Framework Connector puts in channel → bot tokens (and the outbound OAuth scope). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The tenant in the bot's outbound login URL for multi-tenant bots. */
export const BOT_FRAMEWORK_TENANT = 'botframework.com';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
/** JWT payload claims. */
export interface JwtClaims {
  readonly [claim: string]: JsonValue;
}

export interface MintOptions {
  /** Sign with a key this authority never published, under its own kid: the signature will not verify. */
  readonly foreignKey?: boolean;
  /** `exp` 10 minutes ago, beyond the SDK's 5-minute clock tolerance; `nbf` an hour before that. */
  readonly expired?: boolean;
  /** Replaces `aud`. */
  readonly audience?: string;
  /** Replaces `iss`. */
  readonly issuer?: string;
  /** Replaces the header's `kid`, e.g. with one the metadata does not list. */
  readonly kid?: string;
  /** The clock, in epoch milliseconds (default: the real one). */
  readonly now?: number;
}

/** One POST to the token endpoint, as received. */
export interface TokenRequest {
  readonly tenant: string;
  readonly grantType: string | undefined;
  readonly clientId: string | undefined;
  readonly scope: string | undefined;
  /** Whether a client_secret was sent, and whether it matched the one registered with `registerApp`. */
  readonly secret: 'missing' | 'unchecked' | 'matched' | 'wrong';
  /** The status answered, and the token issued (when 200). */
  readonly status: number;
  readonly accessToken: string | undefined;
  readonly at: number;
}

export interface VerifyExpectations {
  readonly audience?: string;
  readonly issuer?: string;
  /** The clock, in epoch milliseconds (default: the real one). */
  readonly now?: number;
}

export interface FakeEntra {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** Unique per instance (the SDK caches keys by this URL for the life of the process). */
  readonly openIdMetadataUrl: string;
  readonly jwksUri: string;
  /** The key id in every token this authority signs, and in its JWKS. */
  readonly kid: string;
  /** The authority's login URL for a tenant, as the bot's ToChannelFromBotLoginUrl: `${url}/${tenant}`. */
  loginUrl(tenant?: string): string;
  /** `${loginUrl(tenant)}/oauth2/v2.0/token`. */
  tokenEndpoint(tenant?: string): string;
  /** The issuer of tokens from this authority's token endpoint for a tenant. */
  tokenIssuer(tenant?: string): string;
  /** A signed RS256 JWT with these claims, or a deliberately bad one (see MintOptions). */
  mintToken(claims: JwtClaims, options?: MintOptions): string;
  /** The claims of a token this authority signed, if the signature, time and expectations hold. */
  verifyToken(token: string, expect?: VerifyExpectations): JwtClaims | undefined;
  /** From now on, the token endpoint refuses this client id unless the secret matches. */
  registerApp(clientId: string, secret: string): void;
  /** Token endpoint requests so far, oldest first. */
  tokenRequests(): readonly TokenRequest[];
  /** Replaces the endorsements published with the key (default ['msteams']). */
  setEndorsements(endorsements: readonly string[]): void;
  stop(): Promise<void>;
}

export interface FakeEntraOptions {
  /** Endorsements published with the signing key (default ['msteams']). */
  readonly endorsements?: readonly string[];
  /** Lifetime of tokens from the token endpoint, in seconds (default 3599, as Entra). */
  readonly tokenLifetimeSeconds?: number;
}

interface RsaJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
}

/**
 * Starts a fake authority on a free loopback port. Call `stop()` in afterAll.
 * @example
 * const entra = await startFakeEntra();
 * const token = entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl));
 */
export async function startFakeEntra(options: FakeEntraOptions = {}): Promise<FakeEntra> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as RsaJwk;
  const kid = createHash('sha256').update(jwk.n).digest('base64url').slice(0, 27);
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  let foreignKey: KeyObject | undefined;
  let endorsements: readonly string[] = options.endorsements ?? ['msteams'];
  const secrets = new Map<string, string>();
  const requests: TokenRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      respond(res, 500, { error: 'server_error', error_description: String(err) });
    });
  });
  const port = await listenOnLoopback(server);
  const url = `http://127.0.0.1:${port}`;
  const jwksUri = `${url}/keys`;
  const openIdMetadataUrl = `${url}/.well-known/openid-configuration?instance=${kid}`;
  const loginUrl = (tenant = BOT_FRAMEWORK_TENANT): string => `${url}/${tenant}`;
  const tokenIssuer = (tenant = BOT_FRAMEWORK_TENANT): string => `${url}/${tenant}/v2.0`;

  function mintToken(claims: JwtClaims, mint: MintOptions = {}): string {
    const nowSeconds = Math.floor((mint.now ?? Date.now()) / 1000);
    const payload: Record<string, JsonValue> = { ...claims };
    if (mint.audience !== undefined) payload['aud'] = mint.audience;
    if (mint.issuer !== undefined) payload['iss'] = mint.issuer;
    if (mint.expired === true) {
      payload['nbf'] = nowSeconds - 70 * 60;
      payload['exp'] = nowSeconds - 10 * 60;
    }
    let key = privateKey;
    if (mint.foreignKey === true) {
      foreignKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      key = foreignKey;
    }
    return signJwt(payload, key, mint.kid ?? kid);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname;
    if (req.method === 'GET' && isMetadataPath(path)) {
      respond(res, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${url}/${BOT_FRAMEWORK_TENANT}/oauth2/v2.0/authorize`,
        token_endpoint: `${url}/${BOT_FRAMEWORK_TENANT}/oauth2/v2.0/token`,
        jwks_uri: jwksUri,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      });
      return;
    }
    if (req.method === 'GET' && path === '/keys') {
      respond(res, 200, { keys: [publishedKey()] });
      return;
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (req.method === 'POST' && token?.[1] !== undefined) {
      await issueToken(decodeURIComponent(token[1]), req, res);
      return;
    }
    respond(res, 404, {
      error: 'not_found',
      error_description: `The fake authority has no ${req.method ?? ''} ${path}`,
    });
  }

  function publishedKey(): JsonValue {
    // Real Bot Framework keys also carry x5c (the certificate); the SDK reads only kid, n, e and endorsements.
    return {
      kty: 'RSA',
      use: 'sig',
      alg: 'RS256',
      kid,
      x5t: kid,
      n: jwk.n,
      e: jwk.e,
      endorsements: [...endorsements],
    };
  }

  async function issueToken(tenant: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const clientId = form.get('client_id') ?? undefined;
    const scope = form.get('scope') ?? undefined;
    const grantType = form.get('grant_type') ?? undefined;
    const sent = form.get('client_secret');
    const registered = clientId === undefined ? undefined : secrets.get(clientId);
    const secret: TokenRequest['secret'] =
      sent === null
        ? 'missing'
        : registered === undefined
          ? 'unchecked'
          : sent === registered
            ? 'matched'
            : 'wrong';
    const at = Date.now();
    const refuse = (status: number, error: string, description: string): void => {
      requests.push({ tenant, grantType, clientId, scope, secret, status, accessToken: undefined, at });
      respond(res, status, { error, error_description: description });
    };
    if (grantType !== 'client_credentials') {
      refuse(
        400,
        'unsupported_grant_type',
        'AADSTS70003: The fake authority supports client_credentials only.',
      );
      return;
    }
    if (clientId === undefined || scope === undefined || !scope.endsWith('/.default')) {
      refuse(400, 'invalid_request', 'AADSTS900144: client_id and a scope ending in /.default are required.');
      return;
    }
    if (secret === 'missing' || secret === 'wrong') {
      refuse(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
      return;
    }
    const nowSeconds = Math.floor(at / 1000);
    const accessToken = mintToken({
      aud: scope.slice(0, -'/.default'.length),
      iss: tokenIssuer(tenant),
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + lifetime,
      appid: clientId,
      azp: clientId,
      tid: tenant,
      ver: '2.0',
    });
    requests.push({ tenant, grantType, clientId, scope, secret, status: 200, accessToken, at });
    respond(res, 200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    });
  }

  return {
    url,
    openIdMetadataUrl,
    jwksUri,
    kid,
    loginUrl,
    tokenEndpoint: (tenant) => `${loginUrl(tenant)}/oauth2/v2.0/token`,
    tokenIssuer,
    mintToken,
    verifyToken: (token, expect = {}) => verifyJwt(token, publicKey, kid, expect),
    registerApp: (clientId, secret) => {
      secrets.set(clientId, secret);
    },
    tokenRequests: () => [...requests],
    setEndorsements: (next) => {
      endorsements = [...next];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/**
 * The claims the Bot Framework Connector puts in the token it sends with each activity to a bot.
 * @example
 * botFrameworkClaims('8a1f…', 'http://127.0.0.1:50123/', 1_767_225_600_000)
 * // { serviceurl: 'http://127.0.0.1:50123/', nbf: 1767225300, exp: 1767229200,
 * //   iss: 'https://api.botframework.com', aud: '8a1f…' }
 */
export function botFrameworkClaims(appId: string, serviceUrl: string, now: number = Date.now()): JwtClaims {
  const seconds = Math.floor(now / 1000);
  return {
    serviceurl: serviceUrl,
    nbf: seconds - 300,
    exp: seconds + 3600,
    iss: BOT_FRAMEWORK_ISSUER,
    aud: appId,
  };
}

/** Every key ConfigurationBotFrameworkAuthentication reads for a password-based bot, all set (see the header). */
// A type, not an interface: it must fit the options' index signature.
export type BotAuthSettings = {
  readonly MicrosoftAppId: string;
  readonly MicrosoftAppPassword: string;
  readonly MicrosoftAppType: 'MultiTenant';
  readonly MicrosoftAppTenantId: string;
  readonly ToBotFromChannelOpenIdMetadataUrl: string;
  readonly ToBotFromChannelTokenIssuer: string;
  readonly ToBotFromEmulatorOpenIdMetadataUrl: string;
  readonly ToChannelFromBotLoginUrl: string;
  readonly ToChannelFromBotOAuthScope: string;
  readonly OAuthUrl: string;
  readonly CallerId: string;
  readonly ValidateAuthority: boolean;
};

/**
 * Settings for `new ConfigurationBotFrameworkAuthentication(settings, botCredentialsFactory(...))` that make a
 * CloudAdapter trust this authority's tokens, and ask it for outbound ones.
 * Only the URLs differ from the public cloud: issuer, scope and caller id are the real ones.
 */
export function botAuthSettings(entra: FakeEntra, appId: string, password: string): BotAuthSettings {
  const settings = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: password,
    MicrosoftAppType: 'MultiTenant',
    MicrosoftAppTenantId: '',
    ToBotFromChannelOpenIdMetadataUrl: entra.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
    ToBotFromEmulatorOpenIdMetadataUrl: entra.openIdMetadataUrl,
    ToChannelFromBotLoginUrl: entra.loginUrl(BOT_FRAMEWORK_TENANT),
    ToChannelFromBotOAuthScope: BOT_FRAMEWORK_ISSUER,
    OAuthUrl: entra.url,
    CallerId: 'urn:botframework:azure',
    // Passed through to createCredentials; MSAL would ignore it, botCredentialsFactory does not need it.
    ValidateAuthority: false,
  } as const;
  return settings satisfies ConfigurationBotFrameworkAuthenticationOptions;
}

type CredentialsFactory = NonNullable<
  ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]
>;
type ServiceClientCredentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>;
type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Outbound credentials: a client-credentials token fetched over http; `getToken` as MSAL-backed ones have. */
export interface BotCredentials extends ServiceClientCredentials {
  readonly appId: string;
  readonly oAuthScope: string;
  readonly oAuthEndpoint: string;
  getToken(forceRefresh?: boolean): Promise<string>;
}

/**
 * A credentials factory for ConfigurationBotFrameworkAuthentication or TeamsAdapter that gets outbound tokens
 * the way MSAL does (client credentials, `<scope>/.default`) from the login URL the SDK passes in, over http.
 * With an empty appId, authentication is off, as with the stock factory.
 */
export class LoopbackCredentialsFactory implements CredentialsFactory {
  private readonly cache = new Map<string, { readonly token: string; readonly refreshAt: number }>();

  constructor(
    private readonly appId: string,
    private readonly password: string,
  ) {}

  isValidAppId(appId: string): Promise<boolean> {
    return Promise.resolve(appId === this.appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(this.appId === '');
  }

  createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
  ): Promise<ServiceClientCredentials> {
    if (this.appId === '')
      return Promise.resolve({ signRequest: (webResource) => Promise.resolve(webResource) });
    if (appId !== this.appId) return Promise.reject(new Error('Invalid appId.'));
    const oAuthScope = audience ?? BOT_FRAMEWORK_ISSUER;
    const scope = oAuthScope.endsWith('/.default') ? oAuthScope : `${oAuthScope}/.default`;
    const tokenEndpoint = `${loginEndpoint.replace(/\/+$/, '')}/oauth2/v2.0/token`;
    const getToken = async (forceRefresh = false): Promise<string> => {
      const key = `${tokenEndpoint} ${scope}`;
      const cached = this.cache.get(key);
      if (!forceRefresh && cached !== undefined && cached.refreshAt > Date.now()) return cached.token;
      const { token, expiresIn } = await this.fetchToken(tokenEndpoint, scope);
      // Like AppCredentials: renew five minutes before expiry.
      this.cache.set(key, { token, refreshAt: Date.now() + (expiresIn - 300) * 1000 });
      return token;
    };
    const credentials: BotCredentials = {
      appId,
      oAuthScope,
      oAuthEndpoint: loginEndpoint,
      getToken,
      signRequest: async (webResource: WebResource) => {
        webResource.headers.set('authorization', `Bearer ${await getToken()}`);
        return webResource;
      },
    };
    return Promise.resolve(credentials);
  }

  private async fetchToken(
    tokenEndpoint: string,
    scope: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({
        client_id: this.appId,
        client_secret: this.password,
        scope,
        grant_type: 'client_credentials',
      }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Token request to ${tokenEndpoint} failed: ${response.status} ${text}`);
    const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new Error(`Token response from ${tokenEndpoint} has no access_token/expires_in: ${text}`);
    }
    return { token: body.access_token, expiresIn: body.expires_in };
  }
}

/** `new LoopbackCredentialsFactory(appId, password)`: pass it next to botAuthSettings(). */
export function botCredentialsFactory(appId: string, password: string): LoopbackCredentialsFactory {
  return new LoopbackCredentialsFactory(appId, password);
}

/** The bot's BotFrameworkAuthentication against this authority: `botAuthSettings` + `botCredentialsFactory`. */
export function botFrameworkAuthentication(
  entra: FakeEntra,
  appId: string,
  password: string,
): ConfigurationBotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(
    botAuthSettings(entra, appId, password),
    // The SDK types this parameter as the abstract class ServiceClientCredentialsFactory, which its own
    // factories implement rather than extend, as this one does.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    botCredentialsFactory(appId, password),
  );
}

function isMetadataPath(path: string): boolean {
  // The standard path, and the one the Bot Framework itself serves its metadata on.
  return path === '/.well-known/openid-configuration' || path === '/v1/.well-known/openidconfiguration';
}

function base64url(value: JsonValue): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signJwt(payload: JwtClaims, key: KeyObject, kid: string): string {
  const signingInput = `${base64url({ alg: 'RS256', typ: 'JWT', kid, x5t: kid })}.${base64url(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

function verifyJwt(
  token: string,
  publicKey: KeyObject,
  kid: string,
  expect: VerifyExpectations,
): JwtClaims | undefined {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0)
    return undefined;
  const head = parseJsonObject(Buffer.from(header, 'base64url').toString());
  if (head?.['alg'] !== 'RS256' || head['kid'] !== kid) return undefined;
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return undefined;
  const claims = parseJsonObject(Buffer.from(payload, 'base64url').toString());
  if (claims === undefined) return undefined;
  const nowSeconds = (expect.now ?? Date.now()) / 1000;
  const exp = claims['exp'];
  const nbf = claims['nbf'];
  if (typeof exp !== 'number' || exp <= nowSeconds) return undefined;
  if (typeof nbf === 'number' && nbf > nowSeconds) return undefined;
  if (expect.audience !== undefined && claims['aud'] !== expect.audience) return undefined;
  if (expect.issuer !== undefined && claims['iss'] !== expect.issuer) return undefined;
  return claims;
}

function parseJsonObject(text: string): JwtClaims | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JwtClaims)
      : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function respond(res: ServerResponse, status: number, body: JsonValue): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
