// On a simulated clock the watcher passes often enough in simulated time: with WATCHER_INTERVAL_MS at its
// default (5 s real, 100 simulated seconds at 20×), a warning still arrives within a simulated minute of due.
import type { App } from '../../src/app';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { startWithConnector } from '../support/authed';
import { DEFAULT_TENANT_ID as VENDOR, type FakeConnector } from '../support/connector';
import { fileWithThread, supportChannel, type TestClock } from '../support/app';

const SPEED = 20;
const CHANNEL = '19:simclock@thread.tacv2';
const et = (local: string): number => Date.parse(`${local}-05:00`);

/** A clock that stands still until `run(from)`, then runs SPEED times faster than real time. */
function simulated(start: number): TestClock & { run(from: number): void; at(real: number): number } {
  let base = start;
  let anchor: number | undefined;
  return {
    get now() {
      return anchor === undefined ? base : base + (Date.now() - anchor) * SPEED;
    },
    set now(t: number) {
      base = t;
      anchor = undefined;
    },
    run(from: number) {
      base = from;
      anchor = Date.now();
    },
    at(real: number) {
      return anchor === undefined ? base : base + (real - anchor) * SPEED;
    },
  };
}

let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock = simulated(et('2026-11-25T10:00:00')); // Wednesday, in support hours

beforeAll(async () => {
  ({ connector, app, stop } = await startWithConnector({
    clock,
    speed: SPEED,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: 'e1=Erin Engineer',
      WATCHER_INTERVAL_MS: '5000',
    },
  }));
  await app.deps.settings.setSupportChannel(supportChannel(CHANNEL, connector.serviceUrl, clock.now));
});
afterAll(() => stop());

it('a P1 warning due at 10:30 arrives within one simulated minute, though passes are 5 real seconds apart', async () => {
  const { id } = await fileWithThread(app, aFiling({ priority: 'P1' }), CHANNEL, '1', connector.serviceUrl);
  const due = et('2026-11-25T10:30:00'); // 50 % of the P1's hour
  clock.run(due - 20_000); // 1 real second before it
  const warning = await connector.waitFor(
    (r) => r.activity?.summary === `${id}: warning response 50`,
    20_000,
  );
  const late = clock.at(warning.at) - due;
  expect(late).toBeGreaterThanOrEqual(0);
  expect(late).toBeLessThan(60_000);
});
