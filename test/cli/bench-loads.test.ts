// `npm run bench` runs outside jest: every module it imports (test/support included) must load without jest's
// globals. An unknown section makes it load them all, then stop with exit 2 naming the known sections.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

it('the bench loads every section outside jest', async () => {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const out = await run(tsx, ['test/bench/index.ts', 'no-such-section'], { cwd: ROOT }).then(
    () => ({ code: 0, stderr: '' }),
    (err: unknown) => {
      const e = err as { code?: number; stderr?: string };
      return { code: e.code ?? -1, stderr: e.stderr ?? '' };
    },
  );
  expect(out.code).toBe(2);
  expect(out.stderr).toContain(
    'unknown bench section no-such-section; known: sla, storage, bot, staff, tab, watcher, cloud',
  );
}, 60_000);
