// Checks storage against what people were told: every confirmed ticket exists in its tenant with its whole
// timeline, every acknowledged change is in it exactly once, nothing was filed twice, and nothing sits in
// storage that nobody was told about. Reads the tables directly with the app's own repository.
// Test support only.
import type { TableClient } from '@azure/data-tables';
import { TABLES } from '../../src/app';
import { silentLogger } from '../../src/log';
import { createTableClients, type StorageHandle } from '../../src/adapters/storage/tables';
import { TableTicketRepo } from '../../src/adapters/storage/ticket-repo';
import type { Ticket, TicketEvent } from '../../src/domain/tickets/model';
import type { FakeConnector } from '../support/connector';
import { SUPPORT_CHANNEL, type Ledger } from './world';

/** How a new thread reaches the channel conversation itself (thread replies go to `<channel>;messageid=…`). */
const ROOT_POSTS: ReadonlySet<string> = new Set(['sendToConversation', 'replyToActivity']);

/** Engineers' actions whose text the customer receives in their chat. */
const CUSTOMER_HEARS = new Set(['staff.reply', 'staff.ask', 'staff.workaround']);

export interface Findings {
  /** Confirmed tickets missing, or acknowledged changes missing from their timeline. */
  lost: number;
  /** A change in a timeline twice, a request filed twice, or a ticket nobody was told about. */
  duplicated: number;
  /** Confirmed tickets without their thread in the support channel (after the app had time to deliver). */
  undelivered: number;
  /** Tickets in storage. */
  stored: number;
  /** Threads posted twice, the first before an instance was killed and the next after (see ScenarioResult). */
  inDoubt: number;
  readonly problems: string[];
}

export async function openStorage(connectionString: string, prefix: string): Promise<StorageHandle> {
  return createTableClients(
    { kind: 'connection-string', connectionString },
    TABLES.map((t) => `${prefix}${t}`),
    silentLogger,
  );
}

export function repoOf(storage: StorageHandle, prefix: string): TableTicketRepo {
  return new TableTicketRepo({
    tickets: storage.table(`${prefix}tickets`),
    index: storage.table(`${prefix}ticketindex`),
    prefix: 'TM',
    now: () => Date.now(),
  });
}

/** Every ticket head in the tickets table. */
export async function allTickets(tickets: TableClient): Promise<Ticket[]> {
  const heads: Ticket[] = [];
  for await (const row of tickets.listEntities({
    queryOptions: { filter: `RowKey ge 't|' and RowKey lt 't}'`, select: ['PartitionKey', 'RowKey'] },
  })) {
    const [, id] = (row.rowKey ?? '').split('|');
    if (id !== undefined)
      heads.push({ id, tenantId: decodeURIComponent((row.partitionKey ?? '').slice(2)) } as Ticket);
  }
  return heads;
}

export async function verify(
  ledger: Ledger,
  storage: StorageHandle,
  prefix: string,
  connector: FakeConnector | undefined,
  channel = SUPPORT_CHANNEL,
  /** When instances were SIGKILLed (epoch ms). */
  kills: readonly number[] = [],
  /** The instances' logs: lines about a duplicated thread's ticket are shown with it. */
  logs: () => string = () => '',
): Promise<Findings> {
  const repo = repoOf(storage, prefix);
  const f: Findings = { lost: 0, duplicated: 0, undelivered: 0, stored: 0, inDoubt: 0, problems: [] };
  const problem = (kind: 'lost' | 'duplicated' | 'undelivered', text: string): void => {
    f[kind]++;
    if (f.problems.length < 40) f.problems.push(`${kind}: ${text}`);
  };
  const heads = await allTickets(storage.table(`${prefix}tickets`));
  f.stored = heads.length;
  const confirmedIds = new Map<string, string>();
  for (const filing of ledger.filings) {
    if (filing.ticketId === undefined) continue;
    if (confirmedIds.has(filing.ticketId))
      problem('duplicated', `${filing.ticketId} confirmed for two filings`);
    confirmedIds.set(filing.ticketId, filing.requestId);
  }
  // Nothing in storage that nobody was told about (a customer told "could not save" would file again).
  for (const h of heads) {
    if (!confirmedIds.has(h.id))
      problem('duplicated', `${h.id} is stored but its customer was never told it was filed`);
  }
  const timelines = new Map<string, TicketEvent[]>();
  const tickets = new Map<string, Ticket>();
  const confirmed = ledger.confirmed();
  for (let i = 0; i < confirmed.length; i += 16) {
    await Promise.all(
      confirmed.slice(i, i + 16).map(async (filing) => {
        const id = filing.ticketId ?? '';
        const stored = await repo.load(filing.tenantId, id);
        if (stored === null) {
          problem('lost', `${id} was confirmed to ${filing.tenantId} but does not exist`);
          return;
        }
        if (stored.ticket.title !== filing.title) problem('lost', `${id} has another title than was filed`);
        const owner = await repo.locate(id);
        if (owner !== filing.tenantId) problem('lost', `${id} is not in the cross-tenant index`);
        const events = await repo.events(filing.tenantId, id);
        tickets.set(id, stored.ticket);
        timelines.set(id, events);
        const seqs = events.map((e) => e.seq);
        const contiguous = seqs.every((s, k) => s === k + 1) && seqs.length === stored.ticket.eventCount;
        if (!contiguous)
          problem(
            'lost',
            `${id} timeline is not whole: seqs ${seqs.join(',')} of ${stored.ticket.eventCount}`,
          );
        if (events[0]?.type !== 'created') problem('lost', `${id} timeline does not start with its creation`);
      }),
    );
  }
  for (const change of ledger.changes) {
    const events = timelines.get(change.ticketId);
    if (events === undefined) continue;
    const n = events.filter((e) => (e.text ?? '').includes(change.token)).length;
    if (change.acked && n === 0)
      problem('lost', `${change.kind} on ${change.ticketId} was acknowledged but is not in the timeline`);
    if (n > 1) problem('duplicated', `${change.kind} on ${change.ticketId} is in the timeline ${n} times`);
  }
  if (connector !== undefined) {
    // A thread starts with a post in the support channel (the root card, updated in place later).
    const roots = new Set(
      connector
        .sent()
        .filter((r) => r.conversationId === channel || r.operation === 'createConversation')
        .map((r) => r.id),
    );
    for (const [id, t] of tickets) {
      if (t.thread === undefined || !roots.has(t.thread.activityId))
        problem('undelivered', `${id} has no thread in the support channel`);
    }
    // Each ticket starts one thread: a second root post is a duplicate engineers would see.
    const posted = rootPostTimes(connector, channel);
    for (const [id, n] of threadStarts(connector, channel)) {
      if (n <= 1 || !tickets.has(id)) continue;
      const times = posted.get(id) ?? [];
      const first = times[0] ?? 0;
      // The first post by an instance killed before it recorded it, the next after the kill: in doubt.
      if (n === 2 && kills.some((k) => first <= k && (times[1] ?? 0) > k)) {
        f.inDoubt++;
        continue;
      }
      problem(
        'duplicated',
        `${id} has ${n} threads in the support channel (posted at ${times.map((t) => new Date(t).toISOString().slice(11, 23)).join(', ')})${logLines(logs(), id)}`,
      );
    }
    // What an engineer said to the customer reaches the customer's chat.
    const told = toldTokens(connector, channel);
    for (const change of ledger.changes) {
      if (!change.acked || !CUSTOMER_HEARS.has(change.kind)) continue;
      if (!told.has(change.token))
        problem('undelivered', `${change.kind} on ${change.ticketId} never reached the customer`);
    }
  }
  return f;
}

/** The log lines that name a ticket, indented on their own lines ('' if none). */
function logLines(log: string, id: string): string {
  const lines = log.split('\n').filter((l) => l.includes(`${id}"`) || l.includes(`${id} `));
  return lines.length === 0 ? '' : `\n      ${lines.slice(-12).join('\n      ')}`;
}

/** When each ticket's root posts arrived. */
function rootPostTimes(connector: FakeConnector, channel: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of connector.sent()) {
    if (r.conversationId !== channel || !ROOT_POSTS.has(r.operation)) continue;
    const id = /^([A-Z]+-\d+) /.exec(r.activity?.summary ?? '')?.[1];
    if (id !== undefined) out.set(id, [...(out.get(id) ?? []), r.at]);
  }
  return out;
}

/** How many root posts (new threads) each ticket got in the support channel, by the ticket id of their summary. */
export function threadStarts(connector: FakeConnector, channel = SUPPORT_CHANNEL): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of connector.sent()) {
    if (r.conversationId !== channel || !ROOT_POSTS.has(r.operation)) continue;
    const id = /^([A-Z]+-\d+) /.exec(r.activity?.summary ?? '')?.[1];
    if (id !== undefined) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** How long confirmed tickets waited for their thread (root post at the connector − confirmation): p50, p95, max. */
export function threadLatency(ledger: Ledger, connector: FakeConnector, channel = SUPPORT_CHANNEL): string {
  const first = new Map<string, number>();
  for (const r of connector.sent()) {
    if (r.conversationId !== channel || !ROOT_POSTS.has(r.operation)) continue;
    const id = /^([A-Z]+-\d+) /.exec(r.activity?.summary ?? '')?.[1];
    if (id !== undefined && !first.has(id)) first.set(id, r.at);
  }
  const waits = ledger
    .confirmed()
    .flatMap((f) => {
      const at = first.get(f.ticketId ?? '');
      return at === undefined || f.confirmedAt === undefined ? [] : [Math.max(0, at - f.confirmedAt)];
    })
    .sort((a, b) => a - b);
  const q = (p: number): string =>
    ((waits[Math.min(waits.length - 1, Math.floor(waits.length * p))] ?? 0) / 1000).toFixed(1);
  return `threads posted after confirmation: p50 ${q(0.5)} s, p95 ${q(0.95)} s, max ${q(1)} s (${waits.length} tickets)`;
}

/** Waits until every confirmed ticket has its thread (the app repairs crash-interrupted ones), or time runs out. */
export async function threadsPosted(
  ledger: Ledger,
  storage: StorageHandle,
  prefix: string,
  timeoutMs: number,
): Promise<number> {
  const repo = repoOf(storage, prefix);
  const deadline = Date.now() + timeoutMs;
  let missing = ledger.confirmed();
  for (;;) {
    const still: typeof missing = [];
    for (const f of missing) {
      const stored = await repo.load(f.tenantId, f.ticketId ?? '');
      if (stored?.ticket.thread === undefined) still.push(f);
    }
    missing = still;
    if (missing.length === 0 || Date.now() > deadline) return missing.length;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Tokens of the texts that reached a customer's chat (any conversation but the support channel's). */
function toldTokens(connector: FakeConnector, channel: string): Set<string> {
  const told = new Set<string>();
  for (const r of connector.sent()) {
    if (r.conversationId === undefined || r.conversationId.startsWith(channel)) continue;
    for (const m of JSON.stringify(r.activity ?? {}).matchAll(/tok-[0-9a-f-]{36}/g)) told.add(m[0]);
  }
  return told;
}

/** Waits until every acknowledged engineer reply has reached its customer, or time runs out; returns how many have not. */
export async function noticesDelivered(
  ledger: Ledger,
  connector: FakeConnector,
  timeoutMs: number,
  channel = SUPPORT_CHANNEL,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const told = toldTokens(connector, channel);
    const missing = ledger.changes.filter((c) => c.acked && CUSTOMER_HEARS.has(c.kind) && !told.has(c.token));
    if (missing.length === 0 || Date.now() > deadline) return missing.length;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Every entity of every table (but the audit log, which refused attempts add to), for before/after compares. */
export async function snapshot(storage: StorageHandle, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of TABLES) {
    if (name === 'audit') continue;
    for await (const row of storage.table(`${prefix}${name}`).listEntities()) {
      // Instances' presence rows (src/watcher/presence.ts) are heartbeats, not data.
      if (name === 'outbox' && row.partitionKey === 'presence') continue;
      const { etag: _etag, timestamp: _ts, ...rest } = row as Record<string, unknown>;
      out.set(`${name}|${String(row.partitionKey)}|${String(row.rowKey)}`, JSON.stringify(rest));
    }
  }
  return out;
}

/** Keys added, removed or changed between two snapshots. */
export function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) {
    const was = before.get(k);
    if (was === undefined) out.push(`added ${k}`);
    else if (was !== v) out.push(`changed ${k}`);
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed ${k}`);
  return out;
}
