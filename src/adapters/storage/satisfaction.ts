// The satisfaction counters (docs/storage.md):
//   satisfaction  PK m_<YYYY-MM>  RK c|<key>                   a month's counter: all, p|<priority>, e|<owner>, t|<tenant>
//                                 RK r|<ticket id>|<resolvedAt> what one resolution's rating counts now, and its version
//                PK meta          RK catch-up                   real time of the last catch-up that read every change
// A month is the resolution's (policy zone). Each rating's change is one transaction of its month: its r| row
// and the counters it moves, under their ETags, so it is counted exactly once and a change moves the figures.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import {
  applyFact,
  counterKeys,
  emptyCounts,
  type RatingFact,
  type SatisfactionCounts,
  type SatisfactionStore,
} from '../../domain/stats/satisfaction';
import { fromKeyPart, keyPart, odata } from './keys';
import { storageStatus } from './kit/status';
import { conflict } from './stats-rows';

const SCHEMA = 1;
const MAX_ATTEMPTS = 10;
const META_PK = 'meta';
const CHECKPOINT_RK = 'catch-up';
const pkOf = (month: string): string => `m_${month}`;
const counterRk = (key: string): string => `c|${keyPart(key)}`;
const factRk = (f: RatingFact): string => `r|${keyPart(f.ticketId)}|${f.resolvedAt}`;

interface Row<T> {
  readonly value: T;
  readonly etag: string;
}

export class TableSatisfactionStore implements SatisfactionStore {
  constructor(private readonly table: TableClient) {}

  private async read<T>(pk: string, rk: string): Promise<Row<T> | null> {
    try {
      const e = await this.table.getEntity<{ value: string }>(pk, rk);
      return { value: JSON.parse(e.value) as T, etag: e.etag };
    } catch (err) {
      if (storageStatus(err) === 404) return null;
      throw err;
    }
  }

  async record(f: RatingFact): Promise<boolean> {
    const pk = pkOf(f.month);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const seen = await this.read<RatingFact>(pk, factRk(f));
      if (seen !== null && seen.value.version >= f.version) return false;
      const prev = seen?.value ?? null;
      const keys = [...new Set([...(prev === null ? [] : counterKeys(prev)), ...counterKeys(f)])];
      const rows = await Promise.all(keys.map((k) => this.read<SatisfactionCounts>(pk, counterRk(k))));
      const actions: TransactionAction[] = [];
      keys.forEach((key, i) => {
        const row = rows[i] ?? null;
        const c = row?.value ?? emptyCounts();
        if (prev !== null && counterKeys(prev).includes(key)) applyFact(c, prev, -1, key);
        if (counterKeys(f).includes(key)) applyFact(c, f, 1, key);
        const entity = { partitionKey: pk, rowKey: counterRk(key), sv: SCHEMA, value: JSON.stringify(c) };
        actions.push(row === null ? ['create', entity] : ['update', entity, 'Replace', { etag: row.etag }]);
      });
      const fact = { partitionKey: pk, rowKey: factRk(f), sv: SCHEMA, value: JSON.stringify(f) };
      actions.push(seen === null ? ['create', fact] : ['update', fact, 'Replace', { etag: seen.etag }]);
      try {
        await this.table.submitTransaction(actions);
        return true;
      } catch (err) {
        // Another writer counted in this month meanwhile: read again and recount.
        if (!conflict(err)) throw err;
      }
    }
    throw new Error(`satisfaction counters of ${f.month} are changing too fast to count ${f.ticketId}`);
  }

  async checkpoint(): Promise<number | null> {
    return (await this.read<number>(META_PK, CHECKPOINT_RK))?.value ?? null;
  }

  async setCheckpoint(at: number): Promise<void> {
    const entity = { partitionKey: META_PK, rowKey: CHECKPOINT_RK, sv: SCHEMA, value: JSON.stringify(at) };
    await this.table.upsertEntity(entity, 'Replace');
  }

  async months(months: readonly string[]): Promise<Map<string, Map<string, SatisfactionCounts>>> {
    const out = new Map<string, Map<string, SatisfactionCounts>>();
    await Promise.all(
      months.map(async (month) => {
        const counters = new Map<string, SatisfactionCounts>();
        const iter = this.table.listEntities<{ value: string }>({
          queryOptions: {
            filter: `PartitionKey eq ${odata(pkOf(month))} and RowKey ge 'c|' and RowKey lt 'c}'`,
          },
        });
        for await (const e of iter)
          counters.set(fromKeyPart(String(e.rowKey).slice(2)), JSON.parse(e.value) as SatisfactionCounts);
        out.set(month, counters);
      }),
    );
    return out;
  }
}
