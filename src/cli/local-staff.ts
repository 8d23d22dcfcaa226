// Local mode's staff and on-call rotation for `npm start` when none are configured. Pure.
import type { SupportChannel } from '../adapters/storage/settings';

/** Staff for the tab's local sign-in when none are configured (a tenant no real user is in). */
export const LOCAL_STAFF = {
  STAFF_TENANT_ID: '00000000-0000-4000-8000-00000000057a',
  STAFF_MANAGERS: '00000000-0000-4000-8000-0000000000a1=Local Manager',
  STAFF_ENGINEERS:
    '00000000-0000-4000-8000-0000000000e1=Local Engineer;00000000-0000-4000-8000-0000000000e2=Local Backup Engineer',
} as const;

/**
 * A weekly on-call rotation of the configured engineers (the first primary, the second, else the first manager,
 * secondary), so that the P1 paging chain can be watched locally with no configuration. Undefined without staff.
 * @example localRotation({ STAFF_ENGINEERS: 'e1=A;e2=B' }) // '{"start":"2026-01-05","handover":"09:00","weeks":[{"primary":"e1","secondary":"e2"}]}'
 */
export function localRotation(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const ids = (key: string): string[] =>
    (env[key] ?? '')
      .split(';')
      .map((pair) => pair.split('=')[0]?.trim() ?? '')
      .filter((id) => id !== '');
  const engineers = ids('STAFF_ENGINEERS');
  const primary = engineers[0];
  if (primary === undefined) return undefined;
  const secondary = engineers[1] ?? ids('STAFF_MANAGERS')[0] ?? primary;
  return JSON.stringify({ start: '2026-01-05', handover: '09:00', weeks: [{ primary, secondary }] });
}

/** Who set a support channel that `npm start` chose itself (it may replace it on the next start). */
export const PLAYGROUND_SETTER = 'npm start (local mode)';

/**
 * The playground's team channel (its team's General channel, whose id is the team's) as the support channel, so
 * that tickets get threads and P1 pages can be watched with no setup.
 * @example playgroundChannel('tenant', 56150, 'team-id', 0).serviceUrl // 'http://127.0.0.1:56150/_connector'
 */
export function playgroundChannel(
  tenantId: string,
  port: number,
  teamId: string,
  now: number,
): SupportChannel {
  return {
    conversationId: teamId,
    serviceUrl: `http://127.0.0.1:${port}/_connector`,
    tenantId,
    teamId,
    channelId: teamId,
    teamName: 'My Team',
    channelName: 'General',
    setBy: PLAYGROUND_SETTER,
    setAt: now,
  };
}

/** The team id in a playground config file (`team:` then an indented `id:`), else the playground's own. */
export function playgroundTeamId(configText: string | undefined): string {
  const m = /^team:\s*\n(?:[ \t]+.*\n)*?[ \t]+id:\s*["']?([^"'\s]+)/m.exec(configText ?? '');
  return m?.[1] ?? 'team-id';
}
