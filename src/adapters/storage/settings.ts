// Shared settings that every app instance must see: the support and managers' channels' conversation references.
// One entity per setting, replaced whole; survives restarts because it lives in Table Storage.
import type { TableClient } from '@azure/data-tables';
import { storageStatus } from './kit/status';

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
  /** Forgets the channels that belong to this team (the bot was removed or the team deleted). */
  forgetTeam(teamId: string): Promise<boolean>;
  /** Where managers get availability summaries and budget warnings; null when none was chosen. */
  managersChannel(): Promise<SupportChannel | null>;
  setManagersChannel(channel: SupportChannel): Promise<void>;
}

const PK = 'settings';
const CHANNEL = 'support-channel';
const MANAGERS = 'managers-channel';

export class TableSettings implements Settings {
  private cache: { value: SupportChannel | null; at: number } | null = null;
  /** The read of the channel in flight: when the entry expires under load, every caller waits for it. */
  private reading: Promise<SupportChannel | null> | null = null;
  /** Raised by every change: a read that started before one does not overwrite what it stored. */
  private generation = 0;

  constructor(
    private readonly table: TableClient,
    /** How long a read is trusted before asking storage again (other instances may change it). */
    private readonly ttlMs = 5_000,
  ) {}

  async supportChannel(): Promise<SupportChannel | null> {
    const now = Date.now();
    if (this.cache !== null && now - this.cache.at < this.ttlMs) return this.cache.value;
    // One read at a time: the card updates that find the entry expired together share it.
    this.reading ??= this.readChannel(now).finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readChannel(at: number): Promise<SupportChannel | null> {
    const generation = this.generation;
    let value: SupportChannel | null = null;
    try {
      const e = await this.table.getEntity<{ doc: string }>(PK, CHANNEL);
      value = JSON.parse(e.doc) as SupportChannel;
    } catch (err) {
      if (!(storageStatus(err) === 404)) throw err;
    }
    if (generation === this.generation) this.cache = { value, at };
    return value;
  }

  async setSupportChannel(channel: SupportChannel): Promise<void> {
    this.generation++;
    await this.table.upsertEntity(
      { partitionKey: PK, rowKey: CHANNEL, sv: 1, doc: JSON.stringify(channel) },
      'Replace',
    );
    this.generation++;
    this.cache = { value: channel, at: Date.now() };
  }

  async managersChannel(): Promise<SupportChannel | null> {
    try {
      const e = await this.table.getEntity<{ doc: string }>(PK, MANAGERS);
      return JSON.parse(e.doc) as SupportChannel;
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async setManagersChannel(channel: SupportChannel): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: PK, rowKey: MANAGERS, sv: 1, doc: JSON.stringify(channel) },
      'Replace',
    );
  }

  async forgetTeam(teamId: string): Promise<boolean> {
    const managers = await this.managersChannel();
    let forgot = false;
    if (managers?.teamId === teamId) {
      try {
        await this.table.deleteEntity(PK, MANAGERS);
        forgot = true;
      } catch (err) {
        if (!(storageStatus(err) === 404)) throw err;
      }
    }
    return (await this.forgetSupport(teamId)) || forgot;
  }

  private async forgetSupport(teamId: string): Promise<boolean> {
    this.cache = null;
    this.generation++;
    const current = await this.readChannel(Date.now());
    if (current?.teamId !== teamId) return false;
    this.generation++;
    try {
      await this.table.deleteEntity(PK, CHANNEL);
    } catch (err) {
      if (!(storageStatus(err) === 404)) throw err;
    }
    this.generation++;
    this.cache = { value: null, at: Date.now() };
    return true;
  }
}
