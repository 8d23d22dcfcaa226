// Reading a key range of one partition, page after page (the SDK follows the continuation), in key order:
// the one loop behind every list, queue and index read of the storage adapters.
import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { odata } from '../keys';

export interface RangeQuery {
  /** The partition read. */
  readonly pk: string;
  /** The lowest RowKey read (absent: from the partition's first row). */
  readonly from?: string;
  /** With `from`: that key itself is skipped (reading on after the last row of a page). */
  readonly after?: boolean;
  /** RowKeys below this one (absent: to the partition's last row). */
  readonly to?: string;
  /** RowKeys up to and including this one (instead of `to`). */
  readonly through?: string;
  /** Further conditions, in OData (e.g. `state eq 'pending'`). */
  readonly where?: string;
  /** Only these properties. */
  readonly select?: readonly string[];
  /** Rows read at most (absent: every row of the range); no page asks for more. */
  readonly limit?: number;
  /** Called after each page read through without reaching `limit` (request counting). */
  readonly onPage?: () => void;
}

export type Row<T extends object = Record<string, unknown>> = TableEntityResult<T>;

/**
 * The OData filter of a range.
 * @example rangeFilter({ pk: 'ob', from: 'r|', to: 'r}' }) // "PartitionKey eq 'ob' and RowKey ge 'r|' and RowKey lt 'r}'"
 */
export function rangeFilter(q: RangeQuery): string {
  const parts = [`PartitionKey eq ${odata(q.pk)}`];
  if (q.from !== undefined) parts.push(`RowKey ${q.after === true ? 'gt' : 'ge'} ${odata(q.from)}`);
  if (q.to !== undefined) parts.push(`RowKey lt ${odata(q.to)}`);
  if (q.through !== undefined) parts.push(`RowKey le ${odata(q.through)}`);
  if (q.where !== undefined) parts.push(q.where);
  return parts.join(' and ');
}

/** The rows of a range, in key order, `limit` at most. */
export async function readRange<T extends object = Record<string, unknown>>(
  table: TableClient,
  q: RangeQuery,
): Promise<Row<T>[]> {
  const out: Row<T>[] = [];
  const limit = q.limit;
  if (limit !== undefined && limit <= 0) return out;
  const pages = table
    .listEntities<T>({
      queryOptions: {
        filter: rangeFilter(q),
        ...(q.select === undefined ? {} : { select: [...q.select] }),
      },
    })
    .byPage(limit === undefined ? {} : { maxPageSize: Math.min(1000, limit) });
  for await (const page of pages) {
    for (const e of page) {
      out.push(e);
      if (limit !== undefined && out.length >= limit) return out;
    }
    q.onPage?.();
  }
  return out;
}
