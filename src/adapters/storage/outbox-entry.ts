// An outbox entry: what it is (its kind, lane and key, its claim and progress) and its rows in the outbox table
// (src/storage/outbox.ts has the layout): the entry row, its ready row while pending, its done row once finished.
import type { TableEntity } from '@azure/data-tables';
import type { Instant } from '../../domain/sla';
import { timeKey } from './keys';

export const OUTBOX_PK = 'ob';
const SCHEMA = 1;

/**
 * warning, page, announce, notice and alarm go to the ticket's thread (its lane is the ticket id); `direct` is a
 * page's 1:1 chat message and `managers` a post in the managers' channel, each in a lane of its own
 * (`<ticket>~chat~<person>`, `<ticket>~managers`), so a failing chat never holds back the thread.
 */
export type OutboxKind =
  'warning' | 'page' | 'announce' | 'direct' | 'notice' | 'alarm' | 'managers' | 'settle';

/** The ticket a lane belongs to. */
export function laneTicket(lane: string): string {
  return lane.split('~')[0] ?? lane;
}

/** The lane of a page's 1:1 chat message to one person. */
export function chatLane(ticketId: string, personId: string): string {
  return `${ticketId}~chat~${personId.replace(/[^A-Za-z0-9-]/g, '_')}`;
}

/** The lane of a ticket's posts in the managers' channel. */
export function managersLane(ticketId: string): string {
  return `${ticketId}~managers`;
}
export type Payload = Readonly<Record<string, string | number | boolean>>;

/** What to schedule. */
export interface NewEntry {
  /** The ticket id (or a lane of its own conversation): entries of one lane go out one after another, in `order`. */
  readonly lane: string;
  /** Unique within the lane: `w|response|075` (`w|r2|response|075` in round 2), `p|<trigger>|1`, `a|<trigger>`. */
  readonly key: string;
  readonly kind: OutboxKind;
  readonly tenantId: string;
  /** When it may be sent (and its place in the lane). */
  readonly order: Instant;
  readonly payload: Payload;
}

/** Sub-steps already done (activity ids), so a retry or a takeover does not send them again. */
export type Progress = Readonly<Record<string, string>>;

export interface OutboxEntry extends NewEntry {
  readonly state: 'pending' | 'done';
  readonly outcome: string;
  readonly readyAt: Instant;
  readonly owner: string;
  readonly leaseUntil: Instant;
  /** Claims so far. */
  readonly attempts: number;
  /** True from a claim until the send's outcome is written: if its owner dies, the outcome is unknown. */
  readonly sending: boolean;
  /** Times an entry was taken over while a send's outcome was unknown (a possible duplicate). */
  readonly inDoubt: number;
  readonly progress: Progress;
  readonly lastError: string;
  readonly createdAt: Instant;
  readonly doneAt: Instant;
  readonly etag: string;
}

/** A pending entry as the ready index shows it (enough to list stuck deliveries without reading entries). */
export interface ReadyRow {
  readonly rowKey: string;
  readonly lane: string;
  readonly key: string;
  readonly readyAt: Instant;
  readonly kind: OutboxKind;
  readonly attempts: number;
  readonly lastError: string;
}

export const entryRk = (lane: string, key: string): string => `e|${lane}|${key}`;
export const readyRk = (at: Instant, lane: string, key: string): string => `r|${timeKey(at)}|${lane}|${key}`;
export const doneRk = (at: Instant, lane: string, key: string): string => `x|${timeKey(at)}|${lane}|${key}`;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return text === '' ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

export function entryFrom(e: Record<string, unknown> & { etag?: string }): OutboxEntry {
  return {
    lane: str(e['lane']),
    key: str(e['key']),
    kind: str(e['kind']) as OutboxKind,
    tenantId: str(e['tenantId']),
    order: num(e['order']),
    payload: parseJson<Payload>(str(e['payload']), {}),
    state: e['state'] === 'done' ? 'done' : 'pending',
    outcome: str(e['outcome']),
    readyAt: num(e['readyAt']),
    owner: str(e['owner']),
    leaseUntil: num(e['leaseUntil']),
    attempts: num(e['attempts']),
    sending: e['sending'] === true,
    inDoubt: num(e['inDoubt']),
    progress: parseJson<Progress>(str(e['progress']), {}),
    lastError: str(e['lastError']),
    createdAt: num(e['createdAt']),
    doneAt: num(e['doneAt']),
    etag: e.etag ?? '',
  };
}

export function entryProps(e: Omit<OutboxEntry, 'etag'>): TableEntity {
  return {
    partitionKey: OUTBOX_PK,
    rowKey: entryRk(e.lane, e.key),
    sv: SCHEMA,
    lane: e.lane,
    key: e.key,
    kind: e.kind,
    tenantId: e.tenantId,
    order: e.order,
    payload: JSON.stringify(e.payload),
    state: e.state,
    outcome: e.outcome,
    readyAt: e.readyAt,
    owner: e.owner,
    leaseUntil: e.leaseUntil,
    attempts: e.attempts,
    sending: e.sending,
    inDoubt: e.inDoubt,
    progress: JSON.stringify(e.progress),
    lastError: e.lastError.slice(0, 1000),
    createdAt: e.createdAt,
    doneAt: e.doneAt,
  };
}

export function readyProps(e: Omit<OutboxEntry, 'etag'>): TableEntity {
  return {
    partitionKey: OUTBOX_PK,
    rowKey: readyRk(e.readyAt, e.lane, e.key),
    sv: SCHEMA,
    lane: e.lane,
    key: e.key,
    kind: e.kind,
    readyAt: e.readyAt,
    attempts: e.attempts,
    lastError: e.lastError.slice(0, 300),
  };
}

/** A pending entry's ready row as read. */
export function readyFrom(e: Record<string, unknown> & { rowKey?: string }): ReadyRow {
  return {
    rowKey: e.rowKey ?? '',
    lane: str(e['lane']),
    key: str(e['key']),
    readyAt: num(e['readyAt']),
    kind: str(e['kind']) as OutboxKind,
    attempts: num(e['attempts']),
    lastError: str(e['lastError']),
  };
}

/** A finished entry's done row (its key says it all). */
export function doneProps(e: Pick<OutboxEntry, 'doneAt' | 'lane' | 'key'>): TableEntity {
  return { partitionKey: OUTBOX_PK, rowKey: doneRk(e.doneAt, e.lane, e.key), sv: SCHEMA };
}

/** A new pending entry. */
export function fresh(entry: NewEntry, now: Instant): Omit<OutboxEntry, 'etag'> {
  return {
    ...entry,
    state: 'pending',
    outcome: '',
    readyAt: entry.order,
    owner: '',
    leaseUntil: 0,
    attempts: 0,
    sending: false,
    inDoubt: 0,
    progress: {},
    lastError: '',
    createdAt: now,
    doneAt: 0,
  };
}

/** Delivery order within a lane: by time, then key. */
export function byOrder(
  a: Pick<OutboxEntry, 'order' | 'key'>,
  b: Pick<OutboxEntry, 'order' | 'key'>,
): number {
  return a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
