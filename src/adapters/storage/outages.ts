// Outages in Azure Table Storage, and the claim markers that make monthly notices go out once.
//   outages  PK out    RK o|<id> the outage (head) · h|<id>|<seq> one history row each · a|<action id> applied
//            PK meta   RK outage-seq: the id counter (ETag-conditional increments)
//            PK marks  RK <notice key>: claimed/sent markers (lease rows: create-if-absent, then ETag-conditional)
// A change is one entity-group transaction conditional on the head's ETag: two people changing an outage at
// once cannot both win, and the head never exists without its history rows.
import { type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { Instant } from '../../domain/sla';
import type { Outage, OutageChange } from '../../domain/outages/model';
import type { NoticeMarks, OutageRepo, OutageSaveOutcome, StoredOutage } from '../../domain/outages/ports';
import { MAX_PROPERTY_CHARS } from './entities';
import { keyPart, odata, timeKey } from './keys';
import { advanceCounter } from './kit/contention';
import { LeaseRows, leaseLive } from './kit/lease';
import { readRange } from './kit/range';
import { storageStatus } from './kit/status';

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
  nextId(): Promise<string> {
    const counter = { pk: META, rk: SEQ, sv: 1, first: this.o.firstNumber ?? 1 };
    return advanceCounter(this.table, counter, [412], async ({ next, etag }) => {
      await this.table.updateEntity({ partitionKey: META, rowKey: SEQ, sv: 1, next: next + 1 }, 'Replace', {
        etag,
      });
      return `${this.o.prefix ?? 'OUT'}-${next}`;
    });
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
    const rows = await readRange(this.table, { pk: PK, from: `h|${id}|`, to: `h|${id}}` });
    return rows.map(changeFrom).sort((a, b) => a.seq - b.seq);
  }

  private async heads(extra: string): Promise<Outage[]> {
    const rows = await readRange(this.table, { pk: PK, from: 'o|', to: 'o}', where: extra });
    return rows.map(outageFrom).sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  }

  overlapping(from: Instant, to: Instant): Promise<Outage[]> {
    return this.heads(`startKey lt ${odata(timeKey(to))} and endKey gt ${odata(timeKey(from))}`);
  }

  ongoing(): Promise<Outage[]> {
    return this.heads(`endKey eq ${odata(OPEN_END)}`);
  }
}

/**
 * Notice markers, lease rows: a notice is claimed by creating its row (`claimed`, by whom, when), or by taking
 * over a claim older than the lease (its sender died before confirming); `sent` rows are never taken.
 */
export class TableNoticeMarks implements NoticeMarks {
  private readonly rows: LeaseRows;

  constructor(table: TableClient) {
    this.rows = new LeaseRows(table, MARKS);
  }

  claim(key: string, owner: string, now: Instant, leaseMs: number): Promise<boolean> {
    return this.rows.acquire(keyPart(key), { sv: 1, state: 'claimed', owner, at: now }, (held) =>
      held['state'] === 'sent' || leaseLive(Number(held['at']) + leaseMs, now) ? 'busy' : 'take',
    );
  }

  async done(key: string, owner: string, now: Instant): Promise<void> {
    await this.rows.put(keyPart(key), { sv: 1, state: 'sent', owner, at: now });
  }

  async release(key: string, owner: string): Promise<void> {
    await this.rows.release(keyPart(key), (held) => held['owner'] === owner && held['state'] === 'claimed');
  }

  async state(key: string): Promise<'sent' | 'claimed' | null> {
    const held = await this.rows.read(keyPart(key));
    if (held === null) return null;
    return held['state'] === 'sent' ? 'sent' : 'claimed';
  }
}
