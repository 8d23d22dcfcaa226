// The outbox in Table Storage: every message the watcher sends is first an entry here, keyed by what it is
// (ticket, target, threshold) or (page, step), so it exists once however many instances schedule it.
// Layout, one partition `ob` so that an entry and its ready row change in one entity-group transaction:
//   e|<lane>|<key>            the entry (lane = the ticket: its thread's messages go out in order)
//   r|<ready time>|<lane>|<key> a pending entry's next look: when it is due, or when its claim expires
//   x|<done time>|<lane>|<key>  a finished entry, by when it finished: retention deletes the oldest first
//                               (a key range, never a scan of entries); pending entries have none and stay
// Claims are ETag-conditional; a claim moves the ready row to the lease's end, so a crashed instance's
// entries come due again by themselves and are taken over.
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import type { Instant } from '../sla';
import { odata, prefixEnd, timeKey } from './keys';
import { storageStatus } from './status';

const PK = 'ob';
const SCHEMA = 1;

/**
 * warning, page, announce, notice and alarm go to the ticket's thread (its lane is the ticket id); `direct` is a
 * page's 1:1 chat message and `managers` a post in the managers' channel, each in a lane of its own
 * (`<ticket>~chat~<person>`, `<ticket>~managers`), so a failing chat never holds back the thread.
 */
export type OutboxKind = 'warning' | 'page' | 'announce' | 'direct' | 'notice' | 'alarm' | 'managers';

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
  /** Unique within the lane: `w|response|075`, `p|<trigger>|1`, `a|<trigger>`. */
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

const entryRk = (lane: string, key: string): string => `e|${lane}|${key}`;
const readyRk = (at: Instant, lane: string, key: string): string => `r|${timeKey(at)}|${lane}|${key}`;
const doneRk = (at: Instant, lane: string, key: string): string => `x|${timeKey(at)}|${lane}|${key}`;
/** Entries deleted per transaction (two rows each; Table Storage allows 100 actions). */
const PURGE_TX = 40;

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

function entryFrom(e: Record<string, unknown> & { etag?: string }): OutboxEntry {
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

function entryProps(e: Omit<OutboxEntry, 'etag'>): TableEntity {
  return {
    partitionKey: PK,
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

function readyProps(e: Omit<OutboxEntry, 'etag'>): TableEntity {
  return {
    partitionKey: PK,
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

/** A new pending entry. */
function fresh(entry: NewEntry, now: Instant): Omit<OutboxEntry, 'etag'> {
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

/** The outcome of a conditional change: `lost` when another instance changed the entry first. */
export type Changed = { readonly kind: 'ok'; readonly entry: OutboxEntry } | { readonly kind: 'lost' };

export class TableOutbox {
  /** Storage requests made (benchmarks). */
  requests = 0;

  constructor(private readonly table: TableClient) {}

  /**
   * Schedules several entries at once, all or none (one transaction), so that no instance delivering meanwhile
   * sees a later entry of a lane without the earlier ones. If some exist already (another instance scheduled
   * them, or a retry), each is scheduled on its own, in order. Returns how many were new.
   */
  async enqueueAll(entries: readonly NewEntry[], now: Instant): Promise<number> {
    const sorted = [...entries].sort(byOrder);
    if (sorted.length === 0) return 0;
    if (sorted.length > 1 && sorted.length <= 50) {
      this.requests++;
      try {
        await this.table.submitTransaction(
          sorted.flatMap((e): TransactionAction[] => {
            const full = fresh(e, now);
            return [
              ['create', entryProps(full)],
              ['create', readyProps(full)],
            ];
          }),
        );
        return sorted.length;
      } catch (err) {
        if (storageStatus(err) !== 409) throw err;
      }
    }
    let n = 0;
    for (const e of sorted) if (await this.enqueue(e, now)) n++;
    return n;
  }

  /** Schedules an entry; an entry with the same lane and key already scheduled (or sent) is left as it is. */
  async enqueue(entry: NewEntry, now: Instant): Promise<boolean> {
    const full = fresh(entry, now);
    this.requests++;
    try {
      await this.table.submitTransaction([
        ['create', entryProps(full)],
        ['create', readyProps(full)],
      ]);
      return true;
    } catch (err) {
      if (storageStatus(err) === 409) return false;
      throw err;
    }
  }

  async get(lane: string, key: string): Promise<OutboxEntry | null> {
    this.requests++;
    try {
      return entryFrom(await this.table.getEntity(PK, entryRk(lane, key)));
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  /** Ready rows at or before `t`, earliest first. */
  async ready(t: Instant, limit: number): Promise<ReadyRow[]> {
    return this.readyRange('r|', `r|${timeKey(t)}~`, limit);
  }

  /** Every pending entry's ready row (staff's view of what waits; kept small by delivery). */
  async pending(limit = 1000): Promise<ReadyRow[]> {
    return this.readyRange('r|', prefixEnd('r|'), limit);
  }

  private async readyRange(from: string, to: string, limit: number): Promise<ReadyRow[]> {
    const out: ReadyRow[] = [];
    this.requests++;
    const pages = this.table
      .listEntities({
        queryOptions: {
          filter: `PartitionKey eq ${odata(PK)} and RowKey ge ${odata(from)} and RowKey lt ${odata(to)}`,
        },
      })
      .byPage({ maxPageSize: Math.min(1000, limit) });
    for await (const page of pages) {
      for (const e of page) {
        out.push({
          rowKey: e.rowKey ?? '',
          lane: str(e['lane']),
          key: str(e['key']),
          readyAt: num(e['readyAt']),
          kind: str(e['kind']) as OutboxKind,
          attempts: num(e['attempts']),
          lastError: str(e['lastError']),
        });
        if (out.length >= limit) return out;
      }
      this.requests++;
    }
    return out;
  }

  /** The entries of one lane that are not done yet, in delivery order. */
  async lane(lane: string): Promise<OutboxEntry[]> {
    const prefix = `e|${lane}|`;
    const out: OutboxEntry[] = [];
    this.requests++;
    const iter = this.table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(PK)} and RowKey ge ${odata(prefix)} and RowKey lt ${odata(prefixEnd(prefix))} and state eq 'pending'`,
      },
    });
    for await (const e of iter) out.push(entryFrom(e));
    return out.sort(byOrder);
  }

  /**
   * Deletes up to `limit` entries that finished (sent, cancelled, skipped) before `before`, oldest first, with
   * their done rows; returns how many. Reads one key range of the done index (`x|` up to `before`), so its
   * cost follows what it deletes. Pending entries (failing ones included) are never touched.
   */
  async purge(before: Instant, limit: number): Promise<number> {
    const rows: string[] = [];
    this.requests++;
    const pages = this.table
      .listEntities({
        queryOptions: {
          filter: `PartitionKey eq ${odata(PK)} and RowKey ge 'x|' and RowKey lt ${odata(`x|${timeKey(before)}`)}`,
          select: ['RowKey'],
        },
      })
      .byPage({ maxPageSize: Math.min(1000, limit) });
    for await (const page of pages) {
      for (const e of page) if (rows.length < limit) rows.push(e.rowKey ?? '');
      if (rows.length >= limit) break;
      this.requests++;
    }
    let purged = 0;
    for (let i = 0; i < rows.length; i += PURGE_TX) {
      const chunk = rows.slice(i, i + PURGE_TX).flatMap((rk) => {
        // x|<time>|<lane>|<key>: the key itself contains `|`, the lane (a ticket id) does not.
        const [, , lane, ...key] = rk.split('|');
        return lane === undefined || key.length === 0 ? [] : [[rk, entryRk(lane, key.join('|'))] as const];
      });
      const actions: TransactionAction[] = chunk.flatMap(([done, entry]) => [
        ['delete', { partitionKey: PK, rowKey: entry }] as TransactionAction,
        ['delete', { partitionKey: PK, rowKey: done }] as TransactionAction,
      ]);
      if (actions.length === 0) continue;
      this.requests++;
      try {
        await this.table.submitTransaction(actions);
        purged += chunk.length;
      } catch (err) {
        if (storageStatus(err) !== 404) throw err;
        // Another instance deleted some of them first: one by one, what is left.
        for (const [done, entry] of chunk) {
          for (const rk of [entry, done]) await this.dropReady(rk);
          purged++;
        }
      }
    }
    return purged;
  }

  /** Removes a ready row that no longer matches its entry (left by nothing normally; harmless). */
  async dropReady(rowKey: string): Promise<void> {
    this.requests++;
    try {
      await this.table.deleteEntity(PK, rowKey);
    } catch (err) {
      if (storageStatus(err) !== 404) throw err;
    }
  }

  /** Replaces the entry if unchanged since read, moving its ready row in the same transaction. */
  private async change(prev: OutboxEntry, next: Omit<OutboxEntry, 'etag'>): Promise<Changed> {
    const actions: TransactionAction[] = [['update', entryProps(next), 'Replace', { etag: prev.etag }]];
    const oldReady = readyRk(prev.readyAt, prev.lane, prev.key);
    const newReady = next.state === 'pending' ? readyRk(next.readyAt, next.lane, next.key) : null;
    if (prev.state === 'pending' && newReady !== oldReady)
      actions.push(['delete', { partitionKey: PK, rowKey: oldReady }]);
    if (newReady !== null) actions.push(['upsert', readyProps(next), 'Replace']);
    if (prev.state === 'pending' && next.state === 'done')
      actions.push([
        'upsert',
        { partitionKey: PK, rowKey: doneRk(next.doneAt, next.lane, next.key), sv: SCHEMA },
        'Replace',
      ]);
    return this.submit(actions, next, true);
  }

  private async submit(
    actions: TransactionAction[],
    next: Omit<OutboxEntry, 'etag'>,
    again: boolean,
  ): Promise<Changed> {
    this.requests++;
    try {
      const res = await this.table.submitTransaction(actions);
      const etag = res.subResponses[0]?.etag;
      if (etag !== undefined) return { kind: 'ok', entry: { ...next, etag } };
      const read = await this.get(next.lane, next.key);
      return read === null ? { kind: 'lost' } : { kind: 'ok', entry: read };
    } catch (err) {
      const status = storageStatus(err);
      // A ready row already gone (a cleanup raced us): the same change without deleting it.
      if (status === 404 && again)
        return this.submit(
          actions.filter((a) => a[0] !== 'delete'),
          next,
          false,
        );
      if (status === 412 || status === 404 || status === 409) return { kind: 'lost' };
      throw err;
    }
  }

  /**
   * Claims a pending entry for `owner` until `leaseUntil`: its ready row moves to the lease's end, so if the
   * owner dies the entry comes due again. `sending` is set: until the outcome is written, it is in doubt.
   */
  claim(entry: OutboxEntry, owner: string, leaseUntil: Instant): Promise<Changed> {
    return this.change(entry, {
      ...entry,
      owner,
      leaseUntil,
      readyAt: leaseUntil,
      attempts: entry.attempts + 1,
      sending: true,
      inDoubt: entry.inDoubt + (entry.sending ? 1 : 0),
    });
  }

  /** Records sub-steps done under a claim (e.g. the thread post before the 1:1 message). */
  progress(entry: OutboxEntry, progress: Progress): Promise<Changed> {
    return this.change(entry, { ...entry, progress: { ...entry.progress, ...progress } });
  }

  /** Marks the entry done: sent, cancelled (acknowledged, met) or skipped. Its ready row goes. */
  complete(entry: OutboxEntry, outcome: string, now: Instant, progress: Progress = {}): Promise<Changed> {
    return this.change(entry, {
      ...entry,
      state: 'done',
      outcome,
      owner: '',
      sending: false,
      doneAt: now,
      lastError: '',
      progress: { ...entry.progress, ...progress },
    });
  }

  /**
   * Gives the entry back after a failed attempt, due again at `at`. `unknown`: the failure left no answer (a
   * broken connection), so the send may have happened and the entry stays in doubt.
   */
  retryAt(entry: OutboxEntry, at: Instant, error: string, unknown = false): Promise<Changed> {
    return this.change(entry, {
      ...entry,
      owner: '',
      sending: unknown,
      readyAt: at,
      leaseUntil: 0,
      lastError: error,
    });
  }
}

/** Delivery order within a lane: by time, then key. */
export function byOrder(
  a: Pick<OutboxEntry, 'order' | 'key'>,
  b: Pick<OutboxEntry, 'order' | 'key'>,
): number {
  return a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
