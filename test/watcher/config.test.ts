// The watcher's configuration keys: the simulated clock is for local mode only, on-call ids must be staff,
// and bad values stop the app naming the key.
import { ConfigError, loadConfig } from '../../src/config';

const STAFF = { STAFF_ENGINEERS: 'alice=Alice;bob=Bob', STAFF_MANAGERS: 'mary=Mary' };

describe('watcher configuration', () => {
  it('has safe defaults', () => {
    const c = loadConfig({ ...STAFF });
    expect(c.watcher).toEqual({
      intervalMs: 5000,
      leaseMs: 60_000,
      tenantRate: 20,
      stuckAttempts: 5,
      retentionMs: 7 * 86_400_000,
    });
    expect(c.oncall).toEqual({ manager: 'mary', responders: [] });
    expect(c.simClock).toBeUndefined();
  });

  it('reads the simulated clock, the responders and the manager', () => {
    const c = loadConfig({
      ...STAFF,
      SIM_CLOCK_START: '2026-11-27T21:30:00-05:00',
      SIM_CLOCK_SPEED: '60',
      P1_RESPONDERS: 'Alice; bob',
      ONCALL_MANAGER: 'bob',
      OUTBOX_RETENTION_DAYS: '0.5',
    });
    expect(c.watcher.retentionMs).toBe(12 * 3_600_000);
    expect(c.simClock).toEqual({
      start: Date.parse('2026-11-27T21:30:00-05:00'),
      speed: 60,
      anchor: undefined,
    });
    expect(c.oncall).toEqual({ manager: 'bob', responders: ['alice', 'bob'] });
  });

  it.each([
    [
      { SIM_CLOCK_START: '2026-11-27T21:30:00' },
      'SIM_CLOCK_START must be an ISO 8601 instant with an offset',
    ],
    [{ SIM_CLOCK_START: '2026-13-45T21:30:00Z' }, 'SIM_CLOCK_START'],
    [{ SIM_CLOCK_SPEED: '0' }, 'SIM_CLOCK_SPEED'],
    [{ P1_RESPONDERS: 'eve' }, 'P1_RESPONDERS: eve is not in STAFF_ENGINEERS or STAFF_MANAGERS'],
    [{ ONCALL_MANAGER: 'eve' }, 'ONCALL_MANAGER: eve is not in STAFF_MANAGERS'],
    [{ OUTBOX_LEASE_MS: '10' }, 'OUTBOX_LEASE_MS'],
    [{ WATCHER_INTERVAL_MS: '-1' }, 'WATCHER_INTERVAL_MS'],
    [{ OUTBOX_RETENTION_DAYS: '0' }, 'OUTBOX_RETENTION_DAYS'],
    [{ OUTBOX_RETENTION_DAYS: 'a week' }, 'OUTBOX_RETENTION_DAYS'],
  ])('%j is refused', (env, message) => {
    expect(() => loadConfig({ ...STAFF, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...STAFF, ...env })).toThrow(message);
  });

  it('production refuses the simulated clock', () => {
    expect(() =>
      loadConfig({
        ...STAFF,
        NODE_ENV: 'production',
        BOT_ID: 'app',
        BOT_PASSWORD: 'secret',
        TABLES_ENDPOINT: 'https://x.table.core.windows.net',
        AAD_APP_CLIENT_ID: '00000000-0000-4000-8000-0000000000aa',
        SIM_CLOCK_START: '2026-11-27T21:30:00-05:00',
      }),
    ).toThrow('SIM_CLOCK_START is for local mode only');
  });
});
