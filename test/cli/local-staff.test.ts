// npm start's local staff take turns on call, so the P1 paging chain works with no configuration.
import { loadConfig } from '../../src/config';
import { LOCAL_STAFF, localRotation } from '../../src/cli/local-staff';
import { onCallAt } from '../../src/oncall/roster';

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
