// Tickets on real Azurite through @azure/data-tables: lifecycle, timeline order, concurrency,
// idempotency, queries, bad input and tenant isolation.
import { RestError, type TableClient } from '@azure/data-tables';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { silentLogger } from '../../src/log';
import { SlaEngine } from '../../src/domain/sla';
import { createTableClients } from '../../src/adapters/storage/tables';
import { indexKeys, indexPk, tenantPk } from '../../src/adapters/storage/ticket-keys';
import { QUEUE_CACHE_MS, STALE_GRACE_MS } from '../../src/adapters/storage/ticket-queue';
import { RECENT_ACTIONS, TableTicketRepo } from '../../src/adapters/storage/ticket-repo';
import { TICKET_SCHEMA } from '../../src/adapters/storage/entities';
import { timeKey } from '../../src/adapters/storage/keys';
import { TicketService, type Scope } from '../../src/domain/tickets/service';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice, ann, bob, CONTOSO, FABRIKAM } from '../fixtures/filing';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

const engine = new SlaEngine(DEFAULT_POLICY);
let azurite: TestAzurite;
let clock = Date.parse('2026-11-24T09:00:00-05:00');
const now = (): number => clock;

async function makeService(
  prefix = 'TM',
): Promise<{ service: TicketService; repo: TableTicketRepo; tickets: TableClient; index: TableClient }> {
  const names = [uniqueTableName('tickets'), uniqueTableName('index')] as const;
  const handle = await createTableClients(
    { kind: 'connection-string', connectionString: azurite.connectionString },
    names,
    silentLogger,
  );
  const tickets = handle.clients[names[0]] as TableClient;
  const index = handle.clients[names[1]] as TableClient;
  const repo = new TableTicketRepo({ tickets, index, prefix, now });
  return { service: new TicketService({ repo, engine, now }), repo, tickets, index };
}

/** A second instance on the same tables (its own remembered heads and queue cache). */
function anotherInstance(tickets: TableClient, index: TableClient): TicketService {
  return new TicketService({ repo: new TableTicketRepo({ tickets, index, prefix: 'TM', now }), engine, now });
}

const contoso: Scope = { kind: 'tenant', tenantId: CONTOSO };
const fabrikam: Scope = { kind: 'tenant', tenantId: FABRIKAM };
const staff: Scope = { kind: 'staff' };

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

describe('tickets in Table Storage', () => {
  it('files a ticket with a short id, its SLA and a first timeline event', async () => {
    const { service } = await makeService();
    const { ticket, created } = value(await service.file(aFiling({ priority: 'P3' })));
    expect(created).toBe(true);
    expect(ticket.id).toMatch(/^TM-\d{4,}$/);
    expect(ticket.sla.responseDue).toBe(Date.parse('2026-11-24T13:00:00-05:00'));
    const read = value(await service.get(contoso, ticket.id));
    expect(read).toEqual(ticket);
    const { events } = value(await service.timeline(contoso, ticket.id));
    expect(events.map((e) => e.type)).toEqual(['created']);
  });

  it('keeps a long timeline in order, one entity per event', async () => {
    const { service } = await makeService();
    const { ticket } = value(await service.file(aFiling()));
    for (let i = 1; i <= 40; i++) {
      clock += 60_000;
      value(await service.act(staff, ticket.id, alice, { kind: 'note', text: `note ${i}` }));
    }
    value(await service.act(staff, ticket.id, alice, { kind: 'reply', text: 'public reply' }));
    const staffView = value(await service.timeline(staff, ticket.id));
    // Filed, 40 notes, and the reply: which also made Alice the owner (an internal event before it).
    expect(staffView.events).toHaveLength(43);
    expect(staffView.events.map((e) => e.seq)).toEqual(Array.from({ length: 43 }, (_, i) => i + 1));
    expect(staffView.events.slice(-2).map((e) => e.type)).toEqual(['owner-changed', 'engineer-reply']);
    expect(staffView.events[1]?.text).toBe('note 1');
    // Customers never see internal notes.
    const customerView = value(await service.timeline(contoso, ticket.id));
    expect(customerView.events.map((e) => e.type)).toEqual(['created', 'engineer-reply']);
  });

  it('the same request id twice yields one ticket', async () => {
    const { service } = await makeService();
    const filing = aFiling();
    const first = value(await service.file(filing));
    const second = value(await service.file(filing));
    expect(second.created).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
    const list = await service.tenantTickets(CONTOSO);
    expect(list.items).toHaveLength(1);
    const queue = await service.queue();
    expect(queue.items.map((t) => t.id)).toEqual([first.ticket.id]);
  });

  it('20 concurrent creates with distinct request ids get 20 unique ids; the same id twice at once, one ticket', async () => {
    const { service } = await makeService();
    const results = await Promise.all(Array.from({ length: 20 }, () => service.file(aFiling())));
    const ids = results.map((r) => value(r).ticket.id);
    expect(new Set(ids).size).toBe(20);
    const filing = aFiling();
    const twins = await Promise.all([service.file(filing), service.file(filing)]);
    const twinIds = twins.map((r) => value(r).ticket.id);
    expect(twinIds[0]).toBe(twinIds[1]);
    expect(twins.map((r) => value(r).created).sort()).toEqual([false, true]);
    expect((await service.tenantTickets(CONTOSO, 100)).items).toHaveLength(21);
  });

  it('two instances share the id counter without collisions', async () => {
    const { repo, tickets, index } = await makeService();
    const other = new TableTicketRepo({ tickets, index, prefix: 'TM', now });
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? repo : other).nextId(i % 3 === 0 ? CONTOSO : FABRIKAM),
      ),
    );
    expect(new Set(ids).size).toBe(30);
  });

  it("an id's tenant is found from its block, by any instance, with no row per ticket", async () => {
    const { repo, service, tickets, index } = await makeService();
    const a = value(await service.file(aFiling({ tenantId: CONTOSO })));
    const b = value(await service.file(aFiling({ tenantId: FABRIKAM, customerName: 'Fabrikam' })));
    const fresh = new TableTicketRepo({ tickets, index, prefix: 'TM', now, block: 5 });
    expect(await fresh.locate(a.ticket.id)).toBe(CONTOSO);
    expect(await fresh.locate(b.ticket.id)).toBe(FABRIKAM);
    expect(await repo.locate(b.ticket.id)).toBe(FABRIKAM);
    // Numbers never handed out, or past every block, belong to nobody.
    expect(await fresh.locate('TM-999')).toBeNull();
    expect(await fresh.locate('TM-999999')).toBeNull();
    expect(await fresh.locate('TM-99999999999999999999')).toBeNull();
    // The index holds the open tickets' queue and due rows, and nothing per ticket.
    const rows: string[] = [];
    for await (const e of index.listEntities()) rows.push(`${e.partitionKey}/${e.rowKey}`);
    expect(rows.filter((r) => /^x\d\/i\|/.test(r))).toEqual([]);
    // A ticket filed before id blocks (its own i| row) is still found.
    await index.createEntity({ partitionKey: indexPk('TM-5'), rowKey: 'i|TM-5', sv: 1, tenantId: FABRIKAM });
    expect(await fresh.locate('TM-5')).toBe(FABRIKAM);
  });

  it('20 concurrent conflicting updates: one winner per round, the others told who won; no lost update', async () => {
    const { service } = await makeService();
    const { ticket } = value(await service.file(aFiling()));
    let version = ticket.version;
    for (let round = 0; round < 3; round++) {
      const engineers = Array.from({ length: 20 }, (_, i) => ({
        id: `eng-${round}-${i}`,
        name: `Engineer ${i}`,
        role: 'engineer' as const,
      }));
      const results = await Promise.all(
        engineers.map((e) =>
          // Round 1: everyone takes the new ticket; then everyone reassigns it to themselves.
          service.act(staff, ticket.id, e, round === 0 ? { kind: 'take' } : { kind: 'assign', to: e }, {
            expectedVersion: version,
          }),
        ),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      if (winner?.ok !== true) throw new Error('no winner');
      for (const r of results) {
        if (r.ok) continue;
        expect(r.error.code).toBe('STALE_TICKET');
        const owner = winner.value.ticket.owner?.name ?? '?';
        expect(r.error.message).toContain(
          round === 0 ? `${owner} took ownership first` : `assigned it to ${owner} first`,
        );
        expect(r.error.details['by']).toBe(owner);
      }
      version = winner.value.ticket.version;
    }
    // Without a named version, concurrent notes all land: nothing is lost.
    const notes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        service.act(staff, ticket.id, bob, { kind: 'note', text: `n${i}` }),
      ),
    );
    expect(notes.every((r) => r.ok)).toBe(true);
    const { ticket: after, events } = value(await service.timeline(staff, ticket.id));
    expect(after.version).toBe(version + 20);
    expect(
      events
        .filter((e) => e.type === 'internal-note')
        .map((e) => e.text)
        .sort(),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
  });

  it('a retried action (same action id) is applied once', async () => {
    const { service } = await makeService();
    const { ticket } = value(await service.file(aFiling()));
    const first = value(
      await service.act(
        staff,
        ticket.id,
        alice,
        { kind: 'reply', text: 'On it' },
        { actionId: 'activity-1' },
      ),
    );
    const again = value(
      await service.act(
        staff,
        ticket.id,
        alice,
        { kind: 'reply', text: 'On it' },
        { actionId: 'activity-1' },
      ),
    );
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    const { events } = value(await service.timeline(staff, ticket.id));
    expect(events.filter((e) => e.type === 'engineer-reply')).toHaveLength(1);
  });

  it('a retry reaching another instance, or two tries at once, is applied once; the head keeps the recent ids', async () => {
    const { service, tickets, index } = await makeService();
    const other = anotherInstance(tickets, index);
    const { ticket } = value(await service.file(aFiling()));
    // Both instances have seen the ticket; then the first applies an action.
    value(await other.act(staff, ticket.id, alice, { kind: 'note', text: 'seen' }));
    value(await service.act(staff, ticket.id, alice, { kind: 'take' }, { actionId: 'act-1' }));
    // The retry reaches the other instance, whose remembered head is older: it fails its ETag, reads again
    // and finds the id.
    const retried = value(await other.act(staff, ticket.id, alice, { kind: 'take' }, { actionId: 'act-1' }));
    expect(retried.duplicate).toBe(true);
    // Two tries of one new action at once on two instances: one applies it.
    const both = await Promise.all(
      [service, other].map(async (s) =>
        value(await s.act(staff, ticket.id, bob, { kind: 'note', text: 'once' }, { actionId: 'act-2' })),
      ),
    );
    expect(both.map((r) => r.duplicate).sort()).toEqual([false, true]);
    const { events } = value(await service.timeline(staff, ticket.id));
    expect(events.filter((e) => e.text === 'once')).toHaveLength(1);
    // The head keeps the last RECENT_ACTIONS ids, newest first, and no row per action.
    for (let i = 0; i < RECENT_ACTIONS + 2; i++)
      value(
        await service.act(staff, ticket.id, bob, { kind: 'note', text: `n${i}` }, { actionId: `more-${i}` }),
      );
    const stored = await service.act(staff, ticket.id, bob, { kind: 'note', text: 'last' });
    expect(stored.ok).toBe(true);
    const head = await tickets.getEntity<{ acts: string }>(tenantPk(CONTOSO), `t|${ticket.id}`);
    const acts = JSON.parse(head.acts) as string[];
    expect(acts).toHaveLength(RECENT_ACTIONS);
    expect(acts[0]).toBe(`more-${RECENT_ACTIONS + 1}`);
    const rows = [];
    for await (const e of tickets.listEntities({
      queryOptions: {
        filter: `PartitionKey eq '${tenantPk(CONTOSO)}' and RowKey ge 'a|' and RowKey lt 'a}'`,
      },
    }))
      rows.push(e);
    expect(rows).toHaveLength(0);
  });

  it('open tickets come by next deadline, a tenant sees its own newest first, the watcher finds what is due', async () => {
    const { service } = await makeService();
    const start = Date.parse('2026-11-24T09:00:00-05:00');
    clock = start;
    const p3 = value(await service.file(aFiling({ priority: 'P3', title: 'add a user' }))).ticket; // due 13:00
    clock = start + 10 * 60_000;
    const p1 = value(await service.file(aFiling({ priority: 'P1', title: 'all calls down' }))).ticket; // due 10:10
    clock = start + 20 * 60_000;
    const other = value(
      await service.file(aFiling({ tenantId: FABRIKAM, customerName: 'Fabrikam', priority: 'P2' })),
    ).ticket; // due 11:20
    const queue = await service.queue();
    expect(queue.items.map((t) => t.id)).toEqual([p1.id, other.id, p3.id]);
    const mine = await service.tenantTickets(CONTOSO);
    expect(mine.items.map((t) => t.id)).toEqual([p1.id, p3.id]);
    expect((await service.tenantOpen(CONTOSO)).map((t) => t.id)).toEqual([p1.id, p3.id]);
    // P1's 50 % warning is at 09:40; P2's at 10:20; P3's at 11:00.
    const due = await service.dueBefore(Date.parse('2026-11-24T10:30:00-05:00'));
    expect(due.map((d) => d.ticketId)).toEqual([p1.id, other.id]);
    // Resolving a ticket takes it out of the queue and the due index.
    value(await service.act(staff, p1.id, alice, { kind: 'resolve', text: 'Fixed' }));
    expect((await service.queue()).items.map((t) => t.id)).toEqual([other.id, p3.id]);
    expect((await service.dueBefore(Date.parse('2026-11-24T10:30:00-05:00'))).map((d) => d.ticketId)).toEqual(
      [other.id],
    );
    expect((await service.tenantOpen(CONTOSO)).map((t) => t.id)).toEqual([p3.id]);
    // A month's tickets come from each tenant's listing, never a table scan.
    const created = await service.createdBetween(start, start + 15 * 60_000);
    expect(created.map((t) => t.id)).toEqual([p3.id, p1.id]);
    expect((await service.createdBetween(start, start + 60 * 60_000)).map((t) => t.id)).toEqual([
      p3.id,
      p1.id,
      other.id,
    ]);
    expect((await service.createdBetween(start, start + 60 * 60_000, FABRIKAM)).map((t) => t.id)).toEqual([
      other.id,
    ]);
    // Pages of the queue continue where they stopped.
    const first = await service.queue(1);
    expect(first.items.map((t) => t.id)).toEqual([other.id]);
    const second = await service.queue(1, first.next);
    expect(second.items.map((t) => t.id)).toEqual([p3.id]);
  });

  it('the index is spread over shards: pages of the queue and the due list merge them in order', async () => {
    const { service, index } = await makeService();
    const start = Date.parse('2026-11-24T09:00:00-05:00');
    const filed: Ticket[] = [];
    for (let i = 0; i < 40; i++) {
      clock = start + i * 60_000;
      const priority = i % 3 === 0 ? 'P1' : i % 3 === 1 ? 'P2' : 'P3';
      filed.push(value(await service.file(aFiling({ priority, title: `ticket ${i}` }))).ticket);
    }
    const shards = new Set(filed.map((t) => indexPk(t.id)));
    expect(shards.size).toBeGreaterThan(3);
    const byDeadline = [...filed].sort(
      (a, b) => (a.sla.nextDeadline ?? 0) - (b.sla.nextDeadline ?? 0) || (a.id < b.id ? -1 : 1),
    );
    // Page sizes below, near and above what one round reads of each shard (about twice its share).
    for (const size of [1, 7, 13, 40, 50]) {
      const paged: string[] = [];
      let next: string | undefined;
      do {
        const page = await service.queue(size, next);
        expect(page.items.length).toBeLessThanOrEqual(size);
        paged.push(...page.items.map((t) => t.id));
        next = page.next;
      } while (next !== undefined);
      expect(paged).toEqual(byDeadline.map((t) => t.id));
    }
    const cut = start + 3 * 3_600_000;
    const expected = [...filed]
      .filter((t) => (t.sla.nextNoticeAt ?? Infinity) <= cut)
      .sort((a, b) => (a.sla.nextNoticeAt ?? 0) - (b.sla.nextNoticeAt ?? 0) || (a.id < b.id ? -1 : 1));
    expect((await service.dueBefore(cut, 1000)).map((d) => d.ticketId)).toEqual(expected.map((t) => t.id));
    expect((await service.dueBefore(cut, 5)).map((d) => d.ticketId)).toEqual(
      expected.slice(0, 5).map((t) => t.id),
    );
    // Nothing is left in the partition the index used before it was sharded.
    const old = index.listEntities({ queryOptions: { filter: "PartitionKey eq 'idx'" } });
    for await (const row of old) throw new Error(`row ${String(row.rowKey)} in the old partition`);
  });

  it('index rows of the single-partition layout are moved to their shards on start', async () => {
    const { service, repo, index } = await makeService();
    clock = Date.parse('2026-11-24T09:00:00-05:00');
    const { ticket } = value(await service.file(aFiling({ priority: 'P2' })));
    // Put the ticket's rows back where an older version kept them.
    const rows = index.listEntities({ queryOptions: { filter: `PartitionKey eq '${indexPk(ticket.id)}'` } });
    const keep: { rowKey: string; props: Record<string, unknown> }[] = [];
    for await (const { partitionKey: _p, rowKey, etag: _e, timestamp: _t, ...props } of rows)
      keep.push({ rowKey: rowKey ?? '', props });
    for (const { rowKey, props } of keep) {
      await index.createEntity({ partitionKey: 'idx', rowKey, ...props });
      await index.deleteEntity(indexPk(ticket.id), rowKey);
    }
    await index.createEntity({ partitionKey: 'idx', rowKey: `n|${CONTOSO}`, sv: 1, tenantId: CONTOSO });
    expect((await service.queue()).items).toEqual([]);
    expect(await repo.upgradeIndex()).toBe(keep.length + 1);
    expect((await service.queue()).items.map((t) => t.id)).toEqual([ticket.id]);
    expect(await repo.tenants()).toEqual([CONTOSO]);
    expect(await repo.upgradeIndex()).toBe(0);
  });

  it('a stale index row left by a crash is ignored and cleaned', async () => {
    const { service, index } = await makeService();
    const { ticket } = value(await service.file(aFiling({ priority: 'P3' })));
    await index.upsertEntity({
      partitionKey: indexPk(ticket.id),
      rowKey: `q|0000000000001|${ticket.id}`,
      tenantId: CONTOSO,
      ticketId: ticket.id,
      version: 1,
      writtenAt: clock,
    });
    const queue = await service.queue();
    expect(queue.items.map((t) => t.id)).toEqual([ticket.id]);
    await expect(index.getEntity(indexPk(ticket.id), `q|0000000000001|${ticket.id}`)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('stale index rows of many changes are deleted after the answer, together', async () => {
    const { tickets, index } = await makeService();
    const queued: (() => Promise<void>)[] = [];
    const repo = new TableTicketRepo({
      tickets,
      index,
      prefix: 'TM',
      now,
      later: (_key, work) => {
        queued.push(work);
      },
    });
    const service = new TicketService({ repo, engine, now });
    const filed = await Promise.all([1, 2, 3].map(() => service.file(aFiling({ priority: 'P3' }))));
    for (const f of filed)
      value(await service.act(staff, value(f).ticket.id, alice, { kind: 'reply', text: 'On it' }));
    const rows = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const e of index.listEntities())
        if (/^x\d$/.test(e.partitionKey ?? '')) out.push(e.rowKey ?? '');
      return out.sort();
    };
    // Until the cleanup runs, each ticket has its old rows too; readers skip them.
    expect(await rows()).toHaveLength(12);
    expect((await service.queue()).items).toHaveLength(3);
    expect(queued).toHaveLength(1);
    await queued[0]?.();
    const current: string[] = [];
    for (const t of (await service.queue()).items) {
      const stored = await repo.load(t.tenantId, t.id);
      const keys = indexKeys(t, stored?.indexGen);
      current.push(
        `q|${timeKey(t.sla.nextDeadline ?? 0)}|${t.id}|2`,
        `d|${timeKey(t.sla.nextNoticeAt ?? 0)}|${t.id}|2`,
      );
      expect([keys.queue, keys.due]).toEqual(current.slice(-2));
    }
    expect(await rows()).toEqual(current.sort());
  });

  it('a save that loses a race deletes nothing: the winner, still in flight, keeps its index rows', async () => {
    // The CI failure this pins: instance B, acting on a stale head, lost its race to A while A had written
    // its index rows but not yet its ticket; B looked at the head (still the old one) and deleted the rows
    // A needed. A's ticket then had no due row, and its later warnings were never sent.
    const { service, tickets, index } = await makeService();
    const { ticket } = value(await service.file(aFiling({ priority: 'P3' })));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    // A's ticket writes wait at the gate once `holding` is set (its index writes go straight through).
    const slowTickets = new Proxy(tickets, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (prop !== 'submitTransaction' || typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          if (holding) await gate;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const a = new TableTicketRepo({ tickets: slowTickets, index, prefix: 'TM', now });
    const b = new TableTicketRepo({ tickets, index, prefix: 'TM', now });
    const v1 = await a.load(CONTOSO, ticket.id);
    if (v1 === null) throw new Error('no ticket');
    const moved = (t: Ticket, due: number): Ticket => ({
      ...t,
      version: t.version + 1,
      sla: { ...t.sla, nextNoticeAt: due },
    });
    // v2 (any change of the rows), so that v1's ETag is stale.
    const saved2 = await a.save(v1, moved(v1.ticket, clock + 60_000), []);
    if (saved2.kind !== 'saved') throw new Error(saved2.kind);
    const v2 = saved2.stored;
    const due3 = clock + 120_000;
    holding = true;
    const winner = a.save(v2, moved(v2.ticket, due3), []);
    // A's rows are written; its ticket waits. B, from the stale v1, makes the same change and loses.
    const keys3 = indexKeys(moved(v2.ticket, due3), 3);
    for (let i = 0; i < 200; i++) {
      const written = await index.getEntity(indexPk(ticket.id), keys3.due ?? '').then(
        () => true,
        () => false,
      );
      if (written) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const loser = await b.save({ ...v1, ticket: v2.ticket }, moved(v2.ticket, due3), []);
    expect(loser.kind).toBe('conflict');
    release();
    expect((await winner).kind).toBe('saved');
    // The ticket is due at due3 and the watcher finds it there.
    expect((await service.dueTickets(due3 + 1)).map((t) => t.id)).toEqual([ticket.id]);
    await expect(index.getEntity(indexPk(ticket.id), keys3.due ?? '')).resolves.toBeDefined();
  });

  it('rows of a later generation than the head stay while a save may be in flight, then go; older ones go at once', async () => {
    const { tickets, index } = await makeService();
    let wall = Date.now();
    const repo = new TableTicketRepo({ tickets, index, prefix: 'TM', now, wallNow: () => wall });
    const service = new TicketService({ repo, engine, now });
    const { ticket } = value(await service.file(aFiling({ priority: 'P3' })));
    const pk = indexPk(ticket.id);
    const row = (rowKey: string, version: number): Promise<unknown> =>
      index.upsertEntity({
        partitionKey: pk,
        rowKey,
        tenantId: CONTOSO,
        ticketId: ticket.id,
        version,
        writtenAt: wall,
      });
    const exists = (rowKey: string): Promise<boolean> =>
      index.getEntity(pk, rowKey).then(
        () => true,
        () => false,
      );
    // The head is of generation 1. A row of generation 2: another instance's save, written, not yet committed.
    const inFlight = `q|0000000000001|${ticket.id}|2`;
    // Rows of generation 1 and of the layout before generations that do not match the head: stale for good.
    const stale = [`q|0000000000002|${ticket.id}|1`, `q|0000000000003|${ticket.id}`];
    await row(inFlight, 2);
    for (const rk of stale) await row(rk, 1);
    expect((await service.queue()).items.map((t) => t.id)).toEqual([ticket.id]);
    expect(await exists(inFlight)).toBe(true);
    for (const rk of stale) expect(await exists(rk)).toBe(false);
    // Past the grace, a save that wrote it is long over: the row goes.
    wall += STALE_GRACE_MS + 1;
    expect((await service.queue()).items.map((t) => t.id)).toEqual([ticket.id]);
    expect(await exists(inFlight)).toBe(false);
  });

  it('an instance that remembers an old head still acts on the newest one', async () => {
    const { service, repo, tickets, index } = await makeService();
    const other = anotherInstance(tickets, index);
    const { ticket } = value(await service.file(aFiling()));
    value(await service.act(staff, ticket.id, alice, { kind: 'resolve', text: 'Fixed' }));
    // Another instance reopens it; this one still remembers it resolved.
    value(await other.act(staff, ticket.id, alice, { kind: 'reopen', reason: 'Not fixed' }));
    // A refusal ("already resolved") from the remembered head is checked against storage first.
    const resolved = value(
      await service.act(staff, ticket.id, alice, { kind: 'resolve', text: 'Fixed now' }),
    );
    expect(resolved.ticket.version).toBe(4);
    expect(resolved.ticket.status).toBe('resolved');
    // And a change saved on a stale head is retried on the newest.
    value(await other.act(staff, ticket.id, alice, { kind: 'reopen', reason: 'Still broken' }));
    const note = value(await service.act(staff, ticket.id, alice, { kind: 'note', text: 'Looking again' }));
    expect(note.ticket.version).toBe(6);
    expect(note.ticket.status).not.toBe('resolved');
    expect((await repo.load(CONTOSO, ticket.id))?.ticket.version).toBe(6);
  });

  it('the queue reads a head again only when its row changed, and never shows what another instance replaced', async () => {
    const { service, tickets, index } = await makeService();
    let headReads = 0;
    tickets.pipeline.addPolicy({
      name: 'count-head-reads',
      sendRequest: (req, next) => {
        if (req.method === 'GET' && decodeURIComponent(req.url).includes("RowKey='t|")) headReads++;
        return next(req);
      },
    });
    const other = anotherInstance(tickets, index);
    const filed = [];
    for (let i = 0; i < 3; i++)
      filed.push(value(await service.file(aFiling({ requestId: `cache-${i}` }))).ticket);
    const ids = filed.map((t) => t.id);
    headReads = 0;
    expect((await service.queue()).items.map((t) => t.id).sort()).toEqual([...ids].sort());
    expect(headReads).toBe(3);
    // Nothing changed: no head is read again.
    headReads = 0;
    expect((await service.queue()).items).toHaveLength(3);
    expect(headReads).toBe(0);
    // Another instance takes one (the ticket keeps its place) and notes another: those two are read again,
    // and the queue shows the new owner.
    value(await other.act(staff, ids[0] ?? '', alice, { kind: 'take' }));
    value(await other.act(staff, ids[1] ?? '', alice, { kind: 'note', text: 'Looking' }));
    headReads = 0;
    const after = await service.queue();
    expect(headReads).toBe(2);
    const first = after.items.find((t) => t.id === ids[0]);
    expect(first?.owner?.id).toBe(alice.id);
    expect(first?.version).toBe(2);
    expect(after.items.find((t) => t.id === ids[1])?.version).toBe(2);
    // A queue row written for a save that never landed (its version is ahead of the head) is never trusted.
    const t2 = filed[2] as Ticket;
    const rowKey = indexKeys(t2, 1).queue ?? '';
    const row = await index.getEntity(indexPk(t2.id), rowKey);
    await index.upsertEntity({ ...row, partitionKey: indexPk(t2.id), rowKey, version: 7 }, 'Replace');
    for (let round = 0; round < 2; round++) {
      headReads = 0;
      const page = await service.queue();
      expect(page.items.find((t) => t.id === t2.id)?.version).toBe(1);
      expect(headReads).toBe(1);
    }
  });

  it('a queue row rewrite that fails is tried again after the answer; kept heads are read again after QUEUE_CACHE_MS', async () => {
    const { tickets, index } = await makeService();
    let wall = Date.now();
    const jobs: Promise<void>[] = [];
    const repo = new TableTicketRepo({
      tickets,
      index,
      prefix: 'TM',
      now,
      wallNow: () => wall,
      later: (_key, work) => {
        jobs.push(work());
      },
    });
    const service = new TicketService({ repo, engine, now });
    let headReads = 0;
    let failRowWrites = 0;
    tickets.pipeline.addPolicy({
      name: 'count-head-reads',
      sendRequest: (req, next) => {
        if (req.method === 'GET' && decodeURIComponent(req.url).includes("RowKey='t|")) headReads++;
        return next(req);
      },
    });
    index.pipeline.addPolicy({
      name: 'fail-row-writes',
      sendRequest: (req, next) => {
        if (req.method === 'PUT' && failRowWrites > 0) {
          failRowWrites--;
          return Promise.reject(new RestError('injected: storage unavailable', { statusCode: 503 }));
        }
        return next(req);
      },
    });
    const { ticket } = value(await service.file(aFiling()));
    await service.queue();
    headReads = 0;
    await service.queue();
    expect(headReads).toBe(0);
    // The row rewrite fails, and its first retry after the answer too: the change is saved, the rewrite lands.
    failRowWrites = 2;
    value(await service.act(staff, ticket.id, alice, { kind: 'take' }));
    await Promise.all(jobs);
    expect(failRowWrites).toBe(0);
    const page = await service.queue();
    expect(page.items[0]?.owner?.id).toBe(alice.id);
    headReads = 0;
    await service.queue();
    expect(headReads).toBe(0);
    wall += QUEUE_CACHE_MS + 1;
    await service.queue();
    expect(headReads).toBe(1);
  });

  it("a customer never reaches another tenant's ticket, by id or by listing", async () => {
    const { service } = await makeService();
    const { ticket } = value(await service.file(aFiling()));
    const byId = await service.get(fabrikam, ticket.id);
    const missing = await service.get(fabrikam, 'TM-999999');
    expect(byId.ok || missing.ok).toBe(false);
    if (!byId.ok && !missing.ok) {
      expect(byId.error.code).toBe(missing.error.code);
      expect(byId.error.message).toBe(missing.error.message.replace('TM-999999', ticket.id));
    }
    const acted = await service.act(
      fabrikam,
      ticket.id,
      { ...ann, id: 'intruder' },
      { kind: 'customer-message', text: 'hi' },
    );
    expect(acted.ok).toBe(false);
    expect((await service.tenantTickets(FABRIKAM)).items).toHaveLength(0);
    const { events } = value(await service.timeline(contoso, ticket.id));
    expect(events).toHaveLength(1);
  });

  it('refuses bad input without writing anything', async () => {
    const { service, tickets } = await makeService();
    const count = async (): Promise<number> => {
      let n = 0;
      for await (const _ of tickets.listEntities()) n++;
      return n;
    };
    expect((await service.file(aFiling({ description: 'x'.repeat(8001) }))).ok).toBe(false);
    expect((await service.file(aFiling({ requestId: 'bad/id#?' }))).ok).toBe(false);
    expect((await service.file(aFiling({ title: '' }))).ok).toBe(false);
    expect(await count()).toBe(0);
    const { ticket } = value(await service.file(aFiling({ requestId: 'ok-1' })));
    const before = await count();
    for (const id of ['TM-1/../x', "TM-1' or 'a'='a", '#?\\', '', 'TM-99999999']) {
      const r = await service.act(staff, id, alice, { kind: 'note', text: 'x' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('TICKET_NOT_FOUND');
    }
    const huge = await service.act(staff, ticket.id, alice, { kind: 'note', text: '\u{1F600}'.repeat(5000) });
    expect(huge.ok).toBe(false);
    expect(await count()).toBe(before);
    // Text with key-like characters is stored and read back intact.
    const odd = value(
      await service.act(staff, ticket.id, alice, { kind: 'note', text: "a/b\\c#d?e 'quoted' \u{1F600}" }),
    );
    expect(odd.events[0]?.text).toBe("a/b\\c#d?e 'quoted' \u{1F600}");
  });

  it('reads tickets written by an older schema and upgrades them', async () => {
    const { service, tickets } = await makeService();
    clock = Date.parse('2026-11-24T09:00:00-05:00');
    const { ticket } = value(await service.file(aFiling({ priority: 'P3' })));
    const pk = tenantPk(CONTOSO);
    const raw = await tickets.getEntity(pk, `t|${ticket.id}`);
    const doc = JSON.parse(String(raw['doc'])) as Record<string, unknown>;
    delete doc['notified'];
    const sla = doc['sla'] as Record<string, unknown>;
    delete sla['nextNoticeAt'];
    await tickets.updateEntity(
      { partitionKey: pk, rowKey: `t|${ticket.id}`, ...raw, sv: 1, doc: JSON.stringify(doc) },
      'Replace',
    );
    expect(TICKET_SCHEMA).toBeGreaterThan(1);
    const read: Ticket = value(await service.get(contoso, ticket.id));
    expect(read.notified).toEqual([]);
    expect(read.sla.nextNoticeAt).toBe(Date.parse('2026-11-24T11:00:00-05:00'));
    const acted = value(
      await service.act(contoso, ticket.id, ann, { kind: 'customer-message', text: 'any news?' }),
    );
    expect(acted.ticket.version).toBe(ticket.version + 1);
  });
});
