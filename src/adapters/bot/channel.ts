// The support channel: a staff member registers it (the thread of every ticket is posted there by
// src/teams/thread.ts); removing the app or the team forgets it, when the staff tenant says so.
import type { Application } from '@microsoft/teams-ai';
import type { Activity, TurnContext } from 'botbuilder';
import { escape } from '../../domain/cards/types';
import { callerOf, channelHere } from './teams';
import type { BotDeps } from './deps';
import type { Caller } from '../../domain/staff/caller';

/** What this feature uses of the app's parts. */
export type ChannelDeps = Pick<BotDeps, 'audit' | 'config' | 'log' | 'now' | 'settings' | 'staff'>;

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
    await forgetTeam(context, deps, 'team deleted');
  });
  app.activity('installationUpdate', async (context) => {
    if ((context.activity as { action?: string }).action === 'remove')
      await forgetTeam(context, deps, 'app removed from the team');
  });
  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient.id;
    const removed = context.activity.membersRemoved ?? [];
    if (removed.some((m) => m.id === botId)) await forgetTeam(context, deps, 'bot removed');
  });
}

function teamOf(activity: Partial<Activity>): string | undefined {
  const id = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The tenant an activity speaks for (channelData.tenant.id, else conversation.tenantId), lower case. */
function tenantOf(activity: Partial<Activity>): string | undefined {
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = data?.tenant?.id ?? activity.conversation?.tenantId;
  return typeof id === 'string' && id !== '' ? id.toLowerCase() : undefined;
}

/**
 * Forgets the support and managers' channels of the event's team, but only when the event comes from the
 * staff tenant (or, with none configured, the tenant the channels were chosen in): a lifecycle event from
 * another tenant naming our team is ignored, logged and audited.
 */
async function forgetTeam(context: TurnContext, deps: ChannelDeps, why: string): Promise<void> {
  const teamId = teamOf(context.activity);
  if (teamId === undefined) return;
  const [support, managers] = await Promise.all([
    deps.settings.supportChannel(),
    deps.settings.managersChannel(),
  ]);
  const ours = [support, managers].filter((c) => c !== null && c.teamId === teamId);
  if (ours.length === 0) return;
  const tenant = tenantOf(context.activity);
  const staffTenant = deps.config.staff.tenantId;
  const trusted =
    tenant !== undefined &&
    (staffTenant === undefined || tenant === staffTenant) &&
    ours.every((c) => c?.tenantId.toLowerCase() === tenant);
  if (!trusted) {
    deps.log.warn('ignored a lifecycle event from another tenant', { why, teamId, tenantId: tenant });
    await deps.audit.record({
      at: deps.now(),
      action: 'channel.forget',
      outcome: 'refused',
      reason: `${why}: not from the staff tenant`,
      tenantId: tenant,
      userId: context.activity.from.aadObjectId ?? context.activity.from.id,
      target: teamId,
    });
    return;
  }
  if (await deps.settings.forgetTeam(teamId)) deps.log.info(`support channel forgotten: ${why}`, { teamId });
}
