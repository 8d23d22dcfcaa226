// Files rows of the cloud section: an engineer uploads a 5 MB file through the tab API and downloads it again,
// one after another, at this machine's distance and with every storage request (Table and Blob) held back as a
// cloud account's would be. Reports p50/p99 of each; not a timed test (nothing here has a goal to fail).
import { createHash, randomBytes } from 'node:crypto';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { DEFAULT_TENANT_ID as VENDOR } from '../support/connector';
import { closedLoop, loopRow, type BenchRow } from './harness';

const SECTION = 'cloud';
const SIZE = 5 * 1024 * 1024;
const ENGINEER = 'e0000000-0000-4000-8000-00000000f11e';
const CUSTOMER = '77777777-2222-4222-8222-222222222222';

/** Upload and download rows at one distance; `where` names it, `pids` are Azurite's processes. */
export async function fileRows(
  distance: 'local' | 'cloud',
  connectionString: string,
  where: string,
  seconds: number,
  pids: readonly number[],
): Promise<BenchRow[]> {
  const app: App = await startTestApp({
    connectionString,
    clock: { now: Date.parse('2026-11-24T10:00:00-05:00') },
    env: {
      CUSTOMER_TENANTS: `${CUSTOMER}=Customer F`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: `${ENGINEER}=File Engineer`,
      ATTACHMENT_MAX_PER_TICKET: '500',
    },
  });
  try {
    const signIn = await fetch(`${app.url}/api/auth/local/token?persona=engineer:${ENGINEER}`, {
      method: 'POST',
    });
    const { access_token: token } = (await signIn.json()) as { access_token: string };
    const filed = await app.tickets.file({
      requestId: `files-bench-${distance}`,
      tenantId: CUSTOMER,
      customerName: 'Customer F',
      requester: { id: 'ann', name: 'Ann' },
      title: 'Large logs',
      description: 'Logs attached.',
      category: 'question',
      priority: 'P3',
    });
    if (!filed.ok) throw filed.error;
    const ticketId = filed.value.ticket.id;
    const bytes = randomBytes(SIZE);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const hrefs: string[] = [];
    const upload = async (): Promise<void> => {
      const res = await fetch(`${app.url}/api/tickets/${ticketId}/attachments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'x-file-name': 'trace.zip',
        },
        body: new Uint8Array(bytes),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${text.slice(0, 200)}`);
      hrefs.push((JSON.parse(text) as { attachment: { href: string } }).attachment.href);
    };
    const download = async (i: number): Promise<void> => {
      const href = hrefs[i % hrefs.length] ?? '';
      const res = await fetch(`${app.url}${href}`, { headers: { authorization: `Bearer ${token}` } });
      const got = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200 || createHash('sha256').update(got).digest('hex') !== sha)
        throw new Error(`download answered ${res.status} with ${got.length} bytes`);
    };
    const loop = { durationMs: seconds * 1000, warmupMs: 500, maxIterations: 100, pids };
    const up = await closedLoop(1, upload, loop);
    const down = await closedLoop(1, download, loop);
    const note = `${where}; 5 MB, one at a time; p95 ${((up.p95Us ?? 0) / 1000).toFixed(0)} ms up`;
    return [
      loopRow(SECTION, `${distance}: upload a 5 MB file (tab API)`, up, note),
      loopRow(SECTION, `${distance}: download a 5 MB file (tab API)`, down, `${where}; SHA-256 checked`),
    ];
  } finally {
    await app.stop();
  }
}
