// A pasted image is fetched with the bot's own Bot Framework token, and only from a Teams service host; a file
// sent in chat (its pre-authorised SharePoint link) gets no token. With Bot Framework authentication on: the
// activity's token checked against a fake Entra, the bot's outbound token fetched from it.
import type { App } from '../../src/app';
import { FILE_DOWNLOAD_INFO } from '../../src/adapters/teams/chat-files';
import { CONTOSO, aFiling } from '../fixtures/filing';
import { personalMessage, post } from '../support/activities';
import type { TestClock } from '../support/app';
import { startWithBotAuth } from '../support/authed';
import { cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { BOT_FRAMEWORK_ISSUER, botFrameworkClaims, type FakeEntra } from '../support/entra';
import { startFakeFileHost, type FakeFileHost } from '../support/file-host';

const APP_ID = '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
const CHAT = 'a:ann-token-chat';
let connector: FakeConnector;
let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
let host: FakeFileHost;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') };

beforeAll(async () => {
  host = await startFakeFileHost();
  ({ connector, entra, app, stop } = await startWithBotAuth({
    clock,
    appId: APP_ID,
    password: 'bot-secret',
    // The fake file host and the fake connector share 127.0.0.1: both a file host and a Teams service host.
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso`, ATTACHMENT_HOSTS: '127.0.0.1' },
  }));
});
afterAll(async () => {
  await stop();
  await host.stop();
});

it('sends the bot token with a pasted image and none with a sent file', async () => {
  const made = await app.tickets.file(
    aFiling({
      title: 'Dial pad greyed out',
      customerChat: { conversationId: CHAT, serviceUrl: connector.serviceUrl, userId: '29:ann' },
    }),
  );
  if (!made.ok) throw made.error;
  const id = made.value.ticket.id;
  await app.background.drain();
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(64),
  ]);
  const image = host.put('/amer/v3/attachments/0-eus-d3/views/original', {
    kind: 'file',
    body: png,
    contentType: 'image/png',
  });
  const file = host.put('/personal/ann/download.aspx', { kind: 'file', body: Buffer.from('call log') });
  const activity = {
    ...personalMessage({
      tenantId: CONTOSO,
      userId: '29:ann',
      userName: 'Ann Customer',
      conversationId: CHAT,
      serviceUrl: connector.serviceUrl,
      text: `${id}: screenshot and log`,
    }),
    attachments: [
      { contentType: 'image/*', contentUrl: image },
      { contentType: 'text/html', content: `<p>screenshot and log <img src="${image}"></p>` },
      {
        contentType: FILE_DOWNLOAD_INFO,
        name: 'calls.log',
        content: { downloadUrl: file, uniqueId: 'u-1', fileType: 'log' },
      },
    ],
  };
  const res = await post(
    `${app.url}/api/messages`,
    activity,
    entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl)),
  );
  expect(res.status).toBe(200);
  await app.background.drain();

  const imageRequest = host.requests.find((r) => r.path === '/amer/v3/attachments/0-eus-d3/views/original');
  const token = /^Bearer (.+)$/.exec(imageRequest?.authorization ?? '')?.[1] ?? '';
  // The bot's own token from the authority, for the Bot Framework: not the token Teams sent us.
  const claims = entra.verifyToken(token, { audience: BOT_FRAMEWORK_ISSUER });
  expect(claims?.['appid']).toBe(APP_ID);
  expect(host.requests.find((r) => r.path === '/personal/ann/download.aspx')?.authorization).toBeUndefined();

  const told = connector
    .sent()
    .filter((r) => r.conversationId === CHAT)
    .map((r) => cardsOf(r.activity)[0])
    .filter((c) => c !== undefined)
    .map((c) => cardText(c))
    .find((t) => t.startsWith(`Files for ${id}`));
  expect(told).toContain(`Attached to ${id}: pasted-image-1.png (72 bytes) and calls.log (8 bytes).`);
});
