// The ticket service: loads, applies a command, saves with optimistic concurrency, and scopes every
// read to the caller's tenant. Storage comes in through the TicketRepo port; time through `now`.
import { CONTENTION, pause } from '../kit/retry';
import type { Instant, SlaEngine } from '../sla';
import { apply, openTicket, type Change, type Command, type NewTicketInput } from './commands';
import { ticketSla } from './sla-view';
import { zoned } from '../cards/time';
import type { TicketRules } from './plan';
import { DomainError, fail, invalidInput, ok, ticketNotFound, type Result } from './errors';
import type { Actor, Origin, Ticket, TicketEvent } from './model';
import type { DueEntry, MessageRef, Page, StoredTicket, TicketRepo } from './ports';
import { Listeners } from '../kit/listeners';
import { customerSideOf } from '../attachments/customer-side';
import { messageOf } from '../kit/errors';

/** Whose view: a customer tenant sees only its own tickets; staff see all. */
export type Scope = { readonly kind: 'tenant'; readonly tenantId: string } | { readonly kind: 'staff' };

export interface FileOptions {
  /** A chat message that is about the new ticket from now on (the form its confirmation replaces). */
  readonly message?: MessageRef | undefined;
}

export interface ActOptions {
  /**
   * The version the actor saw; if a person changed the ticket since, the action is refused saying who did
   * (the app's own records since, such as a delivery or a warning, do not count).
   */
  readonly expectedVersion?: number | undefined;
  /** A unique id of this request (e.g. the Teams activity id): a retry with the same id does nothing twice. */
  readonly actionId?: string | undefined;
  /** Where the actor acted, when not in Teams: stamped on the events (the timeline says "from the tab"). */
  readonly via?: Origin | undefined;
}

export interface Acted {
  readonly ticket: Ticket;
  readonly events: readonly TicketEvent[];
  /** True when this action id had been applied already; nothing changed now. */
  readonly duplicate: boolean;
}

/** A saved change, as listeners are told of it; `cause` is what made it. */
export interface TicketChange {
  readonly ticket: Ticket;
  readonly events: readonly TicketEvent[];
  /** The command, 'file' for a new ticket, or 'republish' when a ticket is told again unchanged (a repair). */
  readonly cause: Command['kind'] | 'file' | 'republish';
}

const MAX_ATTEMPTS = 12;
/** Heads remembered for the next change of a ticket (the tickets being worked on). */
const HEAD_CACHE = 2_000;
/** Events kept on the ticket for cards, and how much of their text. */
const RECENT_EVENTS = 6;
const RECENT_TEXT = 300;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function unavailable(err: unknown): DomainError {
  return new DomainError(
    'STORAGE_UNAVAILABLE',
    'Could not save right now; nothing was changed. Please try again.',
    {
      cause: messageOf(err),
    },
  );
}

export class TicketService {
  /** The heads this instance last read or wrote for a change, newest last (see `act`). */
  private readonly heads = new Map<string, StoredTicket>();
  /** Told after every saved change (not a repeated request's): cards, counters and the watcher subscribe. */
  readonly changes = new Listeners<TicketChange>();
  constructor(
    private readonly deps: {
      readonly repo: TicketRepo;
      readonly engine: SlaEngine;
      readonly now: () => Instant;
      /** The desk's ticket settings (default: the first reply takes ownership). */
      readonly rules?: TicketRules | undefined;
    },
  ) {}

  get engine(): SlaEngine {
    return this.deps.engine;
  }

  /** Recomputes the derived SLA figures (after an upgrade or a policy change). */
  private fresh(t: Ticket): Ticket {
    return { ...t, sla: ticketSla(this.deps.engine, t).sla };
  }

  /** The ticket with its newest events kept on it (texts shortened: the timeline has them whole). */
  private withRecent(t: Ticket, events: readonly TicketEvent[]): Ticket {
    const short = events.map((e) =>
      e.text !== undefined && e.text.length > RECENT_TEXT
        ? { ...e, text: `${e.text.slice(0, RECENT_TEXT)}…` }
        : e,
    );
    return { ...t, recent: [...t.recent, ...short].slice(-RECENT_EVENTS) };
  }

  private withEvents(t: Ticket, change: Change, via?: Origin): TicketEvent[] {
    return change.events.map((e, i) => ({
      ...e,
      ticketId: t.id,
      seq: t.eventCount + i + 1,
      ...(via === undefined ? {} : { via }),
    }));
  }

  /**
   * Files a ticket; the same requestId twice yields one ticket (`created` false the second time).
   * @example await tickets.file({ requestId: 'r-1', tenantId, customerName: 'Contoso', … })
   */
  async file(
    input: NewTicketInput,
    options: FileOptions = {},
  ): Promise<Result<{ ticket: Ticket; created: boolean; events: readonly TicketEvent[] }>> {
    const filed = await this.fileOnce(input, options);
    if (filed.ok && filed.value.created)
      await this.changes.publish({ ticket: filed.value.ticket, events: filed.value.events, cause: 'file' });
    return filed;
  }

  /** Tells the listeners of a ticket again, unchanged (a thread that was never posted). */
  republish(ticket: Ticket): Promise<void> {
    return this.changes.publish({ ticket, events: [], cause: 'republish' });
  }

  private async fileOnce(
    input: NewTicketInput,
    options: FileOptions,
  ): Promise<Result<{ ticket: Ticket; created: boolean; events: readonly TicketEvent[] }>> {
    if (!REQUEST_ID.test(input.requestId))
      return fail(invalidInput('The request id is missing or not valid.', 'requestId'));
    try {
      const id = await this.deps.repo.nextId(input.tenantId);
      const opened = openTicket(id, input, this.deps.now(), this.deps.engine);
      if (!opened.ok) return opened;
      const events = this.withEvents(opened.value.ticket, opened.value);
      const first = this.withRecent(
        { ...opened.value.ticket, eventCount: opened.value.events.length },
        events,
      );
      const outcome = await this.deps.repo.insert(first, events, options.message);
      const created = outcome.kind === 'created';
      this.rememberHead(outcome.stored);
      return ok({ ticket: this.fresh(outcome.stored.ticket), created, events: created ? events : [] });
    } catch (err) {
      if (err instanceof DomainError) return fail(err);
      return fail(unavailable(err));
    }
  }

  /** A remembered head the scope may act on. */
  private cachedHead(scope: Scope, id: string): StoredTicket | undefined {
    const known = this.heads.get(id);
    if (known === undefined) return undefined;
    return scope.kind === 'staff' || known.ticket.tenantId === scope.tenantId ? known : undefined;
  }

  private rememberHead(stored: StoredTicket): void {
    this.heads.delete(stored.ticket.id);
    this.heads.set(stored.ticket.id, stored);
    if (this.heads.size > HEAD_CACHE) {
      const oldest = this.heads.keys().next();
      if (oldest.done !== true) this.heads.delete(oldest.value);
    }
  }

  private async load(scope: Scope, id: string): Promise<StoredTicket | null> {
    const tenantId = scope.kind === 'tenant' ? scope.tenantId : await this.deps.repo.locate(id);
    if (tenantId === null) return null;
    return this.deps.repo.load(tenantId, id);
  }

  /** One ticket, if the scope may see it. Another tenant's ticket is "not found", exactly like a missing one. */
  async get(scope: Scope, id: string): Promise<Result<Ticket>> {
    try {
      const stored = await this.load(scope, normaliseId(id));
      return stored === null ? fail(ticketNotFound(id)) : ok(this.fresh(stored.ticket));
    } catch (err) {
      return fail(unavailable(err));
    }
  }

  /**
   * The ticket's timeline in order. In a tenant's scope internal events are left out, except that a file's
   * removal is told without who removed it or why (attachments/customer-side.ts).
   */
  async timeline(scope: Scope, id: string): Promise<Result<{ ticket: Ticket; events: TicketEvent[] }>> {
    try {
      const ticketId = normaliseId(id);
      const tenantId = scope.kind === 'tenant' ? scope.tenantId : await this.deps.repo.locate(ticketId);
      if (tenantId === null) return fail(ticketNotFound(id));
      // The head and the events side by side: both are read in the scope's (or the id's) tenant partition, so
      // nothing of another tenant is read even when the id is not this tenant's.
      const [stored, events] = await Promise.all([
        this.deps.repo.load(tenantId, ticketId),
        this.deps.repo.events(tenantId, ticketId),
      ]);
      if (stored === null) return fail(ticketNotFound(id));
      return ok({
        ticket: this.fresh(stored.ticket),
        events: scope.kind === 'tenant' ? events.flatMap(customerSideOf) : events,
      });
    } catch (err) {
      return fail(unavailable(err));
    }
  }

  /**
   * Applies a command with optimistic concurrency: on a concurrent change it re-reads and re-applies,
   * unless the caller named the version it saw, in which case it reports who changed the ticket first.
   */
  async act(
    scope: Scope,
    id: string,
    actor: Actor,
    cmd: Command,
    options: ActOptions = {},
  ): Promise<Result<Acted>> {
    const acted = await this.actOnce(scope, id, actor, cmd, options);
    if (acted.ok && !acted.value.duplicate)
      await this.changes.publish({ ticket: acted.value.ticket, events: acted.value.events, cause: cmd.kind });
    return acted;
  }

  private async actOnce(
    scope: Scope,
    id: string,
    actor: Actor,
    cmd: Command,
    options: ActOptions,
  ): Promise<Result<Acted>> {
    const ticketId = normaliseId(id);
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        // The first try starts from the head this instance last saw, if any: a stale one fails its ETag
        // on save, and any refusal based on it is checked against a fresh read before it is given.
        const cached = attempt === 0 ? this.cachedHead(scope, ticketId) : undefined;
        const stored = cached ?? (await this.load(scope, ticketId));
        if (stored === null) return fail(ticketNotFound(id));
        if (cached === undefined) this.rememberHead(stored);
        const current = stored.ticket;
        // A retried invoke (Teams resends it when the answer is slow) finds its id on the head: applied once.
        if (options.actionId !== undefined && stored.actions?.includes(options.actionId) === true)
          return ok({ ticket: this.fresh(current), events: [], duplicate: true });
        if (options.expectedVersion !== undefined && changedSince(current, options.expectedVersion)) {
          if (cached !== undefined) continue;
          return fail(staleTicket(current, this.deps.engine, this.deps.now()));
        }
        const change = apply(current, actor, cmd, this.deps.now(), this.deps.engine, this.deps.rules);
        if (!change.ok) {
          if (cached !== undefined) continue;
          return change;
        }
        const events = this.withEvents(current, change.value, options.via);
        const next: Ticket = this.withRecent(
          { ...change.value.ticket, eventCount: current.eventCount + events.length },
          events,
        );
        const outcome = await this.deps.repo.save(stored, next, events, options.actionId);
        if (outcome.kind === 'saved') {
          this.rememberHead(outcome.stored);
          return ok({ ticket: this.fresh(outcome.stored.ticket), events, duplicate: false });
        }
        this.heads.delete(ticketId);
        if (outcome.kind === 'duplicate-action') {
          const again = await this.load(scope, ticketId);
          if (again === null) return fail(ticketNotFound(id));
          return ok({ ticket: this.fresh(again.ticket), events: [], duplicate: true });
        }
        if (options.expectedVersion !== undefined) {
          const winner = await this.load(scope, ticketId);
          if (winner === null || changedSince(winner.ticket, options.expectedVersion))
            return fail(staleTicket(winner?.ticket ?? current, this.deps.engine, this.deps.now()));
          // Only the app's own record came first (a delivery, a warning): applied again on the new head.
        }
        // Exponential backoff with full jitter: many writers of one ticket spread out instead of colliding
        // again round after round (about 3 s at most over all attempts).
        await pause(attempt, CONTENTION);
      }
      return fail(new DomainError('STALE_TICKET', `${ticketId} is changing too fast; please try again.`));
    } catch (err) {
      if (err instanceof DomainError) return fail(err);
      return fail(unavailable(err));
    }
  }

  /** Open tickets of every tenant, next deadline first (staff). */
  async queue(limit = 50, next?: string): Promise<Page<Ticket>> {
    const page = await this.deps.repo.openQueue(limit, next);
    return { ...page, items: page.items.map((t) => this.fresh(t)) };
  }

  /** A tenant's tickets, newest first. */
  async tenantTickets(tenantId: string, limit = 50, next?: string): Promise<Page<Ticket>> {
    const page = await this.deps.repo.tenantTickets(tenantId, limit, next);
    return { ...page, items: page.items.map((t) => this.fresh(t)) };
  }

  /** A tenant's open tickets, next deadline first. */
  async tenantOpen(tenantId: string): Promise<Ticket[]> {
    const items = (await this.deps.repo.tenantOpen(tenantId)).map((t) => this.fresh(t));
    return items.sort((a, b) => (a.sla.nextDeadline ?? Infinity) - (b.sla.nextDeadline ?? Infinity));
  }

  /** Every tenant that has filed a ticket. */
  tenants(): Promise<string[]> {
    return this.deps.repo.tenants();
  }

  /** Tickets created in [from, to), of one tenant or all. */
  async createdBetween(from: Instant, to: Instant, tenantId?: string): Promise<Ticket[]> {
    return (await this.deps.repo.createdBetween(from, to, tenantId)).map((t) => this.fresh(t));
  }

  /** The tickets whose next notice is due by `t` (the watcher's pass), read through the due-time index. */
  async dueTickets(t: Instant, limit = 200): Promise<Ticket[]> {
    return (await this.deps.repo.dueTickets(t, limit)).map((x) => this.fresh(x));
  }

  /** Tickets with a warning to deliver by `t`. */
  dueBefore(t: Instant, limit = 200): Promise<DueEntry[]> {
    return this.deps.repo.dueBefore(t, limit);
  }
}

/** "tm-1042" and " TM-1042 " mean TM-1042. */
export function normaliseId(id: string): string {
  return id.trim().toUpperCase();
}

/**
 * True when a person changed `t` after version `seen` (or `seen` never existed). The app's own records since
 * (warnings, pages, deliveries, the thread) do not make a viewer's version stale.
 */
function changedSince(t: Ticket, seen: number): boolean {
  if (seen > t.version) return true;
  return (t.lastPersonChange?.version ?? t.version) > seen;
}

/** Who changed `t` first and when, in the support zone as other messages read times ("today 07:51 ET"). */
function staleTicket(t: Ticket, engine: SlaEngine, now: Instant): DomainError {
  const last = t.lastPersonChange ?? t.lastChange;
  const when = zoned(engine.policy, last.at, now);
  return new DomainError('STALE_TICKET', `${last.by.name} ${last.what} first (${t.id}, ${when}).`, {
    by: last.by.name,
    what: last.what,
    at: last.at,
    version: t.version,
  });
}
