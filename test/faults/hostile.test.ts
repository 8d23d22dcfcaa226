// Hostile input and tenant isolation over real HTTP against the real app and Azurite (the same scenarios as
// `npm run test:faults`, with a shorter fuzz run): nothing crashes, nothing stored changes, nothing leaks.
import { apiAuthentication } from './api';
import { flood, localDoors } from './doors';
import { fuzz, isolation, startStage, type Stage } from './hostile';
import { emptyResult } from './rig';

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
}, 120_000);
afterAll(() => stage.stop());

const show = (r: { failures: readonly string[] }) => r.failures.slice(0, 10).join('\n');

it('a user of tenant B gets nothing of tenant A by id, search or replayed card data; every try is audited', async () => {
  const r = await isolation(stage);
  expect(show(r)).toBe('');
  expect(r.leaked).toBe(0);
  expect(r.operations).toBeGreaterThan(100);
}, 300_000);

it('600 malformed and hostile requests (fixed seed): no 5xx, 4xx for non-activities, no stored change', async () => {
  const r = await fuzz(stage, 600, 20261126);
  expect(show(r)).toBe('');
  expect(r.operations).toBe(600);
}, 300_000);

it('the tab API refuses missing, expired, forged, wrong-audience, wrong-issuer and scope-less tokens on every route', async () => {
  const r = emptyResult('api auth');
  await apiAuthentication(stage, r);
  expect(show(r)).toBe('');
  expect(r.operations).toBeGreaterThan(60);
}, 120_000);

it('local mode refuses a foreign Host and forwarding headers on every door, issuing no token', async () => {
  const r = emptyResult('local doors');
  await localDoors(r);
  expect(show(r)).toBe('');
  expect(r.faults).toBeGreaterThan(30);
}, 120_000);

it('a flood of refused look-ups gets 429s and a bounded audit trail (default limits)', async () => {
  const r = emptyResult('flood');
  await flood(r, 80);
  expect(show(r)).toBe('');
}, 120_000);
