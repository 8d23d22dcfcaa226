// Seeding helpers for benches that write tickets straight into the tables (filing 100,000 tickets through the
// service would take an hour): ids come in blocks of SEED_BLOCK numbers per tenant, as the repo hands them out,
// and each block gets the repo's own block row, so id lookups work and nothing is stored per ticket in the index.
import type { TransactionAction } from '@azure/data-tables';
import { blockEntity } from '../../src/adapters/storage/ticket-keys';

/** Numbers per id block in seeded data (the app's default is 20; any size works). */
export const SEED_BLOCK = 50;

/**
 * The tenant index (0 … tenants-1) of seeded ticket number n: consecutive blocks go round the tenants.
 * @example seedTenantOf(120, 20) // 2
 */
export function seedTenantOf(n: number, tenants: number): number {
  return Math.floor(n / SEED_BLOCK) % tenants;
}

/** Block rows covering ticket numbers [from, from + count), for `tenantId(k)` of seedTenantOf. */
export function blockRows(
  from: number,
  count: number,
  tenants: number,
  tenantId: (k: number) => string,
): TransactionAction[] {
  const rows: TransactionAction[] = [];
  for (let first = Math.floor(from / SEED_BLOCK) * SEED_BLOCK; first < from + count; first += SEED_BLOCK)
    rows.push([
      'upsert',
      blockEntity({ first, end: first + SEED_BLOCK, tenantId: tenantId(seedTenantOf(first, tenants)) }),
      'Replace',
    ]);
  return rows;
}
