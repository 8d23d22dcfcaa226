// The Bot Framework adapter: teams-ai's TeamsAdapter, a CloudAdapter with ConfigurationBotFrameworkAuthentication.
// With a bot id every inbound request must carry a valid token; local mode (no id) only on loopback.
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../config';

/** Extra authentication settings (endpoints of the token authority); tests point them at loopback stand-ins. */
export type AuthOverrides = Partial<Record<string, string | boolean>>;

export function createAdapter(config: Config, overrides: AuthOverrides = {}): TeamsAdapter {
  const bot = config.bot;
  const settings: Record<string, string | boolean | undefined> =
    bot.mode === 'local'
      ? { MicrosoftAppId: '', MicrosoftAppPassword: '' }
      : {
          MicrosoftAppId: bot.appId,
          MicrosoftAppPassword: bot.password,
          MicrosoftAppType: bot.type,
          MicrosoftAppTenantId: bot.tenantId,
          ...overrides,
        };
  return new TeamsAdapter(settings as ConfigurationBotFrameworkAuthenticationOptions);
}
