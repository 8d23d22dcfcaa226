// No 500 from hostile ids: a control character (C0, DEL, CR/LF) in an id that ends up in an outgoing URL path
// or header (conversation, from, recipient, replyToId, serviceUrl, the activity id, the tenant, the team and
// channel a support channel is registered by) is answered 400 naming the field, before any work: nothing is
// sent, nothing stored.
import type { App } from '../../src/app';
import { CONTOSO } from '../fixtures/filing';
import { actionExecute, personalMessage, post } from '../support/activities';
import { startWithConnector } from '../support/authed';
import type { FakeConnector } from '../support/connector';
import type { TestClock } from '../support/app';
import { snapshot } from '../faults/verify';

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') };

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso` },
  }));
});
afterAll(() => stop());

type Activity = Record<string, unknown>;
const who = () => ({ serviceUrl: connector.serviceUrl, tenantId: CONTOSO, userId: '29:ann' });
const message = (): Activity => ({ ...personalMessage({ ...who(), text: 'help' }) });
const invoke = (): Activity => ({
  ...actionExecute('help', { verb: 'help' }, { ...who(), replyToId: '1700000000001' }),
});

const CONTROLS: [string, string][] = [
  ['NUL', '\u0000'],
  ['CR LF', '\r\n'],
  ['LF', '\n'],
  ['TAB', '\t'],
  ['ESC', '\u001b'],
  ['US', '\u001f'],
  ['DEL', '\u007f'],
];

const FIELDS: [string, (a: Activity, c: string) => Activity][] = [
  [
    'conversation.id',
    (a, c) => ({ ...a, conversation: { ...(a['conversation'] as object), id: `a:1${c}x` } }),
  ],
  ['from.id', (a, c) => ({ ...a, from: { ...(a['from'] as object), id: `29:x${c}y` } })],
  ['recipient.id', (a, c) => ({ ...a, recipient: { ...(a['recipient'] as object), id: `28:x${c}y` } })],
  ['replyToId', (a, c) => ({ ...a, replyToId: `17${c}00` })],
  ['serviceUrl', (a, c) => ({ ...a, serviceUrl: `${connector.serviceUrl}a${c}b/` })],
  ['id', (a, c) => ({ ...a, id: `17${c}01` })],
  [
    'channelData.tenant.id',
    (a, c) => ({ ...a, channelData: { ...(a['channelData'] as object), tenant: { id: `${CONTOSO}${c}` } } }),
  ],
  [
    'channelData.team.id',
    (a, c) => ({
      ...a,
      channelData: { ...(a['channelData'] as object), team: { id: `19:t${c}@thread.tacv2` } },
    }),
  ],
  [
    'channelData.channel.id',
    (a, c) => ({
      ...a,
      channelData: { ...(a['channelData'] as object), channel: { id: `19:c${c}@thread.tacv2` } },
    }),
  ],
];

describe.each(FIELDS)('a control character in %s', (field, spoil) => {
  it.each(CONTROLS)('%s: 400 naming the field, nothing sent or stored', async (_name, control) => {
    const before = await snapshot(app.storage, app.config.tablePrefix);
    for (const make of [message, invoke]) {
      connector.clear();
      const res = await post(`${app.url}/api/messages`, spoil(make(), control));
      expect(res.status).toBe(400);
      expect((res.body as { error: string }).error).toBe(
        `not a valid activity: ${field} must not contain control characters`,
      );
      await app.background.drain();
      expect(connector.requests()).toHaveLength(0);
    }
    expect(await snapshot(app.storage, app.config.tablePrefix)).toEqual(before);
  });
});

it('the same activity without the control character is answered', async () => {
  connector.clear();
  const res = await post(`${app.url}/api/messages`, message());
  expect(res.status).toBe(200);
  await connector.waitFor((r) => r.activity !== undefined);
});
