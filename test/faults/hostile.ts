// Hostile input against the real app in-process (real HTTP, real Azurite): a fast-check fuzz run of malformed
// and hostile activities, and tenant isolation (a user of tenant B goes after tenant A's tickets by id, by
// search and by replaying A's card data). Used by `npm run test:faults` and by test/faults/hostile.test.ts.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { App } from '../../src/app';
import { MAX_ACTIVITY_BYTES } from '../../src/adapters/server';
import { LIMITS } from '../../src/domain/tickets/fields';
import {
  actionExecute,
  channelMessage,
  personalMessage,
  post,
  type JsonObject,
  type JsonValue,
  type TeamsActivity,
} from '../support/activities';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardsOf, cardText } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { startTestApp, type TestClock } from '../support/app';
import { startFakeEntra, type FakeEntra } from '../support/entra';
import { APP_ID_URI, CLIENT_ID } from '../support/tab';
import { apiIsolation } from './api';
import { foreignLifecycle } from './lifecycle';
import { staffIdsHidden } from './staff-ids';
import { emptyResult, type ScenarioResult } from './rig';
import { differences, snapshot } from './verify';
import { CUSTOMER_TENANTS, ENGINEERS, peopleEnv, SUPPORT_CHANNEL, VENDOR } from './world';

const [A_TENANT, A_NAME] = CUSTOMER_TENANTS[0];
const [B_TENANT] = CUSTOMER_TENANTS[1];
const STRANGER = '5eeeeeee-0000-4000-8000-000000000005';
const MISSING = 'TM-987654';

export interface Stage {
  readonly azurite: TestAzurite;
  /** Signs the tab's Teams SSO tokens. */
  readonly entra: FakeEntra;
  readonly connector: FakeConnector;
  readonly app: App;
  readonly clock: TestClock;
  readonly prefix: string;
  /** Tenant A's tickets, and everything about them B must never learn. */
  readonly a: {
    readonly ids: readonly string[];
    readonly secrets: readonly string[];
    /** Action.Execute data found in cards A received (to replay as B). */
    readonly cardData: readonly JsonObject[];
    /** Ids of bot messages in A's chat (to reply to as B). */
    readonly messageIds: readonly string[];
    /** A's resolved ticket whose rating card A received (not rated yet), and that resolution. */
    readonly rating: { readonly ticketId: string; readonly resolvedAt: number };
  };
  stop(): Promise<void>;
}

const who = (connector: FakeConnector, tenantId: string, userId: string, name: string) => ({
  serviceUrl: connector.serviceUrl,
  tenantId,
  userId,
  userName: name,
});

/** An app with tenant A's tickets worked by an engineer (so A has cards, notices and a thread). */
export async function startStage(): Promise<Stage> {
  const azurite = await startTestAzurite();
  const connector = await startFakeConnector();
  const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') };
  const prefix = `h${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const entra = await startFakeEntra();
  const app = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: {
      ...peopleEnv(),
      TABLE_PREFIX: prefix,
      THREAD_REPAIR_INTERVAL_MS: '0',
      AAD_APP_CLIENT_ID: CLIENT_ID,
      TAB_API_AUDIENCE: APP_ID_URI,
      TAB_AUTH_JWKS_URL: entra.jwksUri,
    },
  });
  const url = `${app.url}/api/messages`;
  const [aad, engineer] = ENGINEERS[0];
  const staff = {
    serviceUrl: connector.serviceUrl,
    tenantId: VENDOR,
    userId: `29:${engineer}`,
    aadObjectId: aad,
    userName: engineer,
    channel: { channelId: SUPPORT_CHANNEL, channelName: 'Support' },
  };
  await post(url, channelMessage({ ...staff, text: 'use this channel for support' }));
  const ann = who(connector, A_TENANT, '29:ann-a', 'Annabel Secretname');
  const ids: string[] = [];
  const secrets = [A_NAME, 'Annabel Secretname'];
  for (let i = 0; i < 3; i++) {
    const title = `Secret title ${i} ${randomUUID().slice(0, 8)}`;
    const description = `Secret description ${i} ${randomUUID().slice(0, 8)}`;
    const res = await post(
      url,
      actionExecute(
        'ticket.submit',
        {
          verb: 'ticket.submit',
          requestId: randomUUID(),
          title,
          description,
          category: 'question',
          priority: 'P3',
        },
        { ...ann, replyToId: `form-${i}` },
      ),
    );
    const id = /Ticket ([A-Z]+-\d+) filed/.exec(cardText((res.body as { value?: unknown }).value))?.[1];
    if (id === undefined) throw new Error(`stage: filing failed: ${JSON.stringify(res.body)}`);
    ids.push(id);
    secrets.push(title, description);
  }
  const first = ids[0] ?? '';
  await app.background.drain();
  for (const [verb, data] of [
    ['staff.take', {}],
    ['staff.reply', { replyText: 'Secret engineer reply' }],
    ['staff.note', { noteText: 'Secret internal note' }],
  ] as const) {
    await post(url, actionExecute(verb, { verb, ticketId: first, ...data }, { ...staff, replyToId: 'root' }));
  }
  await post(url, personalMessage({ ...ann, text: `status ${first}` }));
  await post(url, personalMessage({ ...ann, text: `${first}: Secret follow-up` }));
  await app.background.drain();
  secrets.push('Secret engineer reply', 'Secret internal note', 'Secret follow-up');
  // A resolution of A's second ticket: its notice and rating card reach A's chat.
  const ratedId = ids[1] ?? '';
  const resolved = await app.tickets.act(
    { kind: 'staff' },
    ratedId,
    { id: aad, name: engineer, role: 'engineer' },
    {
      kind: 'resolve',
      text: 'Secret resolution',
    },
  );
  if (!resolved.ok) throw resolved.error;
  await app.background.drain();
  secrets.push('Secret resolution');
  const rating = { ticketId: ratedId, resolvedAt: Number(resolved.value.ticket.resolvedAt) };
  const toA = connector
    .sent()
    .filter((r) => r.conversationId !== undefined && !r.conversationId.startsWith('19:'));
  const cardData: JsonObject[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'Action.Execute' && typeof o['data'] === 'object' && o['data'] !== null)
        cardData.push({ ...(o['data'] as JsonObject), verb: String(o['verb']) });
      Object.values(o).forEach(walk);
    }
  };
  for (const r of toA) for (const c of cardsOf(r.activity)) walk(c);
  // The rating submits below are refused by the rating itself only when A has a rating card to rate.
  if (!cardData.some((d) => d['verb'] === 'ticket.rate')) throw new Error('stage: A got no rating card');
  return {
    azurite,
    entra,
    connector,
    app,
    clock,
    prefix,
    a: {
      ids,
      secrets,
      cardData,
      messageIds: toA.map((r) => r.id).filter((x): x is string => x !== undefined),
      rating,
    },
    stop: async () => {
      await app.stop();
      await entra.stop();
      await connector.stop();
      await azurite.stop();
    },
  };
}

interface Seen {
  readonly status: number;
  /** The HTTP answer and every message the bot sent meanwhile, as a person reads them. */
  readonly text: string;
}

/** Posts and returns what the sender could see: the answer and what the bot sent back to them. */
async function attempt(
  stage: Stage,
  activity: TeamsActivity | Readonly<Record<string, unknown>>,
): Promise<Seen> {
  stage.connector.clear();
  const res = await post(`${stage.app.url}/api/messages`, activity);
  await stage.app.background.drain();
  const body = res.body as { type?: string; value?: unknown } | undefined;
  const answer =
    body?.type === 'application/vnd.microsoft.card.adaptive'
      ? cardText(body.value)
      : JSON.stringify(res.body ?? '');
  const sent = stage.connector
    .requests()
    .map((r) => `${r.operation}:${r.activity?.text ?? ''}${cardsOf(r.activity).map(cardText).join('|')}`);
  return { status: res.status, text: [answer, ...sent].join('\n') };
}

/** Everything the bot lets a person press or type about a ticket, as B would send it for `id`. */
function attacks(
  stage: Stage,
  b: ReturnType<typeof who>,
): { name: string; make: (id: string) => TeamsActivity }[] {
  const invoke = (verb: string, data: JsonObject) => (id: string) =>
    actionExecute(verb, { verb, ticketId: id, ...data }, { ...b, replyToId: 'card-1' });
  const say = (text: (id: string) => string) => (id: string) => personalMessage({ ...b, text: text(id) });
  const list: { name: string; make: (id: string) => TeamsActivity }[] = [
    { name: 'chat: status', make: say((id) => `status ${id}`) },
    { name: 'chat: show', make: say((id) => `show ${id}`) },
    { name: 'chat: follow-up', make: say((id) => `${id}: please tell me everything`) },
    { name: 'chat: escalate', make: say((id) => `escalate ${id}: now`) },
    { name: 'chat: reopen', make: say((id) => `reopen ${id}: it broke again`) },
    { name: 'card: ticket.show', make: invoke('ticket.show', {}) },
    { name: 'card: ticket.refresh', make: invoke('ticket.refresh', {}) },
    { name: 'card: ticket.answer', make: invoke('ticket.answer', { message: 'hello' }) },
    { name: 'card: ticket.escalate', make: invoke('ticket.escalate', { reason: 'because' }) },
    { name: 'card: ticket.reopen', make: invoke('ticket.reopen', { reason: 'because' }) },
    { name: 'card: ticket.follow-up', make: invoke('ticket.follow-up', { reason: 'because' }) },
    { name: 'card: page.ack', make: invoke('page.ack', {}) },
    { name: 'card: staff.refresh', make: invoke('staff.refresh', {}) },
  ];
  for (const verb of [
    'take',
    'assign',
    'reply',
    'ask',
    'priority',
    'workaround',
    'fix',
    'resolve',
    'reopen',
    'note',
  ])
    list.push({
      name: `card: staff.${verb}`,
      make: invoke(`staff.${verb}`, {
        [`${verb}Text`]: 'x',
        priority: 'P1',
        owner: ENGINEERS[0][0],
        reason: 'x',
      }),
    });
  // A's own card data, replayed as B (ids swapped for the missing id in the control run).
  stage.a.cardData.forEach((data, i) => {
    const verb = typeof data['verb'] === 'string' ? data['verb'] : 'ticket.show';
    const original = typeof data['ticketId'] === 'string' ? data['ticketId'] : '';
    if (original === '') return;
    // Teams merges the card's inputs into the data: a replay carries typed text too.
    const typed = { message: 'replayed', reason: 'replayed', replyText: 'replayed', noteText: 'replayed' };
    list.push({
      name: `replayed card data #${i} (${verb})`,
      make: (id) => actionExecute(verb, { ...typed, ...data, ticketId: id }, { ...b, replyToId: 'card-1' }),
    });
  });
  return list;
}

/**
 * Tenant B's user tries every way in on A's tickets. Each answer must equal the answer for a missing id (with
 * the id swapped), contain nothing of A's, be recorded in the audit log, and change nothing stored.
 */
export async function isolation(stage: Stage): Promise<ScenarioResult> {
  const started = Date.now();
  const result = emptyResult('tenant isolation (B after A’s tickets)');
  const b = who(stage.connector, B_TENANT, '29:bob-b', 'Bert Other');
  const storage = stage.app.storage;
  const before = await snapshot(storage, stage.prefix);
  const day = new Date(stage.clock.now).toISOString().slice(0, 10);
  const audited = async (id: string): Promise<number> =>
    (await stage.app.deps.audit.day(day)).filter((e) => e.target === id && e.tenantId === B_TENANT).length;
  const leak = (what: string): void => {
    result.leaked++;
    result.failures.push(`leak: ${what}`);
  };
  const scrub = (text: string, id: string): string => text.split(id).join('<ID>');
  for (const id of stage.a.ids) {
    for (const { name, make } of attacks(stage, b)) {
      const auditBefore = await audited(id);
      const real = await attempt(stage, make(id));
      const control = await attempt(stage, make(MISSING));
      result.operations += 2;
      result.faults++;
      if (real.status >= 400) result.userErrors++;
      if (real.status !== control.status || scrub(real.text, id) !== scrub(control.text, MISSING))
        leak(
          `${name} on ${id} answers differently from a missing id:\n    ${real.text}\n    vs ${control.text}`,
        );
      for (const secret of stage.a.secrets)
        if (real.text.includes(secret)) leak(`${name} on ${id} shows "${secret}"`);
      if ((await audited(id)) <= auditBefore)
        result.failures.push(`${name} on ${id} was not recorded in the audit log`);
    }
  }
  // Replies to A's bot messages, and B's own list and help.
  for (const messageId of stage.a.messageIds.slice(0, 5)) {
    const real = await attempt(
      stage,
      personalMessage({ ...b, text: 'What is the status?', replyToId: messageId }),
    );
    const control = await attempt(
      stage,
      personalMessage({ ...b, text: 'What is the status?', replyToId: '1234567' }),
    );
    result.operations += 2;
    result.faults++;
    if (real.text !== control.text)
      leak(`a reply to A's message ${messageId} answers differently: ${real.text}`);
    for (const secret of stage.a.secrets)
      if (real.text.includes(secret)) leak(`a reply to A's message shows "${secret}"`);
  }
  for (const text of ['my tickets', 'help', 'tickets']) {
    const seen = await attempt(stage, personalMessage({ ...b, text }));
    result.operations++;
    for (const secret of stage.a.secrets) if (seen.text.includes(secret)) leak(`"${text}" shows "${secret}"`);
    for (const id of stage.a.ids)
      if (new RegExp(`\\b${id}\\b`).test(seen.text)) leak(`"${text}" shows ${id}`);
  }
  await foreignLifecycle(stage.app, stage.connector.serviceUrl, B_TENANT, result);
  await staffIdsHidden(stage, result);
  await apiIsolation(stage, result);
  const changed = differences(before, await snapshot(storage, stage.prefix));
  if (changed.length > 0) result.failures.push(`stored data changed: ${changed.slice(0, 5).join(', ')}`);
  result.seconds = (Date.now() - started) / 1000;
  result.notes.push(
    `${stage.a.ids.length} of A's tickets × ${attacks(stage, b).length} ways in, each against a missing id`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Fuzz

const HOSTILE_TEXT = [
  '<at>Alice Engineer</at> please',
  '[click me](https://evil.example/phish)',
  '![x](https://evil.example/x.png)',
  '**bold** _it_ `code` # heading',
  '<script>alert(1)</script>',
  '{{DATE(2026-11-25T10:00:00Z)}}',
  '${process.env.BOT_PASSWORD}',
  "'; DROP TABLE tickets; --",
  "PartitionKey eq 'c_x' or true",
  'TM-1001/../TM-1002',
  'TM-1001#frag?q=1',
  'a\\b/c#d?e\u0000f\u007f\u0001',
  '\ud83d\ude00'.repeat(50),
  '\u202eevil',
  '%2F%23%3F%5C',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 4000, maxLength: 12_000 }),
);

/** Ids that are not a valid request id: a submit built with one never files anything. */
const badRequestId: fc.Arbitrary<JsonValue | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('a/b', 'x#y', 'q?', 'back\\slash', '', ' ', 'ü'.repeat(3), 'x'.repeat(101)),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);

const VERBS = [
  'ticket.new',
  'ticket.submit',
  'ticket.show',
  'ticket.refresh',
  'ticket.answer',
  'ticket.escalate',
  'ticket.reopen',
  'ticket.follow-up',
  'ticket.rate',
  'tickets.mine',
  'help',
  'page.ack',
  'staff.take',
  'staff.assign',
  'staff.reply',
  'staff.ask',
  'staff.priority',
  'staff.workaround',
  'staff.fix',
  'staff.resolve',
  'staff.reopen',
  'staff.note',
  'staff.refresh',
];

const jsonish: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;

type Input =
  | { readonly kind: 'raw'; readonly body: string; readonly expect: '4xx' }
  | { readonly kind: 'activity'; readonly activity: Record<string, unknown>; readonly expect: '4xx' | 'any' };

/** Who may send hostile input without it being legitimate work: B (no tickets), a stranger, a vendor non-staff. */
function senders(connector: FakeConnector) {
  return fc.constantFrom(
    who(connector, B_TENANT, '29:bob-b', 'Bert Other'),
    who(connector, STRANGER, '29:stranger', 'Stranger'),
    {
      ...who(connector, VENDOR, '29:notstaff', 'Not Staff'),
      aadObjectId: 'f0000000-0000-4000-8000-00000000000f',
    },
  );
}

function inputs(stage: Stage): fc.Arbitrary<Input> {
  const connector = stage.connector;
  const aIds = fc.constantFrom(...stage.a.ids, MISSING);
  const ticketId = fc.oneof(
    aIds,
    aIds.map((id) => id.toLowerCase()),
    hostileString,
    jsonish,
  );
  const base = senders(connector);
  const broken: fc.Arbitrary<Input> = fc
    .oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '{',
        '{"type":',
        '[]',
        'null',
        '42',
        '"x"',
        '{"type":"message"',
        '\u0000\u0001',
        '<xml/>',
      ),
      fc.json({ maxDepth: 2 }).map((j) => j.slice(0, Math.max(1, j.length - 1))),
    )
    .filter((s) => {
      try {
        const v: unknown = JSON.parse(s);
        return typeof v !== 'object' || v === null || Array.isArray(v);
      } catch {
        return true;
      }
    })
    .map((body) => ({ kind: 'raw', body, expect: '4xx' }) as const);
  // Required fields missing or of another type, and optional ones of another type: 400.
  const wrongTypes: fc.Arbitrary<Input> = fc
    .tuple(
      base,
      fc.constantFrom(
        ...['type', 'serviceUrl', 'channelId', 'from', 'conversation'].map((f) => [f, true] as const),
        ...['id', 'replyToId', 'name', 'timestamp', 'locale', 'localTimezone', 'text'].map(
          (f) => [f, false] as const,
        ),
      ),
      fc.oneof(jsonish, fc.constant(undefined)),
    )
    .filter(([, [, required], v]) =>
      v === undefined ? required : typeof v !== 'string' || (required && v === ''),
    )
    .map(([b, [field], value]) => {
      const { [field]: _dropped, ...rest } = personalMessage({ ...b, text: 'help' }) as unknown as Record<
        string,
        unknown
      >;
      const activity: Record<string, unknown> = value === undefined ? rest : { ...rest, [field]: value };
      return { kind: 'activity', activity, expect: '4xx' } as const;
    });
  const wrongShapes: fc.Arbitrary<Input> = fc
    .tuple(
      base,
      fc.constantFrom('channelData', 'entities', 'attachments', 'membersAdded', 'recipient'),
      fc.oneof(fc.string(), fc.integer(), fc.boolean()),
    )
    .map(([b, field, value]) => ({
      kind: 'activity',
      activity: { ...personalMessage({ ...b, text: 'help' }), [field]: value },
      expect: '4xx',
    }));
  // A control character in an id that ends up in an outgoing URL path or header: 400 before any work.
  const controlIds: fc.Arbitrary<Input> = fc
    .tuple(
      base,
      fc.constantFrom('conversation', 'from', 'recipient', 'replyToId', 'serviceUrl', 'id', 'tenant'),
      fc.constantFrom('\u0000', '\r\n', '\n', '\r', '\t', '\u001b', '\u001f', '\u007f'),
      fc.boolean(),
    )
    .map(([b, field, control, invoke]) => {
      const a = (invoke
        ? actionExecute('help', { verb: 'help' }, { ...b, replyToId: 'card' })
        : personalMessage({ ...b, text: 'help' })) as unknown as Record<string, unknown>;
      const spoil = (v: string): string => `${v.slice(0, 3)}${control}${v.slice(3)}`;
      const conv = a['conversation'] as Record<string, unknown>;
      const activity: Record<string, unknown> =
        field === 'conversation'
          ? { ...a, conversation: { ...conv, id: spoil(String(conv['id'])) } }
          : field === 'from' || field === 'recipient'
            ? {
                ...a,
                [field]: { ...(a[field] as object), id: spoil((a[field] as { id: string }).id) },
              }
            : field === 'tenant'
              ? { ...a, channelData: { ...(a['channelData'] as object), tenant: { id: spoil(b.tenantId) } } }
              : field === 'serviceUrl'
                ? { ...a, serviceUrl: `${String(a['serviceUrl'])}x${control}y/` }
                : { ...a, [field]: spoil(typeof a[field] === 'string' ? a[field] : '1234567') };
      return { kind: 'activity', activity, expect: '4xx' } as const;
    });
  const huge: fc.Arbitrary<Input> = base.map((b) => ({
    kind: 'activity',
    activity: { ...personalMessage({ ...b, text: 'x'.repeat(MAX_ACTIVITY_BYTES + 10) }) },
    expect: '4xx',
  }));
  const messages: fc.Arbitrary<Input> = fc
    .tuple(
      base,
      fc.oneof(
        hostileString,
        fc
          .tuple(
            fc.constantFrom('status ', 'escalate ', 'reopen ', 'show ', ''),
            aIds,
            fc.constantFrom('', ': ', ':'),
            hostileString,
          )
          .map((p) => p.join('')),
      ),
      fc.option(fc.oneof(fc.constantFrom(...stage.a.messageIds), hostileString), { nil: undefined }),
    )
    .map(([b, text, replyToId]) => ({
      kind: 'activity',
      activity: { ...personalMessage({ ...b, text, ...(replyToId === undefined ? {} : { replyToId }) }) },
      expect: 'any',
    }));
  const invokes: fc.Arbitrary<Input> = fc
    .tuple(
      base,
      fc.oneof(fc.constantFrom(...VERBS), hostileString),
      fc.dictionary(
        fc.constantFrom(
          'message',
          'reason',
          'replyText',
          'noteText',
          'owner',
          'priority',
          'title',
          'description',
          'category',
          'release',
          'userIds',
        ),
        fc.oneof(hostileString, jsonish),
        { maxKeys: 4 },
      ),
      ticketId,
      badRequestId,
      fc.option(fc.oneof(fc.constantFrom(...stage.a.messageIds), hostileString), { nil: undefined }),
      fc.boolean(),
    )
    .map(([b, verb, data, id, requestId, replyToId, inChannel]) => {
      const value: Record<string, JsonValue> = { ...data, verb, ticketId: id };
      if (requestId === undefined) delete value['requestId'];
      else value['requestId'] = requestId;
      const activity = actionExecute(verb, value, {
        ...b,
        ...(replyToId === undefined ? {} : { replyToId }),
        ...(inChannel ? { channel: { channelId: SUPPORT_CHANNEL, threadId: 'root' } } : {}),
      });
      return { kind: 'activity', activity: { ...activity }, expect: 'any' } as const;
    });
  const oddInvokes: fc.Arbitrary<Input> = fc
    .tuple(base, hostileString, fc.oneof(jsonish, fc.constant(undefined)))
    .map(([b, name, value]) => {
      const activity: Record<string, unknown> = { ...actionExecute('help', {}, b), name };
      if (value === undefined) delete activity['value'];
      else activity['value'] = value;
      return { kind: 'activity', activity, expect: 'any' } as const;
    });
  const rates = ratingSubmits(stage, base, ticketId);
  return fc.oneof(
    { arbitrary: rates, weight: 2 },
    { arbitrary: broken, weight: 2 },
    { arbitrary: wrongTypes, weight: 2 },
    { arbitrary: wrongShapes, weight: 1 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: controlIds, weight: 1 },
    { arbitrary: messages, weight: 3 },
    { arbitrary: invokes, weight: 6 },
    { arbitrary: oddInvokes, weight: 2 },
  );
}

/** Scores the rating card never offers: out of range, not whole, not numbers (" 4" or "1e0" would be a 4 and a 1). */
const BAD_SCORES: readonly JsonValue[] = [
  0,
  6,
  -1,
  4.5,
  1e9,
  'NaN',
  'x',
  '',
  ' ',
  '4x',
  '6',
  '0',
  'Infinity',
  null,
  true,
  [],
  {},
];

/**
 * Malformed `ticket.rate` submits on A's rating card. A's own customer sends only ones that must be refused
 * (a score the card never offers, a comment past the limit, a resolution that is not the ticket's); the other
 * senders send the card's right data too (another tenant's ticket) and anything at all.
 */
function ratingSubmits(
  stage: Stage,
  base: ReturnType<typeof senders>,
  ticketId: fc.Arbitrary<JsonValue>,
): fc.Arbitrary<Input> {
  const ann = who(stage.connector, A_TENANT, '29:ann-a', 'Annabel Secretname');
  const { ticketId: id, resolvedAt } = stage.a.rating;
  const rate = (from: ReturnType<typeof who>, data: Record<string, JsonValue>): Input => ({
    kind: 'activity',
    activity: {
      ...actionExecute(
        'ticket.rate',
        { verb: 'ticket.rate', ...data },
        { ...from, replyToId: 'rating-card' },
      ),
    },
    expect: 'any',
  });
  const forged = fc.oneof(
    fc.integer({ min: 0, max: 2 ** 52 }).filter((n) => n !== resolvedAt),
    fc.constantFrom<JsonValue>(resolvedAt + 1, resolvedAt - 1, -1, 1.5, 'abc', null, 1e20),
  );
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...BAD_SCORES), fc.option(hostileString, { nil: undefined }))
      .map(([score, comment]) =>
        rate(ann, { ticketId: id, resolvedAt, score, ...(comment === undefined ? {} : { comment }) }),
      ),
    fc
      .integer({ min: LIMITS.ratingComment + 1, max: LIMITS.ratingComment * 9 })
      .map((n) => rate(ann, { ticketId: id, resolvedAt, score: '4', comment: 'x'.repeat(n) })),
    fc
      .tuple(forged, fc.constantFrom('1', '5'))
      .map(([at, score]) => rate(ann, { ticketId: id, resolvedAt: at, score })),
    fc
      .tuple(base, fc.constantFrom('1', '4', '5'), fc.constantFrom(id, id.toLowerCase()))
      .map(([b, score, t]) => rate(b, { ticketId: t, resolvedAt, score, comment: 'Forged' })),
    fc
      .tuple(
        base,
        ticketId,
        fc.dictionary(fc.constantFrom('score', 'comment', 'resolvedAt'), fc.oneof(hostileString, jsonish), {
          maxKeys: 3,
        }),
      )
      .map(([b, t, data]) => rate(b, { resolvedAt, ...data, ticketId: t })),
  );
}

/**
 * Several thousand malformed and hostile requests (fixed seed): the server answers every one, never 5xx, 4xx
 * where the body is not an activity, stays healthy, and nothing stored changes (the audit log only grows).
 */
export async function fuzz(stage: Stage, runs: number, seed: number): Promise<ScenarioResult> {
  const started = Date.now();
  const result = emptyResult(`hostile input fuzz (fast-check seed ${seed})`);
  const storage = stage.app.storage;
  const before = await snapshot(storage, stage.prefix);
  const auditDay = new Date(stage.clock.now).toISOString().slice(0, 10);
  const auditBefore = (await stage.app.deps.audit.day(auditDay)).length;
  const crashes: unknown[] = [];
  const onCrash = (err: unknown): void => {
    crashes.push(err);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const statuses = new Map<number, number>();
  try {
    const samples = fc.sample(inputs(stage), { numRuns: runs, seed });
    for (const input of samples) {
      result.operations++;
      result.faults++;
      let status: number;
      if (input.kind === 'raw') {
        const res = await fetch(`${stage.app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: input.body,
        });
        await res.arrayBuffer();
        status = res.status;
      } else {
        status = (await post(`${stage.app.url}/api/messages`, input.activity)).status;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const a = input.kind === 'raw' ? undefined : input.activity;
      const what =
        a === undefined
          ? ''
          : `[${String(a['type'])} ${JSON.stringify(a['name'] ?? '')} ${JSON.stringify((a['value'] as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? null).slice(0, 40)} replyTo=${JSON.stringify(a['replyToId'] ?? '-')}] `;
      const sample = what + (input.kind === 'raw' ? input.body : JSON.stringify(input.activity));
      if (status >= 500) result.failures.push(`answered ${status} to ${sample.slice(0, 300)}`);
      else if (input.expect === '4xx' && (status < 400 || status >= 500))
        result.failures.push(`answered ${status} (not 4xx) to ${sample.slice(0, 300)}`);
      if (result.operations % 250 === 0) {
        const health = await fetch(`${stage.app.url}/healthz`);
        if (health.status !== 200) result.failures.push(`healthz answered ${health.status}`);
      }
    }
    await stage.app.background.drain();
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  for (const c of crashes) result.failures.push(`crash: ${c instanceof Error ? c.message : String(c)}`);
  const changed = differences(before, await snapshot(storage, stage.prefix));
  result.lost = changed.filter((c) => c.startsWith('removed')).length;
  if (changed.length > 0) result.failures.push(`stored data changed: ${changed.slice(0, 8).join(', ')}`);
  const auditAfter = (await stage.app.deps.audit.day(auditDay)).length;
  if (auditAfter < auditBefore) result.failures.push('audit entries disappeared');
  result.userErrors = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
  result.notes.push(
    `statuses: ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}; ${auditAfter - auditBefore} refused attempts audited`,
  );
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
