// Outages on real Azurite through the service: SLA-RULES.md's examples as recorded outages, approval of
// exclusions, history with who and when, concurrency, idempotency, bad input, month boundaries.
import type { TableClient } from '@azure/data-tables';
import { silentLogger } from '../../src/log';
import { OutageService } from '../../src/domain/outages/service';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { createTableClients } from '../../src/adapters/storage/tables';
import { TableNoticeMarks, TableOutageRepo } from '../../src/adapters/storage/outages';
import type { Actor } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { alice, ann, bob } from '../fixtures/filing';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

const meg: Actor = { id: 'aad-meg', name: 'Meg Manager', role: 'manager' };
let azurite: TestAzurite;
let clock = et('2026-12-02 09:00');
const now = (): number => clock;

async function makeService(): Promise<{ service: OutageService; table: TableClient; repo: TableOutageRepo }> {
  const name = uniqueTableName('outages');
  const handle = await createTableClients(
    { kind: 'connection-string', connectionString: azurite.connectionString },
    [name],
    silentLogger,
  );
  const table = handle.table(name);
  const repo = new TableOutageRepo(table, { now });
  return { service: new OutageService({ repo, policy: DEFAULT_POLICY, now }), table, repo };
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}

beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(async () => {
  await azurite.stop();
});
beforeEach(() => {
  clock = et('2026-12-02 09:00');
});

const record = (service: OutageService, start: string, end: string | null, extra = {}) =>
  service.record(alice, {
    start: et(start),
    end: end === null ? null : et(end),
    affected: 'Calling',
    cause: 'SBC failure',
    ...extra,
  });

describe('SLA-RULES.md examples, recorded as outages', () => {
  it('November 2026 with one 3-minute outage: 43,260 minutes, 0.99993065, met', async () => {
    const { service } = await makeService();
    value(await record(service, '2026-11-10 12:00', '2026-11-10 12:03'));
    const { availability: a } = await service.month('2026-11');
    expect(a).toMatchObject({ minutes: 43_260, outageMinutes: 3, availability: 0.99993065, met: true });
    expect(a.budgetMinutes).toBe(4.326);
    expect(a.budgetLeftMinutes).toBe(1.326);
  });

  it('with a 5-minute outage: 0.99988442, missed', async () => {
    const { service } = await makeService();
    value(await record(service, '2026-11-10 12:00', '2026-11-10 12:05'));
    const { availability: a } = await service.month('2026-11');
    expect(a).toMatchObject({ outageMinutes: 5, availability: 0.99988442, met: false, budgetLeftMinutes: 0 });
  });

  it('a 60-minute outage classed (b) and approved: 60 excluded minutes, no down minutes', async () => {
    const { service } = await makeService();
    const o = value(
      await record(service, '2026-11-12 08:00', '2026-11-12 09:00', {
        exclusion: { category: 'b', justification: 'Microsoft Teams calling outage (MO123456)' },
      }),
    ).outage;
    expect(o.exclusion?.status).toBe('requested');
    // Until a manager approves, the minutes count as down.
    expect((await service.month('2026-11')).availability).toMatchObject({ outageMinutes: 60, met: false });
    value(
      await service.act(o.id, meg, { kind: 'approve-exclusion', note: 'Confirmed on the MS status page' }),
    );
    const { availability: a } = await service.month('2026-11');
    expect(a).toMatchObject({ outageMinutes: 0, excludedMinutes: 60, availability: 1, met: true });
    expect(a.excludedByCategory).toEqual({ a: 0, b: 60, c: 0, d: 0, e: 0 });
  });
});

describe('recording and changing outages', () => {
  it('ids look like OUT-1, OUT-2; every change is kept with who and when', async () => {
    const { service } = await makeService();
    const first = value(await record(service, '2026-12-01 10:00', null)).outage;
    const second = value(await record(service, '2026-12-01 11:00', null)).outage;
    expect([first.id, second.id]).toEqual(['OUT-1', 'OUT-2']);
    clock = et('2026-12-02 09:05');
    value(await service.act(first.id, bob, { kind: 'end', at: et('2026-12-01 10:20') }));
    clock = et('2026-12-02 09:06');
    value(
      await service.act(first.id, bob, {
        kind: 'request-exclusion',
        category: '(d)',
        justification: 'Their LAN',
      }),
    );
    clock = et('2026-12-02 09:07');
    value(await service.act(first.id, meg, { kind: 'reject-exclusion', note: 'Our SBC, not their LAN' }));
    const { outage, changes } = value(await service.history(first.id));
    expect(outage).toMatchObject({ end: et('2026-12-01 10:20'), version: 4, historyCount: 4 });
    expect(outage.exclusion).toMatchObject({
      category: 'd',
      status: 'rejected',
      decidedBy: { name: 'Meg Manager' },
    });
    expect(changes.map((c) => [c.seq, c.type, c.actor.name, c.at])).toEqual([
      [1, 'recorded', 'Alice Engineer', et('2026-12-02 09:00')],
      [2, 'ended', 'Bob Engineer', et('2026-12-02 09:05')],
      [3, 'exclusion-requested', 'Bob Engineer', et('2026-12-02 09:06')],
      [4, 'exclusion-rejected', 'Meg Manager', et('2026-12-02 09:07')],
    ]);
    expect(changes[1]?.text).toBe('Ended 2026-12-01 10:20 ET');
    expect(changes[3]?.text).toBe('Exclusion (d) rejected: Our SBC, not their LAN');
  });

  it('an ongoing outage counts up to now; ending it fixes its minutes', async () => {
    const { service } = await makeService();
    clock = et('2026-12-01 10:02');
    const o = value(await record(service, '2026-12-01 10:00', null)).outage;
    expect((await service.month('2026-12')).availability.outageMinutes).toBe(2);
    expect((await service.ongoing()).map((x) => x.id)).toEqual([o.id]);
    clock = et('2026-12-01 10:04');
    expect((await service.month('2026-12')).availability.outageMinutes).toBe(4);
    value(await service.act(o.id, alice, { kind: 'end', at: et('2026-12-01 10:03') }));
    clock = et('2026-12-01 11:00');
    expect((await service.month('2026-12')).availability.outageMinutes).toBe(3);
    expect(await service.ongoing()).toEqual([]);
  });

  it('overlapping outages count once; an outage across the month boundary counts in each month its part', async () => {
    const { service } = await makeService();
    value(await record(service, '2026-11-30 23:50', '2026-12-01 00:10'));
    value(await record(service, '2026-12-01 00:05', '2026-12-01 00:12'));
    value(await record(service, '2026-12-01 00:06', '2026-12-01 00:08'));
    const nov = await service.month('2026-11');
    const dec = await service.month('2026-12');
    expect(nov.availability.outageMinutes).toBe(10);
    expect(nov.outages.map((o) => o.id)).toEqual(['OUT-1']);
    expect(dec.availability.outageMinutes).toBe(12);
    expect(dec.outages.map((o) => o.id)).toEqual(['OUT-1', 'OUT-2', 'OUT-3']);
  });

  it('an engineer cannot approve an exclusion; the minutes stay down', async () => {
    const { service } = await makeService();
    const o = value(
      await record(service, '2026-11-12 08:00', '2026-11-12 08:30', {
        exclusion: { category: 'c', justification: 'Carrier fibre cut' },
      }),
    ).outage;
    const refused = await service.act(o.id, bob, { kind: 'approve-exclusion' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect((await service.month('2026-11')).availability).toMatchObject({
      outageMinutes: 30,
      excludedMinutes: 0,
    });
    expect(value(await service.history(o.id)).changes).toHaveLength(2);
  });

  it('moving the times of an approved exclusion sends it back for approval', async () => {
    const { service } = await makeService();
    const o = value(
      await record(service, '2026-11-12 08:00', '2026-11-12 08:30', {
        exclusion: { category: 'b', justification: 'Force majeure' },
      }),
    ).outage;
    value(await service.act(o.id, meg, { kind: 'approve-exclusion' }));
    const edited = value(
      await service.act(o.id, alice, { kind: 'edit', end: et('2026-11-12 10:30') }),
    ).outage;
    expect(edited.exclusion?.status).toBe('requested');
    expect((await service.month('2026-11')).availability.outageMinutes).toBe(150);
  });

  it('a customer cannot record or change outages', async () => {
    const { service } = await makeService();
    expect(
      await service.record(ann, { start: et('2026-12-01 10:00'), end: null, affected: 'x', cause: '' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  });

  it('bad input is refused with a clear message and changes nothing', async () => {
    const { service, repo } = await makeService();
    const cases: [Parameters<OutageService['record']>[1], string][] = [
      [
        { start: et('2026-12-01 10:00'), end: et('2026-12-01 09:00'), affected: 'x', cause: '' },
        'The end must be after the start.',
      ],
      [{ start: et('2026-12-03 10:00'), end: null, affected: 'x', cause: '' }, 'The start is in the future.'],
      [{ start: Number.NaN, end: null, affected: 'x', cause: '' }, 'The start is not a valid time.'],
      [
        { start: et('2026-12-01 10:00'), end: null, affected: '  ', cause: '' },
        'What was affected is required.',
      ],
      [
        { start: et('2026-12-01 10:00'), end: null, affected: 'x'.repeat(501), cause: '' },
        'What was affected is 501 characters; at most 500 are allowed.',
      ],
      [
        {
          start: et('2026-12-01 10:00'),
          end: null,
          affected: 'x',
          cause: '',
          exclusion: { category: 'f', justification: 'y' },
        },
        'Exclusion category "f" is not one of (a), (b), (c), (d), (e).',
      ],
      [
        {
          start: et('2026-12-01 10:00'),
          end: null,
          affected: 'x',
          cause: '',
          exclusion: { category: 'a', justification: '' },
        },
        'A justification is required.',
      ],
    ];
    for (const [input, message] of cases) {
      const r = await service.record(alice, input);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message } });
    }
    expect(await repo.overlapping(0, et('2030-01-01 00:00'))).toEqual([]);
    const o = value(await record(service, '2026-12-01 10:00', null)).outage;
    expect(await service.act(o.id, alice, { kind: 'end', at: et('2026-12-01 09:59') })).toMatchObject({
      ok: false,
      error: { message: 'The end must be after the start.' },
    });
    expect(await service.act(o.id, alice, { kind: 'end', at: et('2026-12-03 09:59') })).toMatchObject({
      ok: false,
      error: { message: 'The end is in the future; leave it empty while the outage is ongoing.' },
    });
    expect(await service.act('OUT-999', alice, { kind: 'end', at: clock })).toMatchObject({
      ok: false,
      error: { code: 'OUTAGE_NOT_FOUND' },
    });
    expect(await service.act("OUT-1' or 1 eq 1", alice, { kind: 'end', at: clock })).toMatchObject({
      ok: false,
      error: { code: 'OUTAGE_NOT_FOUND' },
    });
    const after = value(await service.history(o.id));
    expect(after.outage).toMatchObject({ end: null, version: 1 });
    expect(after.changes).toHaveLength(1);
  });

  it('two people changing at once: both apply in turn; with the version seen, the second is told who was first', async () => {
    const { service } = await makeService();
    const o = value(await record(service, '2026-12-01 10:00', null)).outage;
    const [a, b] = await Promise.all([
      service.act(o.id, alice, { kind: 'edit', cause: 'SBC failure, card 2' }),
      service.act(o.id, bob, { kind: 'edit', affected: 'Calling and voicemail' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    const both = value(await service.get(o.id));
    expect(both).toMatchObject({
      cause: 'SBC failure, card 2',
      affected: 'Calling and voicemail',
      version: 3,
    });
    const stale = await service.act(o.id, alice, { kind: 'end', at: clock }, { expectedVersion: 1 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_OUTAGE' } });
    expect(stale.ok ? '' : stale.error.message).toMatch(/edited it first \(OUT-1/);
  });

  it('a retried request (same action id) records once and applies once', async () => {
    const { service } = await makeService();
    const input = { start: et('2026-12-01 10:00'), end: null, affected: 'Calling', cause: '' };
    const one = value(await service.record(alice, input, { actionId: 'act-1' }));
    const two = value(await service.record(alice, input, { actionId: 'act-1' }));
    expect(two).toMatchObject({ duplicate: true, outage: { id: one.outage.id } });
    value(await service.act(one.outage.id, alice, { kind: 'end', at: clock }, { actionId: 'act-2' }));
    const again = value(
      await service.act(one.outage.id, alice, { kind: 'edit', cause: 'x' }, { actionId: 'act-2' }),
    );
    expect(again.duplicate).toBe(true);
    expect(value(await service.history(one.outage.id)).changes).toHaveLength(2);
  });
});

describe('notice markers', () => {
  it('exactly one of several instances claims a notice; a dead claim is taken over after its lease', async () => {
    const { table } = await makeService();
    const marks = new TableNoticeMarks(table);
    const t = et('2026-12-01 04:00');
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((owner) => marks.claim('summary|2026-11', owner, t, 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await marks.state('summary|2026-11')).toBe('claimed');
    expect(await marks.claim('summary|2026-11', 'e', t + 30_000, 60_000)).toBe(false);
    const takeovers = await Promise.all(
      ['e', 'f'].map((owner) => marks.claim('summary|2026-11', owner, t + 61_000, 60_000)),
    );
    expect(takeovers.filter(Boolean)).toHaveLength(1);
    await marks.done('summary|2026-11', 'e', t + 62_000);
    expect(await marks.claim('summary|2026-11', 'g', t + 10 * 60_000, 60_000)).toBe(false);
    expect(await marks.state('summary|2026-11')).toBe('sent');
  });

  it('a released claim can be claimed again at once', async () => {
    const { table } = await makeService();
    const marks = new TableNoticeMarks(table);
    const t = et('2026-12-01 04:00');
    expect(await marks.claim('half|2026-12', 'a', t, 60_000)).toBe(true);
    await marks.release('half|2026-12', 'a');
    expect(await marks.claim('half|2026-12', 'b', t, 60_000)).toBe(true);
  });
});
