// Tickets and events as Table Storage entities: schema-versioned, size-checked, upgraded on read.
import type { TableEntityResult } from '@azure/data-tables';

type TableEntity = TableEntityResult<Record<string, unknown>>;
import type { Ticket, TicketEvent } from '../../domain/tickets/model';

/** Current schema versions. Bump and add an upgrade step when an entity's shape changes. */
export const TICKET_SCHEMA = 3;
export const EVENT_SCHEMA = 1;

/** Table Storage: a string property holds at most 64 KiB = 32,768 UTF-16 units; we keep a margin. */
export const MAX_PROPERTY_CHARS = 32_000;
const MAX_ENTITY_CHARS = 480_000;

export class EntityTooLarge extends Error {
  readonly code = 'ENTITY_TOO_LARGE';
}

type Props = Record<string, string | number | boolean>;

function checkSize(kind: string, props: Props): void {
  let total = 0;
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'string') {
      if (value.length > MAX_PROPERTY_CHARS)
        throw new EntityTooLarge(
          `${kind}.${name} is ${value.length} characters; at most ${MAX_PROPERTY_CHARS} fit`,
        );
      total += value.length;
    }
  }
  if (total > MAX_ENTITY_CHARS)
    throw new EntityTooLarge(`${kind} is ${total} characters; at most ${MAX_ENTITY_CHARS} fit`);
}

/** The ticket's properties: big parts split so that no property nears the limit. */
export function ticketProps(t: Ticket): Props {
  const { description, pauses, priorityChanges, search, ...rest } = t;
  const props: Props = {
    sv: TICKET_SCHEMA,
    doc: JSON.stringify(rest),
    description,
    pauses: JSON.stringify(pauses),
    changes: JSON.stringify(priorityChanges),
    status: t.status,
    priority: t.priority,
    version: t.version,
  };
  if (search !== undefined) {
    props['st'] = search.text;
    props['sn'] = search.notes;
  }
  checkSize(`ticket ${t.id}`, props);
  return props;
}

function str(e: TableEntity, name: string): string {
  const v = (e as Record<string, unknown>)[name];
  if (typeof v !== 'string') throw new Error(`entity ${e.partitionKey}/${e.rowKey} has no ${name}`);
  return v;
}

/** Upgrades a stored ticket document of an older schema to the current one. */
function upgradeTicket(sv: number, doc: Record<string, unknown>): Record<string, unknown> {
  let d = doc;
  if (sv < 2) {
    // v1 did not track posted warnings; their next-notice instant is recomputed on load.
    const sla = (d['sla'] ?? {}) as Record<string, unknown>;
    d = { ...d, notified: [], sla: { ...sla, nextNoticeAt: sla['nextNoticeAt'] ?? null } };
  }
  if (sv < 3) {
    // v2 did not keep recent events on the ticket; cards show them from the next change on.
    d = { ...d, recent: [] };
  }
  return d;
}

/** Reads a ticket entity of any known schema version. */
export function ticketFrom(e: TableEntity): Ticket {
  const sv = Number((e as Record<string, unknown>)['sv'] ?? 1);
  if (sv > TICKET_SCHEMA)
    throw new Error(`ticket entity ${e.rowKey} has schema ${sv}, newer than this app (${TICKET_SCHEMA})`);
  const doc = upgradeTicket(sv, JSON.parse(str(e, 'doc')) as Record<string, unknown>);
  const r = e as Record<string, unknown>;
  // Search texts are absent on tickets stored before they were kept (the repo completes them on the next save).
  const st = r['st'];
  const sn = r['sn'];
  return {
    ...doc,
    ...(typeof st === 'string' ? { search: { text: st, notes: typeof sn === 'string' ? sn : '' } } : {}),
    description: str(e, 'description'),
    pauses: JSON.parse(str(e, 'pauses')) as Ticket['pauses'],
    priorityChanges: JSON.parse(str(e, 'changes')) as Ticket['priorityChanges'],
  } as unknown as Ticket;
}

export function eventProps(ev: TicketEvent): Props {
  const props: Props = {
    sv: EVENT_SCHEMA,
    ticketId: ev.ticketId,
    seq: ev.seq,
    at: ev.at,
    type: ev.type,
    actor: JSON.stringify(ev.actor),
    internal: ev.internal,
  };
  if (ev.text !== undefined) props['text'] = ev.text;
  if (ev.data !== undefined) props['data'] = JSON.stringify(ev.data);
  if (ev.via !== undefined) props['via'] = ev.via;
  checkSize(`event ${ev.ticketId}#${ev.seq}`, props);
  return props;
}

export function eventFrom(e: TableEntity): TicketEvent {
  const r = e as Record<string, unknown>;
  const text = r['text'];
  const data = r['data'];
  return {
    ticketId: str(e, 'ticketId'),
    seq: Number(r['seq']),
    at: Number(r['at']),
    type: str(e, 'type') as TicketEvent['type'],
    actor: JSON.parse(str(e, 'actor')) as TicketEvent['actor'],
    internal: r['internal'] === true,
    ...(typeof text === 'string' ? { text } : {}),
    ...(typeof data === 'string' ? { data: JSON.parse(data) as TicketEvent['data'] } : {}),
    // Added later: events written before it, or in Teams, have none.
    ...(r['via'] === 'tab' ? { via: 'tab' as const } : {}),
  };
}
