// Tickets in Azure Table Storage. Layout (docs/storage.md):
//   tickets      PK c_<tenant>  RK t|<id> head · e|<id>|<seq> events · l|<newest-first>|<id> listing (id) ·
//                               o|<id> open (id) · r|<request id> idempotency · a|<action id> applied
//                               actions (older versions; the head's `acts` now keeps the last RECENT_ACTIONS)
//   ticketindex  PK x<shard>     RK q|<next deadline>|<id>|<gen> open queue · d|<due>|<id>|<gen> watcher (open
//                               tickets only; a ticket's rows share the shard of its id, so they are written in one
//                               transaction; <gen> is the head's index generation, absent on rows written before)
//                               RK i|<id> tenant of an id, written by versions before id blocks (still read)
//                PK tenants     RK n|<tenant> every tenant that ever filed
//                PK meta        RK ticket-seq: the id counter · b|<inverted first number> a block of ids and its
//                               tenant: ids are claimed per tenant in blocks, so an id's tenant is its block's
//                               (no per-ticket row, and the index holds open tickets only)
// One tenant's writes are one entity-group transaction. The cross-tenant index is written before the
// ticket and verified against the head on read, so a crash leaves at worst a stale row, never a missing one.
// Every change that moves a ticket's index rows raises the head's index generation (`ig`), which is part of
// the rows' keys: a key, once stale, is never needed again, so stale rows can be deleted without checking.
// A save that loses a race deletes nothing (the winner, maybe still in flight, may have written the same
// keys); readers delete rows of the head's generation or older that do not match it, and rows of a later
// generation (a save in flight, or one that failed) once older than STALE_GRACE_MS.
// Every change of an open ticket rewrites its queue row with the ticket, so the row's ETag changes with the
// head: the queue keeps the heads it read with their rows' ETags and reads again only the rows that changed.
import { type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { Instant } from '../sla';
import type { Ticket, TicketEvent } from '../tickets/model';
import { OPEN_STATUSES } from '../tickets/model';
import type {
  DueEntry,
  InsertOutcome,
  MessageRef,
  Page,
  SaveOutcome,
  StoredTicket,
  TicketRepo,
} from '../tickets/ports';
import { eventFrom, eventProps, ticketFrom, ticketProps } from './entities';
import { keyPart, messageRowKey, newestFirstKey, odata, prefixEnd, TICKET_ID, timeKey } from './keys';
import { storageStatus } from './kit/status';

/**
 * The cross-tenant index is spread over this many partitions: one partition takes every change of every
 * ticket otherwise, which Azure caps (about 2,000 entities a second per partition) and Azurite slows down
 * on (it scans a partition to find a row). Readers merge the shards. Changing it needs a re-index.
 */
export const INDEX_SHARDS = 8;
/** The partition of the index before it was sharded; `upgradeIndex` moves what it still holds. */
const OLD_IDX = 'idx';
const TENANTS = 'tenants';
/** Schema version of index, request, action and counter rows. */
const INDEX_SCHEMA = 1;
const META = 'meta';
const SEQ = 'ticket-seq';
/**
 * Real ms after which readers delete an index row of a later generation than its ticket's head, or whose
 * ticket never appeared: a save in flight (index rows, then the ticket, storage retries included) is younger.
 */
export const STALE_GRACE_MS = 5 * 60_000;
/**
 * Action ids a head keeps. Teams retries an invoke within seconds; this many other actions on one ticket in
 * between is far beyond what engineers do.
 */
export const RECENT_ACTIONS = 20;
/** Queue rows whose heads are kept: a few pages of the open queue. */
const QUEUE_CACHE = 5_000;
/**
 * Real ms a kept head is used for, at most. A change rewrites its queue row beside the ticket; should that
 * rewrite be lost (the instance dies between the two), other instances read the head again after this long.
 */
export const QUEUE_CACHE_MS = 5 * 60_000;

export const tenantPk = (tenantId: string): string => `c_${keyPart(tenantId)}`;

/**
 * The index partition of a ticket id (FNV-1a of the id).
 * @example indexPk('TM-1042') // 'x5'
 */
export function indexPk(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return `x${(h >>> 0) % INDEX_SHARDS}`;
}
/** The ticket id in an index row's key (`q|<time>|<id>`, then `|<gen>` on rows with a generation). */
const rowId = (rk: string): string => rk.split('|')[2] ?? '';
/** The index partition of an index row: its ticket id's. */
const rowPk = (rk: string): string => indexPk(rowId(rk));
/** The index generation in an index row's key (0: a row written before generations). */
const rowGen = (rk: string): number => Number(rk.split('|')[3] ?? 0) || 0;
export const headRk = (id: string): string => `t|${id}`;
const eventRk = (id: string, seq: number): string => `e|${id}|${seq.toString().padStart(6, '0')}`;
export const listRk = (t: Ticket): string => `l|${newestFirstKey(t.createdAt)}|${t.id}`;
export const openRk = (id: string): string => `o|${id}`;
const requestRk = (requestId: string): string => `r|${keyPart(requestId)}`;
const idRk = (id: string): string => `i|${id}`;
/** Ids are numbers below this; block keys count down from it so the first key at or after a number's is its block. */
const MAX_NUMBER = 999_999_999_999;
const blockRk = (first: number): string => `b|${String(MAX_NUMBER - first).padStart(12, '0')}`;

/** A block of ids [first, end) claimed for one tenant. */
export interface IdBlock {
  readonly first: number;
  readonly end: number;
  readonly tenantId: string;
}

/**
 * The stored row of an id block (exported for seeding scripts that write the layout directly).
 * @example blockEntity({ first: 1001, end: 1021, tenantId: 't' }) // { partitionKey: 'meta', rowKey: 'b|999999998998', … }
 */
export function blockEntity(b: IdBlock): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  return { partitionKey: META, rowKey: blockRk(b.first), sv: INDEX_SCHEMA, ...b };
}

const numberOf = (id: string): number => Number(id.slice(id.lastIndexOf('-') + 1));
const tenantRk = (tenantId: string): string => `n|${keyPart(tenantId)}`;

/**
 * The cross-tenant index rows a ticket should have at an index generation (0: the layout before generations;
 * exported, like the other keys, for the bench's seeding).
 * @example indexKeys(ticket, 3).due // 'd|0001764057600000|TM-1042|3'
 */
export function indexKeys(t: Ticket, gen = 0): { queue: string | null; due: string | null } {
  const open = OPEN_STATUSES.has(t.status);
  const tail = gen === 0 ? t.id : `${t.id}|${gen}`;
  return {
    queue: open ? `q|${t.sla.nextDeadline === null ? 'z' : timeKey(t.sla.nextDeadline)}|${tail}` : null,
    due: open && t.sla.nextNoticeAt !== null ? `d|${timeKey(t.sla.nextNoticeAt)}|${tail}` : null,
  };
}

/** Whether a change moves a ticket's index rows (its queue or due key). */
function movesIndex(prev: Ticket, next: Ticket): boolean {
  const a = indexKeys(prev);
  const b = indexKeys(next);
  return a.queue !== b.queue || a.due !== b.due;
}

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
  private readonly index: TableClient;
  /** Unused ids of this instance's blocks, per tenant. */
  private readonly ids = new Map<string, number[]>();
  private readonly claiming = new Map<string, Promise<void>>();
  /** Tenants of ids filed before id blocks, as read. */
  private readonly legacyTenants = new Map<string, string>();
  /** Id blocks seen, sorted by first number (blocks never change, so they are kept). */
  private readonly blocks: IdBlock[] = [];
  /** Stale index rows waiting to be deleted, and whether their deletion is scheduled. */
  private readonly stale = new Set<string>();
  private cleaning = false;
  /** Queue rows and the heads read for them, by ticket id, least recently used first (see `queued`). */
  private readonly queueCache = new Map<string, { rk: string; etag: string; ticket: Ticket; at: number }>();
  /** Tenants whose n| row this instance has written (it never changes, so once is enough). */
  private readonly knownTenants = new Set<string>();

  constructor(private readonly o: TicketRepoOptions) {
    this.tickets = o.tickets;
    this.index = o.index;
  }

  /**
   * Moves index rows still in the single partition of older versions to their shards (copy, then delete:
   * safe to interrupt and to run on several instances at once). Returns how many rows moved.
   */
  async upgradeIndex(): Promise<number> {
    let moved = 0;
    for (;;) {
      const rows = await this.range(this.index, OLD_IDX, '', '~', 100);
      if (rows.length === 0) return moved;
      for (const row of rows) {
        const { partitionKey: _pk, rowKey, etag: _etag, timestamp: _ts, ...props } = row;
        const rk = rowKey ?? '';
        const pk = rk.startsWith('n|') ? TENANTS : rowPk(rk);
        await this.index.upsertEntity({ partitionKey: pk, rowKey: rk, ...props }, 'Replace');
        await this.index.deleteEntity(OLD_IDX, rk).catch((err: unknown) => {
          if (storageStatus(err) !== 404) throw err;
        });
        moved++;
      }
    }
  }

  async nextId(tenantId: string): Promise<string> {
    for (;;) {
      const n = this.ids.get(tenantId)?.shift();
      if (n !== undefined) return `${this.o.prefix}-${n}`;
      let claim = this.claiming.get(tenantId);
      if (claim === undefined) {
        claim = this.claimBlock(tenantId).finally(() => {
          this.claiming.delete(tenantId);
        });
        this.claiming.set(tenantId, claim);
      }
      await claim;
    }
  }

  /**
   * Claims the next block of numbers for a tenant: the shared counter's ETag-conditional update and the
   * block's row are one transaction, so a number is handed out only once its tenant is on record.
   */
  private async claimBlock(tenantId: string): Promise<void> {
    const size = this.o.block ?? 20;
    for (let attempt = 0; ; attempt++) {
      try {
        const e = await this.index.getEntity<{ next: number }>(META, SEQ);
        const block: IdBlock = { first: e.next, end: e.next + size, tenantId };
        await this.index.submitTransaction([
          [
            'update',
            { partitionKey: META, rowKey: SEQ, sv: INDEX_SCHEMA, next: block.end },
            'Replace',
            { etag: e.etag },
          ],
          ['create', blockEntity(block)],
        ]);
        this.remember(block);
        this.ids.set(
          tenantId,
          Array.from({ length: size }, (_, i) => block.first + i),
        );
        return;
      } catch (err) {
        const status = storageStatus(err);
        if (status === 404) {
          try {
            await this.index.createEntity({
              partitionKey: META,
              rowKey: SEQ,
              sv: INDEX_SCHEMA,
              next: this.o.firstNumber ?? 1001,
            });
          } catch (createErr) {
            if (storageStatus(createErr) !== 409) throw createErr;
          }
          continue;
        }
        if ((status !== 412 && status !== 409) || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
  }

  /** Index of the last remembered block whose first number is at most `n` (-1 if none). */
  private blockAt(n: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.blocks[mid]?.first ?? 0) <= n) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }

  private remember(block: IdBlock): void {
    const at = this.blockAt(block.first);
    if (this.blocks[at]?.first !== block.first) this.blocks.splice(at + 1, 0, block);
  }

  /** The tenant of a number's block: remembered, or the first block row at or after its key (one query). */
  private async blockTenant(n: number): Promise<string | null> {
    const known = this.blocks[this.blockAt(n)];
    if (known !== undefined && n < known.end) return known.tenantId;
    const [row] = await this.range(this.index, META, blockRk(n), prefixEnd('b|'), 1);
    if (row === undefined) return null;
    const block: IdBlock = {
      first: Number(row['first']),
      end: Number(row['end']),
      tenantId: String(row['tenantId']),
    };
    if (!(block.first <= n && n < block.end)) return null;
    this.remember(block);
    return block.tenantId;
  }

  /** Rewrites a ticket's queue row (none when it is not open); false when storage failed (never throws). */
  private async touchQueue(t: Ticket, gen: number): Promise<boolean> {
    const [row] = this.indexActions(t, gen, true);
    if (row?.[0] !== 'upsert') return true;
    try {
      await this.index.upsertEntity(row[1], 'Replace');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Tries again, after the answer, a queue row rewrite that failed while its change was saved (until it
   * lands, other instances' queues may keep the ticket as they last read it, QUEUE_CACHE_MS at most).
   */
  private retouchLater(t: Ticket, gen: number): void {
    const retry = async (): Promise<void> => {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (await this.touchQueue(t, gen)) return;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    };
    if (this.o.later === undefined) void retry();
    else this.o.later(`queue-touch:${t.id}`, retry);
  }

  /** The index rows of a ticket at a generation (only its queue row with `queueOnly`). */
  private indexActions(t: Ticket, gen: number, queueOnly = false): TransactionAction[] {
    const keys = indexKeys(t, gen);
    const pk = indexPk(t.id);
    const base = {
      sv: INDEX_SCHEMA,
      tenantId: t.tenantId,
      ticketId: t.id,
      version: t.version,
      writtenAt: (this.o.wallNow ?? Date.now)(),
    };
    const actions: TransactionAction[] = [];
    if (keys.queue !== null)
      actions.push(['upsert', { partitionKey: pk, rowKey: keys.queue, ...base }, 'Replace']);
    if (keys.due !== null && !queueOnly)
      actions.push([
        'upsert',
        { partitionKey: pk, rowKey: keys.due, ...base, dueAt: t.sla.nextNoticeAt ?? 0 },
        'Replace',
      ]);
    return actions;
  }

  /**
   * Deletes stale index rows after the answer, gathered: the rows of many changes go in one transaction per
   * shard. Until then readers skip them (a row counts only while its key matches the ticket's head).
   */
  private dropLater(rows: readonly (string | null)[]): void {
    for (const rk of rows) if (rk !== null) this.stale.add(rk);
    if (this.cleaning || this.stale.size === 0 || this.o.later === undefined) return;
    this.cleaning = true;
    this.o.later('index-cleanup', async () => {
      this.cleaning = false;
      const keys = [...this.stale];
      this.stale.clear();
      const byShard = new Map<string, string[]>();
      for (const rk of keys) byShard.set(rowPk(rk), [...(byShard.get(rowPk(rk)) ?? []), rk]);
      // The shards side by side: one after another, a busy storage makes the cleanup hold its slot 8 times as long.
      await Promise.all(
        [...byShard.values()].map(async (group) => {
          for (let i = 0; i < group.length; i += 100) await this.dropIndexRows(group.slice(i, i + 100));
        }),
      );
    });
  }

  /** A stale row found while reading: deleted after the answer when possible, else now. */
  private async dropStale(rk: string): Promise<void> {
    if (this.o.later === undefined) await this.dropIndexRows([rk]);
    else this.dropLater([rk]);
  }

  /** Deletes index rows of one shard: one transaction when all exist, else one by one (a missing row is fine). */
  private async dropIndexRows(rows: readonly (string | null)[]): Promise<void> {
    const keys = [...new Set(rows.filter((rk): rk is string => rk !== null))];
    if (keys.length > 1) {
      try {
        await this.index.submitTransaction(
          keys.map((rk): TransactionAction => ['delete', { partitionKey: rowPk(rk), rowKey: rk }]),
        );
        return;
      } catch (err) {
        if (storageStatus(err) !== 404) throw err;
      }
    }
    await Promise.all(
      keys.map((rk) =>
        this.index.deleteEntity(rowPk(rk), rk).catch((err: unknown) => {
          if (storageStatus(err) !== 404) throw err;
        }),
      ),
    );
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
  private async heads(
    tenantId: string,
    rows: readonly TableEntityResult<Record<string, unknown>>[],
  ): Promise<Ticket[]> {
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

  async insert(ticket: Ticket, events: readonly TicketEvent[], message?: MessageRef): Promise<InsertOutcome> {
    const pk = tenantPk(ticket.tenantId);
    if (!this.knownTenants.has(ticket.tenantId)) {
      await this.index.upsertEntity(
        {
          partitionKey: TENANTS,
          rowKey: tenantRk(ticket.tenantId),
          sv: INDEX_SCHEMA,
          tenantId: ticket.tenantId,
        },
        'Replace',
      );
      this.knownTenants.add(ticket.tenantId);
    }
    const indexRows = this.indexActions(ticket, 1);
    if (indexRows.length > 0) await this.index.submitTransaction(indexRows);
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
      await this.dropIndexRows([keys.queue, keys.due]);
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
    const n = numberOf(id);
    const tenant = Number.isSafeInteger(n) && n <= MAX_NUMBER ? await this.blockTenant(n) : null;
    if (tenant !== null) return tenant;
    // Tickets filed before id blocks have a row of their own.
    const cached = this.legacyTenants.get(id);
    if (cached !== undefined) return cached;
    try {
      const e = await this.index.getEntity<{ tenantId: string }>(indexPk(id), idRk(id));
      this.legacyTenants.set(id, e.tenantId);
      return e.tenantId;
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async save(
    prev: StoredTicket,
    next: Ticket,
    events: readonly TicketEvent[],
    actionId?: string,
  ): Promise<SaveOutcome> {
    if (actionId !== undefined && prev.actions?.includes(actionId) === true)
      return { kind: 'duplicate-action' };
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
    if (moved) {
      const fresh = this.indexActions(next, gen);
      if (fresh.length > 0) await this.index.submitTransaction(fresh);
    }
    // A change that keeps the rows rewrites the queue row (new ETag, the new version) beside the ticket: that
    // tells every instance's queue cache that the head changed (see `queued`).
    const touched = moved ? true : this.touchQueue(next, gen);
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
      if (!ok) this.retouchLater(next, gen);
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
      const stale = [before.queue, before.due];
      if (this.o.later === undefined) await this.dropIndexRows(stale);
      else this.dropLater(stale);
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
    const out: TicketEvent[] = [];
    const iter = this.tickets.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(tenantPk(tenantId))} and RowKey ge ${odata(prefix)} and RowKey lt ${odata(prefixEnd(prefix))}`,
      },
    });
    for await (const e of iter) out.push(eventFrom(e));
    return out;
  }

  /** Reads rows of one partition in a RowKey range, in order, `limit` at most. */
  private async range(
    client: TableClient,
    pk: string,
    from: string,
    to: string,
    limit: number,
  ): Promise<TableEntityResult<Record<string, unknown>>[]> {
    const out: TableEntityResult<Record<string, unknown>>[] = [];
    const pages = client
      .listEntities({
        queryOptions: {
          filter: `PartitionKey eq ${odata(pk)} and RowKey ${from.startsWith('>') ? 'gt' : 'ge'} ${odata(from.replace(/^>/, ''))} and RowKey lt ${odata(to)}`,
        },
      })
      .byPage({ maxPageSize: Math.min(1000, Math.max(1, limit)) });
    for await (const page of pages) {
      for (const e of page) {
        out.push(e);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /**
   * Index rows of every shard in one RowKey range, merged in key order: up to `limit` rows, and only rows
   * before the point where a shard that was cut short could still hold a smaller key.
   */
  private async shardRange(
    from: string,
    to: string,
    limit: number,
    perShard: number = limit,
  ): Promise<{ rows: TableEntityResult<Record<string, unknown>>[]; complete: boolean }> {
    const shards = await Promise.all(
      Array.from({ length: INDEX_SHARDS }, (_, k) => this.range(this.index, `x${k}`, from, to, perShard)),
    );
    let bound: string | undefined;
    for (const rows of shards) {
      const last = rows.length >= perShard ? rows[rows.length - 1]?.rowKey : undefined;
      if (last !== undefined && (bound === undefined || last < bound)) bound = last;
    }
    const merged = shards
      .flat()
      .filter((r) => bound === undefined || (r.rowKey ?? '') <= bound)
      .sort((a, b) => ((a.rowKey ?? '') < (b.rowKey ?? '') ? -1 : 1));
    return { rows: merged.slice(0, limit), complete: bound === undefined && merged.length <= limit };
  }

  async openQueue(limit: number, next?: string): Promise<Page<Ticket>> {
    const items: Ticket[] = [];
    let from = next === undefined ? 'q|' : `>${Buffer.from(next, 'base64url').toString('utf8')}`;
    let last: string | undefined;
    const seen = new Set<string>();
    while (items.length < limit) {
      const want = limit - items.length;
      // Each shard holds about 1/INDEX_SHARDS of the page: asking each for twice that (and a few more) gives
      // the whole page in one round but for rare skew, without reading every shard's `want` rows.
      const { rows, complete } = await this.shardRange(
        from,
        prefixEnd('q|'),
        want,
        Math.min(want, Math.ceil((2 * want) / INDEX_SHARDS) + 4),
      );
      if (rows.length === 0) return { items };
      // Only the rows the page still needs are checked (a head read each, all at once, unless the row is
      // unchanged since its head was read), none beyond.
      const verified = await Promise.all(rows.map((r) => this.queued(r)));
      for (let i = 0; i < rows.length; i++) {
        const t = verified[i];
        last = rows[i]?.rowKey;
        if (t !== null && t !== undefined && !seen.has(t.id)) {
          seen.add(t.id);
          items.push(t);
        }
      }
      if (last === undefined) return { items };
      from = `>${last}`;
      if (complete && items.length < limit) return { items };
    }
    return {
      items,
      ...(last === undefined ? {} : { next: Buffer.from(last, 'utf8').toString('base64url') }),
    };
  }

  /**
   * The head behind a queue row, from the queue cache when the row is the one (same key, same ETag) whose
   * head was read before, for QUEUE_CACHE_MS at most. Every change of an open ticket rewrites its queue row
   * with the new version beside the head (save), so an unchanged row means an unchanged head. A head is kept
   * only when its version is the row's: a row and a head read while a change lands between them disagree,
   * and a row written for a change that failed is ahead of its head; both are read again each time.
   */
  private async queued(row: TableEntityResult<Record<string, unknown>>): Promise<Ticket | null> {
    const id = String(row['ticketId']);
    const rk = row.rowKey ?? '';
    const known = this.queueCache.get(id);
    const version = Number(row['version']);
    // The version too: a store whose ETags were equal for two writes in one instant still tells them apart.
    const wall = (this.o.wallNow ?? Date.now)();
    if (
      known?.rk === rk &&
      known.etag === row.etag &&
      known.ticket.version === version &&
      wall - known.at < QUEUE_CACHE_MS
    ) {
      this.queueCache.delete(id);
      this.queueCache.set(id, known);
      return known.ticket;
    }
    const t = await this.verify(row);
    if (t === null || t.version !== version) {
      this.queueCache.delete(id);
      return t;
    }
    this.queueCache.delete(id);
    this.queueCache.set(id, { rk, etag: row.etag, ticket: t, at: wall });
    if (this.queueCache.size > QUEUE_CACHE) {
      const oldest = this.queueCache.keys().next();
      if (oldest.done !== true) this.queueCache.delete(oldest.value);
    }
    return t;
  }

  /**
   * The head behind an index row if the row is current. A row that does not match its head is stale: deleted
   * at once when of the head's generation or older (no later head has its key), else (a save in flight, or
   * one that failed) or when its ticket never appeared, once older than STALE_GRACE_MS.
   */
  private async verify(row: TableEntityResult<Record<string, unknown>>): Promise<Ticket | null> {
    const stored = await this.load(String(row['tenantId']), String(row['ticketId']));
    const rk = row.rowKey ?? '';
    if (stored !== null) {
      const keys = indexKeys(stored.ticket, stored.indexGen ?? 0);
      if (keys.queue === rk || keys.due === rk) return stored.ticket;
      if (rowGen(rk) <= (stored.indexGen ?? 0)) {
        await this.dropStale(rk);
        return null;
      }
    }
    const age = (this.o.wallNow ?? Date.now)() - Number(row['writtenAt']);
    if (age > STALE_GRACE_MS) await this.dropStale(rk);
    return null;
  }

  async tenantTickets(tenantId: string, limit: number, next?: string): Promise<Page<Ticket>> {
    const from = next === undefined ? 'l|' : `>${Buffer.from(next, 'base64url').toString('utf8')}`;
    const rows = await this.range(this.tickets, tenantPk(tenantId), from, prefixEnd('l|'), limit + 1);
    const items = await this.heads(tenantId, rows.slice(0, limit));
    const last = rows.length > limit ? rows[limit - 1]?.rowKey : undefined;
    return {
      items,
      ...(last === undefined ? {} : { next: Buffer.from(last, 'utf8').toString('base64url') }),
    };
  }

  async tenantOpen(tenantId: string): Promise<Ticket[]> {
    const rows = await this.range(this.tickets, tenantPk(tenantId), 'o|', prefixEnd('o|'), 1000);
    return this.heads(tenantId, rows);
  }

  async tenants(): Promise<string[]> {
    const rows = await this.range(this.index, TENANTS, 'n|', prefixEnd('n|'), 100_000);
    return rows.map((r) => String(r['tenantId']));
  }

  async createdBetween(from: Instant, to: Instant, tenantId?: string): Promise<Ticket[]> {
    const tenants = tenantId === undefined ? await this.tenants() : [tenantId];
    const lists = await Promise.all(
      tenants.map(async (tenant) => {
        // Listing keys run newest first: created in [from, to) lies between these two keys.
        const rows = await this.range(
          this.tickets,
          tenantPk(tenant),
          `l|${newestFirstKey(to - 1)}|`,
          `l|${newestFirstKey(from)}|~`,
          1_000_000,
        );
        return this.heads(tenant, rows);
      }),
    );
    return lists.flat().sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async dueTickets(t: Instant, limit: number): Promise<Ticket[]> {
    const { rows } = await this.shardRange('d|', `d|${timeKey(t)}~`, limit);
    const heads = await Promise.all(rows.map((r) => this.verify(r)));
    return heads.filter((h): h is Ticket => h !== null);
  }

  async dueBefore(t: Instant, limit: number): Promise<DueEntry[]> {
    const { rows } = await this.shardRange('d|', `d|${timeKey(t)}~`, limit);
    return rows.map((r) => ({
      ticketId: String(r['ticketId']),
      tenantId: String(r['tenantId']),
      dueAt: Number(r['dueAt']),
    }));
  }
}
