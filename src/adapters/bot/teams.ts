// Reading Teams activities: who is calling, from which tenant and zone, in which conversation.
import type { Activity, TurnContext } from 'botbuilder';
import { validZone } from '../../domain/cards/time';
import type { Caller } from '../../domain/staff/caller';
import type { Instant } from '../../domain/sla';
import type { SupportChannel } from '../storage/settings';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/** The caller of an activity, or undefined when it lacks a tenant, a user or a conversation. */
export function callerOf(activity: Partial<Activity>): Caller | undefined {
  const channelData = record(activity.channelData);
  const tenant = str(record(channelData?.['tenant'])?.['id']) ?? str(activity.conversation?.tenantId);
  const userId = str(activity.from?.id);
  const conversationId = str(activity.conversation?.id);
  const serviceUrl = str(activity.serviceUrl);
  if (
    tenant === undefined ||
    userId === undefined ||
    conversationId === undefined ||
    serviceUrl === undefined
  )
    return undefined;
  const clientInfo = (activity.entities ?? []).find((e) => e.type === 'clientInfo') as
    Record<string, unknown> | undefined;
  const zone = validZone(activity.localTimezone) ?? validZone(clientInfo?.['timezone']);
  const name = (str(activity.from?.name) ?? 'Teams user').slice(0, 200);
  return {
    tenantId: tenant.toLowerCase().slice(0, 128),
    userId: userId.slice(0, 256),
    aadObjectId: str(activity.from?.aadObjectId)?.slice(0, 128),
    name,
    zone,
    conversationId: conversationId.slice(0, 512),
    conversationType: str(activity.conversation?.conversationType) ?? 'personal',
    serviceUrl: serviceUrl.slice(0, 512),
  };
}

/** The caller of the turn (throws if the activity is not from a Teams user in a tenant). */
export function callerOfTurn(context: TurnContext): Caller | undefined {
  return callerOf(context.activity);
}

/** Plain text of a message without the bot's @mention. */
export function messageText(context: TurnContext): string {
  const raw = typeof context.activity.text === 'string' ? context.activity.text : '';
  return raw
    .replace(/<at>[^<]*<\/at>/g, '')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

/** The channel a message was said in, recorded as chosen by `setBy` at `setAt` (support or managers' channel). */
export function channelHere(
  activity: Partial<Activity>,
  caller: Caller,
  setBy: string,
  setAt: Instant,
): SupportChannel {
  const data = (activity.channelData ?? {}) as {
    team?: { id?: string; name?: string };
    channel?: { id?: string; name?: string };
  };
  const channelId = data.channel?.id ?? caller.conversationId.split(';')[0] ?? caller.conversationId;
  return {
    conversationId: channelId,
    serviceUrl: caller.serviceUrl,
    tenantId: caller.tenantId,
    teamId: data.team?.id ?? channelId,
    channelId,
    teamName: data.team?.name ?? '',
    channelName: data.channel?.name ?? '',
    setBy,
    setAt,
  };
}
