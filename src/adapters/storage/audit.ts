// The audit log: refused attempts (another tenant's ticket, a staff action from a customer, a bad token)
// and other security-relevant facts, one entity each, partitioned by day so a day reads in one query.
import type { TableClient } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import type { Instant } from '../../domain/sla';
import { readRange } from './kit/range';
import { keyPart, timeKey } from './keys';

export interface AuditEntry {
  readonly at: Instant;
  /** What was attempted, e.g. "staff.take" or "ticket.show". */
  readonly action: string;
  readonly outcome: 'refused' | 'allowed';
  readonly reason: string;
  readonly tenantId?: string | undefined;
  readonly userId?: string | undefined;
  /** What it was aimed at (a ticket id), as given: never proof that it exists. */
  readonly target?: string | undefined;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Entries of one UTC day ("2026-11-25"), oldest first. */
  day(date: string): Promise<AuditEntry[]>;
}

export class TableAuditLog implements AuditLog {
  constructor(private readonly table: TableClient) {}

  async record(e: AuditEntry): Promise<void> {
    const day = new Date(e.at).toISOString().slice(0, 10);
    await this.table.createEntity({
      partitionKey: `audit_${day}`,
      rowKey: `${timeKey(e.at)}_${randomBytes(6).toString('hex')}`,
      sv: 1,
      at: e.at,
      action: e.action.slice(0, 100),
      outcome: e.outcome,
      reason: e.reason.slice(0, 500),
      tenantId: (e.tenantId ?? '').slice(0, 128),
      userId: (e.userId ?? '').slice(0, 256),
      target: keyPart((e.target ?? '').slice(0, 100)),
    });
  }

  async day(date: string): Promise<AuditEntry[]> {
    const rows = await readRange(this.table, { pk: `audit_${date.replace(/[^0-9-]/g, '')}` });
    return rows.map((r) => ({
      at: Number(r['at']),
      action: String(r['action']),
      outcome: r['outcome'] === 'allowed' ? 'allowed' : 'refused',
      reason: String(r['reason']),
      tenantId: String(r['tenantId']),
      userId: String(r['userId']),
      target: decodeURIComponent(String(r['target'])),
    }));
  }
}
