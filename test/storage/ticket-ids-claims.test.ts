// Ticket id blocks on real Azurite with the fast path: a claim starts from the counter as this instance last
// wrote it (no read), another instance's claim in between still gives no id twice, a block running low is
// topped up after the answer, and filing writes the tenant row and the index rows before the ticket.
import type { TableClient } from '@azure/data-tables';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { silentLogger } from '../../src/log';
import { SlaEngine } from '../../src/domain/sla';
import { createTableClients } from '../../src/adapters/storage/tables';
import { SEQ } from '../../src/adapters/storage/ticket-keys';
import { TableTicketRepo } from '../../src/adapters/storage/ticket-repo';
import { TicketService } from '../../src/domain/tickets/service';
import { aFiling, CONTOSO, FABRIKAM } from '../fixtures/filing';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

type Policy = Parameters<TableClient['pipeline']['addPolicy']>[0];

const engine = new SlaEngine(DEFAULT_POLICY);
const now = (): number => Date.parse('2026-11-24T09:00:00-05:00');
let azurite: TestAzurite;

beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

interface Desk {
  readonly tickets: TableClient;
  readonly index: TableClient;
  /** Storage requests to the index table so far, as "METHOD path". */
  readonly sent: string[];
}

async function openDesk(): Promise<Desk> {
  const names = [uniqueTableName('tickets'), uniqueTableName('index')] as const;
  const handle = await createTableClients(
    { kind: 'connection-string', connectionString: azurite.connectionString },
    names,
    silentLogger,
  );
  const tickets = handle.table(names[0]);
  const index = handle.table(names[1]);
  const sent: string[] = [];
  const policy: Policy = {
    name: 'indexRequests',
    sendRequest: (request, next) => {
      sent.push(`${request.method} ${decodeURIComponent(new URL(request.url).pathname)}`);
      return next(request);
    },
  };
  index.pipeline.addPolicy(policy);
  return { tickets, index, sent };
}

/** A service on the desk's tables, ids in blocks of `block`; `later` collects work for after the answer. */
function instance(
  desk: Desk,
  block: number,
  later?: (key: string, work: () => Promise<void>) => void,
): { service: TicketService; repo: TableTicketRepo } {
  const repo = new TableTicketRepo({
    tickets: desk.tickets,
    index: desk.index,
    prefix: 'TM',
    block,
    now,
    later,
  });
  return { service: new TicketService({ repo, engine, now }), repo };
}

async function fileFor(service: TicketService, tenantId: string, n: number): Promise<string> {
  const filed = await service.file(aFiling({ requestId: `req-${tenantId.slice(0, 4)}-${n}`, tenantId }));
  if (!filed.ok) throw filed.error;
  return filed.value.ticket.id;
}

describe('ticket id blocks', () => {
  it('claims a second block without reading the counter when no other instance moved it', async () => {
    const desk = await openDesk();
    const { service } = instance(desk, 2);
    await fileFor(service, CONTOSO, 1);
    await fileFor(service, CONTOSO, 2);
    desk.sent.length = 0;
    await fileFor(service, CONTOSO, 3);
    const counterReads = desk.sent.filter((r) => r.startsWith('GET') && r.includes(`RowKey='${SEQ}'`));
    expect(counterReads).toEqual([]);
    expect(desk.sent.some((r) => r.endsWith('$batch'))).toBe(true);
  });

  it('gives no id twice when two instances claim blocks in turn, and each id keeps its tenant', async () => {
    const desk = await openDesk();
    const a = instance(desk, 2);
    const b = instance(desk, 2);
    const filed: { id: string; tenant: string }[] = [];
    for (let n = 0; n < 9; n++) {
      // Each instance's remembered counter is stale after the other's claim: its ETag fails, then it reads.
      const [who, tenant] = n % 2 === 0 ? [a, CONTOSO] : [b, FABRIKAM];
      filed.push({ id: await fileFor(who.service, tenant, n), tenant });
    }
    expect(new Set(filed.map((f) => f.id)).size).toBe(filed.length);
    const reader = instance(desk, 2);
    for (const f of filed) expect(await reader.repo.locate(f.id)).toBe(f.tenant);
  });

  it('tops a running-low block up after the answer, and numbers carry on from the new block', async () => {
    const desk = await openDesk();
    const queued: { key: string; work: () => Promise<void> }[] = [];
    const { service, repo } = instance(desk, 4, (key, work) => queued.push({ key, work }));
    const ids = [];
    for (let n = 0; n < 3; n++) ids.push(await fileFor(service, CONTOSO, n));
    expect(queued.map((q) => q.key)).toEqual([`ticket-ids:${CONTOSO}`]);
    // Meanwhile another instance claims the next numbers: the top-up takes the block after them.
    const other = instance(desk, 4);
    const theirs = await fileFor(other.service, FABRIKAM, 0);
    for (const q of queued.splice(0)) await q.work();
    desk.sent.length = 0;
    for (let n = 3; n < 6; n++) ids.push(await fileFor(service, CONTOSO, n));
    // The fourth id came from the first block, the next two from the topped-up one: no claim on the way.
    expect(desk.sent.filter((r) => r.includes(`RowKey='${SEQ}'`) || r.startsWith('GET'))).toEqual([]);
    const numbers = ids.map((id) => Number(id.slice(3)));
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    expect(new Set([...ids, theirs]).size).toBe(7);
    for (const id of ids) expect(await repo.locate(id)).toBe(CONTOSO);
  });
});

describe('filing with the tenant row and the index written side by side', () => {
  it('lists the tenant, queues the ticket, and still answers a repeated request with the first ticket', async () => {
    const desk = await openDesk();
    const { service } = instance(desk, 20);
    const first = await service.file(aFiling({ requestId: 'same-request', tenantId: CONTOSO }));
    const again = await service.file(aFiling({ requestId: 'same-request', tenantId: CONTOSO }));
    if (!first.ok || !again.ok) throw new Error('filing failed');
    expect(first.value.created).toBe(true);
    expect(again.value.created).toBe(false);
    expect(again.value.ticket.id).toBe(first.value.ticket.id);
    expect(await service.tenants()).toEqual([CONTOSO]);
    const queue = await service.queue(10);
    expect(queue.items.map((t) => t.id)).toEqual([first.value.ticket.id]);
  });
});
