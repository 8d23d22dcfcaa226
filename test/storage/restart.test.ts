// Restart: the app with embedded Azurite keeps every ticket and event across a stop and a start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { aFiling, alice, ann, CONTOSO } from '../fixtures/filing';

const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-restart-'));
const config = loadConfig({ PORT: '0', DATA_DIR: dataDir });
let clock = Date.parse('2026-11-24T09:00:00-05:00');
const options = { config, policy: DEFAULT_POLICY, log: silentLogger, now: () => clock };

let app: App | undefined;
afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('every ticket and event is there after the app and its Azurite stop and start again', async () => {
  app = await startApp(options);
  expect(app.storage.connectionString).toContain('127.0.0.1');
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    clock += 60_000;
    const filed = await app.tickets.file(aFiling({ title: `ticket ${i}` }));
    if (!filed.ok) throw filed.error;
    ids.push(filed.value.ticket.id);
    const replied = await app.tickets.act({ kind: 'staff' }, filed.value.ticket.id, alice, {
      kind: 'reply',
      text: `reply ${i}`,
    });
    expect(replied.ok).toBe(true);
  }
  const asked = await app.tickets.act({ kind: 'staff' }, ids[0] ?? '', alice, {
    kind: 'ask',
    text: 'which users?',
  });
  expect(asked.ok).toBe(true);
  const running = app;
  const before = await Promise.all(ids.map((id) => running.tickets.timeline({ kind: 'staff' }, id)));
  await app.stop();
  app = undefined;

  const restarted = await startApp(options);
  app = restarted;
  const after = await Promise.all(ids.map((id) => restarted.tickets.timeline({ kind: 'staff' }, id)));
  expect(after).toEqual(before);
  expect((await app.tickets.tenantTickets(CONTOSO, 10)).items.map((t) => t.id)).toEqual([...ids].reverse());
  // The customer's answer after the restart resumes the clock of the ticket that waited.
  clock += 3_600_000;
  const answered = await app.tickets.act({ kind: 'tenant', tenantId: CONTOSO }, ids[0] ?? '', ann, {
    kind: 'customer-message',
    text: 'all of them',
  });
  if (!answered.ok) throw answered.error;
  expect(answered.value.ticket.status).toBe('responded');
  expect(answered.value.ticket.sla.pausedMs).toBe(3_600_000);
  // New ids continue after the old ones.
  const next = await app.tickets.file(aFiling());
  if (!next.ok) throw next.error;
  expect(ids).not.toContain(next.value.ticket.id);
});
