// Azurite as a child process and createTableClients against it: real HTTP, real files, real signals.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RestError, type TableClient } from '@azure/data-tables';
import { createLogger, silentLogger, type Level } from '../../src/log';
import {
  AZURITE_AUTOSAVE_MS,
  isPortFree,
  isProcessAlive,
  startAzurite,
  type Azurite,
} from '../../src/adapters/storage/azurite';
import {
  createTableClients,
  StorageConfigError,
  type StorageHandle,
} from '../../src/adapters/storage/tables';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

const ROOT = resolve(__dirname, '../..');

/** Every Azurite a test starts, so afterAll can stop the ones a failing test left behind. */
const started: Azurite[] = [];
const tmpDirs: string[] = [];

async function start(options: Parameters<typeof startAzurite>[0] = {}): Promise<Azurite> {
  const azurite = await startAzurite(options);
  started.push(azurite);
  return azurite;
}

async function restart(azurite: Azurite): Promise<Azurite> {
  const next = await azurite.restart();
  started.push(next);
  return next;
}

function tmpDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sla-desk-azurite-'));
  tmpDirs.push(dir);
  return dir;
}

async function openTable(connectionString: string, name: string): Promise<StorageHandle> {
  return createTableClients({ kind: 'connection-string', connectionString }, [name], silentLogger);
}

async function readNote(client: TableClient, rowKey: string): Promise<string | undefined> {
  try {
    const entity = await client.getEntity<{ note: string }>('p', rowKey);
    return entity.note;
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

afterAll(async () => {
  await Promise.all(started.map((azurite) => azurite.stop()));
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe('an in-memory Azurite on a free port', () => {
  let storage: TestAzurite;
  beforeAll(async () => {
    storage = await startTestAzurite();
    started.push(storage.azurite);
  });

  test('the connection string is the devstoreaccount1 one with this port', () => {
    expect(storage.azurite.port).toBeGreaterThan(0);
    expect(storage.connectionString).toContain('AccountName=devstoreaccount1;');
    expect(storage.connectionString).toContain(
      `TableEndpoint=http://127.0.0.1:${storage.azurite.port}/devstoreaccount1;`,
    );
  });

  test('createTableClients creates the table, and an entity goes in and comes back over HTTP', async () => {
    const name = uniqueTableName('roundtrip');
    const handle = await openTable(storage.connectionString, name);
    const table = handle.table(name);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r1', note: 'hello', count: 3 });
    const back = await table.getEntity<{ note: string; count: number }>('p', 'r1');
    expect(back).toMatchObject({ partitionKey: 'p', rowKey: 'r1', note: 'hello', count: 3 });
    await handle.close();
  });

  test('opening tables that already exist is not an error', async () => {
    const name = uniqueTableName('twice');
    await openTable(storage.connectionString, name);
    const again = await openTable(storage.connectionString, name);
    await expect(readNote(again.table(name), 'none')).resolves.toBeUndefined();
  });

  test('in memory means no data directory, and a restart on the same port starts empty', async () => {
    const azurite = await start();
    expect(azurite.location).toBeUndefined();
    const name = uniqueTableName('memory');
    const handle = await openTable(azurite.connectionString, name);
    await handle.table(name).createEntity({ partitionKey: 'p', rowKey: 'r', note: 'gone soon' });

    const next = await restart(azurite);
    expect(next.port).toBe(azurite.port);
    await expect(handle.table(name).getEntity('p', 'r')).rejects.toMatchObject({
      statusCode: 404,
      details: { errorCode: 'TableNotFound' },
    });
    await next.stop();
  });
});

describe('an Azurite keeping its data in a directory', () => {
  test('the data survives stop and start on the same port and directory', async () => {
    const dir = join(tmpDir(), 'nested', 'azurite');
    const azurite = await start({ location: dir });
    expect(azurite.location).toBe(dir);
    const name = uniqueTableName('persist');
    const handle = await openTable(azurite.connectionString, name);
    await handle.table(name).createEntity({ partitionKey: 'p', rowKey: 'r', note: 'kept' });

    await azurite.stop();
    await expect(azurite.exited).resolves.toBeUndefined();
    const next = await restart(azurite);
    expect([next.port, next.location]).toEqual([azurite.port, dir]);
    expect(await readNote(handle.table(name), 'r')).toBe('kept');
    await next.stop();
  });

  test('after a SIGKILL, a restart keeps every write Azurite had saved (it autosaves every 5 s)', async () => {
    const dir = tmpDir();
    const azurite = await start({ location: dir });
    const name = uniqueTableName('crash');
    const handle = await openTable(azurite.connectionString, name);
    await handle.table(name).createEntity({ partitionKey: 'p', rowKey: 'saved', note: 'on disk' });
    const dataFile = join(dir, '__azurite_db_table__.json');
    await until(
      'the autosave',
      () => readFileSync(dataFile, 'utf8').includes('"saved"'),
      AZURITE_AUTOSAVE_MS + 3_000,
    );

    azurite.kill();
    await azurite.exited;
    expect(isProcessAlive(azurite.pid)).toBe(false);
    const next = await restart(azurite);
    expect(await readNote(handle.table(name), 'saved')).toBe('on disk');
    await next.stop();
  });

  test('a second Azurite refuses a directory that a running one uses', async () => {
    const dir = tmpDir();
    const first = await start({ location: dir });
    await expect(start({ location: dir })).rejects.toMatchObject({ code: 'AZURITE_DATA_DIR_IN_USE' });
    await first.stop();
    expect(readdirSync(dir)).not.toContain('azurite.lock');
  });

  test('a lock left by a crashed Azurite, or naming a process that is not Azurite, does not block a start', async () => {
    const dir = tmpDir();
    for (const stale of [2 ** 22 + 1, process.pid]) {
      writeFileSync(join(dir, 'azurite.lock'), String(stale));
      const azurite = await start({ location: dir });
      await azurite.stop();
    }
    expect(readdirSync(dir)).not.toContain('azurite.lock');
  });

  test('a fixed port that is taken is refused with a clear error', async () => {
    const first = await start();
    await expect(start({ port: first.port })).rejects.toMatchObject({
      code: 'AZURITE_PORT_IN_USE',
      message: expect.stringContaining(`127.0.0.1:${first.port}`) as unknown,
    });
    await first.stop();
  });

  test('when the process that started Azurite dies, Azurite stops too and keeps what it had', async () => {
    const dir = tmpDir();
    const name = uniqueTableName('orphan');
    const script = `
      const { startAzurite } = require(${JSON.stringify(join(ROOT, 'src/adapters/storage/azurite.ts'))});
      const { createTableClients } = require(${JSON.stringify(join(ROOT, 'src/adapters/storage/tables.ts'))});
      const { silentLogger } = require(${JSON.stringify(join(ROOT, 'src/log.ts'))});
      (async () => {
        const azurite = await startAzurite({ location: ${JSON.stringify(dir)} });
        const storage = await createTableClients(
          { kind: 'connection-string', connectionString: azurite.connectionString }, [${JSON.stringify(name)}], silentLogger);
        await storage.clients[${JSON.stringify(name)}].createEntity({ partitionKey: 'p', rowKey: 'r', note: 'last words' });
        console.log(JSON.stringify({ pid: azurite.pid }));
        setInterval(() => undefined, 1000);
      })();`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: 'pipe' });
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    parent.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await until('the parent to start Azurite', () => out.includes('{"pid"'), 30_000);
    } finally {
      parent.kill('SIGKILL');
    }
    const { pid } = JSON.parse(out.slice(out.indexOf('{"pid"')).split('\n')[0] ?? '') as { pid: number };

    await until(`Azurite (pid ${pid}) to exit`, () => !isProcessAlive(pid), 15_000);
    const next = await start({ location: dir });
    const handle = await openTable(next.connectionString, name);
    expect(await readNote(handle.table(name), 'r')).toBe('last words');
    await next.stop();
  });
});

describe('createTableClients', () => {
  test('embedded mode starts Azurite under <dataDir>/azurite, says so in one info line, and close() stops it', async () => {
    const dataDir = tmpDir();
    const lines: { level: Level; line: string }[] = [];
    const log = createLogger({
      json: false,
      level: 'debug',
      sink: (line, level) => lines.push({ level, line }),
    });
    const names = [uniqueTableName('tickets'), uniqueTableName('outbox')] as const;

    const storage = await createTableClients({ kind: 'embedded', dataDir }, names, log);
    try {
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(storage.connectionString ?? '')?.[1]);
      expect(lines.filter((l) => l.level === 'info')).toHaveLength(1);
      expect(lines[0]?.line).toContain(`http://127.0.0.1:${port}/devstoreaccount1`);
      expect(lines[0]?.line).toContain(join(dataDir, 'azurite'));
      expect(existsSync(join(dataDir, 'azurite', '__azurite_db_table__.json'))).toBe(true);

      await storage.table(names[1]).createEntity({ partitionKey: 'p', rowKey: 'r', note: 'queued' });
      expect(await readNote(storage.table(names[1]), 'r')).toBe('queued');

      await storage.close();
      expect(await isPortFree(port)).toBe(true);
    } finally {
      await storage.close(); // a second close is a no-op
    }
  });

  test('refuses table names Azure would refuse', async () => {
    const storage = { kind: 'connection-string', connectionString: 'UseDevelopmentStorage=true' } as const;
    for (const bad of ['ab', '1tickets', 'tick-ets', 'tables', 'x'.repeat(64)]) {
      await expect(createTableClients(storage, [bad], silentLogger)).rejects.toBeInstanceOf(
        StorageConfigError,
      );
    }
  });

  test('refuses plain http to anything but loopback, and managed identity without https', async () => {
    const remote =
      'DefaultEndpointsProtocol=http;AccountName=a;AccountKey=a2V5;TableEndpoint=http://storage.example/a;';
    await expect(
      createTableClients({ kind: 'connection-string', connectionString: remote }, ['tickets'], silentLogger),
    ).rejects.toMatchObject({ code: 'STORAGE_CONFIG_INVALID' });
    await expect(
      createTableClients(
        { kind: 'managed-identity', endpoint: 'http://a.table.core.windows.net' },
        ['tickets'],
        silentLogger,
      ),
    ).rejects.toMatchObject({ code: 'STORAGE_CONFIG_INVALID' });
  });
});
