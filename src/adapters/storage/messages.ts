// Which ticket a message the bot sent in a customer's chat was about, so that a reply to that message
// (Teams' reply/quote) goes to the right ticket. One small row per message in the customer's tenant
// partition of the tickets table, so a ticket's first one is written in the same transaction as the ticket.
import type { TableClient } from '@azure/data-tables';
import type { MessageRef } from '../../domain/tickets/ports';
import { messageRowKey } from './keys';
import { tenantPk } from './ticket-keys';
import { storageStatus } from './kit/status';

export interface MessageRefs {
  remember(tenantId: string, message: MessageRef, ticketId: string): Promise<void>;
  /** The ticket a message of this tenant's chat was about; null for an unknown message. */
  ticketOf(tenantId: string, message: MessageRef): Promise<string | null>;
}

export class TableMessageRefs implements MessageRefs {
  constructor(private readonly table: TableClient) {}

  async remember(tenantId: string, message: MessageRef, ticketId: string): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: tenantPk(tenantId),
        rowKey: messageRowKey(message.conversationId, message.activityId),
        sv: 1,
        ticketId,
      },
      'Replace',
    );
  }

  async ticketOf(tenantId: string, message: MessageRef): Promise<string | null> {
    try {
      const e = await this.table.getEntity<{ ticketId: string }>(
        tenantPk(tenantId),
        messageRowKey(message.conversationId, message.activityId),
      );
      return e.ticketId;
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }
}
