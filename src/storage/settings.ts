// Shared settings that every app instance must see: the support channel's conversation reference.
// One entity per setting, replaced whole; survives restarts because it lives in Table Storage.
import { RestError, type TableClient } from '@azure/data-tables';

/** Where the support team works: a Teams channel, with what is needed to post new threads in it. */
export interface SupportChannel {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly teamName: string;
  readonly channelName: string;
  readonly setBy: string;
  readonly setAt: number;
}

export interface Settings {
  supportChannel(): Promise<SupportChannel | null>;
  setSupportChannel(channel: SupportChannel): Promise<void>;
  /** Forgets the channel if it belongs to this team (the bot was removed or the team deleted). */
  forgetTeam(teamId: string): Promise<boolean>;
}

const PK = 'settings';
const CHANNEL = 'support-channel';

export class TableSettings implements Settings {
  private cache: { value: SupportChannel | null; at: number } | null = null;

  constructor(
    private readonly table: TableClient,
    /** How long a read is trusted before asking storage again (other instances may change it). */
    private readonly ttlMs = 5_000,
  ) {}

  async supportChannel(): Promise<SupportChannel | null> {
    const now = Date.now();
    if (this.cache !== null && now - this.cache.at < this.ttlMs) return this.cache.value;
    let value: SupportChannel | null = null;
    try {
      const e = await this.table.getEntity<{ doc: string }>(PK, CHANNEL);
      value = JSON.parse(e.doc) as SupportChannel;
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
    }
    this.cache = { value, at: now };
    return value;
  }

  async setSupportChannel(channel: SupportChannel): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: PK, rowKey: CHANNEL, sv: 1, doc: JSON.stringify(channel) },
      'Replace',
    );
    this.cache = { value: channel, at: Date.now() };
  }

  async forgetTeam(teamId: string): Promise<boolean> {
    this.cache = null;
    const current = await this.supportChannel();
    if (current?.teamId !== teamId) return false;
    try {
      await this.table.deleteEntity(PK, CHANNEL);
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
    }
    this.cache = { value: null, at: Date.now() };
    return true;
  }
}
