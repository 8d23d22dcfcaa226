// On-call overrides in Table Storage (settings table, partition `oncall`), shared by every instance.
// One entity per override; expired ones are removed when read.
import type { TableClient } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import type { Instant } from '../../domain/sla';
import { overrideSpans, type OverrideSpan, type OverrideStore } from '../../domain/oncall/overrides';
import type { Override } from '../../domain/oncall/schedule';
import { timeKey } from './keys';
import { readRange } from './kit/range';
import { storageStatus } from './kit/status';

const PK = 'oncall';
/** Expired overrides are kept this long (for "who was on call" questions), then removed. */
const KEEP_MS = 7 * 86_400_000;

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
    return overrideSpans(await this.list(from), from, to);
  }

  async list(now: Instant): Promise<Override[]> {
    const out: Override[] = [];
    const old: string[] = [];
    for (const e of await readRange<{ doc: string }>(this.table, { pk: PK })) {
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
