// A fake Bot Connector (Bot Framework REST API v3, plus Teams' /v3/teams) on 127.0.0.1, for tests that drive
// /api/messages over real HTTP. It records every request and can fail, delay or 404 them on demand.
// Test support only: node built-ins, nothing beyond loopback.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen';

/** Which ConnectorClient / TeamsConnectorClient call a request was. */
export type ConnectorOperation =
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'createConversation'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'fetchTeamDetails'
  | 'fetchChannelList'
  | 'unknown';

/** An activity as the bot sent it (JSON, so timestamps are strings). */
export interface SentActivity {
  readonly type?: string;
  readonly id?: string;
  readonly text?: string;
  readonly textFormat?: string;
  readonly replyToId?: string;
  readonly summary?: string;
  readonly attachments?: readonly { readonly contentType: string; readonly content?: unknown }[];
  readonly [field: string]: unknown;
}

/** One request to the fake connector. */
export interface ConnectorRecord {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  readonly method: string;
  /** The URL path as received (still percent-encoded), without the query. */
  readonly path: string;
  readonly operation: ConnectorOperation;
  /** Decoded. For createConversation, the id of the conversation created. */
  readonly conversationId: string | undefined;
  /** Decoded activity id from the path (reply, update, delete). */
  readonly activityId: string | undefined;
  readonly teamId: string | undefined;
  readonly memberId: string | undefined;
  /** Parsed JSON body; the raw text if it was not JSON; undefined if empty. */
  readonly body: unknown;
  /** The activity the request delivers: the body of send/reply/update, `body.activity` of createConversation. */
  readonly activity: SentActivity | undefined;
  /** The Authorization header, e.g. `Bearer eyJ…`. */
  readonly authorization: string | undefined;
  /** Epoch ms of arrival. */
  readonly at: number;
  /** The status the fake answered (or will answer, for a delayed request). */
  readonly status: number;
  /** The activity id the fake assigned and returned (send, reply, createConversation with an activity). */
  readonly id: string | undefined;
  /** How long the answer was held back by `hang`. */
  readonly delayedMs: number;
}

/** A member as Teams returns it from /members (a TeamsChannelAccount). */
export interface TeamsMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly tenantId: string;
  readonly userPrincipalName?: string;
  readonly email?: string;
  readonly givenName?: string;
  readonly surname?: string;
  readonly userRole?: 'user' | 'guest' | 'anonymous';
}

export interface FakeTeam {
  readonly id: string;
  readonly name: string;
  readonly aadGroupId: string;
  /** The General channel has the team's id and no name. */
  readonly channels: readonly { readonly id: string; readonly name: string | null }[];
}

export type FaultStatus = 429 | 500 | 502 | 503 | 504;
export type OperationFilter = ConnectorOperation | readonly ConnectorOperation[];

/**
 * What the bot sees of a fault depends on the SDK's HTTP pipeline (@azure/core-rest-pipeline, measured with
 * botbuilder 4.23.3): any 5xx is retried with exponential backoff (about 0.6 s, 1.2 s, 2.6 s) up to 3 times;
 * 429 (or 503) with Retry-After is retried after that delay, up to 3 times; 429 without Retry-After is not
 * retried. Only when retries run out does the turn's call throw (with `statusCode`).
 */
export interface Fault {
  readonly status: FaultStatus;
  /** Sent as `Retry-After` (seconds); the SDK's pipeline honours it on 429 and 503. */
  readonly retryAfterSeconds?: number;
  /** Only requests of these operations count towards n (default: any). */
  readonly only?: OperationFilter;
}

export interface FakeConnector {
  /** `http://127.0.0.1:PORT/`, the activity's serviceUrl (and the `serviceurl` claim). */
  readonly serviceUrl: string;
  /** Every request so far, oldest first. */
  requests(): readonly ConnectorRecord[];
  /** Accepted requests (2xx) that delivered a new activity: send, reply, createConversation with an activity. */
  sent(): readonly ConnectorRecord[];
  /** The first record, past or future, that matches; rejects after timeoutMs listing what did arrive. */
  waitFor(predicate: (record: ConnectorRecord) => boolean, timeoutMs?: number): Promise<ConnectorRecord>;
  /** The activity as it stands now after updates; undefined if deleted or never seen. */
  current(activityId: string): SentActivity | undefined;
  /** Forgets the recorded requests (faults, members and stored activities stay). */
  clear(): void;
  /** clear(), and drops faults, delays, the token requirement, members, teams and stored activities. */
  reset(): void;
  /** The next n matching requests get this status (and an ErrorResponse body). */
  failNext(n: number, fault: Fault): void;
  /**
   * From now on (until the returned function is called, or reset), every matching request gets this answer, as
   * Teams answers for a user who never installed the app (createConversation: 500 "User not found" or 404), a
   * chat that was deleted (404 ConversationNotFound) or a bot the user blocked (403).
   */
  refuse(rule: Refusal): () => void;
  /** Drops the faults not yet used up (records, delays and the rest stay). */
  clearFaults(): void;
  /** The next n matching requests are answered only after ms. */
  hang(ms: number, n?: number, only?: OperationFilter): void;
  /** From now on, PUT to this activity gets 404, as when Teams has lost the activity. */
  failUpdatesWith404(activityId: string): void;
  /** From now on, requests without `Bearer <token>` for which validate(token) holds get 401; undefined: off. */
  requireToken(validate: ((token: string) => boolean) | undefined): void;
  /** Replaces the roster returned by /members (default: none, and any single member is made up on request). */
  setMembers(members: readonly TeamsMember[]): void;
  /** Adds a team for /v3/teams/{id} (default: any team id is made up on request). */
  setTeam(team: FakeTeam): void;
  stop(): Promise<void>;
}

/** A lasting refusal: which requests, and what Teams answers them. */
export interface Refusal {
  readonly only?: OperationFilter;
  /** The conversation the request goes to (for createConversation: the one that would be created). */
  readonly conversationId?: string;
  /** createConversation: the member the chat is opened with (an aadObjectId or 29: id). */
  readonly member?: string;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Only this many matching requests (default: every one); rules are tried in the order they were added. */
  readonly times?: number;
}

export interface FakeConnectorOptions {
  /** Tenant of made-up members (default DEFAULT_TENANT_ID). */
  readonly tenantId?: string;
  readonly members?: readonly TeamsMember[];
  /** Every answer is held back this long (ms), as a Bot Connector in the cloud takes tens of ms (default 0). */
  readonly answerDelayMs?: number;
}

/** The tenant made-up members and teams belong to unless a test says otherwise. */
export const DEFAULT_TENANT_ID = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';

/**
 * The id Teams gives the 1:1 chat between a user and a bot: stable for the pair, as in Teams.
 * @example personalConversationId('29:1-megan', '28:0d3f…') // 'a:1' + 40 base64url characters
 */
export function personalConversationId(userId: string, botId: string): string {
  const bot = botId.replace(/^28:/, '');
  return `a:1${createHash('sha256').update(`${userId}|${bot}`).digest('base64url').slice(0, 40)}`;
}

/** A stable, UUID-shaped id derived from a string (made-up aadObjectIds and group ids). */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const FAULT_CODES: Readonly<Record<FaultStatus, string>> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

interface Counted<T> {
  remaining: number;
  readonly value: T;
  readonly only: OperationFilter | undefined;
}

interface Route {
  readonly operation: ConnectorOperation;
  readonly conversationId: string | undefined;
  readonly activityId: string | undefined;
  readonly teamId: string | undefined;
  readonly memberId: string | undefined;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly id?: string | undefined;
  readonly conversationId?: string | undefined;
}

interface Waiter {
  readonly predicate: (record: ConnectorRecord) => boolean;
  readonly resolve: (record: ConnectorRecord) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Starts a fake connector on a free loopback port. Call `stop()` in afterAll.
 * @example
 * const connector = await startFakeConnector();
 * await post(`${bot.url}/api/messages`, personalMessage({ serviceUrl: connector.serviceUrl, text: 'hi' }), token);
 * const reply = await connector.waitFor((r) => r.activity?.text === 'echo: hi');
 */
export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const answerDelay = options.answerDelayMs ?? 0;
  const records: ConnectorRecord[] = [];
  const waiters = new Set<Waiter>();
  const timers = new Set<NodeJS.Timeout>();
  let faults: Counted<Fault>[] = [];
  let refusals: Refusal[] = [];
  const refused = new Map<Refusal, number>();
  let delays: Counted<number>[] = [];
  let lost = new Set<string>();
  let validateToken: ((token: string) => boolean) | undefined;
  let members: readonly TeamsMember[] = options.members ?? [];
  let teams = new Map<string, FakeTeam>();
  let activities = new Map<string, SentActivity | undefined>();
  // Teams activity ids are epoch milliseconds; counting up from now keeps them unique and ordered.
  let nextId = Date.now();
  const newActivityId = (): string => String(nextId++);

  const server = createServer((req, res) => {
    readBody(req).then(
      (text) => {
        receive(req, res, text);
      },
      (err: unknown) => {
        send(res, { status: 400, body: errorBody('BadRequest', String(err)) });
      },
    );
  });
  const port = await listenOnLoopback(server);
  const serviceUrl = `http://127.0.0.1:${port}/`;

  function receive(req: IncomingMessage, res: ServerResponse, text: string): void {
    const at = Date.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(method, path);
    const body = parseBody(text);
    const authorization = req.headers.authorization;
    const answer = decide(method, path, route, body, authorization);
    const hung = take(delays, route.operation);
    const delay = hung === undefined && answerDelay > 0 ? answerDelay : hung;
    const record: ConnectorRecord = {
      seq: records.length + 1,
      method,
      path,
      operation: route.operation,
      conversationId: answer.conversationId ?? route.conversationId,
      activityId: route.activityId,
      teamId: route.teamId,
      memberId: route.memberId,
      body,
      activity: activityOf(route.operation, body),
      authorization,
      at,
      status: answer.status,
      id: answer.id,
      delayedMs: hung ?? 0,
    };
    records.push(record);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(record)) {
        waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
    if (delay === undefined) {
      send(res, answer);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(res, answer);
    }, delay);
    timers.add(timer);
  }

  function decide(
    method: string,
    path: string,
    route: Route,
    body: unknown,
    authorization: string | undefined,
  ): Answer {
    if (validateToken !== undefined) {
      const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      if (token === undefined || !validateToken(token)) {
        return { status: 401, body: { message: 'Authorization has been denied for this request.' } };
      }
    }
    if (
      route.operation === 'updateActivity' &&
      route.activityId !== undefined &&
      lost.has(route.activityId)
    ) {
      return { status: 404, body: errorBody('NotFound', `Activity ${route.activityId} not found.`) };
    }
    const refusal = refusals.find(
      (r) => (r.times === undefined || (refused.get(r) ?? 0) < r.times) && refuses(r, route, body),
    );
    if (refusal !== undefined) {
      refused.set(refusal, (refused.get(refusal) ?? 0) + 1);
      return { status: refusal.status, body: errorBody(refusal.code, refusal.message) };
    }
    const fault = take(faults, route.operation);
    if (fault !== undefined) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const code = FAULT_CODES[fault.status];
      return { status: fault.status, headers, body: errorBody(code, `Injected ${fault.status}.`) };
    }
    return serve(method, path, route, body);
  }

  function serve(method: string, path: string, route: Route, body: unknown): Answer {
    const { activityId } = route;
    switch (route.operation) {
      case 'sendToConversation':
      case 'replyToActivity': {
        const id = newActivityId();
        activities.set(id, activityOf(route.operation, body));
        return { status: 200, body: { id }, id };
      }
      case 'updateActivity':
        if (activityId !== undefined) activities.set(activityId, activityOf(route.operation, body));
        return { status: 200, body: { id: activityId } };
      case 'deleteActivity':
        if (activityId !== undefined) activities.set(activityId, undefined);
        return { status: 200, body: undefined };
      case 'createConversation':
        return createConversation(body);
      case 'getConversationMembers':
        return { status: 200, body: members };
      case 'getConversationPagedMembers':
        return { status: 200, body: { members } };
      case 'getConversationMember': {
        const member = route.memberId === undefined ? undefined : findMember(route.memberId);
        return member === undefined
          ? { status: 404, body: errorBody('MemberNotFoundInConversation', 'The member was not found.') }
          : { status: 200, body: member };
      }
      case 'fetchTeamDetails': {
        const team = teamOf(route.teamId ?? '');
        return {
          status: 200,
          body: {
            id: team.id,
            name: team.name,
            aadGroupId: team.aadGroupId,
            type: 'standard',
            memberCount: members.length,
            channelCount: team.channels.length,
          },
        };
      }
      case 'fetchChannelList':
        return { status: 200, body: { conversations: teamOf(route.teamId ?? '').channels } };
      case 'unknown':
        return {
          status: 404,
          body: errorBody('NotFound', `The fake connector does not implement ${method} ${path}.`),
        };
    }
  }

  function createConversation(body: unknown): Answer {
    const params = asObject(body) ?? {};
    const channelData = asObject(params['channelData']);
    const channelId = asObject(channelData?.['channel'])?.['id'];
    const activity = asObject(params['activity']);
    const id = activity === undefined ? undefined : newActivityId();
    if (id !== undefined) activities.set(id, activity);
    if (typeof channelId === 'string') {
      // A new post in a channel: the thread is the channel id plus the post's id.
      const conversationId = id === undefined ? channelId : `${channelId};messageid=${id}`;
      return { status: 201, body: { id: conversationId, activityId: id }, id, conversationId };
    }
    const first = Array.isArray(params['members']) ? asObject(params['members'][0]) : undefined;
    const memberId = first?.['id'];
    if (typeof memberId !== 'string') {
      return {
        status: 400,
        body: errorBody('BadArgument', 'members[0].id or channelData.channel.id is required.'),
      };
    }
    const botId = asObject(params['bot'])?.['id'];
    const userId = findMember(memberId)?.id ?? memberId;
    const conversationId = personalConversationId(userId, typeof botId === 'string' ? botId : '');
    return { status: 201, body: { id: conversationId, activityId: id }, id, conversationId };
  }

  function findMember(idOrAadObjectId: string): TeamsMember | undefined {
    if (members.length === 0) {
      return {
        id: idOrAadObjectId,
        name: 'Test User',
        aadObjectId: stableGuid(idOrAadObjectId),
        tenantId,
        userPrincipalName: 'test.user@contoso.example',
        email: 'test.user@contoso.example',
        userRole: 'user',
      };
    }
    return members.find((m) => m.id === idOrAadObjectId || m.aadObjectId === idOrAadObjectId);
  }

  function teamOf(teamId: string): FakeTeam {
    return (
      teams.get(teamId) ?? {
        id: teamId,
        name: 'Test Team',
        aadGroupId: stableGuid(teamId),
        channels: [{ id: teamId, name: null }],
      }
    );
  }

  function describeAll(): string {
    if (records.length === 0) return 'nothing';
    return records.map(describeRecord).join('\n  ');
  }

  return {
    serviceUrl,
    requests: () => [...records],
    sent: () => records.filter(delivers),
    waitFor: (predicate, timeoutMs = 5000) => {
      const found = records.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<ConnectorRecord>((resolve, reject) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          waiters.delete(waiter);
          reject(
            new Error(
              `No matching connector request within ${timeoutMs} ms. Received ${records.length}:\n  ${describeAll()}`,
            ),
          );
        }, timeoutMs);
        timers.add(timer);
        const settle = (): void => {
          clearTimeout(timer);
          timers.delete(timer);
        };
        const waiter: Waiter = {
          predicate,
          resolve: (record) => {
            settle();
            resolve(record);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    current: (activityId) => activities.get(activityId),
    clear: () => {
      records.length = 0;
    },
    reset: () => {
      records.length = 0;
      faults = [];
      refusals = [];
      delays = [];
      lost = new Set();
      validateToken = undefined;
      members = options.members ?? [];
      teams = new Map();
      activities = new Map();
    },
    failNext: (n, fault) => {
      faults.push({ remaining: n, value: fault, only: fault.only });
    },
    refuse: (rule) => {
      refusals.push(rule);
      return () => {
        refusals = refusals.filter((r) => r !== rule);
      };
    },
    clearFaults: () => {
      faults = [];
    },
    hang: (ms, n = 1, only) => {
      delays.push({ remaining: n, value: ms, only });
    },
    failUpdatesWith404: (activityId) => {
      lost.add(activityId);
    },
    requireToken: (validate) => {
      validateToken = validate;
    },
    setMembers: (next) => {
      members = [...next];
    },
    setTeam: (team) => {
      teams.set(team.id, team);
    },
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of waiters) waiter.reject(new Error('The fake connector stopped.'));
      waiters.clear();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}

function refuses(rule: Refusal, route: Route, body: unknown): boolean {
  if (rule.only !== undefined) {
    const ops: readonly ConnectorOperation[] = typeof rule.only === 'string' ? [rule.only] : rule.only;
    if (!ops.includes(route.operation)) return false;
  }
  if (rule.conversationId !== undefined && route.conversationId !== rule.conversationId) return false;
  if (rule.member !== undefined) {
    const members = (body as { members?: readonly { id?: string }[] } | undefined)?.members ?? [];
    if (!members.some((m) => m.id === rule.member)) return false;
  }
  return true;
}

/** One line per record, for failure messages: `#3 POST replyToActivity a:1… → 200 "echo: hi"`. */
export function describeRecord(record: ConnectorRecord): string {
  const text = record.activity?.text;
  const what =
    typeof text === 'string'
      ? ` ${JSON.stringify(text)}`
      : record.activity?.type === undefined
        ? ''
        : ` (${record.activity.type})`;
  const where = record.conversationId ?? record.teamId ?? '';
  return `#${record.seq} ${record.method} ${record.operation} ${where} → ${record.status}${what}`;
}

function delivers(record: ConnectorRecord): boolean {
  if (record.status >= 300) return false;
  const creates = record.operation === 'createConversation' && record.activity !== undefined;
  return record.operation === 'sendToConversation' || record.operation === 'replyToActivity' || creates;
}

function routeOf(method: string, path: string): Route {
  const raw = path.split('/').filter((s) => s !== '');
  // The serviceUrl may carry a region prefix (…/amer/); the API starts at "v3".
  const v3 = raw.indexOf('v3');
  const s = (v3 === -1 ? [] : raw.slice(v3 + 1)).map(decode);
  const none: Route = {
    operation: 'unknown',
    conversationId: undefined,
    activityId: undefined,
    teamId: undefined,
    memberId: undefined,
  };
  const [collection, id, sub, subId, ...rest] = s;
  if (rest.length > 0 || id === undefined) {
    return collection === 'conversations' && id === undefined && method === 'POST'
      ? { ...none, operation: 'createConversation' }
      : none;
  }
  if (collection === 'teams') {
    if (method !== 'GET') return none;
    if (sub === undefined) return { ...none, operation: 'fetchTeamDetails', teamId: id };
    return sub === 'conversations' && subId === undefined
      ? { ...none, operation: 'fetchChannelList', teamId: id }
      : none;
  }
  if (collection !== 'conversations') return none;
  const conversation: Route = { ...none, conversationId: id };
  if (sub === 'activities') {
    if (subId === undefined)
      return method === 'POST' ? { ...conversation, operation: 'sendToConversation' } : conversation;
    const byMethod: Record<string, ConnectorOperation> = {
      POST: 'replyToActivity',
      PUT: 'updateActivity',
      DELETE: 'deleteActivity',
    };
    return { ...conversation, activityId: subId, operation: byMethod[method] ?? 'unknown' };
  }
  if (method !== 'GET') return conversation;
  if (sub === 'members') {
    return subId === undefined
      ? { ...conversation, operation: 'getConversationMembers' }
      : { ...conversation, operation: 'getConversationMember', memberId: subId };
  }
  return sub === 'pagedmembers' && subId === undefined
    ? { ...conversation, operation: 'getConversationPagedMembers' }
    : conversation;
}

function take<T>(queue: Counted<T>[], operation: ConnectorOperation): T | undefined {
  const entry = queue.find((q) => q.remaining > 0 && matches(q.only, operation));
  if (entry === undefined) return undefined;
  entry.remaining -= 1;
  return entry.value;
}

function matches(only: OperationFilter | undefined, operation: ConnectorOperation): boolean {
  if (only === undefined) return true;
  return typeof only === 'string' ? only === operation : only.includes(operation);
}

function activityOf(operation: ConnectorOperation, body: unknown): SentActivity | undefined {
  if (operation === 'createConversation') return asObject(asObject(body)?.['activity']);
  const delivering =
    operation === 'sendToConversation' || operation === 'replyToActivity' || operation === 'updateActivity';
  return delivering ? asObject(body) : undefined;
}

function asObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.headersSent || res.destroyed) return;
  const headers = { ...answer.headers };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  res.writeHead(answer.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(answer.body));
}
