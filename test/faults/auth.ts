// Authentication under attack: with a bot id configured, /api/messages refuses every request whose Bot Framework
// token is missing, expired, wrongly signed, for another bot, from another issuer, for another service URL,
// unsigned (alg none) or garbage: 401, the turn never runs, nothing is sent or stored. Activities with a good
// token that are not Teams' (Web Chat, Direct Line, another service URL, a tenant issuer) get 403. And local mode (no
// authentication) cannot be switched on in production or off loopback: the real entry point refuses to start.
// Download links (`/api/files/<token>`) that no server signed, or that expired, open nothing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { App } from '../../src/app';
import { keyPeriod, signLink } from '../../src/adapters/api/file-link-token';
import { actionExecute, personalMessage, post } from '../support/activities';
import { startTestAzurite } from '../support/azurite';
import { startFakeConnector } from '../support/connector';
import { botAuthOptions } from '../support/authed';
import { botFrameworkClaims, startFakeEntra, type FakeEntra } from '../support/entra';
import { startTestApp } from '../support/app';
import { emptyResult, type ScenarioResult } from './rig';
import { differences, snapshot } from './verify';
import { CUSTOMER_TENANTS, peopleEnv } from './world';

const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const PASSWORD = 'not-a-real-secret';
const [TENANT] = CUSTOMER_TENANTS[0];

function unsigned(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

/** Bad tokens by name; each must get 401. */
function badTokens(entra: FakeEntra, serviceUrl: string): [string, string | undefined][] {
  const claims = botFrameworkClaims(APP_ID, serviceUrl);
  return [
    ['no token', undefined],
    ['expired', entra.mintToken(claims, { expired: true })],
    ['wrongly signed', entra.mintToken(claims, { foreignKey: true })],
    ['wrong audience', entra.mintToken(claims, { audience: 'someone-else' })],
    ['wrong issuer', entra.mintToken(claims, { issuer: 'https://evil.example' })],
    [
      'another service URL',
      entra.mintToken(botFrameworkClaims(APP_ID, 'https://smba.trafficmanager.net/amer/')),
    ],
    ['unknown key id', entra.mintToken(claims, { kid: 'unknown-kid' })],
    ['alg none', unsigned({ ...claims })],
    ['not yet valid', entra.mintToken({ ...claims, nbf: Math.floor(Date.now() / 1000) + 3600 })],
    ['garbage', 'not.a.jwt'],
    ['empty bearer', ''],
  ];
}

/** Download links no server made (`/api/files/<token>`), by name; each must get 404. */
function badLinks(): [string, string][] {
  const now = Date.now();
  const claims = {
    keyId: keyPeriod(now),
    attachmentId: 'f1',
    ticketId: 'TM-1',
    tenantId: TENANT,
    viewerId: 'someone',
    expiresAt: now + 60_000,
  };
  const forged = signLink(randomBytes(32), claims);
  return [
    ['signed with a guessed key', `/api/files/${forged}`],
    ['expired', `/api/files/${signLink(randomBytes(32), { ...claims, expiresAt: now - 1 })}`],
    ['without its signature', `/api/files/${forged.split('.')[0] ?? ''}`],
    ['garbage', '/api/files/not.a.link'],
  ];
}

/** Activities with a valid token that are not Teams' (another channel, service URL or issuer); each must get 403. */
function notTeams(
  entra: FakeEntra,
  serviceUrl: string,
  body: Record<string, unknown>,
): [string, Record<string, unknown>, string][] {
  const token = (url: string) => entra.mintToken(botFrameworkClaims(APP_ID, url));
  const elsewhere = serviceUrl.replace('127.0.0.1', 'localhost');
  const seconds = Math.floor(Date.now() / 1000);
  const tenantToken = entra.mintToken({
    iss: `https://sts.windows.net/${TENANT}/`,
    tid: TENANT,
    ver: '1.0',
    appid: APP_ID,
    aud: APP_ID,
    nbf: seconds - 60,
    exp: seconds + 3600,
  });
  return [
    ...['webchat', 'directline', 'directlinease', 'emulator', 'slack'].map(
      (channelId) =>
        [`channel ${channelId}`, { ...body, channelId }, token(serviceUrl)] as [
          string,
          Record<string, unknown>,
          string,
        ],
    ),
    ["a service URL not Teams'", { ...body, serviceUrl: elsewhere }, token(elsewhere)],
    [
      'the Direct Line service URL',
      { ...body, serviceUrl: 'https://directline.botframework.com/' },
      token('https://directline.botframework.com/'),
    ],
    ['a tenant (emulator) issuer', body, tenantToken],
  ];
}

export async function authentication(): Promise<ScenarioResult> {
  const started = Date.now();
  const result = emptyResult('authentication (bad tokens, local mode in production)');
  const azurite = await startTestAzurite();
  const connector = await startFakeConnector();
  // Endorsed for other channels too, like the Bot Framework's real keys: the SDK alone would let Web Chat in.
  const entra = await startFakeEntra({
    endorsements: ['msteams', 'webchat', 'directline', 'emulator', 'slack'],
  });
  entra.registerApp(APP_ID, PASSWORD);
  const prefix = `au${Date.now().toString(36)}`;
  let app: App | undefined;
  try {
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock: { now: Date.now() },
      env: {
        ...peopleEnv(),
        BOT_ID: APP_ID,
        BOT_PASSWORD: PASSWORD,
        TABLE_PREFIX: prefix,
        THREAD_REPAIR_INTERVAL_MS: '0',
      },
      botAuth: botAuthOptions(entra, { appId: APP_ID, password: PASSWORD }),
    });
    const who = {
      serviceUrl: connector.serviceUrl,
      tenantId: TENANT,
      userId: '29:auth',
      userName: 'Auth Test',
    };
    const bodies = [
      personalMessage({ ...who, text: 'help' }),
      personalMessage({ ...who, text: 'new ticket' }),
      actionExecute(
        'ticket.submit',
        {
          verb: 'ticket.submit',
          requestId: 'auth-1',
          title: 'x',
          description: 'y',
          category: 'question',
          priority: 'P3',
        },
        { ...who, replyToId: 'form' },
      ),
    ];
    const before = await snapshot(app.storage, prefix);
    // botbuilder prints every refused token with console.error; the table says what matters.
    const quiet = { error: console.error, log: console.log };
    console.error = () => undefined;
    console.log = () => undefined;
    for (const [name, token] of badTokens(entra, connector.serviceUrl)) {
      for (const body of bodies) {
        connector.clear();
        const res = await post(`${app.url}/api/messages`, body, token);
        result.operations++;
        result.faults++;
        if (res.status !== 401) result.failures.push(`${name}: answered ${res.status}, not 401`);
        await app.background.drain();
        if (connector.requests().length > 0)
          result.failures.push(`${name}: the turn ran (the bot sent something)`);
      }
    }
    for (const body of bodies) {
      for (const [name, activity, token] of notTeams(entra, connector.serviceUrl, { ...body })) {
        connector.clear();
        const res = await post(`${app.url}/api/messages`, activity, token);
        result.operations++;
        result.faults++;
        if (res.status !== 403) result.failures.push(`${name}: answered ${res.status}, not 403`);
        await app.background.drain();
        if (connector.requests().length > 0)
          result.failures.push(`${name}: the turn ran (the bot sent something)`);
      }
    }
    console.error = quiet.error;
    console.log = quiet.log;
    // Download links that are forged, expired or junk: the same 404 page, nothing stored (no key is made).
    for (const [name, path] of badLinks()) {
      const res = await fetch(`${app.url}${path}`);
      result.operations++;
      result.faults++;
      if (res.status !== 404) result.failures.push(`link ${name}: answered ${res.status}, not 404`);
    }
    const changed = differences(before, await snapshot(app.storage, prefix));
    if (changed.length > 0)
      result.failures.push(`refused requests changed storage: ${changed.slice(0, 5).join(', ')}`);
    // The control: a good token gets in.
    const ok = await post(
      `${app.url}/api/messages`,
      bodies[0] ?? {},
      entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl)),
    );
    result.operations++;
    if (ok.status !== 200) result.failures.push(`a valid token answered ${ok.status}`);
  } finally {
    await app?.stop();
    await entra.stop();
    await connector.stop();
    await azurite.stop();
  }
  // The real entry point refuses unsafe settings before listening.
  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'production without BOT_ID',
      { NODE_ENV: 'production', TABLES_ENDPOINT: 'https://x.table.core.windows.net' },
      /BOT_ID is required in production/,
    ],
    ['local mode off loopback', { HOST: '0.0.0.0' }, /only listens on loopback/],
  ];
  for (const [name, env, message] of refusals) {
    const { code, output } = await runEntry(env);
    result.operations++;
    result.faults++;
    if (code !== 2 || !message.test(output))
      result.failures.push(`${name}: exit ${code}, said ${output.slice(0, 200)}`);
  }
  result.seconds = (Date.now() - started) / 1000;
  result.notes.push(
    `11 kinds of bad token × 3 requests refused (401); 8 activities not from Teams (channel, service URL, issuer) × 3 refused (403); 4 forged or expired download links refused (404); production and off-loopback local mode refused at start`,
  );
  return result;
}

function runEntry(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: resolve(__dirname, '../..'),
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}
