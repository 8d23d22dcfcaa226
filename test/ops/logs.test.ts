// Structured logs over real HTTP: a customer files a ticket with a real Bot Framework token, the watcher delivers
// its warnings; every line is JSON with level/time/msg, carries the turn's or job's ids, and never the token,
// the bot's secret or what the customer typed.
import type { App } from '../../src/app';
import { createLogger, withLogContext } from '../../src/log';
import { loadConfig } from '../../src/config';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, personalMessage, post, type JsonObject } from '../support/activities';
import { startWithBotAuth } from '../support/authed';
import { cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { botFrameworkClaims, type FakeEntra } from '../support/entra';
import { supportChannel, type TestClock } from '../support/app';

const APP_ID = '5c1e0d3a-7b2f-4e8a-9c6d-0f1a2b3c4d5e';
const PASSWORD = 'bot-secret-never-logged-7f3a';
const TITLE = 'Quokka-marmalade gateway refuses calls';
const DESCRIPTION = 'Our zebra-quartz trunk drops every call after 12 seconds.';
const CHANNEL = '19:logs-support@thread.tacv2';
let connector: FakeConnector;
let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const lines: string[] = [];
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') }; // Wednesday, support open

beforeAll(async () => {
  ({ connector, entra, app, stop } = await startWithBotAuth({
    appId: APP_ID,
    password: PASSWORD,
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso` },
    log: createLogger({ json: true, level: 'debug', sink: (line) => lines.push(line) }),
  }));
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
});
afterAll(() => stop());

type Line = Record<string, unknown>;
const parsed = (): Line[] => lines.map((l) => JSON.parse(l) as Line);
const who = { serviceUrl: () => connector.serviceUrl, tenantId: CONTOSO, userId: '29:ann', userName: 'Ann' };

function formData(card: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (typeof o['type'] === 'string' && o['type'].startsWith('Input.') && typeof o['id'] === 'string')
        out[o['id']] = typeof o['value'] === 'string' ? o['value'] : '';
      if (o['type'] === 'Action.Execute' && o['verb'] === 'ticket.submit') Object.assign(out, o['data']);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('log lines of a customer filing a ticket and of the deliveries that follow', () => {
  let token = '';
  let ticketId = '';
  let submitId = '';
  let conversation = '';

  it('a turn: every line names the activity, conversation and tenant, and the ticket once filed', async () => {
    token = entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl));
    connector.clear();
    const hello = personalMessage({ ...who, serviceUrl: who.serviceUrl(), text: 'new ticket' });
    expect((await post(`${app.url}/api/messages`, hello, token)).status).toBe(200);
    const form = connector.sent().flatMap((r) => cardsOf(r.activity))[0] ?? {};
    const data: JsonObject = {
      ...formData(form),
      title: TITLE,
      description: DESCRIPTION,
      category: 'partial-outage',
      priority: 'P2',
      affectedUsers: '12',
    };
    const submit = actionExecute(
      'ticket.submit',
      { verb: 'ticket.submit', ...data },
      {
        ...who,
        serviceUrl: who.serviceUrl(),
        replyToId: '1:card',
      },
    );
    submitId = submit.id;
    conversation = String((submit.conversation as { id?: unknown } | undefined)?.id);
    const res = await post(`${app.url}/api/messages`, submit, token);
    expect(res.status).toBe(200);
    ticketId = /TM-\d+/.exec(cardText((res.body as { value?: unknown }).value))?.[0] ?? '';
    expect(ticketId).not.toBe('');
    await app.background.drain();

    const turn = parsed().filter((l) => l['activity'] === submitId);
    expect(turn.map((l) => l['msg'])).toEqual(expect.arrayContaining(['turn started', 'turn answered']));
    for (const l of turn) {
      expect(l).toMatchObject({ conversation, tenant: CONTOSO });
      expect(typeof l['time']).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(l['level']);
    }
    // Once filed, the rest of the turn (and the background jobs it started) name the ticket.
    const answered = turn.findIndex((l) => l['msg'] === 'turn answered');
    expect(turn[answered]?.['ticket']).toBe(ticketId);
  });

  it("the watcher's deliveries: each line names the pass, the ticket, its tenant and the outbox entry", async () => {
    lines.length = 0;
    clock.now += 100 * 60_000; // 100 of the P2's 120 response minutes: warnings are due
    await app.watcher.pass();
    const sent = parsed().filter((l) => l['msg'] === 'outbox: sent');
    expect(sent.length).toBeGreaterThan(0);
    for (const l of sent) {
      expect(l).toMatchObject({ ticket: ticketId, tenant: CONTOSO });
      expect(String(l['entry'])).toMatch(new RegExp(`^${ticketId}/w\\|response\\|`));
      expect(typeof l['watcherPass']).toBe('number');
    }
    const pass = parsed().find((l) => l['msg'] === 'watcher pass');
    expect(pass).toMatchObject({ watcherPass: sent[0]?.['watcherPass'], delivered: sent.length });
  });

  it('a failed background job writes an error line with its stack, inside its context', async () => {
    await withLogContext({ ticket: ticketId }, async () => {
      app.background.run('probe', 'the probe job', () => Promise.reject(new Error('probe failure')));
      await app.background.drain();
    });
    const line = parsed().find((l) => l['msg'] === 'the probe job failed');
    expect(line).toMatchObject({ level: 'error', job: 'probe', ticket: ticketId });
    expect((line?.['err'] as { stack?: string } | undefined)?.stack).toMatch(/Error: probe failure\n\s+at /);
  });

  it('no line holds the token, the secret or what the customer typed; every line is JSON', () => {
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split('.')[2] ?? token);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('Quokka');
    expect(all).not.toContain('zebra-quartz');
  });

  it('LOG_LEVEL: debug, info, warn or error; anything else stops startup', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
    const written: string[] = [];
    const log = createLogger({ json: true, level: 'warn', sink: (l) => written.push(l) });
    log.info('quiet');
    log.warn('loud', { authorization: 'Bearer abc', headers: { authorization: 'Bearer def' } });
    expect(written).toHaveLength(1);
    expect(written[0]).not.toMatch(/abc|def/);
  });
});
