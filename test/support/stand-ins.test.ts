// Proves the stand-ins for Microsoft's cloud: a real CloudAdapter behind a restify /api/messages, driven over
// HTTP, trusts the fake authority's tokens, refuses bad ones, and talks to the fake connector with its tokens.
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, TeamsInfo } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';
import {
  actionExecute,
  cardSubmit,
  channelMessage,
  DEFAULT_APP_ID,
  DEFAULT_CHANNEL_ID,
  DEFAULT_TEAM_ID,
  installUpdate,
  personalMessage,
  post,
} from './activities';
import { personalConversationId, startFakeConnector } from './connector';
import type { ConnectorRecord, FakeConnector } from './connector';
import {
  BOT_FRAMEWORK_ISSUER,
  botAuthSettings,
  botFrameworkAuthentication,
  botFrameworkClaims,
  startFakeEntra,
} from './entra';
import type { FakeEntra } from './entra';

const APP_ID = DEFAULT_APP_ID;
const PASSWORD = 'not-a-real-secret';

type BotFrameworkAuthentication = NonNullable<ConstructorParameters<typeof CloudAdapter>[0]>;

interface TestBot {
  readonly url: string;
  stop(): Promise<void>;
}

/** A minimal bot: restify + CloudAdapter + `logic`, on a free loopback port. */
async function startBot(
  auth: BotFrameworkAuthentication,
  logic: (context: TurnContext) => Promise<void>,
): Promise<TestBot> {
  const adapter = new CloudAdapter(auth);
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    // restify's `method` is `string | undefined`; botbuilder's Request wants it absent or a string.
    const request = {
      body: (req.body ?? {}) as Record<string, unknown>,
      headers: req.headers,
      method: req.method ?? '',
    };
    await adapter.process(request, res, logic);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.server.closeAllConnections();
      }),
  };
}

const echo = async (context: TurnContext): Promise<void> => {
  if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
};

/** Exercises every connector call the SDK makes for us, reporting each result back as a message. */
const tour = async (context: TurnContext): Promise<void> => {
  const first = await context.sendActivity('first');
  const id = first?.id ?? '';
  await context.updateActivity({ ...MessageFactory.text('first, edited'), id });
  await context.deleteActivity(id);
  const member = await TeamsInfo.getMember(context, context.activity.from.id);
  const team = await TeamsInfo.getTeamDetails(context);
  const channels = await TeamsInfo.getTeamChannels(context);
  const [reference, postId] = await TeamsInfo.sendMessageToTeamsChannel(
    context,
    // The SDK types this parameter as a full Activity; a message with text is what it sends.
    MessageFactory.text('a new thread') as Activity,
    DEFAULT_CHANNEL_ID,
    APP_ID,
  );
  await context.sendActivity(
    `member ${member.aadObjectId ?? ''} team ${team.name ?? ''} channels ${channels.length} thread ${reference.conversation.id} post ${postId}`,
  );
};

/** Tries to update an activity Teams has lost, and says what the SDK threw. */
const updateLost = async (context: TurnContext): Promise<void> => {
  try {
    await context.updateActivity({ ...MessageFactory.text('edited'), id: 'lost-activity' });
    await context.sendActivity('update worked');
  } catch (err) {
    await context.sendActivity(
      `update failed: ${(err as { statusCode?: number }).statusCode ?? 'no status'}`,
    );
  }
};

const byText = (text: string) => (record: ConnectorRecord) => record.activity?.text === text;

let entra: FakeEntra;
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  entra = await startFakeEntra();
  entra.registerApp(APP_ID, PASSWORD);
  connector = await startFakeConnector();
  bot = await startBot(botFrameworkAuthentication(entra, APP_ID, PASSWORD), async (context) => {
    const text = context.activity.text;
    if (text === '<at>SLA Desk</at> tour') return tour(context);
    if (text === 'update the lost one') return updateLost(context);
    return echo(context);
  });
});

afterAll(async () => {
  await bot.stop();
  await connector.stop();
  await entra.stop();
});

beforeEach(() => {
  connector.reset();
});

const validToken = (): string => entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl));

describe('a bot authenticated against the fake authority', () => {
  test('accepts a Bot Framework token and echoes through the connector with a token from the fake token endpoint', async () => {
    const activity = personalMessage({ serviceUrl: connector.serviceUrl, text: 'hello' });
    const response = await post(bot.url, activity, validToken());

    expect(response.status).toBe(200);
    const reply = await connector.waitFor(byText('echo: hello'));
    expect(reply).toMatchObject({
      method: 'POST',
      operation: 'replyToActivity',
      conversationId: activity.conversation.id,
      activityId: activity.id,
      status: 200,
    });
    expect(reply.path).toContain(encodeURIComponent(activity.conversation.id));
    const bearer = reply.authorization?.replace(/^Bearer /, '') ?? '';
    // The factory caches tokens per scope, so the token may have been fetched by an earlier turn.
    expect(entra.tokenRequests().find((r) => r.accessToken === bearer)).toMatchObject({
      tenant: 'botframework.com',
      clientId: APP_ID,
      scope: `${BOT_FRAMEWORK_ISSUER}/.default`,
      grantType: 'client_credentials',
      secret: 'matched',
      status: 200,
    });
    const claims = entra.verifyToken(bearer, { audience: BOT_FRAMEWORK_ISSUER, issuer: entra.tokenIssuer() });
    expect(claims).toMatchObject({ appid: APP_ID, aud: BOT_FRAMEWORK_ISSUER });
  });

  test('a connector that requires a valid token gets one', async () => {
    connector.requireToken(
      (token) => entra.verifyToken(token, { audience: BOT_FRAMEWORK_ISSUER }) !== undefined,
    );
    const response = await post(
      bot.url,
      personalMessage({ serviceUrl: connector.serviceUrl, text: 'hi' }),
      validToken(),
    );
    expect(response.status).toBe(200);
    expect(connector.requests().map((r) => r.status)).toEqual([200]);
  });

  describe('refuses a request and sends nothing', () => {
    let quiet: jest.SpyInstance;
    beforeEach(() => {
      // CloudAdapter and JwtTokenExtractor log every refusal with console.error.
      quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => {
      quiet.mockRestore();
    });

    const cases: readonly {
      readonly name: string;
      readonly token: () => string | undefined;
      readonly status: number;
      readonly channelId?: string;
    }[] = [
      { name: 'without a token', token: () => undefined, status: 401 },
      {
        name: 'with an expired token',
        token: () => entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl), { expired: true }),
        status: 401,
      },
      {
        name: 'with a token for another bot',
        token: () =>
          entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl), { audience: 'someone-else' }),
        status: 401,
      },
      {
        name: 'with a token from another issuer',
        token: () =>
          entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl), {
            issuer: 'https://evil.example.com',
          }),
        status: 401,
      },
      {
        name: 'with a token for another serviceUrl',
        token: () => entra.mintToken(botFrameworkClaims(APP_ID, 'https://smba.trafficmanager.net/amer/')),
        status: 401,
      },
      {
        name: 'with a token signed by a key the metadata does not list',
        token: () =>
          entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl), { kid: 'unknown-kid' }),
        status: 401,
      },
      {
        name: "from a channel the key is not endorsed for ('webchat')",
        token: () => entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl)),
        status: 401,
        channelId: 'webchat',
      },
      {
        // SDK quirk: jsonwebtoken's JsonWebTokenError is not an AuthenticationError, so CloudAdapter answers 500.
        name: 'with a forged signature (500, not 401: see entra.ts)',
        token: () => entra.mintToken(botFrameworkClaims(APP_ID, connector.serviceUrl), { foreignKey: true }),
        status: 500,
      },
    ];

    test.each(cases)('$name → $status', async ({ token, status, channelId }) => {
      const activity = personalMessage({ serviceUrl: connector.serviceUrl, text: 'let me in' });
      const response = await post(
        bot.url,
        channelId === undefined ? activity : { ...activity, channelId },
        token(),
      );
      expect(response.status).toBe(status);
      expect(connector.requests()).toEqual([]);
    });

    test('the stock credentials factory (MSAL) refuses the http login URL, so botCredentialsFactory exists', async () => {
      const stock = await startBot(
        new ConfigurationBotFrameworkAuthentication(botAuthSettings(entra, APP_ID, PASSWORD)),
        echo,
      );
      try {
        const tokensBefore = entra.tokenRequests().length;
        const response = await post(
          stock.url,
          personalMessage({ serviceUrl: connector.serviceUrl, text: 'hi' }),
          validToken(),
        );
        expect(response.status).toBe(500);
        expect(JSON.stringify(response.body)).toContain('authority_uri_insecure');
        expect(entra.tokenRequests()).toHaveLength(tokensBefore);
        expect(connector.requests()).toEqual([]);
      } finally {
        await stock.stop();
      }
    });
  });

  test('answers an Action.Execute invoke over the same HTTP request', async () => {
    const invoke = actionExecute(
      'acknowledge',
      { ticketId: 'TM-1042' },
      { serviceUrl: connector.serviceUrl, replyToId: '1700000000000' },
    );
    const withResponse = await startBot(
      botFrameworkAuthentication(entra, APP_ID, PASSWORD),
      async (context) => {
        const value = context.activity.value as { action: { verb: string; data: { ticketId: string } } };
        await context.sendActivity({
          type: 'invokeResponse',
          value: {
            status: 200,
            body: {
              statusCode: 200,
              type: 'application/vnd.microsoft.activity.message',
              value: `${value.action.verb} ${value.action.data.ticketId}`,
            },
          },
        });
      },
    );
    try {
      const response = await post(withResponse.url, invoke, validToken());
      expect(response).toEqual({
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: 'acknowledge TM-1042',
        },
      });
    } finally {
      await withResponse.stop();
    }
  });
});

describe('the fake connector answers what the SDK calls', () => {
  test('reply, update, delete, member, team, channels and a new channel thread, with encoded ids decoded', async () => {
    const activity = channelMessage({ serviceUrl: connector.serviceUrl, text: 'tour' });
    expect(activity.conversation.id).toBe(`${DEFAULT_CHANNEL_ID};messageid=${activity.id}`);

    const response = await post(bot.url, activity, validToken());

    expect(response.status).toBe(200);
    const requests = connector.requests();
    expect(requests.map((r) => `${r.method} ${r.operation} ${r.status}`)).toEqual([
      'POST replyToActivity 200',
      'PUT updateActivity 200',
      'DELETE deleteActivity 200',
      'GET getConversationMember 200',
      'GET fetchTeamDetails 200',
      'GET fetchChannelList 200',
      'POST createConversation 201',
      'POST replyToActivity 200',
    ]);
    const [reply, update, remove, member, team, , create, summary] = requests;
    expect(reply?.conversationId).toBe(activity.conversation.id);
    expect(reply?.path).toContain('%3Bmessageid%3D');
    expect(update).toMatchObject({ conversationId: activity.conversation.id, activityId: reply?.id });
    expect(remove?.activityId).toBe(reply?.id);
    expect(connector.current(reply?.id ?? '')).toBeUndefined();
    expect(member?.memberId).toBe(activity.from.id);
    expect(team?.teamId).toBe(DEFAULT_TEAM_ID);
    const thread = `${DEFAULT_CHANNEL_ID};messageid=${create?.id ?? ''}`;
    expect(create).toMatchObject({ conversationId: thread, activity: { text: 'a new thread' } });
    // SDK quirk: with a CloudAdapter, sendMessageToTeamsChannel returns the thread id as the "activity id"
    // (CloudAdapterBase.createCreateActivity uses the conversation id; the response's activityId is dropped).
    expect(summary?.activity?.text).toBe(
      `member ${activity.from.aadObjectId ?? ''} team Test Team channels 1 thread ${thread} post ${thread}`,
    );
    expect(connector.sent().map((r) => r.activity?.text)).toEqual([
      'first',
      'a new thread',
      summary?.activity?.text,
    ]);
    for (const r of requests) expect(r.authorization).toMatch(/^Bearer /);
  });

  test('an update Teams has lost gets 404, which the SDK throws', async () => {
    connector.failUpdatesWith404('lost-activity');
    await post(
      bot.url,
      personalMessage({ serviceUrl: connector.serviceUrl, text: 'update the lost one' }),
      validToken(),
    );
    await connector.waitFor(byText('update failed: 404'));
    expect(connector.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      'updateActivity 404',
      'replyToActivity 200',
    ]);
  });

  test('a 429 with Retry-After is retried by the SDK itself: the bot never sees it', async () => {
    connector.failNext(1, { status: 429, retryAfterSeconds: 0, only: 'replyToActivity' });
    const response = await post(
      bot.url,
      personalMessage({ serviceUrl: connector.serviceUrl, text: 'busy?' }),
      validToken(),
    );
    expect(response.status).toBe(200);
    expect(connector.requests().map((r) => r.status)).toEqual([429, 200]);
    expect(connector.sent().map((r) => r.activity?.text)).toEqual(['echo: busy?']);
  });

  test('a hung request holds the turn, and so the HTTP answer to Teams, until it is answered', async () => {
    connector.hang(300);
    const started = Date.now();
    const response = await post(
      bot.url,
      personalMessage({ serviceUrl: connector.serviceUrl, text: 'slow' }),
      validToken(),
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(connector.requests()[0]?.delayedMs).toBe(300);
  });

  test('waitFor says what did arrive when nothing matches', async () => {
    await post(bot.url, personalMessage({ serviceUrl: connector.serviceUrl, text: 'one' }), validToken());
    await expect(connector.waitFor(byText('two'), 50)).rejects.toThrow(
      /No matching connector request within 50 ms\. Received 1:\n {2}#1 POST replyToActivity a:1\S+ → 200 "echo: one"/,
    );
  });
});

describe('builders', () => {
  test('a personal message has the Teams shape, in the 1:1 chat the connector would create', () => {
    const activity = personalMessage({
      serviceUrl: 'http://127.0.0.1:1/',
      text: 'hi',
      tenantId: 'tenant-1',
      timezone: 'America/New_York',
      now: Date.UTC(2026, 0, 5, 14, 0),
    });
    expect(activity).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      timestamp: '2026-01-05T14:00:00.000Z',
      localTimestamp: '2026-01-05T09:00:00.000-05:00',
      localTimezone: 'America/New_York',
      conversation: { conversationType: 'personal', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' } },
      recipient: { id: `28:${APP_ID}` },
      entities: [{ type: 'clientInfo', locale: 'en-US', timezone: 'America/New_York' }],
    });
    expect(activity.from.id).toMatch(/^29:/);
    expect(activity.conversation.id).toBe(personalConversationId(activity.from.id, activity.recipient.id));
  });

  test('a card submit carries value and replyToId; an install adds the bot', () => {
    const submit = cardSubmit({
      serviceUrl: 'http://127.0.0.1:1/',
      value: { verb: 'file' },
      replyToId: '42',
    });
    expect(submit).toMatchObject({ type: 'message', value: { verb: 'file' }, replyToId: '42' });
    expect(submit.text).toBeUndefined();
    const install = installUpdate({ serviceUrl: 'http://127.0.0.1:1/', channel: {} });
    expect(install).toMatchObject({
      type: 'conversationUpdate',
      membersAdded: [{ id: `28:${APP_ID}` }],
      conversation: { id: DEFAULT_TEAM_ID, conversationType: 'channel' },
      channelData: { eventType: 'teamMemberAdded', team: { id: DEFAULT_TEAM_ID } },
    });
  });
});

describe('a bot in local mode (no app id)', () => {
  test('accepts an unauthenticated request and replies without a token', async () => {
    const local = await startBot(new ConfigurationBotFrameworkAuthentication({}), echo);
    try {
      const response = await post(
        local.url,
        personalMessage({ serviceUrl: connector.serviceUrl, text: 'local' }),
      );
      expect(response.status).toBe(200);
      const reply = await connector.waitFor(byText('echo: local'));
      expect(reply.authorization).toBeUndefined();
    } finally {
      await local.stop();
    }
  });
});
