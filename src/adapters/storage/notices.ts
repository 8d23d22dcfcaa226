// Which customer notices reached the customer's chat: one small entity per (ticket, event), written after
// Teams accepted the message, so a notice an instance crashed before sending can be found and sent later.
import type { TableClient } from '@azure/data-tables';
import { keyPart } from './keys';
import { storageStatus } from './kit/status';

const PK = 'notices';

export interface NoticeLog {
  delivered(ticketId: string, seq: number): Promise<void>;
  wasDelivered(ticketId: string, seq: number): Promise<boolean>;
}

export class TableNoticeLog implements NoticeLog {
  constructor(private readonly table: TableClient) {}

  async delivered(ticketId: string, seq: number): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: PK,
        rowKey: `${keyPart(ticketId)}|${String(seq).padStart(6, '0')}`,
        sv: 1,
        at: Date.now(),
      },
      'Replace',
    );
  }

  async wasDelivered(ticketId: string, seq: number): Promise<boolean> {
    try {
      await this.table.getEntity(PK, `${keyPart(ticketId)}|${String(seq).padStart(6, '0')}`);
      return true;
    } catch (err) {
      if (storageStatus(err) === 404) return false;
      throw err;
    }
  }
}
