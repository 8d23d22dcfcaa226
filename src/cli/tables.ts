// `npm run --silent tables -- export|import`: a backup of every SLA Desk table as JSON Lines files, and its
// restore. Reaches storage like the app (TABLES_ENDPOINT with your Azure sign-in, or a connection string),
// reading env/.env.<env> with --env. Property types are kept (Int64, DateTime, Binary, Guid, ...), so an
// import gives back the same entities. Wiring of the table SDK only; no business rules.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import {
  TableClient,
  TableServiceClient,
  type TableEntity,
  type TransactionAction,
} from '@azure/data-tables';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../config';
import { storageStatus } from '../adapters/storage/kit/status';
import { clientFromConnectionString, tableEndpointOf } from '../adapters/storage/tables';
import { oneLine, parseFlags, UsageError } from './args';
import { layerEnv, parseDotenv } from './dotenv';

/** One property as the service types it: `{ value: '5', type: 'Int32' }`. */
interface Typed {
  readonly value: string;
  readonly type: string;
}

/** A stored entity with every property typed, as written to a backup line. */
export interface BackupEntity {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly properties: Readonly<Record<string, Typed>>;
}

/** What an export wrote; saved as backup.json beside the .jsonl files. */
export interface BackupManifest {
  readonly format: 'sla-desk-tables/1';
  readonly createdAt: string;
  readonly prefix: string;
  readonly tables: readonly { readonly name: string; readonly file: string; readonly entities: number }[];
}

/** Where the tables are: a way to list them and a client per table. */
export interface TableAccess {
  listTables(): AsyncIterable<string>;
  table(name: string): TableClient;
}

/** The backup cannot be written or restored as asked; nothing (further) was changed. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
  constructor(
    readonly code: 'BACKUP_NOT_FOUND' | 'BACKUP_INVALID' | 'BACKUP_TARGET_NOT_EMPTY' | 'BACKUP_STORAGE',
    message: string,
  ) {
    super(message);
  }
}

const MANIFEST = 'backup.json';
/** An entity-group transaction takes at most 100 operations and 4 MiB; stay below both. */
const BATCH_OPERATIONS = 100;
const BATCH_BYTES = 3_500_000;
const SYSTEM = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.etag', 'odata.metadata']);

/** Access through the app's storage configuration (embedded storage has no tables to back up). */
export function accessFor(storage: Config['storage']): TableAccess {
  switch (storage.kind) {
    case 'connection-string': {
      // clientFromConnectionString refuses plain http to anything but a loopback emulator; so does this.
      const insecure = tableEndpointOf(storage.connectionString).protocol === 'http:';
      clientFromConnectionString(storage.connectionString, 'check');
      const service = TableServiceClient.fromConnectionString(storage.connectionString, {
        allowInsecureConnection: insecure,
      });
      return {
        listTables: () => names(service.listTables()),
        table: (name) => clientFromConnectionString(storage.connectionString, name),
      };
    }
    case 'managed-identity': {
      // On an operator's machine this is their `az login` (or Visual Studio Code, or environment) identity.
      const credential = new DefaultAzureCredential(
        storage.clientId === undefined ? {} : { managedIdentityClientId: storage.clientId },
      );
      const service = new TableServiceClient(storage.endpoint, credential);
      return {
        listTables: () => names(service.listTables()),
        table: (name) => new TableClient(storage.endpoint, name, credential),
      };
    }
    case 'embedded':
      throw new BackupError(
        'BACKUP_STORAGE',
        'no storage to back up: set TABLES_ENDPOINT (or TABLES_CONNECTION_STRING), or use --env <name>',
      );
  }
}

async function* names(tables: AsyncIterable<{ name?: string | undefined }>): AsyncIterable<string> {
  for await (const t of tables) if (t.name !== undefined) yield t.name;
}

function typed(entity: Record<string, unknown>): BackupEntity {
  const properties: Record<string, Typed> = {};
  for (const [key, raw] of Object.entries(entity)) {
    if (SYSTEM.has(key)) continue;
    const p = raw as Partial<Typed> | null;
    if (p === null || typeof p !== 'object' || typeof p.value !== 'string' || typeof p.type !== 'string') {
      throw new BackupError('BACKUP_STORAGE', `property ${key} came back without its type`);
    }
    properties[key] = { value: p.value, type: p.type };
  }
  return { partitionKey: String(entity['partitionKey']), rowKey: String(entity['rowKey']), properties };
}

/** The SDK's input form of a typed property (numbers and booleans as JS values, the rest typed). */
function untyped(p: Typed): unknown {
  switch (p.type) {
    case 'String':
      return p.value;
    case 'Boolean':
      return p.value === 'true';
    case 'Int32':
      return Number(p.value);
    case 'Double':
    case 'Int64':
    case 'DateTime':
    case 'Guid':
    case 'Binary':
      return { value: p.value, type: p.type };
    default:
      throw new BackupError('BACKUP_INVALID', `unknown property type ${p.type}`);
  }
}

function toEntity(e: BackupEntity): TableEntity {
  const entity: TableEntity = { partitionKey: e.partitionKey, rowKey: e.rowKey };
  for (const [key, p] of Object.entries(e.properties)) entity[key] = untyped(p);
  return entity;
}

/**
 * Writes every table whose name starts with `prefix` to `outDir` (one `<name>.jsonl` each, one entity a line)
 * and `backup.json`; returns that manifest. A table written while it is exported may be caught mid-change:
 * export from a quiet app, or accept the few rows a live one changes meanwhile (each row is consistent).
 */
export async function exportTables(
  access: TableAccess,
  options: { readonly prefix: string; readonly outDir: string; readonly now: Date },
): Promise<BackupManifest> {
  mkdirSync(options.outDir, { recursive: true });
  if (existsSync(join(options.outDir, MANIFEST))) {
    throw new BackupError('BACKUP_INVALID', `${options.outDir} already holds a backup: pick a new folder`);
  }
  const tables: { name: string; file: string; entities: number }[] = [];
  const all: string[] = [];
  for await (const name of access.listTables()) if (name.startsWith(options.prefix)) all.push(name);
  for (const name of all.sort()) {
    const lines: string[] = [];
    const client = access.table(name);
    for await (const entity of client.listEntities({ disableTypeConversion: true })) {
      lines.push(JSON.stringify(typed(entity)));
    }
    const file = `${name.slice(options.prefix.length) || name}.jsonl`;
    writeFileSync(join(options.outDir, file), lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    tables.push({ name: name.slice(options.prefix.length), file, entities: lines.length });
  }
  const manifest: BackupManifest = {
    format: 'sla-desk-tables/1',
    createdAt: options.now.toISOString(),
    prefix: options.prefix,
    tables,
  };
  writeFileSync(join(options.outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const typedSchema = z.object({ value: z.string(), type: z.string() });
const entitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  properties: z.record(typedSchema),
});
const manifestSchema = z.object({
  format: z.literal('sla-desk-tables/1'),
  createdAt: z.string(),
  prefix: z.string(),
  tables: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,62}$/),
      file: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,62}\.jsonl$/),
      entities: z.number().int().min(0),
    }),
  ),
});

function readBackup(dir: string): { manifest: BackupManifest; entities: Map<string, BackupEntity[]> } {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new BackupError('BACKUP_NOT_FOUND', `${path} not found: not a backup folder`);
  const json = (text: string, where: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new BackupError('BACKUP_INVALID', `${where} is not JSON`);
    }
  };
  const parsed = manifestSchema.safeParse(json(readFileSync(path, 'utf8'), path));
  if (!parsed.success) throw new BackupError('BACKUP_INVALID', `${path} is not an SLA Desk table backup`);
  const manifest = parsed.data;
  const files = new Set(readdirSync(dir));
  const entities = new Map<string, BackupEntity[]>();
  for (const t of manifest.tables) {
    if (!files.has(t.file)) throw new BackupError('BACKUP_INVALID', `${dir}: ${t.file} is missing`);
    const rows = readFileSync(join(dir, t.file), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((line, i) => {
        const row = entitySchema.safeParse(json(line, `${t.file} line ${i + 1}`));
        if (!row.success) throw new BackupError('BACKUP_INVALID', `${t.file} line ${i + 1} is not an entity`);
        for (const p of Object.values(row.data.properties)) untyped(p);
        return row.data;
      });
    if (rows.length !== t.entities) {
      throw new BackupError(
        'BACKUP_INVALID',
        `${t.file} has ${rows.length} entities, backup.json says ${t.entities}: the backup is incomplete`,
      );
    }
    entities.set(t.name, rows);
  }
  return { manifest, entities };
}

/**
 * Restores a backup into the tables `<prefix><name>`, creating them. Refuses (changing nothing) when one of
 * them already holds an entity, unless `overwrite`: then each backed-up entity replaces the stored one and
 * entities not in the backup stay. Writes one partition's entities in transactions of up to 100.
 */
export async function importTables(
  access: TableAccess,
  options: { readonly prefix: string; readonly fromDir: string; readonly overwrite: boolean },
): Promise<{ name: string; entities: number }[]> {
  const { manifest, entities } = readBackup(options.fromDir);
  if (!options.overwrite) {
    for (const t of manifest.tables) {
      const client = access.table(`${options.prefix}${t.name}`);
      try {
        for await (const _ of client.listEntities({ queryOptions: { select: ['RowKey'] } })) {
          throw new BackupError(
            'BACKUP_TARGET_NOT_EMPTY',
            `table ${options.prefix}${t.name} is not empty: restore into an empty deployment (another TABLE_PREFIX) or pass --overwrite`,
          );
        }
      } catch (e) {
        if (e instanceof BackupError) throw e;
        if (storageStatus(e) !== 404) throw e;
      }
    }
  }
  const done: { name: string; entities: number }[] = [];
  for (const t of manifest.tables) {
    const client = access.table(`${options.prefix}${t.name}`);
    await client.createTable();
    const rows = entities.get(t.name) ?? [];
    const byPartition = new Map<string, BackupEntity[]>();
    for (const row of rows)
      byPartition.set(row.partitionKey, [...(byPartition.get(row.partitionKey) ?? []), row]);
    for (const partition of byPartition.values()) {
      let batch: TransactionAction[] = [];
      let bytes = 0;
      for (const row of partition) {
        const size = JSON.stringify(row).length;
        if (batch.length === BATCH_OPERATIONS || (batch.length > 0 && bytes + size > BATCH_BYTES)) {
          await client.submitTransaction(batch);
          batch = [];
          bytes = 0;
        }
        batch.push(['upsert', toEntity(row), 'Replace']);
        bytes += size;
      }
      if (batch.length > 0) await client.submitTransaction(batch);
    }
    done.push({ name: `${options.prefix}${t.name}`, entities: rows.length });
  }
  return done;
}

const USAGE = `Usage: npm run --silent tables -- export --out DIR [--env NAME]
       npm run --silent tables -- import --from DIR [--env NAME] [--overwrite]
  export writes every table of the deployment (TABLE_PREFIX) to DIR: backup.json and one .jsonl per table.
  import restores DIR into the deployment's tables; refused when one is not empty, unless --overwrite.
  Storage: TABLES_ENDPOINT (your Azure sign-in: az login; you need a Storage Table Data role) or
  TABLES_CONNECTION_STRING, from the shell or, with --env, from env/.env.NAME and env/.env.NAME.user.`;

/** The command line: 0 when done, 2 for bad input or a refused restore (one line on stderr). */
export async function main(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void,
  err: (line: string) => void,
  now: () => Date = () => new Date(),
): Promise<number> {
  try {
    const [verb, ...rest] = argv;
    if (verb === '--help' || verb === undefined) {
      (verb === undefined ? err : out)(USAGE);
      return verb === undefined ? 2 : 0;
    }
    if (verb !== 'export' && verb !== 'import')
      throw new UsageError(`tables: unknown command "${verb}" (export or import)`);
    const flags = parseFlags(
      `tables ${verb}`,
      { out: 'value', from: 'value', env: 'value', overwrite: 'switch' },
      rest,
    );
    const layers: Record<string, string>[] = [];
    if (flags.env !== undefined) {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(flags.env))
        throw new UsageError(`tables: bad --env "${flags.env}"`);
      const base = join('env', `.env.${flags.env}`);
      if (!existsSync(base)) throw new UsageError(`tables: ${base} not found`);
      for (const file of [base, `${base}.user`]) {
        if (existsSync(file)) layers.push(parseDotenv(readFileSync(file, 'utf8')).values);
      }
    }
    const env = layerEnv(environment, layers);
    // Only what reaches storage matters here; the app's other settings are not checked.
    const config = loadConfig({
      TABLES_ENDPOINT: env['TABLES_ENDPOINT'],
      TABLES_CONNECTION_STRING: env['TABLES_CONNECTION_STRING'],
      TABLE_PREFIX: env['TABLE_PREFIX'],
    });
    const access = accessFor(config.storage);
    if (verb === 'export') {
      if (flags.out === undefined || flags.from !== undefined || flags.overwrite === true)
        throw new UsageError('tables export: needs --out DIR (and takes no --from or --overwrite)');
      const manifest = await exportTables(access, {
        prefix: config.tablePrefix,
        outDir: flags.out,
        now: now(),
      });
      for (const t of manifest.tables) out(`exported ${t.name}: ${t.entities} entities`);
      out(`backup written to ${flags.out}`);
    } else {
      if (flags.from === undefined || flags.out !== undefined)
        throw new UsageError('tables import: needs --from DIR (and takes no --out)');
      const done = await importTables(access, {
        prefix: config.tablePrefix,
        fromDir: flags.from,
        overwrite: flags.overwrite === true,
      });
      for (const t of done) out(`imported ${t.name}: ${t.entities} entities`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof BackupError || e instanceof ConfigError) {
      err(oneLine(e.message));
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(
    process.argv.slice(2),
    process.env,
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(`tables: ${oneLine(e)}\n`);
      process.exitCode = 1;
    },
  );
}
