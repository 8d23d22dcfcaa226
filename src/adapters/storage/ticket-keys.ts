// The keys of the tickets and ticketindex tables (docs/storage.md):
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
import type { Ticket } from '../../domain/tickets/model';
import { OPEN_STATUSES } from '../../domain/tickets/model';
import { keyPart, newestFirstKey, timeKey } from './keys';

/**
 * The cross-tenant index is spread over this many partitions: one partition takes every change of every
 * ticket otherwise, which Azure caps (about 2,000 entities a second per partition) and Azurite slows down
 * on (it scans a partition to find a row). Readers merge the shards. Changing it needs a re-index.
 */
export const INDEX_SHARDS = 8;
/** The partition of the index before it was sharded; `upgradeIndex` moves what it still holds. */
export const OLD_IDX = 'idx';
export const TENANTS = 'tenants';
/** Schema version of index, request, action and counter rows. */
export const INDEX_SCHEMA = 1;
export const META = 'meta';
export const SEQ = 'ticket-seq';

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
export const rowPk = (rk: string): string => indexPk(rowId(rk));
/** The index generation in an index row's key (0: a row written before generations). */
export const rowGen = (rk: string): number => Number(rk.split('|')[3] ?? 0) || 0;
export const headRk = (id: string): string => `t|${id}`;
export const eventRk = (id: string, seq: number): string => `e|${id}|${seq.toString().padStart(6, '0')}`;
export const listRk = (t: Ticket): string => `l|${newestFirstKey(t.createdAt)}|${t.id}`;
export const openRk = (id: string): string => `o|${id}`;
export const requestRk = (requestId: string): string => `r|${keyPart(requestId)}`;
export const idRk = (id: string): string => `i|${id}`;
export const tenantRk = (tenantId: string): string => `n|${keyPart(tenantId)}`;
/** Ids are numbers below this; block keys count down from it so the first key at or after a number's is its block. */
export const MAX_NUMBER = 999_999_999_999;
export const blockRk = (first: number): string => `b|${String(MAX_NUMBER - first).padStart(12, '0')}`;
export const numberOf = (id: string): number => Number(id.slice(id.lastIndexOf('-') + 1));

/** A page cursor: the last row key a page read, base64url. */
export const toCursor = (rk: string): string => Buffer.from(rk, 'utf8').toString('base64url');
export const fromCursor = (next: string): string => Buffer.from(next, 'base64url').toString('utf8');

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
export function movesIndex(prev: Ticket, next: Ticket): boolean {
  const a = indexKeys(prev);
  const b = indexKeys(next);
  return a.queue !== b.queue || a.due !== b.due;
}
