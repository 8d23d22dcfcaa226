// Lifecycle events from another tenant: a team deleted, the app removed or the bot removed as a member, sent by
// tenant B naming the vendor's support team. None may make the app forget the support channel (isolation row).
import { channelMessage, DEFAULT_TEAM_ID, post, type JsonObject } from '../support/activities';
import type { App } from '../../src/app';
import type { ScenarioResult } from './rig';

/** The three events that forget a team's channels, as `tenantId` would send them for `teamId`. */
export function lifecycleEvents(
  serviceUrl: string,
  tenantId: string,
  teamId: string,
): [string, JsonObject][] {
  const a = channelMessage({
    serviceUrl,
    tenantId,
    userId: '29:lifecycle',
    userName: 'Lifecycle',
    channel: { teamId, channelId: teamId },
    text: 'x',
  });
  const { text: _t, textFormat: _f, entities: _e, ...rest } = a;
  const base = {
    ...rest,
    type: 'conversationUpdate',
    channelData: { ...a.channelData, tenant: { id: tenantId }, team: { id: teamId, name: 'Support' } },
  };
  const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as JsonObject;
  return [
    ['teamDeleted', json({ ...base, channelData: { ...base.channelData, eventType: 'teamDeleted' } })],
    ['installationUpdate remove', json({ ...base, type: 'installationUpdate', action: 'remove' })],
    [
      'bot removed',
      json({
        ...base,
        membersRemoved: [{ id: a.recipient.id }],
        channelData: { ...base.channelData, eventType: 'teamMemberRemoved' },
      }),
    ],
  ];
}

/** Tenant B sends each event for the support team: the channel must still be there afterwards. */
export async function foreignLifecycle(
  app: App,
  serviceUrl: string,
  tenantId: string,
  result: ScenarioResult,
): Promise<void> {
  for (const [name, activity] of lifecycleEvents(serviceUrl, tenantId, DEFAULT_TEAM_ID)) {
    const res = await post(`${app.url}/api/messages`, activity);
    result.operations++;
    result.faults++;
    if (res.status >= 500) result.failures.push(`foreign ${name}: answered ${res.status}`);
    const channel = await app.deps.settings.supportChannel();
    if (channel === null) result.failures.push(`foreign ${name} made the app forget the support channel`);
  }
}
