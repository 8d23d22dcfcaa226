// The app as the HTTP tests start it, with its stand-ins: on its own Azurite with the fake Bot Connector (local
// mode, no tokens); with Bot Framework authentication on (BOT_ID set, tokens checked against a fake Entra's keys
// and the bot's own fetched from it); or with the tab API taking Teams SSO tokens signed by a fake Entra. Started
// in a file's beforeAll; `stop()` in its afterAll stops the app first, then its stand-ins.
import type { App } from '../../src/app';
import type { AdapterOptions } from '../../src/adapters/teams/adapter';
import { startTestApp, type StartOptions } from './app';
import { startTestAzurite, type TestAzurite } from './azurite';
import { startFakeConnector, type FakeConnector, type FakeConnectorOptions } from './connector';
import {
  botAuthSettings,
  botCredentialsFactory,
  startFakeEntra,
  type FakeEntra,
  type FakeEntraOptions,
} from './entra';
import { APP_ID_URI, CLIENT_ID, TAB_ENV } from './tab';

/** startTestApp's options but the connection string (the app gets its own Azurite). */
export type AppOptions = Omit<StartOptions, 'connectionString'>;

/** The app on its own Azurite with the fake Bot Connector. */
export interface WithConnector {
  readonly azurite: TestAzurite;
  readonly connector: FakeConnector;
  readonly app: App;
  readonly stop: () => Promise<void>;
}

/** The same with Bot Framework authentication on against `entra`. */
export interface WithBotAuth extends WithConnector {
  readonly entra: FakeEntra;
}

/** The app on its own Azurite whose tab API takes Teams SSO tokens signed by `entra`. */
export interface WithTabSso {
  readonly azurite: TestAzurite;
  readonly entra: FakeEntra;
  readonly app: App;
  readonly stop: () => Promise<void>;
}

/** The bot registered with the fake Entra: its id (BOT_ID) and secret (BOT_PASSWORD). */
export interface BotKeys {
  readonly appId: string;
  readonly password: string;
}

/**
 * The adapter options that make the app check Bot Framework tokens against `entra`'s keys and fetch its own
 * from it, for startTestApp's `botAuth` (the id, secret and app type come from BOT_ID and BOT_PASSWORD).
 */
export function botAuthOptions(entra: FakeEntra, { appId, password }: BotKeys): AdapterOptions {
  const {
    MicrosoftAppId: _id,
    MicrosoftAppPassword: _pw,
    MicrosoftAppType: _type,
    MicrosoftAppTenantId: _tenant,
    ...overrides
  } = botAuthSettings(entra, appId, password);
  // The SDK types this as its abstract factory class, which its own factories implement rather than extend.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  return { overrides, credentialsFactory: botCredentialsFactory(appId, password) };
}

/** The settings that make the tab API take Teams SSO tokens for this app (test/support/tab.ts) signed by `entra`. */
export function tabSsoEnv(entra: FakeEntra): Record<string, string> {
  return { AAD_APP_CLIENT_ID: CLIENT_ID, TAB_API_AUDIENCE: APP_ID_URI, TAB_AUTH_JWKS_URL: entra.jwksUri };
}

/** Azurite, the fake Bot Connector (with `connector`'s options) and the app, in local mode. */
export async function startWithConnector(
  o: AppOptions & { readonly connector?: FakeConnectorOptions },
): Promise<WithConnector> {
  const { connector: connectorOptions, ...options } = o;
  const azurite = await startTestAzurite();
  const connector = await startFakeConnector(connectorOptions);
  const app = await startTestApp({ ...options, connectionString: azurite.connectionString });
  return {
    azurite,
    connector,
    app,
    stop: async () => {
      await app.stop();
      await connector.stop();
      await azurite.stop();
    },
  };
}

/**
 * Azurite, the fake Bot Connector, a fake Entra (with `entra`'s options) that knows the bot, and the app with
 * BOT_ID and BOT_PASSWORD set on top of `env`, checking every activity's token against that Entra.
 */
export async function startWithBotAuth(
  o: AppOptions & BotKeys & { readonly entra?: FakeEntraOptions },
): Promise<WithBotAuth> {
  const { appId, password, entra: entraOptions, env, ...options } = o;
  const azurite = await startTestAzurite();
  const connector = await startFakeConnector();
  const entra = await startFakeEntra(entraOptions);
  entra.registerApp(appId, password);
  const app = await startTestApp({
    ...options,
    connectionString: azurite.connectionString,
    env: { BOT_ID: appId, BOT_PASSWORD: password, ...env },
    botAuth: botAuthOptions(entra, { appId, password }),
  });
  return {
    azurite,
    connector,
    entra,
    app,
    stop: async () => {
      await app.stop();
      await entra.stop();
      await connector.stop();
      await azurite.stop();
    },
  };
}

/**
 * Azurite, a fake Entra and the app with the test deployment's staff and customers (TAB_ENV) and `env` on top,
 * its tab API taking Teams SSO tokens signed by that Entra.
 */
export async function startWithTabSso(o: AppOptions): Promise<WithTabSso> {
  const azurite = await startTestAzurite();
  const entra = await startFakeEntra();
  const app = await startTestApp({
    ...o,
    connectionString: azurite.connectionString,
    env: { ...TAB_ENV, ...tabSsoEnv(entra), ...o.env },
  });
  return {
    azurite,
    entra,
    app,
    stop: async () => {
      await app.stop();
      await entra.stop();
      await azurite.stop();
    },
  };
}
