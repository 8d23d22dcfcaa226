// On call: who holds a role at an instant (rotation, overrides), and override ends written as local times.
import { onCallWith, parseUntil, type Override } from '../../src/domain/oncall/schedule';

const ZONE = 'America/New_York';
const et = (local: string): number => Date.parse(`${local}-05:00`);
const rotation = {
  start: '2026-11-23',
  handover: '09:00',
  weeks: [
    { primary: 'bob', secondary: 'alice' },
    { primary: 'alice', secondary: 'bob' },
  ],
};
const override = (o: Partial<Override>): Override => ({
  role: 'primary',
  id: 'carol',
  name: 'Carol',
  from: et('2026-11-25T10:00:00'),
  until: et('2026-11-27T18:00:00'),
  setBy: 'Alice',
  setAt: et('2026-11-25T10:00:00'),
  ...o,
});

describe('who is on call', () => {
  it('the rotation alone: week one before the handover, week two after it', () => {
    expect(onCallWith(rotation, [], et('2026-11-30T08:59:00'), ZONE).primary?.id).toBe('bob');
    expect(onCallWith(rotation, [], et('2026-11-30T09:00:00'), ZONE).primary?.id).toBe('alice');
  });

  it('an override holds its role from when it was set until its end; the other role keeps the rotation', () => {
    const o = [override({})];
    expect(onCallWith(rotation, o, et('2026-11-25T09:59:00'), ZONE).primary).toEqual({
      id: 'bob',
      source: 'rotation',
    });
    expect(onCallWith(rotation, o, et('2026-11-26T03:00:00'), ZONE)).toEqual({
      primary: { id: 'carol', source: 'override', until: et('2026-11-27T18:00:00'), setBy: 'Alice' },
      secondary: { id: 'alice', source: 'rotation' },
    });
    expect(onCallWith(rotation, o, et('2026-11-27T18:00:00'), ZONE).primary?.id).toBe('bob');
  });

  it('the newest override wins; with no rotation only overrides count', () => {
    const o = [
      override({}),
      override({ id: 'dave', setAt: et('2026-11-25T11:00:00'), from: et('2026-11-25T11:00:00') }),
    ];
    expect(onCallWith(rotation, o, et('2026-11-25T12:00:00'), ZONE).primary?.id).toBe('dave');
    expect(onCallWith(undefined, [], et('2026-11-25T12:00:00'), ZONE)).toEqual({
      primary: undefined,
      secondary: undefined,
    });
  });
});

describe('override ends in the policy zone', () => {
  const now = et('2026-11-25T10:00:00'); // Wednesday
  it.each([
    ['Friday 18:00', '2026-11-27T18:00:00'],
    ['fri 6pm', '2026-11-27T18:00:00'],
    ['Wednesday 09:00', '2026-12-02T09:00:00'],
    ['Wednesday 11:00', '2026-11-25T11:00:00'],
    ['18:00', '2026-11-25T18:00:00'],
    ['09:30', '2026-11-26T09:30:00'],
    ['tomorrow 09:00', '2026-11-26T09:00:00'],
    ['2026-11-27 18:00 ET', '2026-11-27T18:00:00'],
    ['Friday at 18:00.', '2026-11-27T18:00:00'],
  ])('"%s" is %s ET', (text, local) => {
    expect(parseUntil(text, now, ZONE, 'ET')).toEqual({ ok: true, at: et(local) });
  });

  it.each([
    ['Fryday 18:00', 'I do not know the day "Fryday"'],
    ['25:00', 'is not a time of day'],
    ['Friday 18', 'Give the time with minutes'],
    ['13pm', 'is not an hour on a 12-hour clock'],
    ['today 09:00', 'already passed'],
    ['2026-11-01 10:00', 'already passed'],
    ['2027-03-01 10:00', 'at most 31 days'],
    ['soon', 'I could not read "soon" as a time'],
  ])('"%s" is refused: %s', (text, message) => {
    const r = parseUntil(text, now, ZONE, 'ET');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('a local time the clocks skip does not exist', () => {
    const r = parseUntil('2027-03-14 02:30', et('2027-03-10T10:00:00'), ZONE, 'ET');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('does not exist') as unknown });
  });
});
