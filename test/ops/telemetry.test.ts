// OpenTelemetry: with an in-memory MeterProvider and TracerProvider registered globally, a request, a customer's
// turn and a watcher pass record the named instruments and spans; without a connection string src/telemetry.ts
// loads nothing and registers no provider.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { App } from '../../src/app';
import { aadClientId } from '../../src/telemetry';
import { aFiling, CONTOSO } from '../fixtures/filing';
import { personalMessage, post } from '../support/activities';
import { startWithConnector } from '../support/authed';
import type { FakeConnector } from '../support/connector';
import { fileWithThread, supportChannel, type TestClock } from '../support/app';

class TestReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const reader = new TestReader();
const meters = new MeterProvider({ readers: [reader] });
const spans = new InMemorySpanExporter();
const tracers = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
let connector: FakeConnector;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: Date.parse('2026-11-25T10:00:00-05:00') };

beforeAll(async () => {
  metrics.setGlobalMeterProvider(meters);
  trace.setGlobalTracerProvider(tracers);
  ({ connector, app, stop } = await startWithConnector({
    clock,
    env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso` },
  }));
});
afterAll(async () => {
  await stop();
  await meters.shutdown();
  await tracers.shutdown();
  metrics.disable();
  trace.disable();
});

/** Data points per instrument name, as the reader collects them now. */
async function collected(): Promise<Map<string, { attributes: Record<string, unknown>; value: unknown }[]>> {
  const { resourceMetrics }: { resourceMetrics: ResourceMetrics } = await reader.collect();
  const out = new Map<string, { attributes: Record<string, unknown>; value: unknown }[]>();
  for (const scope of resourceMetrics.scopeMetrics)
    for (const m of scope.metrics)
      out.set(
        m.descriptor.name,
        m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
      );
  return out;
}

it('a turn, an API request and a watcher pass record the named instruments and spans', async () => {
  const res = await post(
    `${app.url}/api/messages`,
    personalMessage({ serviceUrl: connector.serviceUrl, tenantId: CONTOSO, text: 'help' }),
  );
  expect(res.status).toBe(200);
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  await app.background.drain();
  await app.watcher.pass();

  const got = await collected();
  const routes = (got.get('sladesk.http.duration') ?? []).map((p) => p.attributes);
  expect(routes).toEqual(
    expect.arrayContaining([
      { route: '/api/messages', method: 'POST', status: 200 },
      { route: '/healthz', method: 'GET', status: 200 },
    ]),
  );
  const storage = got.get('sladesk.storage.requests') ?? [];
  expect(storage.map((p) => p.attributes['table'])).toEqual(
    expect.arrayContaining(['ticketindex', 'outbox']),
  );
  expect(storage.every((p) => typeof p.value === 'number' && p.value > 0)).toBe(true);
  expect(got.get('sladesk.watcher.pass.duration')?.length).toBeGreaterThan(0);
  // Observable gauges: the backlog the pass read (nothing ready) and the time since the last pass.
  expect(got.get('sladesk.outbox.backlog')?.[0]?.value).toBe(0);
  expect(got.get('sladesk.outbox.oldest_age')?.[0]?.value).toBe(0);

  const names = spans.getFinishedSpans().map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(['bot turn', 'watcher pass']));
});

it('a warning refused with 429 and then sent: failed, throttled, retried, lag and warnings recorded', async () => {
  const channel = '19:telemetry-support@thread.tacv2';
  await app.deps.settings.setSupportChannel(supportChannel(channel, connector.serviceUrl, clock.now));
  await fileWithThread(app, aFiling({ priority: 'P2' }), channel, '1:root', connector.serviceUrl);
  clock.now += 70 * 60_000; // 70 of 120 response minutes: the 50 % warning is due
  connector.failNext(1, { status: 429, only: 'replyToActivity' });
  await app.watcher.pass();
  clock.now += 10 * 60_000; // past the backoff
  await app.watcher.pass();

  const got = await collected();
  const sum = (name: string, match: Record<string, unknown>): number =>
    (got.get(name) ?? [])
      .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
      .reduce((n, p) => n + (typeof p.value === 'number' ? p.value : 0), 0);
  expect(sum('sladesk.outbox.failed', { kind: 'warning', status: 429 })).toBe(1);
  expect(sum('sladesk.teams.throttled', { kind: 'warning' })).toBe(1);
  expect(sum('sladesk.outbox.retried', { kind: 'warning' })).toBe(1);
  expect(sum('sladesk.outbox.delivered', { kind: 'warning' })).toBe(1);
  expect(sum('sladesk.warnings.sent', { percent: 50, breach: false })).toBe(1);
  const lag = got.get('sladesk.outbox.lag')?.[0]?.value as { count?: number } | undefined;
  expect(lag?.count).toBe(1);
});

it('without APPLICATIONINSIGHTS_CONNECTION_STRING nothing is loaded or registered', () => {
  const script = `
    const { startTelemetry } = require('./src/telemetry');
    const api = require('@opentelemetry/api');
    startTelemetry({}).then((t) => {
      const loaded = Object.keys(require.cache).filter((k) => /monitor-opentelemetry|sdk-metrics|sdk-node/.test(k));
      const provider = api.metrics.getMeterProvider().constructor.name;
      process.stdout.write(JSON.stringify({ started: t.started, loaded: loaded.length, provider }));
    });`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: resolve(__dirname, '../..'),
    env: { PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
  });
  expect(JSON.parse(run.stdout)).toEqual({ started: false, loaded: 0, provider: 'NoopMeterProvider' });
});

it('APPLICATIONINSIGHTS_AUTHENTICATION_STRING: AAD with a client id means that managed identity', () => {
  expect(aadClientId('Authorization=AAD;ClientId=7a4f2c1e-9b3d-4e5f-8a6b-1c2d3e4f5a6b')).toBe(
    '7a4f2c1e-9b3d-4e5f-8a6b-1c2d3e4f5a6b',
  );
  expect(aadClientId('authorization=aad; clientid=abc')).toBe('abc');
  expect(aadClientId('Authorization=AAD')).toBeUndefined();
  expect(aadClientId(undefined)).toBeUndefined();
});
