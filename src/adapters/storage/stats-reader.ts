// Reading the dashboard's rows (layout: stats-rows.ts): a few months' counters and watch rows in one query,
// and one month's missed deadlines.
import type { TableClient } from '@azure/data-tables';
import type { Instant, Priority } from '../../domain/sla';
import { PRIORITIES } from '../../domain/sla';
import { emptyByPriority, type BreachRow } from '../../domain/stats/counting';
import type { MonthView } from '../../domain/stats/ports';
import { odata, timeKey } from './keys';
import { readRange } from './kit/range';
import { breachFrom, contributionOf, countersFrom, monthPk } from './stats-rows';

export class StatsReader {
  constructor(private readonly table: TableClient) {}

  /**
   * What the dashboard needs of some months, in one query: each month's counters and its open tickets at
   * risk by `now` (at most `watchLimit` a month, earliest first). One key range per month, c| up to the
   * watch rows due by `now` (the few p| and s| rows between are skipped; missed deadlines, b|, come before).
   */
  async monthsView(
    months: readonly string[],
    now: Instant,
    watchLimit: number,
  ): Promise<Map<string, MonthView>> {
    const out = new Map<string, MonthView>(
      months.map((m) => [m, { counters: emptyByPriority(), watch: [] }]),
    );
    const pks = months.map(monthPk).sort();
    const first = pks[0];
    const last = pks[pks.length - 1];
    if (first === undefined || last === undefined) return out;
    // Several partitions at once: a query of its own, not a range of one partition.
    const iter = this.table.listEntities({
      queryOptions: {
        filter:
          `PartitionKey ge ${odata(first)} and PartitionKey le ${odata(last)} and ` +
          `RowKey ge 'c|' and RowKey lt ${odata(`w|${timeKey(now)}~`)}`,
      },
    });
    for await (const e of iter) {
      const view = out.get((e.partitionKey ?? '').slice(2));
      if (view === undefined) continue;
      const rk = e.rowKey ?? '';
      if (rk.startsWith('c|')) {
        const p = rk.slice(2) as Priority;
        if ((PRIORITIES as readonly string[]).includes(p)) view.counters[p] = countersFrom(e);
      } else if (rk.startsWith('w|') && view.watch.length < watchLimit) {
        const k = contributionOf(e);
        if (k !== null) view.watch.push(k);
      }
    }
    return out;
  }

  /** A month's missed deadlines (at most `limit`, in key order), in one query. */
  async breachesOf(month: string, limit: number): Promise<BreachRow[]> {
    const rows = await readRange(this.table, { pk: monthPk(month), from: 'b|', to: 'b|~', limit });
    return rows.map(breachFrom);
  }

  /**
   * What the dashboard needs of one month: its counters, its open tickets at risk by `now` (at most
   * `watchLimit`), and, when `breachLimit` > 0, its missed deadlines (at most that many).
   */
  async monthView(
    month: string,
    now: Instant,
    watchLimit: number,
    breachLimit: number,
  ): Promise<MonthView & { breaches: BreachRow[] }> {
    const [views, found] = await Promise.all([
      this.monthsView([month], now, watchLimit),
      this.breachesOf(month, breachLimit),
    ]);
    const view = views.get(month) ?? { counters: emptyByPriority(), watch: [] };
    return { ...view, breaches: found };
  }
}
