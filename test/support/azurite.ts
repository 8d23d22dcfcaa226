// Jest helpers: an in-memory Azurite per test file, and table names no other test (or run) will use.
import { randomBytes } from 'node:crypto';
import { startAzurite, type Azurite } from '../../src/adapters/storage/azurite';

export interface TestAzurite {
  readonly connectionString: string;
  readonly azurite: Azurite;
  stop(): Promise<void>;
}

/**
 * Starts an in-memory Azurite on a free port. Call `stop()` in afterAll.
 * @example
 * let storage: TestAzurite;
 * beforeAll(async () => { storage = await startTestAzurite(); });
 * afterAll(() => storage.stop());
 */
export async function startTestAzurite(): Promise<TestAzurite> {
  const azurite = await startAzurite();
  return { connectionString: azurite.connectionString, azurite, stop: () => azurite.stop() };
}

/**
 * A valid table name (letters and digits, starts with a letter, at most 63) that is unique per call.
 * @example uniqueTableName('tickets') // 'tickets' + time + random, e.g. 'ticketsm3x9q2k1a7f30c'
 */
export function uniqueTableName(label = 'test'): string {
  const clean = label.replace(/[^A-Za-z0-9]/g, '');
  const prefix = /^[A-Za-z]/.test(clean) ? clean : `t${clean}`;
  const suffix = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  return `${prefix.slice(0, 63 - suffix.length)}${suffix}`;
}
