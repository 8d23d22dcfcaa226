// Files a customer sends in the 1:1 chat, over real HTTP to /api/messages with the fake Bot Connector, a real
// Azurite (tables and blobs) and a fake Teams file host on loopback: attached to a new ticket and to a later
// message, refused for size, type, count and host (no request made), a failed download told while the message
// is kept, the thread's file lines and the customer's link card for files from support.
import { Readable } from 'node:stream';
import type { App } from '../../src/app';
import { FILE_DOWNLOAD_INFO } from '../../src/adapters/teams/chat-files';
import { customerNoticeCard } from '../../src/domain/cards/customer/notice';
import type { Ticket } from '../../src/domain/tickets/model';
import { personasOf } from '../../src/adapters/api/local-sign-in';
import { aFiling, CONTOSO, FABRIKAM } from '../fixtures/filing';
import { actionExecute, personalMessage, post, type JsonObject } from '../support/activities';
import { supportChannel, type TestClock } from '../support/app';
import { startWithConnector } from '../support/authed';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { startFakeFileHost, type FakeFileHost } from '../support/file-host';

const APP_ID = '0f6d3a2c-1111-4222-8333-944455556666';
const CHANNEL = '19:support@thread.tacv2';
const CHAT = 'a:ann-files-chat';
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
let host: FakeFileHost;
let foreign: FakeFileHost;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') }; // Wednesday, support open
const seenCards: unknown[] = [];

beforeAll(async () => {
  host = await startFakeFileHost();
  // Another loopback address, not in ATTACHMENT_HOSTS: a foreign host the app must never ask.
  foreign = await startFakeFileHost('127.0.0.2');
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso;${FABRIKAM}=Fabrikam`,
      ATTACHMENT_HOSTS: '127.0.0.1',
      ATTACHMENTS_PER_MESSAGE: '3',
      ATTACHMENT_MAX_MB: '1',
      TEAMS_APP_ID: APP_ID,
    },
  }));
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
});
afterAll(async () => {
  await stop();
  await host.stop();
  await foreign.stop();
  for (const card of seenCards) expect(cardProblems(card)).toEqual([]);
});

const ann = {
  tenantId: CONTOSO,
  userId: '29:ann',
  userName: 'Ann Customer',
  timezone: 'Europe/London',
  conversationId: CHAT,
};

/** Teams' attachment for a file sent in the chat (its download URL needs no token). */
function sentFile(name: string, url: string): JsonObject {
  return {
    contentType: FILE_DOWNLOAD_INFO,
    name,
    contentUrl: `https://contoso-my.sharepoint.com/personal/ann/Documents/Microsoft Teams Chat Files/${name}`,
    content: { downloadUrl: url, uniqueId: name, fileType: name.split('.').pop() ?? '' },
  };
}

/** A pasted image, with the rich-text copy Teams adds. */
function pasted(url: string): JsonObject[] {
  return [
    { contentType: 'image/*', contentUrl: url },
    { contentType: 'text/html', content: `<p><img src="${url}"></p>` },
  ];
}

/** Posts a chat message with attachments; the texts of the cards (or plain texts) the bot answered with. */
async function say(
  text: string,
  attachments: JsonObject[],
  replyToId?: string,
): Promise<{ cards: Record<string, unknown>[]; said: string }> {
  connector.clear();
  const activity = {
    ...personalMessage({
      ...ann,
      serviceUrl: connector.serviceUrl,
      text,
      ...(replyToId === undefined ? {} : { replyToId }),
    }),
    attachments,
  };
  const res = await post(`${app.url}/api/messages`, activity);
  expect(res.status).toBe(200);
  const sent = connector.sent().filter((r) => r.conversationId === CHAT);
  const cards = sent.flatMap((r) => cardsOf(r.activity));
  seenCards.push(...cards);
  return {
    cards,
    said: [...cards.map((c) => cardText(c)), ...sent.map((r) => r.activity?.text ?? '')].join('\n'),
  };
}

async function press(verb: string, data: Record<string, string>): Promise<string> {
  const res = await post(
    `${app.url}/api/messages`,
    actionExecute(verb, { verb, ...data }, { ...ann, serviceUrl: connector.serviceUrl, replyToId: '1:form' }),
  );
  const body = res.body as { type?: string; value?: unknown } | undefined;
  seenCards.push(body?.value);
  return body?.type === 'application/vnd.microsoft.card.adaptive'
    ? cardText(body.value)
    : JSON.stringify(body?.value);
}

/** The submit action's data and the inputs' values of a form card. */
function formData(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (typeof o['type'] === 'string' && o['type'].startsWith('Input.') && typeof o['id'] === 'string')
        out[o['id']] =
          typeof o['value'] === 'string' || typeof o['value'] === 'number' ? String(o['value']) : '';
      if (o['type'] === 'Action.Execute' && o['verb'] === 'ticket.submit') Object.assign(out, o['data']);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** What the customer's chat got after the turn: the files card of the background work. */
async function filesCard(ticketId: string): Promise<string> {
  await app.background.drain();
  const record = connector
    .sent()
    .filter((r) => r.conversationId === CHAT)
    .map((r) => cardsOf(r.activity)[0])
    .filter((c) => c !== undefined && cardText(c).startsWith(`Files for ${ticketId}`))
    .at(-1);
  seenCards.push(record);
  return record === undefined ? '' : cardText(record);
}

/** A ticket of Ann's, filed straight through the service, in her chat. */
async function annTicket(title: string): Promise<Ticket> {
  const made = await app.tickets.file(
    aFiling({
      title,
      priority: 'P3',
      customerChat: { conversationId: CHAT, serviceUrl: connector.serviceUrl, userId: '29:ann' },
    }),
  );
  if (!made.ok) throw made.error;
  await app.background.drain();
  return made.value.ticket;
}

/** A tab token of `tenant`'s customer persona (local sign-in: the app is its own issuer). */
async function customerToken(tenant: string): Promise<string> {
  const persona = personasOf(app.config).find((p) => p.role === 'customer' && p.tenantId === tenant);
  if (persona === undefined || app.api.localIssuer === undefined)
    throw new Error('no local customer persona');
  return (await app.api.localIssuer.mint(persona, Date.now())).token;
}

/** A stored file through the tab API's checked download, as `tenant`'s customer: its status and bytes. */
async function download(
  ticketId: string,
  name: string,
  tenant = CONTOSO,
): Promise<{ status: number; bytes: Buffer }> {
  const files = await app.attachments.list({ kind: 'staff' }, ticketId);
  const file = files.ok ? files.value.find((f) => f.name === name) : undefined;
  if (file === undefined) return { status: 0, bytes: Buffer.alloc(0) };
  const res = await fetch(`${app.url}/api/tickets/${ticketId}/attachments/${file.id}`, {
    headers: { authorization: `Bearer ${await customerToken(tenant)}` },
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

const LOG = Buffer.from('10:01 VPN tunnel down\n10:02 retry failed\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(500, 7),
]);

describe('a file sent with the message that files a ticket', () => {
  it('rides the form and is attached once the ticket is filed', async () => {
    const url = host.put('/dl/vpn.log', { kind: 'file', body: LOG, contentType: 'application/octet-stream' });
    const form = await say('None of our users can connect to the VPN since 9am', [sentFile('vpn.log', url)]);
    expect(form.said).toContain(
      "vpn.log will be attached to the ticket when you file it. To add it to a ticket you already have, send it with the ticket's number instead, for example TM-1042: here is the log.",
    );
    // Nothing is downloaded before the ticket exists.
    expect(host.requests.filter((r) => r.path === '/dl/vpn.log')).toEqual([]);
    const confirmation = await press('ticket.submit', formData(form.cards[0]));
    const id = /Ticket (TM-\d+) filed/.exec(confirmation)?.[1] ?? '';
    expect(confirmation).toContain(
      `Fetching vpn.log from Teams; you will get a message here once it is attached.`,
    );
    expect(await filesCard(id)).toContain(`Attached to ${id}: vpn.log (41 bytes).`);
    expect(await download(id, 'vpn.log')).toEqual({ status: 200, bytes: LOG });
    // Another tenant's customer gets the 404 of a missing file.
    expect((await download(id, 'vpn.log', FABRIKAM)).status).toBe(404);
  });
});

describe('files sent with a later message', () => {
  it('a pasted image with "TM-…: text" is attached after the text is recorded', async () => {
    const t = await annTicket('Calls drop after 30 seconds');
    const url = host.put('/v3/attachments/img-1/views/original', {
      kind: 'file',
      body: PNG,
      contentType: 'image/png',
    });
    const answer = await say(`${t.id}: here is what the phone shows`, pasted(url));
    expect(answer.said).toContain('Added to your ticket.');
    expect(answer.said).toContain(`Fetching pasted-image-1.png from Teams for ${t.id}`);
    expect(await filesCard(t.id)).toContain(`Attached to ${t.id}: pasted-image-1.png (508 bytes).`);
    expect(await download(t.id, 'pasted-image-1.png')).toEqual({ status: 200, bytes: PNG });
    // Local mode: no bot token to send.
    expect(host.requests.at(-1)?.authorization).toBeUndefined();
    const timeline = await app.tickets.timeline({ kind: 'tenant', tenantId: CONTOSO }, t.id);
    if (!timeline.ok) throw timeline.error;
    const types = timeline.value.events.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['customer-message', 'attachment-added']);
  });

  it("a file alone, as a reply to the ticket's message, is attached", async () => {
    const t = await annTicket('Voicemail greeting missing');
    // The bot's message about the ticket in her chat, as `status TM-…` remembers it.
    await app.deps.messages.remember(CONTOSO, { conversationId: CHAT, activityId: 'msg-about-ticket' }, t.id);
    const url = host.put('/dl/greeting.txt', { kind: 'file', body: Buffer.from('hello') });
    const answer = await say('', [sentFile('greeting.txt', url)], 'msg-about-ticket');
    expect(answer.said).toContain(`Fetching greeting.txt from Teams for ${t.id}`);
    expect(await filesCard(t.id)).toContain(`Attached to ${t.id}: greeting.txt (5 bytes).`);
  });
});

describe('files that are not attached', () => {
  it('too large: stopped while streaming, nothing stored, the customer told', async () => {
    const t = await annTicket('Export hangs');
    const url = host.put('/dl/export.zip', { kind: 'stream', bytes: 6 * 1024 * 1024 });
    await say(`${t.id}: the export`, [sentFile('export.zip', url)]);
    expect(await filesCard(t.id)).toContain(
      'export.zip was not attached: it is larger than 1 MB, the limit.',
    );
    expect(host.streamedBytes('/dl/export.zip')).toBeLessThan(6 * 1024 * 1024);
    expect((await download(t.id, 'export.zip')).status).toBe(0);
  });

  it('a type SLA Desk does not accept is refused at once, without a download', async () => {
    const t = await annTicket('Installer fails');
    const url = host.put('/dl/setup.exe', { kind: 'file', body: Buffer.from('MZ') });
    const answer = await say(`${t.id}: the installer`, [sentFile('setup.exe', url)]);
    expect(answer.said).toContain(
      'setup.exe is not a file type SLA Desk accepts (images, PDF, text and log files, zip, Office files).',
    );
    expect(host.requests.filter((r) => r.path === '/dl/setup.exe')).toEqual([]);
  });

  it('past the per-message limit the rest are refused, the first ones attached', async () => {
    const t = await annTicket('Many logs');
    const files = [1, 2, 3, 4].map((n) =>
      sentFile(`log${n}.txt`, host.put(`/dl/log${n}.txt`, { kind: 'file', body: Buffer.from(`log ${n}`) })),
    );
    const answer = await say(`${t.id}: all the logs`, files);
    expect(answer.said).toContain(
      'log4.txt was not attached: SLA Desk takes at most 3 files from one message. Please send it again in another message.',
    );
    expect(await filesCard(t.id)).toContain(
      `Attached to ${t.id}: log1.txt (5 bytes), log2.txt (5 bytes) and log3.txt (5 bytes).`,
    );
    expect(host.requests.filter((r) => r.path === '/dl/log4.txt')).toEqual([]);
  });

  it('a download URL on a foreign host is refused and that host gets no request', async () => {
    const t = await annTicket('Foreign link');
    const url = foreign.put('/dl/trap.png', { kind: 'file', body: PNG, contentType: 'image/png' });
    const answer = await say(`${t.id}: screenshot`, [
      sentFile('trap.png', url),
      ...pasted(foreign.put('/img', { kind: 'file', body: PNG })),
    ]);
    expect(answer.said).toContain(
      'trap.png was not attached: its link does not point to Teams or SharePoint, so SLA Desk did not download it.',
    );
    expect(answer.said).toContain(
      'pasted-image-1.png was not attached: its link does not point to Teams or SharePoint',
    );
    await app.background.drain();
    expect(foreign.requests).toEqual([]);
  });

  it('an image that fails to download: the message is still recorded and the customer told', async () => {
    const t = await annTicket('Screen goes black');
    const url = host.put('/v3/attachments/broken/views/original', { kind: 'fail', status: 500 });
    const answer = await say(`${t.id}: it happened again at 10:15`, pasted(url));
    expect(answer.said).toContain('Added to your ticket.');
    const told = await filesCard(t.id);
    expect(told).toContain('pasted-image-1.png could not be downloaded from Teams; please send it again.');
    expect(told).not.toContain('Attached to');
    const timeline = await app.tickets.timeline({ kind: 'tenant', tenantId: CONTOSO }, t.id);
    if (!timeline.ok) throw timeline.error;
    expect(
      timeline.value.events.some(
        (e) => e.type === 'customer-message' && e.text === 'it happened again at 10:15',
      ),
    ).toBe(true);
    expect(timeline.value.events.some((e) => e.type === 'attachment-added')).toBe(false);
  });
});

describe('what engineers and the customer see', () => {
  it("the thread gets a line per file with its size and a link to the tab's ticket page; the root card counts them", async () => {
    const t = await annTicket('Thread lines');
    const url = host.put('/dl/trace.txt', { kind: 'file', body: Buffer.from('trace') });
    await say(`${t.id}: a trace`, [sentFile('trace.txt', url)]);
    await app.background.drain();
    const latest = await app.tickets.get({ kind: 'staff' }, t.id);
    if (!latest.ok) throw latest.error;
    const file = await app.attachments.list({ kind: 'staff' }, t.id);
    if (!file.ok) throw file.error;
    const id = file.value[0]?.id ?? '';
    const inThread = connector.sent().filter((r) => r.conversationId?.startsWith(CHANNEL) === true);
    const line = inThread
      .map((r) => cardsOf(r.activity)[0])
      .find((c) => c !== undefined && cardText(c).includes('sent trace.txt'));
    seenCards.push(line);
    expect(cardText(line)).toContain('Ann Customer (customer) sent trace.txt (5 bytes)');
    const link = `https://teams.microsoft.com/l/entity/${APP_ID}/queue?context=${encodeURIComponent(`{"subEntityId":"ticket/${t.id}/file/${id}"}`)}`;
    expect(JSON.stringify(line)).toContain(`[Open trace.txt in SLA Desk](${link})`);
    const root = connector.current(latest.value.thread?.activityId ?? '');
    expect(cardText(cardsOf(root)[0])).toContain('Files');
    expect(JSON.stringify(cardsOf(root)[0])).toContain('{"title":"Files","value":"1"}');
  });

  it('a reply from support that carries files gives the customer a link to each on their tab page', async () => {
    const t = await annTicket('Support sends a file');
    const engineer = {
      id: 'eeeeeeee-0000-4000-8000-000000000001',
      name: 'Eddie Engineer',
      role: 'engineer' as const,
    };
    const added = await app.attachments.add(
      {
        tenantId: CONTOSO,
        ticketId: t.id,
        actor: engineer,
        name: 'fix-steps.pdf',
        source: 'tab',
        body: Readable.from([Buffer.from('%PDF-1.4 steps')]),
        via: 'tab',
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    // The reply as the tab's reply action sends it with the file (src/adapters/api/routes/actions.ts).
    const { id: fileId, name, size, contentType, source } = added.value;
    const replied = await app.tickets.act({ kind: 'staff' }, t.id, engineer, {
      kind: 'reply',
      text: 'Please follow the attached steps.',
      files: [{ id: fileId, name, size, contentType, source }],
    });
    if (!replied.ok) throw replied.error;
    await app.background.drain();
    const card = connector
      .sent()
      .filter((r) => r.conversationId === CHAT)
      .map((r) => cardsOf(r.activity)[0])
      .find((c) => c !== undefined && cardText(c).startsWith(`Support replied · ${t.id}`));
    seenCards.push(card);
    const link = `https://teams.microsoft.com/l/entity/${APP_ID}/queue?context=${encodeURIComponent(`{"subEntityId":"ticket/${t.id}/file/${fileId}"}`)}`;
    expect(JSON.stringify(card)).toContain(`[fix-steps.pdf (14 bytes)](${link})`);
    expect(cardText(card)).toContain(
      `The link opens ${t.id} in the SLA Desk tab, where you can download it.`,
    );
    // The reply's text is told once, without its "Files: …" line: the linked list names the file.
    expect(cardText(card)).toContain('Please follow the attached steps.');
    expect(cardText(card)).not.toContain('Files: fix-steps.pdf');
    // Without the app's id: no link, and the card says where the file is.
    const latest = await app.tickets.get({ kind: 'staff' }, t.id);
    if (!latest.ok) throw latest.error;
    const e = replied.value.events.find((x) => x.type === 'engineer-reply');
    if (e === undefined) throw new Error('no reply event');
    const plain = customerNoticeCard(app.deps.policy, latest.value, e, {
      now: clock.now,
      viewerZone: 'Europe/London',
    });
    seenCards.push(plain);
    expect(cardText(plain)).toContain(`Download it from ${t.id}'s page in the SLA Desk tab.`);
    expect(JSON.stringify(plain)).not.toContain('https://');
    // The thread names who added it and from where; the customer's ticket card labels it (no raw event type).
    const note = connector
      .sent()
      .map((r) => cardsOf(r.activity)[0])
      .find((c) => c !== undefined && cardText(c).includes('added fix-steps.pdf'));
    expect(cardText(note)).toContain('Eddie Engineer added fix-steps.pdf (14 bytes) from the tab');
    const shown = cardText((await say(`status ${t.id}`, [])).cards[0]);
    expect(shown).toMatch(/\*\*File added\*\* \(Eddie Engineer\), [^\n]*: fix-steps\.pdf \(14 bytes\)/);
    expect(shown).not.toContain('attachment-added');
    // A manager removes it: the customer's card tells them so, never who or why.
    const manager = {
      id: 'mmmmmmmm-0000-4000-8000-000000000001',
      name: 'Maria Manager',
      role: 'manager' as const,
    };
    const removed = await app.attachments.remove(manager, t.id, fileId, 'holds a password', clock.now);
    if (!removed.ok) throw removed.error;
    const after = cardText((await say(`status ${t.id}`, [])).cards[0]);
    expect(after).toMatch(/\*\*File removed\*\* \(Support\), [^\n]*: fix-steps\.pdf was removed by support/);
    expect(after).not.toContain('holds a password');
    expect(after).not.toContain('Maria Manager');
  });
});
