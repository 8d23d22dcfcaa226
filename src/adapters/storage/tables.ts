// Opens one TableClient per table for the configured storage (connection string, managed identity or
// embedded Azurite), creating missing tables. Plumbing only: nothing here knows what a ticket is.
import { DefaultAzureCredential } from '@azure/identity';
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { join } from 'node:path';
import type { Logger } from '../../log';
import { AzuriteError, startAzurite, type Azurite } from './azurite';
import { storageErrorCode, storageStatus } from './kit/status';

/** Where the tables are: a connection string, an endpoint reached with managed identity, or embedded Azurite. */
export type StorageOptions =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  | { readonly kind: 'managed-identity'; readonly endpoint: string; readonly clientId?: string | undefined }
  | { readonly kind: 'embedded'; readonly dataDir: string };

/** The tables of one storage account, and how to let go of it. */
export interface StorageHandle<N extends string = string> {
  readonly clients: Readonly<Record<N, TableClient>>;
  /** The client for one of the names it was opened with (handy when names are plain strings). */
  table(name: N): TableClient;
  /** Stops embedded Azurite; a no-op for remote accounts. Safe to call twice. */
  close(): Promise<void>;
  /** Set for connection-string and embedded storage (tests, benchmarks, the CLI); absent with managed identity. */
  readonly connectionString?: string;
}

/** The storage settings cannot work; the message says which and why. */
export class StorageConfigError extends Error {
  readonly code = 'STORAGE_CONFIG_INVALID';
  override readonly name = 'StorageConfigError';
}

/** Embedded Azurite listens here when the port is free (Azurite's usual Table port). */
export const EMBEDDED_DEFAULT_PORT = 10002;

/** A local emulator answers in milliseconds or not at all: retry fast, give up fast. */
export const EMULATOR_RETRY = { maxRetries: 4, retryDelayInMs: 50, maxRetryDelayInMs: 500 } as const;

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * Opens a client for each table name, creating the tables that do not exist yet.
 * @example
 * const storage = await createTableClients(config.storage, ['tickets', 'outbox'] as const, log);
 * await storage.clients.tickets.createEntity({ partitionKey: 't1', rowKey: 'TM-1042' });
 * await storage.close();
 */
export async function createTableClients<const N extends string>(
  storage: StorageOptions,
  names: readonly N[],
  log: Logger,
): Promise<StorageHandle<N>> {
  for (const name of names) {
    if (!TABLE_NAME.test(name) || name.toLowerCase() === 'tables') {
      throw new StorageConfigError(
        `invalid table name "${name}": use 3-63 letters and digits, starting with a letter ("tables" is reserved)`,
      );
    }
  }
  switch (storage.kind) {
    case 'connection-string': {
      const clients = await openAll(names, (name) =>
        clientFromConnectionString(storage.connectionString, name),
      );
      return handle(clients, () => Promise.resolve(), storage.connectionString);
    }
    case 'managed-identity': {
      const endpoint = parseEndpoint(storage.endpoint, 'TABLES_ENDPOINT');
      if (endpoint.protocol !== 'https:') {
        throw new StorageConfigError(
          `TABLES_ENDPOINT must be https:// for managed identity, not ${endpoint.origin}`,
        );
      }
      const credential = new DefaultAzureCredential(
        storage.clientId === undefined ? {} : { managedIdentityClientId: storage.clientId },
      );
      const clients = await openAll(names, (name) => new TableClient(storage.endpoint, name, credential));
      return handle(clients, () => Promise.resolve());
    }
    case 'embedded':
      return openEmbedded(storage.dataDir, names, log);
  }
}

/**
 * A TableClient for a connection string: plain http is allowed only to a loopback emulator,
 * which also gets fast retries.
 */
export function clientFromConnectionString(connectionString: string, table: string): TableClient {
  const endpoint = tableEndpointOf(connectionString);
  const options: TableServiceClientOptions = {};
  if (endpoint.protocol === 'http:') {
    if (!isLoopback(endpoint)) {
      throw new StorageConfigError(
        `TABLES_CONNECTION_STRING uses plain http to ${endpoint.host}; only a loopback emulator may skip https`,
      );
    }
    options.allowInsecureConnection = true;
    options.retryOptions = { ...EMULATOR_RETRY };
  }
  return TableClient.fromConnectionString(connectionString, table, options);
}

/** The Table endpoint a connection string points at, worked out the way the SDK does. */
export function tableEndpointOf(connectionString: string): URL {
  const parts = new Map<string, string>();
  for (const pair of connectionString.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) parts.set(pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim());
  }
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') {
    return new URL(`http://127.0.0.1:${EMBEDDED_DEFAULT_PORT}/devstoreaccount1`);
  }
  const explicit = parts.get('tableendpoint');
  if (explicit !== undefined) return parseEndpoint(explicit, 'TableEndpoint in TABLES_CONNECTION_STRING');
  const account = parts.get('accountname');
  if (account === undefined) {
    throw new StorageConfigError('TABLES_CONNECTION_STRING has neither TableEndpoint nor AccountName');
  }
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  const suffix = parts.get('endpointsuffix') ?? 'core.windows.net';
  return parseEndpoint(`${protocol}://${account}.table.${suffix}`, 'TABLES_CONNECTION_STRING');
}

async function openEmbedded<N extends string>(
  dataDir: string,
  names: readonly N[],
  log: Logger,
): Promise<StorageHandle<N>> {
  const location = join(dataDir, 'azurite');
  let azurite: Azurite;
  let defaultPortBusy = false;
  try {
    azurite = await startAzurite({ port: EMBEDDED_DEFAULT_PORT, location });
  } catch (err) {
    if (!(err instanceof AzuriteError && err.code === 'AZURITE_PORT_IN_USE')) throw err;
    defaultPortBusy = true;
    azurite = await startAzurite({ location });
  }
  try {
    const clients = await openAll(names, (name) =>
      clientFromConnectionString(azurite.connectionString, name),
    );
    const busy = defaultPortBusy ? ` (port ${EMBEDDED_DEFAULT_PORT} was busy)` : '';
    log.info(
      `storage: embedded Azurite at ${azurite.endpoint}${busy}, data kept in ${azurite.location ?? location}`,
    );
    return handle(clients, () => azurite.stop(), azurite.connectionString);
  } catch (err) {
    await azurite.stop();
    throw err;
  }
}

function handle<N extends string>(
  clients: Record<N, TableClient>,
  close: () => Promise<void>,
  connectionString?: string,
): StorageHandle<N> {
  const table = (name: N): TableClient => {
    const client = clients[name] as TableClient | undefined;
    if (client === undefined)
      throw new Error(`no table "${name}" was opened; opened: ${Object.keys(clients).join(', ')}`);
    return client;
  };
  return { clients, table, close, ...(connectionString === undefined ? {} : { connectionString }) };
}

async function openAll<N extends string>(
  names: readonly N[],
  open: (name: N) => TableClient,
): Promise<Record<N, TableClient>> {
  const entries = await Promise.all(
    names.map(async (name) => {
      const client = open(name);
      await createIfMissing(client);
      return [name, client] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<N, TableClient>;
}

async function createIfMissing(client: TableClient): Promise<void> {
  try {
    // The SDK already swallows TableAlreadyExists when it can parse the body; this covers when it cannot.
    await client.createTable();
  } catch (err) {
    if (storageStatus(err) === 409 && storageErrorCode(err) === 'TableAlreadyExists') return;
    throw err;
  }
}

function parseEndpoint(text: string, what: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new StorageConfigError(`${what} is not a URL: ${text}`);
  }
}

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}
