// A staff desk for the tests that act on tickets over HTTP and in the tab (test/api, test/e2e): the app on its
// own Azurite with the fake Bot Connector and the support channel set by the engineer, Teams SSO tokens from a
// fake Entra when asked; tickets filed from a customer's 1:1 chat, and what Teams was sent read back.
import type { App } from '../../src/app';
import type { Logger } from '../../src/log';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling } from '../fixtures/filing';
import { channelMessage, post } from './activities';
import { startTestApp, type TestClock } from './app';
import { startTestAzurite, type TestAzurite } from './azurite';
import { cardsOf, cardText } from './cards';
import { startFakeConnector, type FakeConnector } from './connector';
import { startFakeEntra, type FakeEntra } from './entra';
import { APP_ID_URI, CLIENT_ID, ENGINEER, ssoClaims, STAFF_TENANT, TAB_ENV } from './tab';

export const CHANNEL = '19:supportchannel@thread.tacv2';
/** A second engineer, for the on-call rotations of the paging tests. */
export const BOB = 'bbbbbbbb-0000-4000-8000-000000000003';

export interface StaffDeskOptions {
  readonly clock: TestClock;
  /** Settings on top of TAB_ENV (and the SSO ones). */
  readonly env?: Readonly<Record<string, string>>;
  /** Teams SSO tokens signed by a fake Entra; otherwise the app runs in local mode. */
  readonly sso?: boolean;
  /** Where the app logs (default: nowhere). */
  readonly log?: Logger;
}

/** An HTTP answer with its parsed JSON body ({} when empty). */
export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

interface Parts {
  readonly azurite: TestAzurite;
  readonly entra: FakeEntra | undefined;
  readonly connector: FakeConnector;
  readonly app: App;
}

/**
 * Made where the tests are declared, started in their beforeAll: its functions are bound, so a test file can
 * take them apart (`const { file, rootText } = desk`) and call them once the desk has started.
 */
export class StaffDesk {
  /** Every card the tests read back, for the file's afterAll to check with cardProblems. */
  readonly cards: unknown[] = [];
  private parts: Parts | undefined;
  private chats = 0;
  private requests = 0;

  constructor(private readonly o: StaffDeskOptions) {}

  private get started(): Parts {
    if (this.parts === undefined) throw new Error('the staff desk has not started');
    return this.parts;
  }

  get app(): App {
    return this.started.app;
  }

  get connector(): FakeConnector {
    return this.started.connector;
  }

  /** Starts Azurite, Entra (with sso), the connector and the app; the engineer Eddie sets the support channel. */
  readonly start = async (): Promise<{ app: App; connector: FakeConnector }> => {
    const azurite = await startTestAzurite();
    const entra = this.o.sso === true ? await startFakeEntra() : undefined;
    const connector = await startFakeConnector({ tenantId: STAFF_TENANT });
    const sso =
      entra === undefined
        ? {}
        : { AAD_APP_CLIENT_ID: CLIENT_ID, TAB_API_AUDIENCE: APP_ID_URI, TAB_AUTH_JWKS_URL: entra.jwksUri };
    const app = await startTestApp({
      connectionString: azurite.connectionString,
      clock: this.o.clock,
      env: { ...TAB_ENV, ...this.o.env, ...sso },
      ...(this.o.log === undefined ? {} : { log: this.o.log }),
    });
    this.parts = { azurite, entra, connector, app };
    const res = await post(
      `${app.url}/api/messages`,
      channelMessage({ ...this.staffIn(ENGINEER, 'Eddie'), text: 'use this channel for support' }),
    );
    expect(res.status).toBe(200);
    await connector.waitFor((r) => r.activity?.text?.includes('now the support channel') === true);
    return { app, connector };
  };

  readonly stop = async (): Promise<void> => {
    const { azurite, entra, connector, app } = this.started;
    await app.stop();
    await connector.stop();
    await entra?.stop();
    await azurite.stop();
  };

  /** A staff member in the support channel (in a ticket's thread with `threadId`), as activities carry them. */
  readonly staffIn = (aad: string, name: string, threadId?: string) => ({
    serviceUrl: this.connector.serviceUrl,
    tenantId: STAFF_TENANT,
    userId: `29:${name}`,
    aadObjectId: aad,
    userName: name,
    channel: { channelId: CHANNEL, channelName: 'Support', ...(threadId === undefined ? {} : { threadId }) },
  });

  /** A Teams SSO token of `oid` in `tenant` (with sso). */
  readonly token = (tenant: string, oid: string): string => {
    const { entra } = this.started;
    if (entra === undefined) throw new Error('the staff desk runs without sso');
    return entra.mintToken(ssoClaims(tenant, oid));
  };

  /** A request to the app with a bearer token: `body` as JSON, or `raw` as it is. */
  readonly call = async <T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    t: string,
    body?: unknown,
    raw?: string,
  ): Promise<Answer<T>> => {
    const res = await fetch(`${this.app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      ...(body === undefined && raw === undefined ? {} : { body: raw ?? JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  };

  /** A request id not used before. */
  readonly fresh = (): string => `req-${++this.requests}`;

  readonly stored = async (id: string): Promise<Ticket> => {
    const r = await this.app.tickets.get({ kind: 'staff' }, id);
    if (!r.ok) throw r.error;
    return r.value;
  };

  /** A customer's 1:1 chat not used before. */
  readonly chat = (): string => `a:ann-chat-${++this.chats}`;

  /** Files a ticket from a customer with a 1:1 chat; its thread is posted in the support channel. */
  readonly file = async (
    over: Parameters<typeof aFiling>[0] = {},
  ): Promise<{ ticket: Ticket; chat: string }> => {
    const chat = this.chat();
    const filed = await this.app.tickets.file(
      aFiling({
        customerChat: { conversationId: chat, serviceUrl: this.connector.serviceUrl, userId: '29:ann' },
        ...over,
      }),
    );
    if (!filed.ok) throw filed.error;
    await this.app.background.drain();
    const ticket = await this.stored(filed.value.ticket.id);
    expect(ticket.thread).toBeDefined();
    return { ticket, chat };
  };

  /** The root card in the channel as it stands now, in words. */
  readonly rootText = (t: Ticket): string => {
    const card = cardsOf(this.connector.current(t.thread?.activityId ?? ''))[0];
    this.cards.push(card);
    return cardText(card);
  };

  /** The texts of the cards the customer's chat received since the last clear. */
  readonly toCustomer = (chat: string): string[] =>
    this.connector
      .sent()
      .filter((r) => r.conversationId === chat)
      .map((r) => cardText(cardsOf(r.activity)[0]));

  /** Runs the watcher at `at` and waits for what it sends. */
  readonly watch = async (at: number): Promise<void> => {
    this.o.clock.now = at;
    await this.app.watcher.pass();
    await this.app.background.drain();
  };

  /** The roles the chain paged in the ticket's thread, in order. */
  readonly pages = (id: string): string[] => {
    const head = `${id}: page, `;
    return this.connector
      .sent()
      .filter((r) => r.conversationId?.startsWith(CHANNEL) === true)
      .map((r) => r.activity?.summary)
      .filter((s): s is string => typeof s === 'string' && s.startsWith(head))
      .map((s) => s.slice(head.length));
  };

  /** Files a P1 from a customer at `at` and runs the watcher: the chain pages the primary on call. */
  readonly paged = async (at: number): Promise<Ticket> => {
    this.o.clock.now = at;
    const filed = await this.app.tickets.file(
      aFiling({
        priority: 'P1',
        title: 'Nobody can make calls',
        customerChat: {
          conversationId: this.chat(),
          serviceUrl: this.connector.serviceUrl,
          userId: '29:ann',
        },
      }),
    );
    if (!filed.ok) throw filed.error;
    // The page goes into the ticket's thread: let the thread be posted (after the answer) before the pass, as
    // the watcher's next pass would find it on a busy machine.
    await this.app.background.drain();
    await this.watch(at);
    const ticket = await this.stored(filed.value.ticket.id);
    expect(this.pages(ticket.id)).toEqual(['primary']);
    return ticket;
  };
}
