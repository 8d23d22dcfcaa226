// On-call overrides in Table Storage (settings table, partition `oncall`), shared by every instance.
// One entity per override; expired ones are removed when read.
import type { TableClient } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import type { Instant } from '../sla';
import { odata, timeKey } from '../storage/keys';
import type { Override } from './schedule';
import { storageStatus } from '../storage/status';

const PK = 'oncall';
/** Expired overrides are kept this long (for "who was on call" questions), then removed. */
const KEEP_MS = 7 * 86_400_000;

export interface OverrideStore {
  add(o: Override): Promise<void>;
  /** Overrides that have not ended before `now - 7 days`. */
  list(now: Instant): Promise<Override[]>;
}

/** An override as the tab's on-call page reads it (the shape of the tab API's OverrideSource). */
export interface OverrideSpan {
  readonly start: Instant;
  readonly end: Instant;
  readonly role: 'primary' | 'secondary';
  /** Entra object id of who is on call instead. */
  readonly userId: string;
  readonly reason?: string | undefined;
}

export class TableOverrides implements OverrideStore {
  constructor(private readonly table: TableClient) {}

  async add(o: Override): Promise<void> {
    await this.table.createEntity({
      partitionKey: PK,
      rowKey: `o|${timeKey(o.setAt)}|${randomBytes(4).toString('hex')}`,
      sv: 1,
      doc: JSON.stringify(o),
    });
  }

  /** Overrides overlapping [from, to), by start (for the tab). */
  async overlapping(from: Instant, to: Instant): Promise<OverrideSpan[]> {
    const all = await this.list(from);
    return all
      .filter((o) => o.from < to && o.until > from)
      .sort((a, b) => a.from - b.from)
      .map((o) => ({
        start: o.from,
        end: o.until,
        role: o.role,
        userId: o.id,
        reason: `set by ${o.setBy}`,
      }));
  }

  async list(now: Instant): Promise<Override[]> {
    const out: Override[] = [];
    const old: string[] = [];
    const iter = this.table.listEntities<{ doc: string }>({
      queryOptions: { filter: `PartitionKey eq ${odata(PK)}` },
    });
    for await (const e of iter) {
      const o = JSON.parse(e.doc) as Override;
      if (o.until < now - KEEP_MS) old.push(e.rowKey ?? '');
      else out.push(o);
    }
    await Promise.all(
      old.map((rk) =>
        this.table.deleteEntity(PK, rk).catch((err: unknown) => {
          if (!(storageStatus(err) === 404)) throw err;
        }),
      ),
    );
    return out;
  }
}
