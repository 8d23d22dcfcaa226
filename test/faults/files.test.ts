// The file rows of `npm run test:faults` (isolation, auth, fuzz) on one hostile-input stage: B gets nothing of
// A's file, bad tokens get 401 and no bytes, hostile uploads change nothing or store a cleaned name.
import { filesAuth, filesFuzz, filesIsolation } from './files';
import { startStage, type Stage } from './hostile';
import { emptyResult } from './rig';

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
}, 120_000);
afterAll(() => stage.stop());

const show = (r: { failures: readonly string[] }) => r.failures.slice(0, 10).join('\n');

it("a customer of tenant B asking for A's file by id gets the 404 of a missing file, audited, no bytes", async () => {
  const r = emptyResult('files isolation');
  await filesIsolation(stage, r);
  expect(show(r)).toBe('');
  expect(r.leaked).toBe(0);
}, 120_000);

it('missing, expired, forged, unsigned and garbage tokens get 401 and no bytes on every file route', async () => {
  const r = emptyResult('files auth');
  await filesAuth(stage, r);
  expect(show(r)).toBe('');
  expect(r.operations).toBeGreaterThan(40);
}, 120_000);

it('hostile names, lengths, bodies and types change nothing or store a cleaned name', async () => {
  const r = emptyResult('files fuzz');
  await filesFuzz(stage, r);
  expect(show(r)).toBe('');
  expect(r.operations).toBeGreaterThan(40);
}, 180_000);
