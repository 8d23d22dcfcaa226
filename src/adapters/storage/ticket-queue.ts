// Reading the cross-tenant index: the open queue (by next deadline, every tenant) and what is due before a
// time (the watcher). Each row is checked against its ticket's head: readers delete rows of the head's
// generation or older that do not match it, and rows of a later generation (a save in flight, or one that
// failed) once older than STALE_GRACE_MS. Every change of an open ticket rewrites its queue row with the
// ticket, so the row's ETag changes with the head: the queue keeps the heads it read with their rows' ETags
// and reads again only the rows that changed.
import type { Instant } from '../../domain/sla';
import type { Ticket } from '../../domain/tickets/model';
import type { DueEntry, Page, StoredTicket } from '../../domain/tickets/ports';
import { prefixEnd, timeKey } from './keys';
import type { Row } from './kit/range';
import type { TicketIndex } from './ticket-index';
import { fromCursor, INDEX_SHARDS, indexKeys, rowGen, toCursor } from './ticket-keys';

/**
 * Real ms after which readers delete an index row of a later generation than its ticket's head, or whose
 * ticket never appeared: a save in flight (index rows, then the ticket, storage retries included) is younger.
 */
export const STALE_GRACE_MS = 5 * 60_000;
/** Queue rows whose heads are kept: a few pages of the open queue. */
const QUEUE_CACHE = 5_000;
/**
 * Real ms a kept head is used for, at most. A change rewrites its queue row beside the ticket; should that
 * rewrite be lost (the instance dies between the two), other instances read the head again after this long.
 */
export const QUEUE_CACHE_MS = 5 * 60_000;

export class TicketQueue {
  /** Queue rows and the heads read for them, by ticket id, least recently used first (see `queued`). */
  private readonly cache = new Map<string, { rk: string; etag: string; ticket: Ticket; at: number }>();

  constructor(
    private readonly index: TicketIndex,
    /** A ticket's head, as the repository reads it. */
    private readonly load: (tenantId: string, id: string) => Promise<StoredTicket | null>,
  ) {}

  async openQueue(limit: number, next?: string): Promise<Page<Ticket>> {
    const items: Ticket[] = [];
    let range = next === undefined ? { from: 'q|', after: false } : { from: fromCursor(next), after: true };
    let last: string | undefined;
    const seen = new Set<string>();
    while (items.length < limit) {
      const want = limit - items.length;
      // Each shard holds about 1/INDEX_SHARDS of the page: asking each for twice that (and a few more) gives
      // the whole page in one round but for rare skew, without reading every shard's `want` rows.
      const { rows, complete } = await this.index.shardRange(
        { ...range, to: prefixEnd('q|') },
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
      range = { from: last, after: true };
      if (complete && items.length < limit) return { items };
    }
    return { items, ...(last === undefined ? {} : { next: toCursor(last) }) };
  }

  /**
   * The head behind a queue row, from the queue cache when the row is the one (same key, same ETag) whose
   * head was read before, for QUEUE_CACHE_MS at most. Every change of an open ticket rewrites its queue row
   * with the new version beside the head (save), so an unchanged row means an unchanged head. A head is kept
   * only when its version is the row's: a row and a head read while a change lands between them disagree,
   * and a row written for a change that failed is ahead of its head; both are read again each time.
   */
  private async queued(row: Row): Promise<Ticket | null> {
    const id = String(row['ticketId']);
    const rk = row.rowKey ?? '';
    const known = this.cache.get(id);
    const version = Number(row['version']);
    // The version too: a store whose ETags were equal for two writes in one instant still tells them apart.
    const wall = this.index.wallNow();
    if (
      known?.rk === rk &&
      known.etag === row.etag &&
      known.ticket.version === version &&
      wall - known.at < QUEUE_CACHE_MS
    ) {
      this.cache.delete(id);
      this.cache.set(id, known);
      return known.ticket;
    }
    const t = await this.verify(row);
    if (t === null || t.version !== version) {
      this.cache.delete(id);
      return t;
    }
    this.cache.delete(id);
    this.cache.set(id, { rk, etag: row.etag, ticket: t, at: wall });
    if (this.cache.size > QUEUE_CACHE) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    return t;
  }

  /**
   * The head behind an index row if the row is current. A row that does not match its head is stale: deleted
   * at once when of the head's generation or older (no later head has its key), else (a save in flight, or
   * one that failed) or when its ticket never appeared, once older than STALE_GRACE_MS.
   */
  private async verify(row: Row): Promise<Ticket | null> {
    const stored = await this.load(String(row['tenantId']), String(row['ticketId']));
    const rk = row.rowKey ?? '';
    if (stored !== null) {
      const keys = indexKeys(stored.ticket, stored.indexGen ?? 0);
      if (keys.queue === rk || keys.due === rk) return stored.ticket;
      if (rowGen(rk) <= (stored.indexGen ?? 0)) {
        await this.index.retire([rk]);
        return null;
      }
    }
    const age = this.index.wallNow() - Number(row['writtenAt']);
    if (age > STALE_GRACE_MS) await this.index.retire([rk]);
    return null;
  }

  async dueTickets(t: Instant, limit: number): Promise<Ticket[]> {
    const { rows } = await this.index.shardRange({ from: 'd|', to: `d|${timeKey(t)}~` }, limit);
    const heads = await Promise.all(rows.map((r) => this.verify(r)));
    return heads.filter((h): h is Ticket => h !== null);
  }

  async dueBefore(t: Instant, limit: number): Promise<DueEntry[]> {
    const { rows } = await this.index.shardRange({ from: 'd|', to: `d|${timeKey(t)}~` }, limit);
    return rows.map((r) => ({
      ticketId: String(r['ticketId']),
      tenantId: String(r['tenantId']),
      dueAt: Number(r['dueAt']),
    }));
  }
}
