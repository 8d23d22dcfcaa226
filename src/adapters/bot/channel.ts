// The support channel: a staff member registers it (the thread of every ticket is posted there by
// src/teams/thread.ts); removing the app or the team forgets it.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { escape } from '../../domain/cards/types';
import { callerOf, channelHere } from './teams';
import type { BotDeps } from './deps';
import type { Caller } from '../../domain/staff/caller';

/** What this feature uses of the app's parts. */
export type ChannelDeps = Pick<BotDeps, 'audit' | 'log' | 'now' | 'settings' | 'staff'>;

const REGISTER = /^\s*use this channel for support\s*[.!]?\s*$/i;

async function register(context: TurnContext, deps: ChannelDeps): Promise<void> {
  const caller = callerOf(context.activity);
  const staff = await deps.staff.resolve(caller);
  if (caller === undefined || staff === undefined) {
    await deps.audit.record({
      at: deps.now(),
      action: 'channel.register',
      outcome: 'refused',
      reason: 'not support staff',
      tenantId: caller?.tenantId,
      userId: caller?.aadObjectId ?? caller?.userId,
    });
    await context.sendActivity('Only support staff can choose the support channel.');
    return;
  }
  await chooseChannel(
    context,
    deps,
    { caller, name: staff.name },
    'support',
    'the support channel. Every new ticket will start a thread here with a live card',
  );
}

/**
 * Records the channel this message was said in as the support or the managers' channel, and says so there
 * (`what`: what the channel is now, after "This channel is now").
 */
export async function chooseChannel(
  context: TurnContext,
  deps: Pick<BotDeps, 'log' | 'now' | 'settings'>,
  by: { caller: Caller; name: string },
  which: 'support' | 'managers',
  what: string,
): Promise<void> {
  const channel = channelHere(context.activity, by.caller, by.name, deps.now());
  if (which === 'support') await deps.settings.setSupportChannel(channel);
  else await deps.settings.setManagersChannel(channel);
  deps.log.info(`${which} channel set`, {
    channelId: channel.channelId,
    by: by.caller.aadObjectId ?? by.caller.userId,
  });
  await context.sendActivity(`This channel is now ${what} (set by ${escape(by.name)}).`);
}

export function registerChannel(app: Application, deps: ChannelDeps): void {
  app.message(REGISTER, async (context) => {
    if (context.activity.conversation.conversationType !== 'channel') {
      await context.sendActivity('Say this in the Teams channel that should become the support channel.');
      return;
    }
    await register(context, deps);
  });
  // Uninstalled from the team, or the team deleted: forget its channel.
  app.conversationUpdate('teamDeleted', async (context) => {
    const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    if (teamId !== undefined && (await deps.settings.forgetTeam(teamId)))
      deps.log.info('support channel forgotten: team deleted', { teamId });
  });
  app.activity('installationUpdate', async (context) => {
    const action = (context.activity as { action?: string }).action;
    const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    if (action === 'remove' && teamId !== undefined && (await deps.settings.forgetTeam(teamId))) {
      deps.log.info('support channel forgotten: app removed from the team', { teamId });
    }
  });
  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient.id;
    const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    const removed = context.activity.membersRemoved ?? [];
    if (
      teamId !== undefined &&
      removed.some((m) => m.id === botId) &&
      (await deps.settings.forgetTeam(teamId))
    ) {
      deps.log.info('support channel forgotten: bot removed', { teamId });
    }
  });
}
