// npm start's local staff take turns on call, so the P1 paging chain works with no configuration.
import { loadConfig } from '../../src/config';
import {
  LOCAL_STAFF,
  localRotation,
  PLAYGROUND_SETTER,
  playgroundChannel,
  playgroundTeamId,
} from '../../src/cli/local-staff';
import { onCallAt } from '../../src/domain/oncall/roster';

describe('the local on-call rotation', () => {
  it('puts the local engineers on call, the first primary and the second secondary, every week', () => {
    const rotation = localRotation({ ...LOCAL_STAFF });
    const config = loadConfig({ ...LOCAL_STAFF, ONCALL_ROTATION: rotation });
    const friday = Date.parse('2026-12-04T21:30:00-05:00');
    if (config.rotation === undefined) throw new Error('no rotation');
    const now = onCallAt(config.rotation, friday, 'America/New_York');
    expect(config.staff.engineers.get(now.primary)).toBe('Local Engineer');
    expect(config.staff.engineers.get(now.secondary ?? '')).toBe('Local Backup Engineer');
    expect(config.staff.managers.get(config.oncall.manager ?? '')).toBe('Local Manager');
  });

  it('takes a manager as secondary when there is one engineer, and nobody without staff', () => {
    expect(JSON.parse(localRotation({ STAFF_ENGINEERS: 'e1=A', STAFF_MANAGERS: 'm1=M' }) ?? '')).toEqual({
      start: '2026-01-05',
      handover: '09:00',
      weeks: [{ primary: 'e1', secondary: 'm1' }],
    });
    expect(localRotation({})).toBeUndefined();
  });
});

describe("the playground's channel as the support channel", () => {
  it("is the team's General channel on the playground's connector, marked as npm start's choice", () => {
    expect(playgroundChannel('tenant-1', 56151, 'team-id', 7)).toEqual({
      conversationId: 'team-id',
      serviceUrl: 'http://127.0.0.1:56151/_connector',
      tenantId: 'tenant-1',
      teamId: 'team-id',
      channelId: 'team-id',
      teamName: 'My Team',
      channelName: 'General',
      setBy: PLAYGROUND_SETTER,
      setAt: 7,
    });
  });

  it("takes the team id from the playground's config file, else the playground's own", () => {
    const config = 'tenantId: t1\nteam:\n  name: Support\n  id: 19:abc@thread.tacv2\n  channels: []\n';
    expect(playgroundTeamId(config)).toBe('19:abc@thread.tacv2');
    expect(playgroundTeamId('tenantId: t1\n')).toBe('team-id');
    expect(playgroundTeamId(undefined)).toBe('team-id');
  });
});
