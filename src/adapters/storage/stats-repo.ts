// The SLA dashboard's counters in Azure Table Storage, kept as tickets change: the writer counts
// (stats-writer.ts), the reader answers the dashboard (stats-reader.ts), the rows are in stats-rows.ts.
import type { TableClient, TableEntity } from '@azure/data-tables';
import type { Instant, Priority } from '../../domain/sla';
import type { BreachRow } from '../../domain/stats/counting';
import { countKey, type Contribution, type Counters } from '../../domain/stats/figures';
import type { MonthView, StatsStore } from '../../domain/stats/ports';
import { StatsReader } from './stats-reader';
import { counterEntity, countedEntity, monthPk, rowActions, stateRk, watchRk } from './stats-rows';
import { StatsWriter } from './stats-writer';

export class TableStatsRepo implements StatsStore {
  private readonly writer: StatsWriter;
  private readonly reader: StatsReader;

  /**
   * @param table the stats table (counters, missed deadlines, watch, pending and serial rows)
   * @param tickets the statstickets table (one x| row per ticket and month)
   */
  constructor(table: TableClient, tickets: TableClient) {
    this.writer = new StatsWriter(table, tickets);
    this.reader = new StatsReader(table);
  }

  /**
   * Counts a ticket's contribution, replacing what an earlier version of it added. Idempotent: an equal
   * or older version than the one counted does nothing. Returns whether anything changed.
   */
  async record(k: Contribution): Promise<boolean> {
    return (await this.recordMany([k])) > 0;
  }

  /** Counts many contributions at once (see StatsWriter.recordMany); how many tickets' counts changed. */
  recordMany(ks: readonly Contribution[]): Promise<number> {
    return this.writer.recordMany(ks);
  }

  countedVersion(month: string, ticketId: string): Promise<number | null> {
    return this.writer.countedVersion(month, ticketId);
  }

  /** Moves x| rows older versions kept in the stats table to statstickets; run on start. How many moved. */
  upgrade(): Promise<number> {
    return this.writer.upgrade();
  }

  monthsView(months: readonly string[], now: Instant, watchLimit: number): Promise<Map<string, MonthView>> {
    return this.reader.monthsView(months, now, watchLimit);
  }

  breachesOf(month: string, limit: number): Promise<BreachRow[]> {
    return this.reader.breachesOf(month, limit);
  }

  monthView(
    month: string,
    now: Instant,
    watchLimit: number,
    breachLimit: number,
  ): Promise<MonthView & { breaches: BreachRow[] }> {
    return this.reader.monthView(month, now, watchLimit, breachLimit);
  }

  /**
   * The rows of a counted, settled ticket: its watch and missed-deadline rows in the stats table and its x|
   * row in statstickets (for writing a data set straight into the tables, as the bench does).
   */
  static settledRows(k: Contribution): { stats: TableEntity[]; counted: TableEntity } {
    const pk = monthPk(k.month);
    const stats = rowActions(pk, k, null).flatMap((a) => (a[0] === 'upsert' ? [a[1]] : []));
    return { stats, counted: countedEntity(pk, stateRk(countKey(k)), k) };
  }

  /** A month's counter row of one priority (for writing a data set straight into the tables). */
  static counterRow(month: string, p: Priority, c: Counters): TableEntity {
    return counterEntity(month, p, c);
  }

  /** The watch row key a contribution should have (for checking rows against the ticket). */
  static watchKey(k: Contribution): string | null {
    return watchRk(k);
  }
}
