// What the ticket service needs from storage. Adapters live in src/storage/.
import type { Instant } from '../sla';
import type { Ticket, TicketEvent } from './model';

export interface StoredTicket {
  readonly ticket: Ticket;
  readonly etag: string;
  /**
   * Storage's generation of the ticket's index rows (absent or 0: rows written before generations). It grows
   * with every change that moves the rows, so a row's key never comes back once it is stale.
   */
  readonly indexGen?: number;
  /**
   * Ids of the last actions applied to the ticket (Teams invoke activity ids), newest first: a retried
   * invoke carries the id of its first try, so it is recognised and applied once.
   */
  readonly actions?: readonly string[];
}

export type InsertOutcome =
  | { readonly kind: 'created'; readonly stored: StoredTicket }
  /** The same client request id filed a ticket before: that one. */
  | { readonly kind: 'exists'; readonly stored: StoredTicket };

export type SaveOutcome =
  | { readonly kind: 'saved'; readonly stored: StoredTicket }
  /** Someone else changed the ticket since it was read (ETag mismatch). */
  | { readonly kind: 'conflict' }
  /** This action id was applied before (a retried request). */
  | { readonly kind: 'duplicate-action' };

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly next?: string | undefined;
}

/** A message in a customer's chat. */
export interface MessageRef {
  readonly conversationId: string;
  readonly activityId: string;
}

export interface DueEntry {
  readonly ticketId: string;
  readonly tenantId: string;
  readonly dueAt: Instant;
}

export interface TicketRepo {
  /** A fresh short id (TM-1042) for a tenant's ticket, unique across instances. */
  nextId(tenantId: string): Promise<string>;
  /**
   * Stores a new ticket with its first events; idempotent on (tenant, requestId). `message`: a chat message
   * that is about this ticket from now on (the form the confirmation replaces), remembered in the same write.
   */
  insert(ticket: Ticket, events: readonly TicketEvent[], message?: MessageRef): Promise<InsertOutcome>;
  /** Reads one ticket of one tenant; null when that tenant has no such ticket. */
  load(tenantId: string, id: string): Promise<StoredTicket | null>;
  /** The tenant that owns a ticket id (staff lookups), or null. */
  locate(id: string): Promise<string | null>;
  /** Replaces the ticket if unchanged since `prev` and appends events, atomically. */
  save(
    prev: StoredTicket,
    next: Ticket,
    events: readonly TicketEvent[],
    actionId?: string,
  ): Promise<SaveOutcome>;
  /** Timeline in order. */
  events(tenantId: string, id: string): Promise<TicketEvent[]>;
  /** Open tickets of all tenants by next deadline (none last). */
  openQueue(limit: number, next?: string): Promise<Page<Ticket>>;
  /** One tenant's tickets, newest first. */
  tenantTickets(tenantId: string, limit: number, next?: string): Promise<Page<Ticket>>;
  /** One tenant's open tickets. */
  tenantOpen(tenantId: string): Promise<Ticket[]>;
  /** Every tenant that has filed a ticket. */
  tenants(): Promise<string[]>;
  /** Tickets created in [from, to), of one tenant or all, oldest first (monthly figures, reports). */
  createdBetween(from: Instant, to: Instant, tenantId?: string): Promise<Ticket[]>;
  /** Tickets with a warning or deadline to deliver at or before `t`, earliest first. */
  dueBefore(t: Instant, limit: number): Promise<DueEntry[]>;
  /** The tickets behind the first `limit` due-index rows at or before `t`, each checked against its head (stale rows removed). */
  dueTickets(t: Instant, limit: number): Promise<Ticket[]>;
}
