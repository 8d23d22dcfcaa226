// The storage floor: how fast single-entity inserts go through the real client, with nothing of ours on top.
// Other benchmark sections compare against it. `npx tsx test/bench/storage-floor.ts` prints it for Azurite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log';
import { startAzurite } from '../../src/adapters/storage/azurite';
import { createTableClients } from '../../src/adapters/storage/tables';
import { uniqueTableName } from '../support/azurite';

export interface FloorResult {
  readonly opsPerSec: number;
  /** Inserts completed in the timed phase. */
  readonly count: number;
  /** Milliseconds per createEntity. */
  readonly p50: number;
  readonly p99: number;
}

/**
 * Inserts one entity per request into a fresh table from `concurrency` loops for `seconds`,
 * after a short warm-up; drops the table afterwards.
 * @example await rawInsertFloor(azurite.connectionString, { seconds: 5, concurrency: 10 }) // { opsPerSec: 1400, p50: 6.8, p99: 15 }
 */
export async function rawInsertFloor(
  connectionString: string,
  opts: { seconds: number; concurrency: number },
): Promise<FloorResult> {
  const name = uniqueTableName('floor');
  const storage = await createTableClients(
    { kind: 'connection-string', connectionString },
    [name],
    silentLogger,
  );
  const table = storage.table(name);
  const payload = 'x'.repeat(200);
  let next = 0;
  const insert = () => {
    const n = next++;
    return table.createEntity({
      partitionKey: `p${n % 16}`,
      rowKey: String(n).padStart(10, '0'),
      payload,
      n,
    });
  };
  try {
    // Warm-up: open the connections and let the server settle, unmeasured.
    await Promise.all(Array.from({ length: opts.concurrency }, insert));

    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + opts.seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await insert();
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      opsPerSec: latencies.length / elapsed,
      count: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    };
  } finally {
    await table.deleteTable();
    await storage.close();
  }
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  for (const persistent of [false, true]) {
    const dir = persistent ? mkdtempSync(join(tmpdir(), 'sla-desk-floor-')) : undefined;
    const azurite = await startAzurite(dir === undefined ? {} : { location: dir });
    try {
      for (const concurrency of [1, 10, 50]) {
        const r = await rawInsertFloor(azurite.connectionString, { seconds, concurrency });
        const mode = persistent ? 'on disk' : 'in memory';
        console.log(
          `azurite ${mode}, concurrency ${concurrency}: ${r.opsPerSec.toFixed(0)} inserts/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
        );
      }
    } finally {
      await azurite.stop();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
