// The stage of a faults scenario: one Azurite (on disk, so it can be stopped and started again), one fake Bot
// Connector, and app instances as separate processes sharing them; plus the summary row each scenario returns.
// Test support only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restartAzurite, startAzurite, type Azurite } from '../../src/adapters/storage/azurite';
import type { StorageHandle } from '../../src/adapters/storage/tables';
import { uniqueTableName } from '../support/azurite';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { startInstance, type Instance } from './instance';
import { openStorage } from './verify';
import { peopleEnv } from './world';

/** One row of the summary table. */
export interface ScenarioResult {
  readonly scenario: string;
  /** Requests made (HTTP requests to the app, or generated inputs). */
  operations: number;
  /** Faults injected: kills, storage down, connector errors and hangs, hostile inputs. */
  faults: number;
  lost: number;
  duplicated: number;
  leaked: number;
  /** Answers that told a person something failed (expected during faults: they must be clear and true). */
  userErrors: number;
  /** Requests in flight to a killed instance (counted apart; retried by the client). */
  lostResponses: number;
  /**
   * Messages posted twice because the instance that posted the first was killed before it recorded it (posted
   * before the kill, posted again after it): the documented at-least-once case, counted apart from duplicates.
   */
  inDoubt: number;
  /** Messages that should have reached Teams and never did. */
  undelivered: number;
  /**
   * Threads and customer replies still not delivered when the wait for them (the repair's grace period plus a
   * margin) ended; they arrived later (had they not, they would count as undelivered).
   */
  late: number;
  seconds: number;
  /** Anything else that went wrong: the scenario fails if this is not empty. */
  readonly failures: string[];
  readonly notes: string[];
}

export function emptyResult(scenario: string): ScenarioResult {
  return {
    scenario,
    operations: 0,
    faults: 0,
    lost: 0,
    duplicated: 0,
    leaked: 0,
    userErrors: 0,
    lostResponses: 0,
    inDoubt: 0,
    undelivered: 0,
    late: 0,
    seconds: 0,
    failures: [],
    notes: [],
  };
}

export function failed(r: ScenarioResult): boolean {
  return r.lost > 0 || r.duplicated > 0 || r.leaked > 0 || r.undelivered > 0 || r.failures.length > 0;
}

export interface Rig {
  azurite: Azurite;
  readonly connector: FakeConnector;
  readonly prefix: string;
  readonly env: Record<string, string>;
  readonly instances: Instance[];
  /** Direct access to the tables, for checks. */
  storage: StorageHandle;
  /** Starts another instance (or restarts one under the same name). */
  start(name: string, extra?: Record<string, string>): Promise<Instance>;
  /** Stops Azurite gracefully (it writes its data) and returns a function that starts it again. */
  stopStorage(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function startRig(
  instanceNames: readonly string[],
  extra: Record<string, string> = {},
): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'sla-faults-'));
  const azurite = await startAzurite({ location: dir });
  const connector = await startFakeConnector();
  const prefix = uniqueTableName('f').slice(0, 20);
  const env = {
    TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: prefix,
    LOG_JSON: 'true',
    ...peopleEnv(),
    ...extra,
  };
  const instances: Instance[] = [];
  const rig: Rig = {
    azurite,
    connector,
    prefix,
    env,
    instances,
    storage: await openStorage(azurite.connectionString, prefix),
    async start(name, more = {}) {
      const instance = await startInstance(name, { ...env, INSTANCE_ID: name, ...more });
      const at = instances.findIndex((i) => i.name === name);
      if (at >= 0) instances[at] = instance;
      else instances.push(instance);
      return instance;
    },
    async stopStorage() {
      const previous = rig.azurite;
      await previous.stop();
      return async () => {
        rig.azurite = await restartAzurite(previous);
      };
    },
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      await connector.stop();
      await rig.azurite.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await Promise.all(instanceNames.map((n) => rig.start(n)));
  return rig;
}

/** Resolves once the connector has received nothing new for `quietMs`, or after `maxMs`. */
export async function settled(connector: FakeConnector, quietMs = 2_000, maxMs = 60_000): Promise<void> {
  const started = Date.now();
  let count = connector.requests().length;
  let since = Date.now();
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 250));
    const now = connector.requests().length;
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}
