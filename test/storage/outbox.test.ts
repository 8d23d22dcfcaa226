// The outbox on real Azurite: an entry is scheduled once whoever schedules it, one claimer wins, a claim's
// ready row moves to its lease end so an abandoned claim comes due again, and a takeover of an unfinished
// send is counted as in doubt.
import { TableClient } from '@azure/data-tables';
import { TableOutbox, type NewEntry } from '../../src/adapters/storage/outbox';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let azurite: TestAzurite;
let outbox: TableOutbox;

beforeAll(async () => {
  azurite = await startTestAzurite();
  const table = TableClient.fromConnectionString(azurite.connectionString, uniqueTableName('outbox'), {
    allowInsecureConnection: true,
  });
  await table.createTable();
  outbox = new TableOutbox(table);
});
afterAll(() => azurite.stop());

const entry = (lane: string, key: string, order: number): NewEntry => ({
  lane,
  key,
  kind: 'warning',
  tenantId: 't1',
  order,
  payload: { target: 'response', percent: 50 },
});

describe('the outbox', () => {
  it('schedules an entry once, however many times it is scheduled', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => outbox.enqueue(entry('TM-1', 'w|response|050', 1000), 900)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await outbox.ready(1000, 10)).map((r) => r.key)).toEqual(['w|response|050']);
    expect(await outbox.ready(999, 10)).toEqual([]);
  });

  it('of two claimers one wins; done entries leave the ready index', async () => {
    const [e] = await outbox.lane('TM-1');
    if (e === undefined) throw new Error('no entry');
    const [a, b] = await Promise.all([outbox.claim(e, 'a', 5000), outbox.claim(e, 'b', 5000)]);
    expect([a.kind, b.kind].sort()).toEqual(['lost', 'ok']);
    const won = a.kind === 'ok' ? a.entry : b.kind === 'ok' ? b.entry : undefined;
    if (won === undefined) throw new Error('nobody won');
    expect(won.sending).toBe(true);
    expect(await outbox.ready(4999, 10)).toEqual([]);
    const done = await outbox.complete(won, 'sent', 1100, { reply: '42' });
    expect(done.kind).toBe('ok');
    expect(await outbox.pending()).toEqual([]);
    expect(await outbox.lane('TM-1')).toEqual([]);
    expect(await outbox.enqueue(entry('TM-1', 'w|response|050', 1000), 2000)).toBe(false);
  });

  it('an abandoned claim comes due at its lease end and is taken over, counted in doubt', async () => {
    await outbox.enqueue(entry('TM-2', 'w|response|075', 1000), 900);
    const [e] = await outbox.lane('TM-2');
    if (e === undefined) throw new Error('no entry');
    const first = await outbox.claim(e, 'dead', 3000);
    if (first.kind !== 'ok') throw new Error('claim failed');
    expect(await outbox.ready(2999, 10)).toEqual([]);
    expect((await outbox.ready(3000, 10)).map((r) => r.key)).toEqual(['w|response|075']);
    const [again] = await outbox.lane('TM-2');
    if (again === undefined) throw new Error('no entry');
    const taken = await outbox.claim(again, 'alive', 9000);
    if (taken.kind !== 'ok') throw new Error('takeover failed');
    expect(taken.entry.inDoubt).toBe(1);
    expect(taken.entry.attempts).toBe(2);
    // The dead instance's late completion loses.
    expect((await outbox.complete(first.entry, 'sent', 3100)).kind).toBe('lost');
  });

  it('a failed attempt goes back with its error and next time; entries of a lane come in order', async () => {
    await outbox.enqueue(entry('TM-3', 'w|response|090', 2000), 900);
    await outbox.enqueue(entry('TM-3', 'w|response|050', 1000), 900);
    const lane = await outbox.lane('TM-3');
    expect(lane.map((x) => x.key)).toEqual(['w|response|050', 'w|response|090']);
    const head = lane[0];
    if (head === undefined) throw new Error('no entry');
    const claimed = await outbox.claim(head, 'a', 4000);
    if (claimed.kind !== 'ok') throw new Error('claim failed');
    const back = await outbox.retryAt(claimed.entry, 7000, '503 Service Unavailable');
    if (back.kind !== 'ok') throw new Error('give back failed');
    expect(back.entry.sending).toBe(false);
    const rows = await outbox.pending();
    expect(rows.find((r) => r.key === 'w|response|050')).toMatchObject({
      readyAt: 7000,
      attempts: 1,
      lastError: '503 Service Unavailable',
    });
  });

  it('retention deletes entries finished before the cut-off, oldest first, a batch at a time; failing ones stay', async () => {
    const done = async (lane: string, at: number, outcome: string): Promise<void> => {
      await outbox.enqueue(entry(lane, 'w|response|050', 1000), 900);
      const [e] = await outbox.lane(lane);
      if (e === undefined) throw new Error('no entry');
      const claimed = await outbox.claim(e, 'me', 9000);
      if (claimed.kind !== 'ok') throw new Error('claim failed');
      expect((await outbox.complete(claimed.entry, outcome, at)).kind).toBe('ok');
    };
    await done('TM-10', 10_000, 'sent');
    await done('TM-11', 20_000, 'cancelled: target met');
    await done('TM-12', 30_000, 'sent');
    await done('TM-13', 40_000, 'sent');
    // A delivery that keeps failing: pending, with its error, however old.
    await outbox.enqueue(entry('TM-14', 'p|5|0', 1000), 900);
    const [failing] = await outbox.lane('TM-14');
    if (failing === undefined) throw new Error('no entry');
    const claimed = await outbox.claim(failing, 'me', 9000);
    if (claimed.kind !== 'ok') throw new Error('claim failed');
    await outbox.retryAt(claimed.entry, 2000, '503 Service Unavailable');

    // TM-1 finished at 1 100 (above); nothing else before 10 000.
    expect(await outbox.purge(10_000, 10)).toBe(1);
    expect(await outbox.get('TM-1', 'w|response|050')).toBeNull();
    expect(await outbox.purge(10_000, 10)).toBe(0);
    // Two of the three finished before 35 000, the oldest first.
    const requests = outbox.requests;
    expect(await outbox.purge(35_000, 2)).toBe(2);
    expect(outbox.requests - requests).toBe(2); // one range read, one transaction
    expect(await outbox.get('TM-10', 'w|response|050')).toBeNull();
    expect(await outbox.get('TM-11', 'w|response|050')).toBeNull();
    expect((await outbox.get('TM-12', 'w|response|050'))?.state).toBe('done');
    // Once deleted, the key is free again in storage, but a watcher never schedules it twice: the ticket
    // records what was scheduled.
    expect(await outbox.purge(35_000, 10)).toBe(1);
    expect(await outbox.purge(35_000, 10)).toBe(0);
    expect((await outbox.get('TM-13', 'w|response|050'))?.state).toBe('done');
    // Far in the future: everything finished goes, the failing entry stays visible to staff.
    expect(await outbox.purge(Date.parse('2100-01-01T00:00:00Z'), 100)).toBeGreaterThanOrEqual(1);
    expect(await outbox.get('TM-13', 'w|response|050')).toBeNull();
    expect((await outbox.get('TM-14', 'p|5|0'))?.state).toBe('pending');
    const stuck = (await outbox.pending()).find((r) => r.lane === 'TM-14');
    expect(stuck?.lastError).toBe('503 Service Unavailable');
    expect(stuck?.attempts).toBe(1);
  });

  it('two instances deleting at once delete each entry once and both finish', async () => {
    for (let i = 0; i < 30; i++) {
      const lane = `TM-2${String(i).padStart(2, '0')}`;
      await outbox.enqueue(entry(lane, 'w|work-around|100', 1000), 900);
      const [e] = await outbox.lane(lane);
      if (e === undefined) throw new Error('no entry');
      const c = await outbox.claim(e, 'me', 9000);
      if (c.kind !== 'ok') throw new Error('claim failed');
      await outbox.complete(c.entry, 'sent', 50_000 + i);
    }
    const [a, b] = await Promise.all([outbox.purge(60_000, 100), outbox.purge(60_000, 100)]);
    expect(a + b).toBeGreaterThanOrEqual(30);
    expect(await outbox.purge(60_000, 100)).toBe(0);
    for (let i = 0; i < 30; i++)
      expect(await outbox.get(`TM-2${String(i).padStart(2, '0')}`, 'w|work-around|100')).toBeNull();
  });
});
