// Tickets in Azure Table Storage (layout: ticket-keys.ts, docs/storage.md). One tenant's writes are one
// entity-group transaction conditional on the head's ETag; the cross-tenant index (ticket-index.ts) is written
// before the ticket and verified against the head on read (ticket-queue.ts), so a crash leaves at worst a stale
// row, never a missing one. Ids and their tenants: ticket-ids.ts.
// A save that loses a race deletes nothing (the winner, maybe still in flight, may have written the same
// keys); readers clean up. Every change of an open ticket rewrites its queue row with the ticket, so the
// row's ETag changes with the head and the queue can keep the heads it read.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Instant } from '../../domain/sla';
import type { Ticket, TicketEvent } from '../../domain/tickets/model';
import { OPEN_STATUSES } from '../../domain/tickets/model';
import { searchText } from '../../domain/tickets/search';
import type {
  DueEntry,
  InsertOutcome,
  MessageRef,
  Page,
  SaveOutcome,
  StoredTicket,
  TicketRepo,
} from '../../domain/tickets/ports';
import { eventFrom, eventProps, ticketFrom, ticketProps } from './entities';
import { messageRowKey, newestFirstKey, odata, prefixEnd, TICKET_ID } from './keys';
import { readRange, type Row } from './kit/range';
import { storageStatus } from './kit/status';
import { TicketIds } from './ticket-ids';
import { TicketIndex } from './ticket-index';
import {
  eventRk,
  fromCursor,
  headRk,
  INDEX_SCHEMA,
  indexKeys,
  listRk,
  movesIndex,
  openRk,
  requestRk,
  tenantPk,
  toCursor,
} from './ticket-keys';
import { TicketQueue } from './ticket-queue';

/**
 * Action ids a head keeps. Teams retries an invoke within seconds; this many other actions on one ticket in
 * between is far beyond what engineers do.
 */
export const RECENT_ACTIONS = 20;

/** The action ids a head keeps (`acts`, a JSON list; absent on heads that never had one). */
function actionsOf(v: unknown): string[] {
  if (typeof v !== 'string') return [];
  try {
    const list: unknown = JSON.parse(v);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export interface TicketRepoOptions {
  readonly tickets: TableClient;
  readonly index: TableClient;
  /** Ticket id prefix, e.g. "TM". */
  readonly prefix: string;
  /** First number handed out. */
  readonly firstNumber?: number;
  /** Ids claimed from the shared counter at a time, per tenant. */
  readonly block?: number;
  /** The app's clock (simulated in local mode). */
  readonly now: () => Instant;
  /** Real time, for the age of index rows (default Date.now). */
  readonly wallNow?: () => number;
  /**
   * Runs cleanup after the answer (the app's tracked background work). Stale index rows are harmless (readers
   * check rows against the ticket), so deleting them need not delay a change. Absent: done before returning.
   */
  readonly later?: ((key: string, work: () => Promise<void>) => void) | undefined;
}

export class TableTicketRepo implements TicketRepo {
  private readonly tickets: TableClient;
  private readonly ids: TicketIds;
  private readonly index: TicketIndex;
  private readonly queue: TicketQueue;

  constructor(o: TicketRepoOptions) {
    this.tickets = o.tickets;
    this.ids = new TicketIds(o.index, o);
    this.index = new TicketIndex(o.index, o);
    this.queue = new TicketQueue(this.index, (tenantId, id) => this.load(tenantId, id));
  }

  /** Moves index rows of older versions to their shards (see TicketIndex.upgrade); returns how many. */
  upgradeIndex(): Promise<number> {
    return this.index.upgrade();
  }

  nextId(tenantId: string): Promise<string> {
    return this.ids.next(tenantId);
  }

  /**
   * The tenant-partition rows of a change besides the head: the new events, and the listing rows, which
   * are slim (ids only) so that an update writes the ticket once, not three times.
   */
  private tenantActions(prev: Ticket | null, t: Ticket, events: readonly TicketEvent[]): TransactionAction[] {
    const pk = tenantPk(t.tenantId);
    const slim = { sv: INDEX_SCHEMA, ticketId: t.id };
    const actions: TransactionAction[] = events.map((ev): TransactionAction => [
      'create',
      { partitionKey: pk, rowKey: eventRk(t.id, ev.seq), ...eventProps(ev) },
    ]);
    if (prev === null)
      actions.push(['create', { partitionKey: pk, rowKey: listRk(t), ...slim, createdAt: t.createdAt }]);
    const wasOpen = prev !== null && OPEN_STATUSES.has(prev.status);
    const isOpen = OPEN_STATUSES.has(t.status);
    if (isOpen && !wasOpen)
      actions.push(['upsert', { partitionKey: pk, rowKey: openRk(t.id), ...slim }, 'Replace']);
    if (wasOpen && !isOpen) actions.push(['delete', { partitionKey: pk, rowKey: openRk(t.id) }]);
    return actions;
  }

  /** Heads of the tickets named by listing rows (`…|<id>`), in the rows' order, at most 32 reads at a time. */
  private async heads(tenantId: string, rows: readonly Row[]): Promise<Ticket[]> {
    const ids = rows.map((r) => (r.rowKey ?? '').slice((r.rowKey ?? '').lastIndexOf('|') + 1));
    const out: (Ticket | null)[] = new Array<Ticket | null>(ids.length).fill(null);
    for (let i = 0; i < ids.length; i += 32) {
      const chunk = await Promise.all(ids.slice(i, i + 32).map((id) => this.load(tenantId, id)));
      chunk.forEach((stored, k) => {
        out[i + k] = stored?.ticket ?? null;
      });
    }
    return out.filter((t): t is Ticket => t !== null);
  }

  async insert(filed: Ticket, events: readonly TicketEvent[], message?: MessageRef): Promise<InsertOutcome> {
    const ticket: Ticket = { ...filed, search: searchText(undefined, events) };
    const pk = tenantPk(ticket.tenantId);
    // Both before the ticket, side by side: neither needs the other.
    await Promise.all([this.index.addTenant(ticket.tenantId), this.index.write(ticket, 1)]);
    const actions: TransactionAction[] = [
      [
        'create',
        { partitionKey: pk, rowKey: requestRk(ticket.requestId), sv: INDEX_SCHEMA, ticketId: ticket.id },
      ],
      ['create', { partitionKey: pk, rowKey: headRk(ticket.id), ...ticketProps(ticket), ig: 1 }],
      ...this.tenantActions(null, ticket, events),
    ];
    if (message !== undefined)
      actions.push([
        'upsert',
        {
          partitionKey: pk,
          rowKey: messageRowKey(message.conversationId, message.activityId),
          sv: INDEX_SCHEMA,
          ticketId: ticket.id,
        },
        'Replace',
      ]);
    try {
      const res = await this.tickets.submitTransaction(actions);
      // Sub-responses come back in the order of the actions: the head is the second.
      const etag = res.subResponses[1]?.etag;
      const stored =
        etag === undefined ? await this.load(ticket.tenantId, ticket.id) : { ticket, etag, indexGen: 1 };
      if (stored === null) throw new Error(`ticket ${ticket.id} vanished after it was written`);
      return { kind: 'created', stored };
    } catch (err) {
      if (storageStatus(err) !== 409) throw err;
      // The request id exists: this submission was filed before. Undo our index rows (of this attempt's new
      // id: nobody else writes them), return that ticket.
      const keys = indexKeys(ticket, 1);
      await this.index.drop([keys.queue, keys.due]);
      const prior = await this.tickets.getEntity<{ ticketId: string }>(pk, requestRk(ticket.requestId));
      const stored = await this.load(ticket.tenantId, prior.ticketId);
      if (stored === null) {
        throw new Error(`request ${ticket.requestId} points to missing ticket ${prior.ticketId}`, {
          cause: err,
        });
      }
      return { kind: 'exists', stored };
    }
  }

  async load(tenantId: string, id: string): Promise<StoredTicket | null> {
    if (!TICKET_ID.test(id)) return null;
    try {
      const e = await this.tickets.getEntity(tenantPk(tenantId), headRk(id));
      const ticket = ticketFrom(e);
      if (ticket.tenantId !== tenantId) return null;
      return { ticket, etag: e.etag, indexGen: Number(e['ig'] ?? 0) || 0, actions: actionsOf(e['acts']) };
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async locate(id: string): Promise<string | null> {
    if (!TICKET_ID.test(id)) return null;
    return this.ids.tenantOf(id);
  }

  /**
   * The ticket with its search texts after `events`: the head's texts extended, or (a ticket stored before
   * they were kept) built once from its whole timeline.
   */
  private async searchable(prev: Ticket, next: Ticket, events: readonly TicketEvent[]): Promise<Ticket> {
    if (prev.search !== undefined) return { ...next, search: searchText(prev.search, events) };
    const before = await this.events(prev.tenantId, prev.id);
    return { ...next, search: searchText(undefined, [...before, ...events]) };
  }

  async save(
    prev: StoredTicket,
    changed: Ticket,
    events: readonly TicketEvent[],
    actionId?: string,
  ): Promise<SaveOutcome> {
    if (actionId !== undefined && prev.actions?.includes(actionId) === true)
      return { kind: 'duplicate-action' };
    const next = await this.searchable(prev.ticket, changed, events);
    const pk = tenantPk(next.tenantId);
    const prevGen = prev.indexGen ?? 0;
    // The head keeps the last action ids (a retried invoke then fails its ETag or finds its id).
    const actions =
      actionId === undefined
        ? (prev.actions ?? [])
        : [actionId, ...(prev.actions ?? [])].slice(0, RECENT_ACTIONS);
    // A change that moves the rows writes them under the next generation, before the ticket.
    const moved = movesIndex(prev.ticket, next);
    const gen = moved ? prevGen + 1 : prevGen;
    if (moved) await this.index.write(next, gen);
    // A change that keeps the rows rewrites the queue row (new ETag, the new version) beside the ticket: that
    // tells every instance's queue cache that the head changed (see TicketQueue).
    const touched = moved ? true : this.index.touchQueue(next, gen);
    const writes: TransactionAction[] = [
      [
        'update',
        {
          partitionKey: pk,
          rowKey: headRk(next.id),
          ...ticketProps(next),
          ig: gen,
          ...(actions.length > 0 ? { acts: JSON.stringify(actions) } : {}),
        },
        'Replace',
        { etag: prev.etag },
      ],
      ...this.tenantActions(prev.ticket, next, events),
    ];
    let etag: string | undefined;
    try {
      const [res, ok] = await Promise.all([this.tickets.submitTransaction(writes), touched]);
      if (!ok) this.index.retouchLater(next, gen);
      // Sub-responses come back in the order of the actions: the head is the first.
      etag = res.subResponses[0]?.etag;
    } catch (err) {
      const status = storageStatus(err);
      if (status === 412 || status === 409 || status === 404) {
        // Our new rows stay: a concurrent save from the same head (two instances recording one warning)
        // wrote the same keys and may not have committed yet, so no look at the head could tell that it
        // needs them. Readers skip rows that do not match the head and delete them (STALE_GRACE_MS).
        return { kind: 'conflict' };
      }
      throw err;
    }
    // The previous generation's rows are stale for good (no later head has their keys).
    if (moved) {
      const before = indexKeys(prev.ticket, prevGen);
      await this.index.retire([before.queue, before.due]);
    }
    if (etag === undefined) {
      const reread = await this.load(next.tenantId, next.id);
      if (reread === null) throw new Error(`ticket ${next.id} vanished after it was saved`);
      return { kind: 'saved', stored: reread };
    }
    return { kind: 'saved', stored: { ticket: next, etag, indexGen: gen, actions } };
  }

  async events(tenantId: string, id: string): Promise<TicketEvent[]> {
    if (!TICKET_ID.test(id)) return [];
    const prefix = `e|${id}|`;
    const rows = await readRange(this.tickets, {
      pk: tenantPk(tenantId),
      from: prefix,
      to: prefixEnd(prefix),
    });
    return rows.map(eventFrom);
  }

  openQueue(limit: number, next?: string): Promise<Page<Ticket>> {
    return this.queue.openQueue(limit, next);
  }

  async tenantTickets(tenantId: string, limit: number, next?: string): Promise<Page<Ticket>> {
    const rows = await readRange(this.tickets, {
      pk: tenantPk(tenantId),
      ...(next === undefined ? { from: 'l|' } : { from: fromCursor(next), after: true }),
      to: prefixEnd('l|'),
      limit: limit + 1,
    });
    const items = await this.heads(tenantId, rows.slice(0, limit));
    const last = rows.length > limit ? rows[limit - 1]?.rowKey : undefined;
    return { items, ...(last === undefined ? {} : { next: toCursor(last) }) };
  }

  async tenantOpen(tenantId: string): Promise<Ticket[]> {
    const rows = await readRange(this.tickets, {
      pk: tenantPk(tenantId),
      from: 'o|',
      to: prefixEnd('o|'),
      limit: 1000,
    });
    return this.heads(tenantId, rows);
  }

  tenants(): Promise<string[]> {
    return this.index.tenants();
  }

  /**
   * Every ticket whose head storage wrote at or after `since` (storage's own Timestamp, real time), tenant by
   * tenant: what a catch-up after a crash looks at (src/domain/stats/satisfaction-catchup.ts).
   */
  async *writtenSince(since: number): AsyncGenerator<Ticket> {
    const after = new Date(Math.max(0, since)).toISOString();
    for (const tenant of await this.tenants()) {
      const rows = this.tickets.listEntities({
        queryOptions: {
          filter: `PartitionKey eq ${odata(tenantPk(tenant))} and RowKey ge 't|' and RowKey lt 't}' and Timestamp ge datetime'${after}'`,
        },
      });
      for await (const e of rows) yield ticketFrom(e);
    }
  }

  async createdBetween(from: Instant, to: Instant, tenantId?: string): Promise<Ticket[]> {
    const tenants = tenantId === undefined ? await this.tenants() : [tenantId];
    const lists = await Promise.all(
      tenants.map(async (tenant) => {
        // Listing keys run newest first: created in [from, to) lies between these two keys.
        const rows = await readRange(this.tickets, {
          pk: tenantPk(tenant),
          from: `l|${newestFirstKey(to - 1)}|`,
          to: `l|${newestFirstKey(from)}|~`,
          limit: 1_000_000,
        });
        return this.heads(tenant, rows);
      }),
    );
    return lists.flat().sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  dueTickets(t: Instant, limit: number): Promise<Ticket[]> {
    return this.queue.dueTickets(t, limit);
  }

  dueBefore(t: Instant, limit: number): Promise<DueEntry[]> {
    return this.queue.dueBefore(t, limit);
  }
}
