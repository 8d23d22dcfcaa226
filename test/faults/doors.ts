// Two doors an attacker tried. Local mode (no authentication) reached through a tunnel or a DNS-rebinding page:
// a foreign Host or forwarding headers get 4xx on every route, no local token is issued, the bot's turn never
// runs, nothing is stored. And a flood of refused look-ups with the default rate limits: 429s after the burst,
// and an audit trail bounded by the limits (refused look-ups the limit let through, one `throttled` row a window).
import { request } from 'node:http';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { personalMessage } from '../support/activities';
import { startTestApp } from '../support/app';
import { startTestAzurite } from '../support/azurite';
import { startFakeConnector } from '../support/connector';
import type { ScenarioResult } from './rig';
import { differences, snapshot } from './verify';
import { CUSTOMER_TENANTS, peopleEnv } from './world';

const [B_TENANT] = CUSTOMER_TENANTS[1];

/** A request with a chosen Host header (fetch cannot set it); the status and the text. */
function send(
  app: App,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const url = new URL(app.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** An app as `npm start` runs it (local mode, local sign-in) with the faults' people, on its own Azurite. */
async function localApp<T>(env: Record<string, string>, run: (app: App) => Promise<T>): Promise<T> {
  const azurite = await startTestAzurite();
  let app: App | undefined;
  try {
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock: { now: Date.parse('2026-11-25T10:00:00-05:00') },
      env: { ...peopleEnv(), THREAD_REPAIR_INTERVAL_MS: '0', ...env },
    });
    return await run(app);
  } finally {
    await app?.stop();
    await azurite.stop();
  }
}

/** Local mode through a tunnel or a rebound DNS name: refused everywhere. */
export async function localDoors(result: ScenarioResult): Promise<void> {
  const connector = await startFakeConnector();
  try {
    await localApp({}, async (app) => {
      const port = new URL(app.url).port;
      const manager = `/api/auth/local/token?persona=manager:${loadConfig(peopleEnv()).oncall.manager ?? ''}`;
      const ok = await send(app, 'POST', manager, { host: `127.0.0.1:${port}` });
      result.operations++;
      if (ok.status !== 200) result.failures.push(`local sign-in on loopback answered ${ok.status}`);
      const token = (JSON.parse(ok.text) as { access_token?: string }).access_token ?? '';
      const before = await snapshot(app.storage, app.config.tablePrefix);
      const ways: [string, Record<string, string>][] = [
        ['a foreign Host', { host: 'attacker.example' }],
        ['a foreign Host with the port', { host: `attacker.example:${port}` }],
        ['a rebound name', { host: `127.0.0.1.attacker.example:${port}` }],
        ['X-Forwarded-For', { host: `localhost:${port}`, 'x-forwarded-for': '203.0.113.9' }],
        ['X-Forwarded-Host', { host: `localhost:${port}`, 'x-forwarded-host': 'tunnel.example' }],
        ['Forwarded', { host: `127.0.0.1:${port}`, forwarded: 'for=203.0.113.9;proto=https' }],
        ['X-Original-Host', { host: `127.0.0.1:${port}`, 'x-original-host': 'tunnel.example' }],
      ];
      const doors: [string, string, unknown][] = [
        ['POST', manager, undefined],
        ['GET', '/api/queue', undefined],
        ['GET', '/api/dashboard', undefined],
        ['GET', '/tab/index.html', undefined],
        ['POST', '/api/messages', personalMessage({ serviceUrl: connector.serviceUrl, text: 'my tickets' })],
      ];
      connector.clear();
      for (const [name, headers] of ways)
        for (const [method, path, body] of doors) {
          const res = await send(app, method, path, { ...headers, authorization: `Bearer ${token}` }, body);
          result.operations++;
          result.faults++;
          if (res.status !== 421 && res.status !== 403)
            result.failures.push(`local mode, ${name}, ${method} ${path}: answered ${res.status}`);
          if (res.text.includes('access_token'))
            result.failures.push(`local mode, ${name}: a local token was issued`);
        }
      await app.background.drain();
      if (connector.requests().length > 0)
        result.failures.push('local mode: a refused activity ran (the bot sent something)');
      const changed = differences(before, await snapshot(app.storage, app.config.tablePrefix));
      if (changed.length > 0)
        result.failures.push(`local mode refusals changed storage: ${changed[0] ?? ''}`);
    });
  } finally {
    await connector.stop();
  }
  result.notes.push('local mode: foreign Host and forwarding headers refused on token, API, tab and bot');
}

/**
 * A customer floods the tab API with look-ups of ids that are not theirs, with the default limits (30 per user a
 * 10 s window, refilled at 3 a second): after the burst they get 429 with Retry-After, and the audit log holds at
 * most what the limit let through plus one `throttled` row a window.
 */
export async function flood(result: ScenarioResult, count = 200): Promise<void> {
  // The default limits, whatever the faults' people settings say.
  const d = loadConfig({}).limits;
  const env = {
    RATE_LIMIT_USER: String(d.user),
    RATE_LIMIT_TENANT: String(d.tenant),
    RATE_LIMIT_CLIENT: String(d.client),
  };
  await localApp(env, async (app) => {
    const res = await fetch(`${app.url}/api/auth/local/token?persona=customer:${B_TENANT}`, {
      method: 'POST',
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const started = Date.now();
    const statuses = new Map<number, number>();
    let retryAfter = true;
    for (let i = 0; i < count; i++) {
      const r = await fetch(`${app.url}/api/tickets/TM-${500_000 + i}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await r.text();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 429 && r.headers.get('retry-after') === null) retryAfter = false;
      result.operations++;
      result.faults++;
    }
    const seconds = (Date.now() - started) / 1000;
    const day = new Date(app.deps.now()).toISOString().slice(0, 10);
    const rows = await app.deps.audit.day(day);
    const lookups = rows.filter((e) => e.action === 'api.ticket').length;
    const throttledRows = rows.filter((e) => e.action === 'api.throttled').length;
    const cfg = app.config.limits;
    const allowed = cfg.user + Math.ceil((seconds * 1000 * cfg.user) / cfg.windowMs) + 1;
    const windows = Math.ceil((seconds * 1000) / cfg.windowMs) + 1;
    const answered = statuses.get(404) ?? 0;
    const throttled = statuses.get(429) ?? 0;
    if (answered + throttled !== count)
      result.failures.push(`flood: answers other than 404 and 429: ${JSON.stringify([...statuses])}`);
    if (throttled === 0) result.failures.push('flood: no request was throttled');
    if (!retryAfter) result.failures.push('flood: a 429 came without Retry-After');
    if (answered > allowed) result.failures.push(`flood: ${answered} look-ups let through, limit ${allowed}`);
    if (lookups > answered)
      result.failures.push(`flood: ${lookups} refused look-ups audited for ${answered}`);
    if (throttledRows < 1 || throttledRows > windows)
      result.failures.push(`flood: ${throttledRows} throttled rows in ${windows} windows`);
    result.notes.push(
      `flood: ${count} look-ups in ${seconds.toFixed(1)} s: ${answered} answered (404), ${throttled} throttled (429); audit rows ${lookups} + ${throttledRows} throttled`,
    );
  });
}
