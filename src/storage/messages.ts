// Which ticket a message the bot sent in a customer's chat was about, so that a reply to that message
// (Teams' reply/quote) goes to the right ticket. One small entity per message, keyed by conversation.
import { RestError, type TableClient } from '@azure/data-tables';
import { keyPart } from './keys';

export interface MessageRefs {
  remember(conversationId: string, activityId: string, ticketId: string): Promise<void>;
  ticketOf(conversationId: string, activityId: string): Promise<string | null>;
}

export class TableMessageRefs implements MessageRefs {
  constructor(private readonly table: TableClient) {}

  async remember(conversationId: string, activityId: string, ticketId: string): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: `m_${keyPart(conversationId).slice(0, 700)}`,
        rowKey: keyPart(activityId).slice(0, 500),
        sv: 1,
        ticketId,
      },
      'Replace',
    );
  }

  async ticketOf(conversationId: string, activityId: string): Promise<string | null> {
    try {
      const e = await this.table.getEntity<{ ticketId: string }>(
        `m_${keyPart(conversationId).slice(0, 700)}`,
        keyPart(activityId).slice(0, 500),
      );
      return e.ticketId;
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return null;
      throw err;
    }
  }
}
