// Outages in Azure Table Storage, and the claim markers that make monthly notices go out once.
//   outages  PK out    RK o|<id> the outage (head) · h|<id>|<seq> one history row each · a|<action id> applied
//            PK meta   RK outage-seq: the id counter (ETag-conditional increments)
//            PK marks  RK <notice key>: claimed/sent markers (create-if-absent, then ETag-conditional)
// A change is one entity-group transaction conditional on the head's ETag: two people changing an outage at
// once cannot both win, and the head never exists without its history rows.
import { type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { Instant } from '../sla';
import type { Outage, OutageChange } from '../outages/model';
import type { NoticeMarks, OutageRepo, OutageSaveOutcome, StoredOutage } from '../outages/ports';
import { MAX_PROPERTY_CHARS } from './entities';
import { keyPart, odata, timeKey } from './keys';
import { storageStatus } from './status';

const PK = 'out';
const META = 'meta';
const SEQ = 'outage-seq';
const MARKS = 'marks';
/** Schema version of outage heads and history rows. */
export const OUTAGE_SCHEMA = 1;
const OPEN_END = '9999999999999';

const headRk = (id: string): string => `o|${id}`;
const historyRk = (id: string, seq: number): string => `h|${id}|${seq.toString().padStart(6, '0')}`;
const actionRk = (actionId: string): string => `a|${keyPart(actionId.slice(0, 200))}`;

type Entity = TableEntityResult<Record<string, unknown>>;

function sized(kind: string, doc: string): string {
  if (doc.length > MAX_PROPERTY_CHARS)
    throw new Error(`${kind} is ${doc.length} characters; at most ${MAX_PROPERTY_CHARS} fit`);
  return doc;
}

function headProps(o: Outage): Record<string, string | number | boolean> {
  return {
    sv: OUTAGE_SCHEMA,
    doc: sized(`outage ${o.id}`, JSON.stringify(o)),
    startKey: timeKey(o.start),
    endKey: o.end === null ? OPEN_END : timeKey(o.end),
    version: o.version,
  };
}

function outageFrom(e: Entity): Outage {
  const sv = Number(e['sv'] ?? 1);
  if (sv > OUTAGE_SCHEMA) throw new Error(`outage entity ${e.rowKey} has schema ${sv}, newer than this app`);
  return JSON.parse(String(e['doc'])) as Outage;
}

function changeFrom(e: Entity): OutageChange {
  return JSON.parse(String(e['doc'])) as OutageChange;
}

export class TableOutageRepo implements OutageRepo {
  constructor(
    private readonly table: TableClient,
    private readonly o: {
      readonly prefix?: string;
      readonly firstNumber?: number;
      readonly now: () => Instant;
    },
  ) {}

  /** The next number of the shared counter, with an ETag-conditional increment (outages are rare: one at a time). */
  async nextId(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        const e = await this.table.getEntity<{ next: number }>(META, SEQ);
        await this.table.updateEntity(
          { partitionKey: META, rowKey: SEQ, sv: 1, next: e.next + 1 },
          'Replace',
          {
            etag: e.etag,
          },
        );
        return `${this.o.prefix ?? 'OUT'}-${e.next}`;
      } catch (err) {
        const status = storageStatus(err);
        if (status === 404) {
          try {
            await this.table.createEntity({
              partitionKey: META,
              rowKey: SEQ,
              sv: 1,
              next: this.o.firstNumber ?? 1,
            });
          } catch (createErr) {
            if (storageStatus(createErr) !== 409) throw createErr;
          }
          continue;
        }
        if (status !== 412 || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
  }

  private historyActions(changes: readonly OutageChange[]): TransactionAction[] {
    return changes.map((c) => [
      'create',
      {
        partitionKey: PK,
        rowKey: historyRk(c.outageId, c.seq),
        sv: OUTAGE_SCHEMA,
        at: c.at,
        type: c.type,
        doc: sized(`history ${c.outageId}#${c.seq}`, JSON.stringify(c)),
      },
    ]);
  }

  private actionAction(actionId: string | undefined, outageId: string): TransactionAction[] {
    if (actionId === undefined) return [];
    return [['create', { partitionKey: PK, rowKey: actionRk(actionId), sv: 1, outageId, at: this.o.now() }]];
  }

  async applied(actionId: string | undefined): Promise<string | null> {
    if (actionId === undefined) return null;
    try {
      const e = await this.table.getEntity<{ outageId: string }>(PK, actionRk(actionId));
      return e.outageId;
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async insert(
    outage: Outage,
    changes: readonly OutageChange[],
    actionId?: string,
  ): Promise<OutageSaveOutcome> {
    const done = await this.applied(actionId);
    if (done !== null) return { kind: 'duplicate-action', outageId: done };
    const actions: TransactionAction[] = [
      ['create', { partitionKey: PK, rowKey: headRk(outage.id), ...headProps(outage) }],
      ...this.historyActions(changes),
      ...this.actionAction(actionId, outage.id),
    ];
    try {
      const res = await this.table.submitTransaction(actions);
      const etag = res.subResponses[0]?.etag;
      if (etag !== undefined) return { kind: 'saved', stored: { outage, etag } };
    } catch (err) {
      if (storageStatus(err) !== 409) throw err;
      const again = await this.applied(actionId);
      if (again !== null) return { kind: 'duplicate-action', outageId: again };
      return { kind: 'conflict' };
    }
    const stored = await this.load(outage.id);
    if (stored === null) throw new Error(`outage ${outage.id} vanished after it was saved`);
    return { kind: 'saved', stored };
  }

  async load(id: string): Promise<StoredOutage | null> {
    try {
      const e = await this.table.getEntity(PK, headRk(id));
      return { outage: outageFrom(e), etag: e.etag };
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async save(
    prev: StoredOutage,
    next: Outage,
    changes: readonly OutageChange[],
    actionId?: string,
  ): Promise<OutageSaveOutcome> {
    const actions: TransactionAction[] = [
      [
        'update',
        { partitionKey: PK, rowKey: headRk(next.id), ...headProps(next) },
        'Replace',
        { etag: prev.etag },
      ],
      ...this.historyActions(changes),
      ...this.actionAction(actionId, next.id),
    ];
    let etag: string | undefined;
    try {
      const res = await this.table.submitTransaction(actions);
      etag = res.subResponses[0]?.etag;
    } catch (err) {
      const status = storageStatus(err);
      if (status === 412 || status === 409 || status === 404) {
        if (status === 409) {
          const done = await this.applied(actionId);
          if (done !== null) return { kind: 'duplicate-action', outageId: done };
        }
        return { kind: 'conflict' };
      }
      throw err;
    }
    if (etag === undefined) {
      const reread = await this.load(next.id);
      if (reread === null) throw new Error(`outage ${next.id} vanished after it was saved`);
      return { kind: 'saved', stored: reread };
    }
    return { kind: 'saved', stored: { outage: next, etag } };
  }

  async history(id: string): Promise<OutageChange[]> {
    const out: OutageChange[] = [];
    const rows = this.table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(PK)} and RowKey ge ${odata(`h|${id}|`)} and RowKey lt ${odata(`h|${id}}`)}`,
      },
    });
    for await (const r of rows) out.push(changeFrom(r));
    return out.sort((a, b) => a.seq - b.seq);
  }

  private async heads(extra: string): Promise<Outage[]> {
    const out: Outage[] = [];
    const rows = this.table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq ${odata(PK)} and RowKey ge 'o|' and RowKey lt 'o}' and ${extra}`,
      },
    });
    for await (const r of rows) out.push(outageFrom(r));
    return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  }

  overlapping(from: Instant, to: Instant): Promise<Outage[]> {
    return this.heads(`startKey lt ${odata(timeKey(to))} and endKey gt ${odata(timeKey(from))}`);
  }

  ongoing(): Promise<Outage[]> {
    return this.heads(`endKey eq ${odata(OPEN_END)}`);
  }
}

/** Notice markers: a create that fails with 409 means someone else holds (or sent) the notice. */
export class TableNoticeMarks implements NoticeMarks {
  constructor(private readonly table: TableClient) {}

  async claim(key: string, owner: string, now: Instant, leaseMs: number): Promise<boolean> {
    const rowKey = keyPart(key);
    try {
      await this.table.createEntity({ partitionKey: MARKS, rowKey, sv: 1, state: 'claimed', owner, at: now });
      return true;
    } catch (err) {
      if (storageStatus(err) !== 409) throw err;
    }
    // Taken: by a sender that finished, one still at it, or one that died before confirming.
    let e: Entity;
    try {
      e = await this.table.getEntity(MARKS, rowKey);
    } catch (err) {
      if (storageStatus(err) === 404) return this.claim(key, owner, now, leaseMs);
      throw err;
    }
    if (e['state'] === 'sent' || now - Number(e['at']) < leaseMs) return false;
    try {
      await this.table.updateEntity(
        { partitionKey: MARKS, rowKey, sv: 1, state: 'claimed', owner, at: now },
        'Replace',
        {
          etag: e.etag,
        },
      );
      return true;
    } catch (err) {
      if (storageStatus(err) === 412 || storageStatus(err) === 404) return false;
      throw err;
    }
  }

  async done(key: string, owner: string, now: Instant): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: MARKS, rowKey: keyPart(key), sv: 1, state: 'sent', owner, at: now },
      'Replace',
    );
  }

  async release(key: string, owner: string): Promise<void> {
    try {
      const e = await this.table.getEntity(MARKS, keyPart(key));
      if (e['owner'] !== owner || e['state'] !== 'claimed') return;
      await this.table.deleteEntity(MARKS, keyPart(key), { etag: e.etag });
    } catch (err) {
      if (storageStatus(err) !== 404 && storageStatus(err) !== 412) throw err;
    }
  }

  async state(key: string): Promise<'sent' | 'claimed' | null> {
    try {
      const e = await this.table.getEntity(MARKS, keyPart(key));
      return e['state'] === 'sent' ? 'sent' : 'claimed';
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }
}
