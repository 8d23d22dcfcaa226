// Trial 20: the throttled person is told the real wait, from the refusal's own retry-after ("try again in 10
// seconds"), never "a minute" when the window is ten seconds.
import type { AuditEntry, AuditLog } from '../../src/adapters/storage/audit';
import { slowDown, Throttle, tooMany, waitText, type ThrottledTurn } from '../../src/adapters/http/throttle';
import { silentLogger } from '../../src/log';

/** An audit log that keeps its rows in memory (the throttle only appends). */
class Rows implements AuditLog {
  readonly rows: AuditEntry[] = [];
  record(entry: AuditEntry): Promise<void> {
    this.rows.push(entry);
    return Promise.resolve();
  }
  day(): Promise<AuditEntry[]> {
    return Promise.resolve(this.rows);
  }
}

/** A turn of one person that keeps what the bot sent. */
function turnOf(type: 'message' | 'invoke'): ThrottledTurn & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    activity: { type, from: { id: '29:flood' }, conversation: { tenantId: 'fabrikam' } },
    sent,
    sendActivity: (a) => {
      sent.push(a);
      return Promise.resolve();
    },
  };
}

describe('how long a throttled person is told to wait', () => {
  it.each([
    [1, '1 second'],
    [10, '10 seconds'],
    [59, '59 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [3600, '60 minutes'],
  ])('a wait of %i s reads "%s" (a minute or more in whole minutes, never too early)', (s, words) => {
    expect(waitText(s)).toBe(words);
  });

  it('a window of 10 s with a burst of one: "try again in 10 seconds", the same wait as the 429', async () => {
    const clock = { now: 1_000_000 };
    const throttle = new Throttle('bot', {
      limits: { windowMs: 10_000, user: 1, tenant: 0, client: 0 },
      audit: new Rows(),
      log: silentLogger,
      now: () => clock.now,
      clock: () => clock.now,
    });
    const first = turnOf('message');
    expect(await throttle.turn(first)).toEqual({ ok: true });
    const second = turnOf('message');
    const v = await throttle.turn(second);
    expect(v).toMatchObject({ ok: false, retryAfterS: 10 });
    expect(second.sent).toEqual([
      "You're sending messages faster than I can take them; try again in 10 seconds.",
    ]);
    if (v.ok) throw new Error('refused above');
    expect(tooMany(v).body.error.message).toBe('Too many requests; try again in 10 seconds.');
    expect(tooMany(v).headers['retry-after']).toBe('10');
    // 7 s later the wait left is 3 s; a card press says so in Teams' error shape.
    clock.now += 7_000;
    const press = turnOf('invoke');
    const later = await throttle.turn(press);
    expect(later).toMatchObject({ ok: false, retryAfterS: 3 });
    expect(press.sent).toContainEqual({
      type: 'invokeResponse',
      value: { status: 429, body: { error: 'too many requests' } },
    });
  });

  it('a long window reads in minutes', () => {
    expect(slowDown(120)).toBe(
      "You're sending messages faster than I can take them; try again in 2 minutes.",
    );
  });
});
