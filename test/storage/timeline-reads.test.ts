// A ticket's timeline reads its head and its events side by side: still only in the caller's tenant partition
// (another tenant's id reads nothing of that tenant), internal notes still hidden from customers, and the
// change just saved is in both.
import type { TableClient } from '@azure/data-tables';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { silentLogger } from '../../src/log';
import { SlaEngine } from '../../src/domain/sla';
import { createTableClients } from '../../src/adapters/storage/tables';
import { tenantPk } from '../../src/adapters/storage/ticket-keys';
import { TableTicketRepo } from '../../src/adapters/storage/ticket-repo';
import { TicketService } from '../../src/domain/tickets/service';
import { aFiling, alice, CONTOSO, FABRIKAM } from '../fixtures/filing';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

type Policy = Parameters<TableClient['pipeline']['addPolicy']>[0];

const engine = new SlaEngine(DEFAULT_POLICY);
const now = (): number => Date.parse('2026-11-24T09:00:00-05:00');
let azurite: TestAzurite;
let service: TicketService;
/** Decoded URLs of the requests to the tickets table. */
const sent: string[] = [];

beforeAll(async () => {
  azurite = await startTestAzurite();
  const names = [uniqueTableName('tickets'), uniqueTableName('index')] as const;
  const handle = await createTableClients(
    { kind: 'connection-string', connectionString: azurite.connectionString },
    names,
    silentLogger,
  );
  const tickets = handle.table(names[0]);
  const policy: Policy = {
    name: 'ticketRequests',
    sendRequest: (request, next) => {
      sent.push(decodeURIComponent(request.url));
      return next(request);
    },
  };
  tickets.pipeline.addPolicy(policy);
  const repo = new TableTicketRepo({ tickets, index: handle.table(names[1]), prefix: 'TM', now });
  service = new TicketService({ repo, engine, now });
});
afterAll(async () => {
  await azurite.stop();
});

async function contosoTicket(): Promise<string> {
  const filed = await service.file(aFiling({ tenantId: CONTOSO }));
  if (!filed.ok) throw filed.error;
  return filed.value.ticket.id;
}

describe('timeline', () => {
  it("answers another tenant's id as not found without reading that tenant's partition", async () => {
    const id = await contosoTicket();
    sent.length = 0;
    const got = await service.timeline({ kind: 'tenant', tenantId: FABRIKAM }, id);
    expect(got.ok ? 'found' : got.error.code).toBe('TICKET_NOT_FOUND');
    expect(sent.filter((url) => url.includes(tenantPk(CONTOSO)))).toEqual([]);
  });

  it('hides internal notes from the customer and shows them to staff, with the change just saved', async () => {
    const id = await contosoTicket();
    const noted = await service.act({ kind: 'staff' }, id, alice, { kind: 'note', text: 'Check the logs' });
    if (!noted.ok) throw noted.error;
    const staff = await service.timeline({ kind: 'staff' }, id);
    const customer = await service.timeline({ kind: 'tenant', tenantId: CONTOSO }, id);
    if (!staff.ok || !customer.ok) throw new Error('timeline failed');
    expect(staff.value.ticket.version).toBe(noted.value.ticket.version);
    expect(staff.value.events.map((e) => e.type)).toContain('internal-note');
    expect(customer.value.events.some((e) => e.internal)).toBe(false);
    expect(customer.value.events.length).toBe(staff.value.events.length - 1);
  });
});
