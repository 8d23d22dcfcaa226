// The outbox in Table Storage: every message the watcher sends is first an entry here, keyed by what it is
// (ticket, target, threshold) or (page, step), so it exists once however many instances schedule it.
// Layout, one partition `ob` so that an entry and its ready row change in one entity-group transaction:
//   e|<lane>|<key>            the entry (lane = the ticket: its thread's messages go out in order)
//   r|<ready time>|<lane>|<key> a pending entry's next look: when it is due, or when its claim expires
//   x|<done time>|<lane>|<key>  a finished entry, by when it finished: retention deletes the oldest first
//                               (a key range, never a scan of entries); pending entries have none and stay
// A claim is a lease the entry holds (owner, leaseUntil), taken by ETag (kit/lease.ts); it moves the ready
// row to the lease's end, so a crashed instance's entries come due again by themselves and are taken over.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Instant } from '../../domain/sla';
import { prefixEnd, timeKey } from './keys';
import { replaceByEtag } from './kit/lease';
import { readRange } from './kit/range';
import { storageStatus } from './kit/status';
import {
  byOrder,
  doneProps,
  entryFrom,
  entryProps,
  entryRk,
  fresh,
  OUTBOX_PK as PK,
  readyFrom,
  readyProps,
  readyRk,
  type NewEntry,
  type OutboxEntry,
  type Progress,
  type ReadyRow,
} from './outbox-entry';

export { byOrder, chatLane, laneTicket, managersLane } from './outbox-entry';
export type { NewEntry, OutboxEntry, OutboxKind, Payload, Progress, ReadyRow } from './outbox-entry';

/** Entries deleted per transaction (two rows each; Table Storage allows 100 actions). */
const PURGE_TX = 40;

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
    this.requests++;
    const rows = await readRange(this.table, { pk: PK, from, to, limit, onPage: () => this.requests++ });
    return rows.map(readyFrom);
  }

  /** The entries of one lane that are not done yet, in delivery order. */
  async lane(lane: string): Promise<OutboxEntry[]> {
    const prefix = `e|${lane}|`;
    this.requests++;
    const rows = await readRange(this.table, {
      pk: PK,
      from: prefix,
      to: prefixEnd(prefix),
      where: `state eq 'pending'`,
    });
    return rows.map(entryFrom).sort(byOrder);
  }

  /**
   * Deletes up to `limit` entries that finished (sent, cancelled, skipped) before `before`, oldest first, with
   * their done rows; returns how many. Reads one key range of the done index (`x|` up to `before`), so its
   * cost follows what it deletes. Pending entries (failing ones included) are never touched.
   */
  async purge(before: Instant, limit: number): Promise<number> {
    this.requests++;
    const rows = (
      await readRange(this.table, {
        pk: PK,
        from: 'x|',
        to: `x|${timeKey(before)}`,
        select: ['RowKey'],
        limit,
        onPage: () => this.requests++,
      })
    ).map((e) => e.rowKey ?? '');
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
    const also: TransactionAction[] = [];
    const oldReady = readyRk(prev.readyAt, prev.lane, prev.key);
    const newReady = next.state === 'pending' ? readyRk(next.readyAt, next.lane, next.key) : null;
    if (prev.state === 'pending' && newReady !== oldReady)
      also.push(['delete', { partitionKey: PK, rowKey: oldReady }]);
    if (newReady !== null) also.push(['upsert', readyProps(next), 'Replace']);
    if (prev.state === 'pending' && next.state === 'done') also.push(['upsert', doneProps(next), 'Replace']);
    this.requests++;
    let r = await replaceByEtag(this.table, entryProps(next), prev.etag, also);
    // A ready row already gone (a cleanup raced us): the same change without deleting it.
    if (r.kind === 'lost' && r.status === 404) {
      this.requests++;
      r = await replaceByEtag(
        this.table,
        entryProps(next),
        prev.etag,
        also.filter((a) => a[0] !== 'delete'),
      );
    }
    if (r.kind === 'lost') return { kind: 'lost' };
    if (r.etag !== undefined) return { kind: 'ok', entry: { ...next, etag: r.etag } };
    const read = await this.get(next.lane, next.key);
    return read === null ? { kind: 'lost' } : { kind: 'ok', entry: read };
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
