// Attachment records in their own table: partition `<tenantId>|<ticketId>`, row the attachment id. Written
// after the blob is complete; a deletion marks the row (ETag-guarded: one remover wins) and keeps it as the record.
import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import type { Attachment, Removal } from '../../domain/attachments/model';
import type { AttachmentRows } from '../../domain/attachments/ports';
import { lostRace, storageStatus } from './kit/status';

const SV = 1;

function pk(tenantId: string, ticketId: string): string {
  return `${tenantId}|${ticketId}`;
}

type Row = TableEntity<{ sv: number; doc: string; deleted: boolean }>;

function toRow(a: Attachment): Row {
  return {
    partitionKey: pk(a.tenantId, a.ticketId),
    rowKey: a.id,
    sv: SV,
    doc: JSON.stringify(a),
    deleted: a.deleted !== undefined,
  };
}

function fromRow(e: { doc?: unknown }): Attachment {
  if (typeof e.doc !== 'string') throw new Error('attachment row without its record');
  return JSON.parse(e.doc) as Attachment;
}

export class TableAttachmentRows implements AttachmentRows {
  constructor(private readonly table: TableClient) {}

  async insert(a: Attachment): Promise<void> {
    await this.table.createEntity(toRow(a));
  }

  async list(tenantId: string, ticketId: string): Promise<Attachment[]> {
    const out: Attachment[] = [];
    const filter = odata`PartitionKey eq ${pk(tenantId, ticketId)}`;
    for await (const e of this.table.listEntities<Row>({ queryOptions: { filter } })) out.push(fromRow(e));
    return out.sort((x, y) => x.addedAt - y.addedAt || x.seq - y.seq);
  }

  async get(tenantId: string, ticketId: string, id: string): Promise<Attachment | null> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) return null;
    try {
      return fromRow(await this.table.getEntity<Row>(pk(tenantId, ticketId), id));
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async markDeleted(a: Attachment, removal: Removal): Promise<boolean> {
    let etag: string;
    try {
      const e = await this.table.getEntity<Row>(pk(a.tenantId, a.ticketId), a.id);
      if (fromRow(e).deleted !== undefined) return false;
      etag = e.etag;
    } catch (err) {
      if (storageStatus(err) === 404) return false;
      throw err;
    }
    try {
      await this.table.updateEntity(toRow({ ...a, deleted: removal }), 'Replace', { etag });
      return true;
    } catch (err) {
      if (lostRace(err)) return false;
      throw err;
    }
  }

  async *live(): AsyncIterable<Attachment> {
    const filter = odata`deleted eq ${false}`;
    for await (const e of this.table.listEntities<Row>({ queryOptions: { filter } })) yield fromRow(e);
  }
}
