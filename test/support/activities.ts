// Builders for activities shaped as Microsoft Teams sends them to a bot, and `post` to deliver one over HTTP.
// Defaults agree with the fake connector's made-up members (same ids, aadObjectIds, tenant, 1:1 chat id).
// Test support only: node built-ins, luxon and ./connector.
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { DEFAULT_TENANT_ID, personalConversationId, stableGuid } from './connector';

/** The bot's Entra app id in tests unless one says otherwise (not a real app). */
export const DEFAULT_APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
export const DEFAULT_BOT_NAME = 'SLA Desk';
/** The user who speaks unless a test says otherwise. */
export const DEFAULT_USER_ID = '29:1kq8Zr3vB0t-test-user-default';
export const DEFAULT_TEAM_ID = '19:9f2c1d0e8b7a4c3d@thread.tacv2';
export const DEFAULT_CHANNEL_ID = '19:4e5f6a7b8c9d0e1f@thread.tacv2';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
export interface JsonObject {
  readonly [field: string]: JsonValue;
}

export interface TeamsAccount {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
}

export interface TeamsConversation {
  readonly id: string;
  readonly conversationType: 'personal' | 'channel';
  readonly tenantId: string;
  readonly isGroup?: true;
}

export interface TeamsChannelData {
  readonly tenant: { readonly id: string };
  readonly teamsTeamId?: string;
  readonly teamsChannelId?: string;
  readonly team?: { readonly id: string; readonly name: string; readonly aadGroupId: string };
  readonly channel?: { readonly id: string; readonly name?: string };
  readonly eventType?: 'teamMemberAdded';
  readonly source?: { readonly name: 'message' };
  readonly legacy?: { readonly replyToId: string };
}

export type TeamsEntity =
  | {
      readonly type: 'clientInfo';
      readonly locale: string;
      readonly country: string;
      readonly platform: string;
      readonly timezone: string;
    }
  | { readonly type: 'mention'; readonly text: string; readonly mentioned: TeamsAccount };

/** An activity as it arrives at /api/messages from Teams (JSON: timestamps are strings). */
export interface TeamsActivity {
  readonly type: 'message' | 'invoke' | 'conversationUpdate';
  readonly id: string;
  readonly timestamp: string;
  readonly localTimestamp: string;
  readonly localTimezone: string;
  readonly locale: string;
  readonly channelId: 'msteams';
  readonly serviceUrl: string;
  readonly from: TeamsAccount;
  readonly recipient: TeamsAccount;
  readonly conversation: TeamsConversation;
  readonly channelData: TeamsChannelData;
  readonly entities?: readonly TeamsEntity[];
  readonly text?: string;
  readonly textFormat?: 'plain';
  readonly name?: string;
  readonly value?: JsonValue;
  readonly replyToId?: string;
  readonly membersAdded?: readonly TeamsAccount[];
}

/** Where a channel activity happens. */
export interface ChannelOptions {
  readonly teamId?: string;
  readonly teamName?: string;
  /** Default DEFAULT_CHANNEL_ID; the General channel's id is the team id. */
  readonly channelId?: string;
  readonly channelName?: string;
  /** The id of the thread's root post; omitted, the activity is itself a new post (thread = its own id). */
  readonly threadId?: string;
}

export interface TeamsActivityOptions {
  /** The fake connector's serviceUrl. */
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly appId?: string;
  readonly botName?: string;
  readonly userId?: string;
  /** Default: derived from userId the way the fake connector derives it. */
  readonly aadObjectId?: string;
  readonly userName?: string;
  /** The activity's id (default: a fresh Teams-style numeric id). */
  readonly id?: string;
  /** Overrides the conversation id (default: the user's 1:1 chat, or the channel thread). */
  readonly conversationId?: string;
  readonly locale?: string;
  /** IANA zone of the user's client (clientInfo.timezone and localTimezone). */
  readonly timezone?: string;
  /** Epoch ms of the activity (default: now). */
  readonly now?: number;
  readonly replyToId?: string;
  /** In a team channel instead of the 1:1 chat. */
  readonly channel?: ChannelOptions;
}

/**
 * A message from a user in their 1:1 chat with the bot.
 * @example personalMessage({ serviceUrl: connector.serviceUrl, text: 'new ticket' })
 */
export function personalMessage(
  options: Omit<TeamsActivityOptions, 'channel'> & { readonly text: string },
): TeamsActivity {
  return { ...base('message', options), text: options.text, textFormat: 'plain' };
}

/**
 * A channel post (or thread reply, with `channel.threadId`) that @mentions the bot, as Teams requires for
 * bots to receive channel messages. The text arrives as `<at>Bot</at> text`.
 */
export function channelMessage(
  options: TeamsActivityOptions & { readonly text: string; readonly mentionBot?: boolean },
): TeamsActivity {
  const activity = base('message', { ...options, channel: options.channel ?? {} });
  if (options.mentionBot === false) return { ...activity, text: options.text, textFormat: 'plain' };
  const mention = `<at>${activity.recipient.name ?? DEFAULT_BOT_NAME}</at>`;
  return {
    ...activity,
    text: `${mention} ${options.text}`,
    textFormat: 'plain',
    entities: [
      ...(activity.entities ?? []),
      { type: 'mention', text: mention, mentioned: activity.recipient },
    ],
  };
}

/** An Action.Submit from a card: a message with `value` and no text, replying to the card's activity. */
export function cardSubmit(
  options: TeamsActivityOptions & { readonly value: JsonObject; readonly replyToId: string },
): TeamsActivity {
  const activity = base('message', options);
  return {
    ...activity,
    value: options.value,
    channelData: {
      ...activity.channelData,
      source: { name: 'message' },
      legacy: { replyToId: options.replyToId },
    },
  };
}

/**
 * An Action.Execute (Universal Actions): invoke `adaptiveCard/action`. The bot must answer the HTTP request
 * with an invoke response; `post` returns it.
 */
export function actionExecute(
  verb: string,
  data: JsonObject,
  options: TeamsActivityOptions & { readonly replyToId?: string },
): TeamsActivity {
  const activity = base('invoke', options);
  return {
    ...activity,
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    channelData: { ...activity.channelData, source: { name: 'message' } },
  };
}

/**
 * The bot was installed: conversationUpdate with the bot in membersAdded. Personal scope by default; with
 * `channel`, installed in a team (conversation = the General channel, whose id is the team id).
 */
export function installUpdate(options: TeamsActivityOptions): TeamsActivity {
  if (options.channel === undefined) {
    const activity = base('conversationUpdate', options);
    return { ...activity, membersAdded: [{ id: activity.recipient.id }] };
  }
  const teamId = options.channel.teamId ?? DEFAULT_TEAM_ID;
  const activity = base('conversationUpdate', {
    ...options,
    channel: { ...options.channel, channelId: teamId },
    conversationId: options.conversationId ?? teamId,
  });
  return {
    ...activity,
    membersAdded: [{ id: activity.recipient.id }],
    channelData: { ...activity.channelData, eventType: 'teamMemberAdded' },
  };
}

export interface PostResult {
  readonly status: number;
  /** Parsed JSON; the raw text if it was not JSON; undefined if empty. */
  readonly body: unknown;
}

/**
 * POSTs an activity as the Bot Framework Connector does (JSON, optional `Authorization: Bearer`).
 * @example const { status } = await post(`${bot.url}/api/messages`, activity, token); // status 200
 */
export async function post(
  url: string,
  activity: TeamsActivity | Readonly<Record<string, unknown>>,
  token?: string,
): Promise<PostResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await response.text();
  if (text === '') return { status: response.status, body: undefined };
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

function base(type: TeamsActivity['type'], options: TeamsActivityOptions): TeamsActivity {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const appId = options.appId ?? DEFAULT_APP_ID;
  const userId = options.userId ?? DEFAULT_USER_ID;
  const locale = options.locale ?? 'en-US';
  const timezone = options.timezone ?? 'Europe/London';
  const id = options.id ?? newActivityId();
  const when = DateTime.fromMillis(options.now ?? Date.now(), { zone: timezone });
  const timestamp = when.toUTC().toISO();
  const localTimestamp = when.toISO();
  if (timestamp === null || localTimestamp === null)
    throw new Error(`Invalid time zone or time: ${timezone}`);
  const from: TeamsAccount = {
    id: userId,
    name: options.userName ?? 'Test User',
    aadObjectId: options.aadObjectId ?? stableGuid(userId),
  };
  const recipient: TeamsAccount = { id: `28:${appId}`, name: options.botName ?? DEFAULT_BOT_NAME };
  const clientInfo: TeamsEntity = {
    type: 'clientInfo',
    locale,
    country: locale.split('-')[1] ?? 'US',
    platform: 'Web',
    timezone,
  };
  const common = {
    type,
    id,
    timestamp,
    localTimestamp,
    localTimezone: timezone,
    locale,
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    from,
    recipient,
    entities: [clientInfo],
    ...(options.replyToId === undefined ? {} : { replyToId: options.replyToId }),
  } as const;
  const { channel } = options;
  if (channel === undefined) {
    return {
      ...common,
      conversation: {
        id: options.conversationId ?? personalConversationId(userId, recipient.id),
        conversationType: 'personal',
        tenantId,
      },
      channelData: { tenant: { id: tenantId } },
    };
  }
  const teamId = channel.teamId ?? DEFAULT_TEAM_ID;
  const channelId = channel.channelId ?? DEFAULT_CHANNEL_ID;
  return {
    ...common,
    conversation: {
      id: options.conversationId ?? `${channelId};messageid=${channel.threadId ?? id}`,
      conversationType: 'channel',
      tenantId,
      isGroup: true,
    },
    channelData: {
      teamsTeamId: teamId,
      teamsChannelId: channelId,
      team: { id: teamId, name: channel.teamName ?? 'Test Team', aadGroupId: stableGuid(teamId) },
      channel:
        channel.channelName === undefined ? { id: channelId } : { id: channelId, name: channel.channelName },
      tenant: { id: tenantId },
    },
  };
}

/** Teams-style numeric id, longer than the fake connector's so the two never collide. */
function newActivityId(): string {
  return `${Date.now()}${randomInt(100_000, 1_000_000)}`;
}
