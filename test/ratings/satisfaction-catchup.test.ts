// No rating lost to a crash, on a real Azurite: a rating saved by an instance that died before counting it
// (saved through a ticket service whose listeners are never told) is counted when the app starts again, once:
// a second start changes nothing.
import type { App } from '../../src/app';
import type { SatisfactionFigures } from '../../src/domain/stats/satisfaction';
import { et } from '../fixtures';
import { startTestApp, untoldTickets, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { act, CONTOSO, seed } from '../support/tab';
import { TableTicketRepo } from '../../src/adapters/storage/ticket-repo';

const clock: TestClock = { now: et('2026-11-02 09:00') };
const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
const MEGAN = { id: 'aad-megan', name: 'Megan Bowen', role: 'customer' as const };
let azurite: TestAzurite;
let app: App;
let prefix: string;

beforeAll(async () => {
  azurite = await startTestAzurite();
  app = await startTestApp({ connectionString: azurite.connectionString, clock });
  prefix = app.config.tablePrefix;
});
afterAll(async () => {
  await app.stop();
  await azurite.stop();
});

/** Stops the app (as a crashed instance is replaced) and starts another on the same tables. */
async function restart(): Promise<void> {
  await app.stop();
  app = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: { TABLE_PREFIX: prefix },
  });
  await app.background.drain();
}

async function november(): Promise<SatisfactionFigures | undefined> {
  await app.background.drain();
  const d = await app.stats.dashboard(clock.now, '2026-11');
  return d.satisfaction?.find((m) => m.month === '2026-11')?.all;
}

describe('satisfaction counters after a crash', () => {
  it('counts on the next start a rating saved but never counted, and only once', async () => {
    const t = await seed(app, clock, et('2026-11-02 09:00'), { tenantId: CONTOSO, priority: 'P2' });
    await act(app, clock, et('2026-11-02 09:30'), t.id, { kind: 'take' });
    const resolved = await act(app, clock, et('2026-11-02 11:00'), t.id, { kind: 'resolve', text: 'Done.' });
    const resolvedAt = Number(resolved.resolvedAt);
    for (const cmd of [
      { kind: 'ask-rating', resolvedAt },
      { kind: 'rating-sent', resolvedAt },
    ] as const) {
      const done = await app.tickets.act({ kind: 'staff' }, t.id, SYSTEM, cmd);
      if (!done.ok) throw done.error;
    }
    expect(await november()).toMatchObject({ asked: 1, answers: 0 });

    // The customer's rating is saved, and the instance dies before its counting.
    clock.now = et('2026-11-02 12:00');
    const rated = await untoldTickets(app, () => clock.now).act(
      { kind: 'tenant', tenantId: CONTOSO },
      t.id,
      MEGAN,
      {
        kind: 'rate',
        resolvedAt,
        score: 5,
      },
    );
    if (!rated.ok) throw rated.error;
    expect(await november()).toMatchObject({ asked: 1, answers: 0 });

    await restart();
    const expected = { asked: 1, answers: 1, positive: 1, csat: 1, responseRate: 1 };
    expect(await november()).toEqual(expected);
    // Its per-priority and per-engineer counters too.
    const d = await app.stats.dashboard(clock.now, '2026-11');
    const nov = d.satisfaction?.find((m) => m.month === '2026-11');
    expect(nov?.byPriority.P2).toEqual(expected);
    expect(nov?.byEngineer).toEqual([expect.objectContaining({ answers: 1, positive: 1 })]);

    // Starting again (the catch-up reads it again) does not count it twice.
    await restart();
    expect(await november()).toEqual(expected);
  });

  it('counts a change of rating saved but never counted, moving the figures', async () => {
    const t = (await app.tickets.tenantTickets(CONTOSO, 5)).items[0];
    if (t === undefined) throw new Error('no ticket');
    clock.now = et('2026-11-03 10:00');
    const changed = await untoldTickets(app, () => clock.now).act(
      { kind: 'tenant', tenantId: CONTOSO },
      t.id,
      MEGAN,
      {
        kind: 'rate',
        resolvedAt: Number(t.ratings?.[0]?.resolvedAt),
        score: 2,
      },
    );
    if (!changed.ok) throw changed.error;
    await restart();
    expect(await november()).toEqual({ asked: 1, answers: 1, positive: 0, csat: 0, responseRate: 1 });
  });

  it('reads only the tickets storage wrote since the checkpoint', async () => {
    const table = (name: string) => app.storage.table(`${prefix}${name}`);
    const repo = new TableTicketRepo({
      tickets: table('tickets'),
      index: table('ticketindex'),
      prefix: app.config.ticketPrefix,
      now: () => clock.now,
    });
    const ids = async (since: number) => {
      const out: string[] = [];
      for await (const t of repo.writtenSince(since)) out.push(t.id);
      return out;
    };
    expect(await ids(0)).toHaveLength(1);
    expect(await ids(Date.now() + 60_000)).toEqual([]);
  });
});
