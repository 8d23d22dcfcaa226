// The bot's own Bot Framework token, for the few downloads that need it (images pasted in a chat), got the way
// the adapter gets its outbound tokens: same credentials factory, login URL and audience. None in local mode.
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { AuthenticationConstants, GovernmentConstants } from 'botframework-connector';

interface TokenCredentials {
  getToken(forceRefresh?: boolean): Promise<string>;
}

function hasToken(v: unknown): v is TokenCredentials {
  return typeof v === 'object' && v !== null && typeof (v as { getToken?: unknown }).getToken === 'function';
}

/**
 * A function returning the bot's token (cached and renewed by the credentials), or undefined when the bot runs
 * without authentication (local mode).
 */
export function botTokenSource(adapter: TeamsAdapter, appId: string): () => Promise<string | undefined> {
  return async () => {
    const factory = adapter.credentialsFactory;
    if (appId === '' || (await factory.isAuthenticationDisabled())) return undefined;
    const settings = adapter.botFrameworkAuthConfig;
    const login = (
      settings?.ToChannelFromBotLoginUrl ??
      `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${AuthenticationConstants.DefaultChannelAuthTenant}`
    ).toLowerCase();
    const audience =
      settings?.ToChannelFromBotOAuthScope ??
      (login.startsWith(GovernmentConstants.ToChannelFromBotLoginUrlPrefix)
        ? GovernmentConstants.ToChannelFromBotOAuthScope
        : AuthenticationConstants.ToChannelFromBotOAuthScope);
    const credentials: unknown = await factory.createCredentials(appId, audience, login, true);
    if (!hasToken(credentials)) throw new Error('the bot credentials cannot issue a token');
    return credentials.getToken();
  };
}
