// The people of a load run and what they were told: 50 customers of five tenants filing and following tickets,
// engineers working them from the support channel, through a load balancer over the app instances. The ledger
// records every confirmation and acknowledged action, so verify.ts can check storage against it afterwards.
// Test support only.
import { randomInt, randomUUID } from 'node:crypto';
import {
  actionExecute,
  channelMessage,
  personalMessage,
  type JsonObject,
  type TeamsActivity,
} from '../support/activities';
import { cardText } from '../support/cards';
import { DEFAULT_TENANT_ID, type FakeConnector } from '../support/connector';
import type { Instance } from './instance';

export const VENDOR = DEFAULT_TENANT_ID;
export const SUPPORT_CHANNEL = '19:faultsupport@thread.tacv2';
export const CUSTOMER_TENANTS = [
  ['c0000001-0000-4000-8000-00000000000a', 'Contoso'],
  ['c0000002-0000-4000-8000-00000000000b', 'Fabrikam'],
  ['c0000003-0000-4000-8000-00000000000c', 'Northwind'],
  ['c0000004-0000-4000-8000-00000000000d', 'Tailspin'],
  ['c0000005-0000-4000-8000-00000000000e', 'Woodgrove'],
] as const;
export const ENGINEERS = [
  ['e0000001-0000-4000-8000-000000000001', 'Alice Engineer'],
  ['e0000002-0000-4000-8000-000000000002', 'Bob Engineer'],
  ['e0000003-0000-4000-8000-000000000003', 'Carol Engineer'],
  ['e0000004-0000-4000-8000-000000000004', 'Dan Engineer'],
  ['e0000005-0000-4000-8000-000000000005', 'Erin Engineer'],
] as const;
export const MANAGER = ['m0000001-0000-4000-8000-000000000001', 'Mia Manager'] as const;

/** The app's configuration for these people (every instance gets the same). */
export function peopleEnv(): Record<string, string> {
  return {
    ...UNTHROTTLED,
    CUSTOMER_TENANTS: CUSTOMER_TENANTS.map(([id, name]) => `${id}=${name}`).join(';'),
    STAFF_TENANT_ID: VENDOR,
    STAFF_ENGINEERS: ENGINEERS.map(([id, name]) => `${id}=${name}`).join(';'),
    STAFF_MANAGERS: `${MANAGER[0]}=${MANAGER[1]}`,
  };
}

export interface Customer {
  readonly tenantId: string;
  readonly userId: string;
  readonly name: string;
}

/**
 * Rate limits off: the crowds here press again as soon as they are answered (no human pace) and the hostile rows
 * count answers, not rates. The flood case (doors.ts) runs with the default limits.
 */
export const UNTHROTTLED: Readonly<Record<string, string>> = {
  RATE_LIMIT_USER: '0',
  RATE_LIMIT_TENANT: '0',
  RATE_LIMIT_CLIENT: '0',
};

/** n customers, spread over the five tenants. */
export function customers(n: number): Customer[] {
  return Array.from({ length: n }, (_, i) => {
    const [tenantId] = CUSTOMER_TENANTS[i % CUSTOMER_TENANTS.length] ?? CUSTOMER_TENANTS[0];
    return { tenantId, userId: `29:cust-${i}`, name: `Customer ${i}` };
  });
}

/** A filing as the customer saw it. */
export interface Filing {
  readonly requestId: string;
  readonly tenantId: string;
  readonly title: string;
  ticketId: string | undefined;
  /** When the confirmation arrived (epoch ms). */
  confirmedAt?: number;
  /** Times the answer never came (instance killed, connection reset) and the customer pressed again. */
  lostResponses: number;
  /** Times the customer was told it could not be saved. */
  refused: number;
}

/** A change with a unique text, as its actor saw it. */
export interface Change {
  readonly ticketId: string;
  readonly tenantId: string;
  readonly token: string;
  readonly kind: string;
  /** The app answered that it was done. */
  acked: boolean;
  lostResponses: number;
}

export interface Tally {
  operations: number;
  /** Answers that told a person something failed ("could not save", "something went wrong", 5xx). */
  userErrors: number;
  /** Requests whose answer never came (counted, then retried elsewhere). */
  lostResponses: number;
  /** Answers that claimed success when the truth was otherwise (checked by verify.ts). */
  falseConfirmations: number;
  /** Statuses seen, for the report. */
  statuses: Map<number | string, number>;
}

export class Ledger {
  readonly filings: Filing[] = [];
  readonly changes: Change[] = [];
  readonly tally: Tally = {
    operations: 0,
    userErrors: 0,
    lostResponses: 0,
    falseConfirmations: 0,
    statuses: new Map(),
  };
  /** Messages users were shown when something failed, with how often. */
  readonly errorTexts = new Map<string, number>();

  confirmed(): Filing[] {
    return this.filings.filter((f) => f.ticketId !== undefined);
  }

  userError(text: string): void {
    this.tally.userErrors++;
    // The line that says what failed (a card also carries its title, fields and buttons).
    const key = (text.split('\n').find((l) => FAILURE.test(l)) ?? text).slice(0, 120);
    this.errorTexts.set(key, (this.errorTexts.get(key) ?? 0) + 1);
  }

  status(s: number | string): void {
    this.tally.statuses.set(s, (this.tally.statuses.get(s) ?? 0) + 1);
  }
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** The instance that answered. */
  readonly via: string;
}

/** The requests failed on every instance (all down) or for longer than the caller waits. */
export class NoAnswer extends Error {}

/**
 * Spreads requests over the live instances, as Azure's load balancer does. A request whose connection dies
 * (the instance was killed mid-request) is a lost response: counted, and sent again as Teams or the person
 * would (the same activity id, the same form), to another instance.
 */
export class Balancer {
  private readonly down = new Set<string>();

  constructor(
    private readonly instances: () => readonly Instance[],
    private readonly ledger: Ledger,
    private readonly timeoutMs = 30_000,
  ) {}

  private pick(): Instance | undefined {
    const live = this.instances().filter((i) => i.alive() && !this.down.has(i.url));
    return live[randomInt(0, Math.max(1, live.length))];
  }

  /** Marks an instance as back (a restarted one has a new url anyway). */
  reset(): void {
    this.down.clear();
  }

  /** POSTs to /api/messages; returns the answer and how many tries lost their response. */
  async send(
    activity: TeamsActivity | Readonly<Record<string, unknown>>,
  ): Promise<Answer & { lost: number }> {
    let lost = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      const instance = this.pick();
      if (instance === undefined) {
        await sleep(200);
        continue;
      }
      try {
        this.ledger.tally.operations++;
        const res = await fetch(`${instance.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await res.text();
        this.ledger.status(res.status);
        let body: unknown = text;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        return { status: res.status, body, via: instance.name, lost };
      } catch {
        lost++;
        this.ledger.tally.lostResponses++;
        this.ledger.status('lost');
        if (!instance.alive()) this.down.add(instance.url);
        await sleep(50);
      }
    }
    throw new NoAnswer('no instance answered');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** What an invoke answer says: a card's text, or a message. */
export function invokeText(answer: Answer): { card: boolean; text: string } {
  const body = answer.body as { type?: string; value?: unknown } | undefined;
  if (body?.type === 'application/vnd.microsoft.card.adaptive')
    return { card: true, text: cardText(body.value) };
  return { card: false, text: typeof body?.value === 'string' ? body.value : JSON.stringify(body ?? null) };
}

const FAILURE = /could not|something went wrong|try again|internal error/i;

export interface ActorOptions {
  readonly connector: FakeConnector;
  readonly balancer: Balancer;
  readonly ledger: Ledger;
  /** Shared list of tickets engineers can see (root cards in the channel). */
  readonly board: Filing[];
}

const CATEGORIES = ['outage', 'partial-outage', 'provisioning', 'interop-testing', 'question'] as const;

/** One customer's next step: file, follow up, answer, check status or list. */
export async function customerStep(c: Customer, o: ActorOptions, mine: Filing[]): Promise<void> {
  const who = {
    serviceUrl: o.connector.serviceUrl,
    tenantId: c.tenantId,
    userId: c.userId,
    userName: c.name,
  };
  const own = mine.filter((f) => f.ticketId !== undefined);
  const roll = randomInt(0, 100);
  const pending = mine.find((f) => f.ticketId === undefined);
  if (pending !== undefined || own.length === 0 || roll < 35) {
    await file(c, o, mine, pending);
    return;
  }
  const target = own[randomInt(0, own.length)] ?? own[0];
  const ticketId = target?.ticketId ?? '';
  if (roll < 60) {
    const token = `tok-${randomUUID()}`;
    const change: Change = {
      ticketId,
      tenantId: c.tenantId,
      token,
      kind: 'customer-message',
      acked: false,
      lostResponses: 0,
    };
    o.ledger.changes.push(change);
    const a = await o.balancer.send(
      actionExecute(
        'ticket.answer',
        { verb: 'ticket.answer', ticketId, message: `More details ${token}` },
        { ...who, replyToId: `card-${ticketId}` },
      ),
    );
    change.lostResponses += a.lost;
    const { card, text } = invokeText(a);
    if (a.status === 200 && card && text.includes('Your message was added.')) change.acked = true;
    else if (FAILURE.test(text) || a.status >= 500) o.ledger.userError(text);
    return;
  }
  if (roll < 80) {
    const activity = personalMessage({ ...who, text: `status ${ticketId}` });
    const a = await o.balancer.send(activity);
    if (a.status >= 500) o.ledger.userError(`HTTP ${a.status}`);
    return;
  }
  const a = await o.balancer.send(personalMessage({ ...who, text: 'my tickets' }));
  if (a.status >= 500) o.ledger.userError(`HTTP ${a.status}`);
}

/** Files a new ticket, or presses File again on a form whose answer never came or could not be saved. */
async function file(c: Customer, o: ActorOptions, mine: Filing[], again: Filing | undefined): Promise<void> {
  const who = {
    serviceUrl: o.connector.serviceUrl,
    tenantId: c.tenantId,
    userId: c.userId,
    userName: c.name,
  };
  let filing = again;
  if (filing === undefined) {
    filing = {
      requestId: randomUUID(),
      tenantId: c.tenantId,
      title: `Load ${randomUUID().slice(0, 8)} ${c.name}`,
      ticketId: undefined,
      lostResponses: 0,
      refused: 0,
    };
    mine.push(filing);
    o.ledger.filings.push(filing);
  }
  const data: JsonObject = {
    verb: 'ticket.submit',
    requestId: filing.requestId,
    title: filing.title,
    description: `Filed under load by ${c.name}.`,
    category: CATEGORIES[randomInt(0, CATEGORIES.length)] ?? 'question',
    priority: (['P2', 'P3', 'P3'] as const)[randomInt(0, 3)] ?? 'P3',
  };
  const a = await o.balancer.send(
    actionExecute('ticket.submit', data, { ...who, replyToId: `form-${filing.requestId}` }),
  );
  filing.lostResponses += a.lost;
  const { card, text } = invokeText(a);
  const id = /Ticket ([A-Z]+-\d+) filed/.exec(text)?.[1];
  if (a.status === 200 && card && id !== undefined) {
    filing.ticketId = id;
    filing.confirmedAt = Date.now();
    o.board.push(filing);
    return;
  }
  filing.refused++;
  o.ledger.userError(text);
  // A person told to try again waits a moment before pressing File again.
  await sleep(randomInt(1_000, 3_000));
}

const STAFF_VERBS = [
  'staff.take',
  'staff.reply',
  'staff.note',
  'staff.note',
  'staff.reply',
  'staff.ask',
] as const;

/** One engineer's next step on a ticket from the board. */
export async function engineerStep(index: number, o: ActorOptions): Promise<void> {
  const [aad, name] = ENGINEERS[index % ENGINEERS.length] ?? ENGINEERS[0];
  const target = o.board[randomInt(0, Math.max(1, o.board.length))];
  if (target?.ticketId === undefined) {
    await sleep(100);
    return;
  }
  const verb = STAFF_VERBS[randomInt(0, STAFF_VERBS.length)] ?? 'staff.note';
  const token = `tok-${randomUUID()}`;
  const key = `${verb.slice('staff.'.length)}Text`;
  const data: JsonObject = { verb, ticketId: target.ticketId, [key]: `${verb} by ${name} ${token}` };
  const change: Change | undefined =
    verb === 'staff.take'
      ? undefined
      : {
          ticketId: target.ticketId,
          tenantId: target.tenantId,
          token,
          kind: verb,
          acked: false,
          lostResponses: 0,
        };
  if (change !== undefined) o.ledger.changes.push(change);
  const activity = actionExecute(verb, data, {
    serviceUrl: o.connector.serviceUrl,
    tenantId: VENDOR,
    userId: `29:${name}`,
    aadObjectId: aad,
    userName: name,
    channel: { channelId: SUPPORT_CHANNEL, channelName: 'Support', threadId: 'root' },
    replyToId: 'root',
  });
  const a = await o.balancer.send(activity);
  if (change !== undefined) change.lostResponses += a.lost;
  const body = a.body as { type?: string; value?: unknown } | undefined;
  const raw = JSON.stringify(body?.value ?? '');
  const { card, text } = invokeText(a);
  // A refused action comes back as the card with a notice in attention colour.
  const refused = raw.includes('"color":"attention"');
  if (a.status === 200 && card && !refused) {
    if (change !== undefined) change.acked = true;
  } else if (FAILURE.test(text) || a.status >= 500) o.ledger.userError(text);
}

/** An engineer makes the channel the support channel (once per run). */
export function registerChannel(connector: FakeConnector): TeamsActivity {
  const [aad, name] = ENGINEERS[0];
  return channelMessage({
    serviceUrl: connector.serviceUrl,
    tenantId: VENDOR,
    userId: `29:${name}`,
    aadObjectId: aad,
    userName: name,
    channel: { channelId: SUPPORT_CHANNEL, channelName: 'Support' },
    text: 'use this channel for support',
  });
}

/** Runs `step` in a loop for each of n actors until `until()` says stop. */
export async function crowd(
  n: number,
  until: () => boolean,
  step: (i: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      while (!until()) {
        try {
          await step(i);
        } catch (err) {
          if (!(err instanceof NoAnswer)) throw err;
          await sleep(200);
        }
        await sleep(randomInt(20, 120));
      }
    }),
  );
}
