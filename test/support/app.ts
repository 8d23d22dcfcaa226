// Starts the real app in-process on a free port against a test Azurite and a fake Bot Connector.
import { TableTicketRepo } from '../../src/adapters/storage/ticket-repo';
import { TicketService } from '../../src/domain/tickets/service';
import { startApp, type App } from '../../src/app';
import type { AdapterOptions } from '../../src/adapters/teams/adapter';
import type { Patience } from '../../src/adapters/teams/outbound';
import { loadConfig } from '../../src/config';
import { silentLogger, type Logger } from '../../src/log';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import type { SupportChannel } from '../../src/adapters/storage/settings';
import type { NewTicketInput } from '../../src/domain/tickets/commands';
import type { Ticket } from '../../src/domain/tickets/model';
import { uniqueTableName } from './azurite';
import { DEFAULT_TENANT_ID } from './connector';

export interface TestClock {
  now: number;
}

export interface StartOptions {
  readonly connectionString: string;
  readonly clock: TestClock;
  /** Clock ms per real ms, when the test clock runs on by itself (a simulated clock); 1 by default. */
  readonly speed?: number;
  readonly env?: Record<string, string>;
  readonly botAuth?: AdapterOptions;
  readonly log?: Logger;
  /** How long background sends retry through Teams failures (default: the app's). */
  readonly patience?: Patience;
}

/** The app with its own tables (a unique prefix), on 127.0.0.1:<free port>. */
export async function startTestApp(o: StartOptions): Promise<App> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TABLES_CONNECTION_STRING: o.connectionString,
    TABLE_PREFIX: uniqueTableName('t').slice(0, 30),
    // Watcher passes run when a test asks (app.watcher.pass()) or a change makes something due, not on a timer.
    WATCHER_INTERVAL_MS: '0',
    // Tests press as fast as the app answers: rate limits are off unless a test sets them (test/security/).
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    RATE_LIMIT_CLIENT: '0',
    // The fake Bot Connector serves on 127.0.0.1: with a bot id, only that host may be a service URL.
    TEAMS_SERVICE_HOSTS: '127.0.0.1',
    ...o.env,
  });
  return startApp({
    config,
    policy: DEFAULT_POLICY,
    log: o.log ?? silentLogger,
    now: () => o.clock.now,
    ...(o.speed === undefined ? {} : { speed: o.speed }),
    ...(o.botAuth === undefined ? {} : { botAuth: o.botAuth }),
    ...(o.patience === undefined ? {} : { patience: o.patience }),
  });
}

/**
 * A support channel as the "use this channel for support" command records it, for tests that register one
 * directly.
 */
export function supportChannel(
  conversationId: string,
  serviceUrl: string,
  setAt: number,
  tenantId: string = DEFAULT_TENANT_ID,
): SupportChannel {
  return {
    conversationId,
    serviceUrl,
    tenantId,
    teamId: 'team',
    channelId: conversationId,
    teamName: 'Support',
    channelName: 'Support',
    setBy: 'test',
    setAt,
  };
}

/**
 * Files a ticket straight through the service and links it to a thread (root post `root`) in `channel`, as if
 * the support channel's sync had posted it; the ticket with its thread.
 */
export async function fileWithThread(
  app: App,
  filing: NewTicketInput,
  channel: string,
  root: string,
  serviceUrl: string,
): Promise<Ticket> {
  // Seeded as it would stand once its thread was posted: nobody is told (no thread is posted here).
  const quiet = untoldTickets(app, () => app.deps.now());
  const filed = await quiet.file(filing);
  if (!filed.ok) throw filed.error;
  const linked = await quiet.act(
    { kind: 'staff' },
    filed.value.ticket.id,
    { id: 'sla-desk', name: 'SLA Desk', role: 'system' },
    {
      kind: 'link-thread',
      thread: { conversationId: `${channel};messageid=${root}`, activityId: root, serviceUrl },
    },
  );
  if (!linked.ok) throw linked.error;
  return linked.value.ticket;
}

/**
 * A ticket service over the app's tables that tells nobody of its changes: what an instance that stopped
 * between saving a change and telling its listeners leaves behind.
 */
export function untoldTickets(app: App, now: () => number): TicketService {
  const table = (name: string) => app.storage.table(`${app.config.tablePrefix}${name}`);
  return new TicketService({
    repo: new TableTicketRepo({
      tickets: table('tickets'),
      index: table('ticketindex'),
      prefix: app.config.ticketPrefix,
      now,
    }),
    engine: app.engine,
    now,
  });
}
