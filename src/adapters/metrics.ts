// The app's OpenTelemetry instruments and spans (through @opentelemetry/api: no-ops until an SDK is registered,
// see src/telemetry.ts). Made per app by startApp; the watcher and the server see them through small ports.
import { metrics, trace, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { TableClient } from '@azure/data-tables';

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

export const METER = 'sla-desk';

/** What the outbox holds ready to send, as the last delivery round read it. */
export interface Backlog {
  readonly count: number;
  /** Clock ms the oldest ready entry has waited. */
  readonly oldestAgeMs: number;
}

/** The watcher's and delivery's measurements (src/watcher uses this port, not OTel). */
export interface WatcherMetrics {
  pass(durationMs: number, report: { due: number; scheduled: number; delivered: number }): void;
  delivered(kind: string, attempts: number, lagMs: number): void;
  failed(kind: string, status: number | undefined): void;
  warning(percent: number): void;
  /** Runs `work` in a span (a watcher pass). */
  span<T>(name: string, attributes: Record<string, string | number>, work: () => Promise<T>): Promise<T>;
}

export interface AppMetrics extends WatcherMetrics {
  request(route: string, method: string, status: number, durationMs: number): void;
  /** A pipeline policy counting a table's requests and their errors. */
  storagePolicy(table: string): PipelinePolicy;
  /** Observes the outbox backlog and the time since the last watcher pass until `stop`. */
  observe(source: { backlog(): Backlog | undefined; sinceLastPassMs(): number | undefined }): void;
  stop(): void;
}

/** Instruments on the global meter provider as it stands now (call after src/telemetry.ts has run). */
export function appMetrics(): AppMetrics {
  const meter = metrics.getMeter(METER);
  const requests = meter.createHistogram('sladesk.http.duration', {
    description: 'Time to answer a request, by route and verb',
    unit: 'ms',
  });
  const storage = meter.createCounter('sladesk.storage.requests', { description: 'Table Storage requests' });
  const storageErrors = meter.createCounter('sladesk.storage.errors', {
    description: 'Table Storage requests that failed (5xx, 429, no answer)',
  });
  const passes = meter.createHistogram('sladesk.watcher.pass.duration', { unit: 'ms' });
  const delivered = meter.createCounter('sladesk.outbox.delivered', { description: 'Outbox entries sent' });
  const retried = meter.createCounter('sladesk.outbox.retried', {
    description: 'Outbox entries sent after an earlier attempt failed',
  });
  const failed = meter.createCounter('sladesk.outbox.failed', { description: 'Failed delivery attempts' });
  const throttled = meter.createCounter('sladesk.teams.throttled', { description: '429 answers from Teams' });
  const lag = meter.createHistogram('sladesk.outbox.lag', {
    description: 'How late an entry went out after it was due',
    unit: 'ms',
  });
  const warnings = meter.createCounter('sladesk.warnings.sent', {
    description: 'SLA warnings posted (breach: true at 100 %)',
  });
  const backlog = meter.createObservableGauge('sladesk.outbox.backlog', {
    description: 'Entries ready to send',
  });
  const oldest = meter.createObservableGauge('sladesk.outbox.oldest_age', { unit: 'ms' });
  const sincePass = meter.createObservableGauge('sladesk.watcher.since_last_pass', {
    description: 'Real ms since the watcher last passed (its lag)',
    unit: 'ms',
  });
  const callbacks: (() => void)[] = [];
  return {
    request(route, method, status, durationMs) {
      requests.record(durationMs, { route, method, status });
    },
    storagePolicy(table) {
      return {
        name: 'sladesk-storage-metrics',
        async sendRequest(request, next) {
          const attrs: Attributes = { table, method: request.method };
          storage.add(1, attrs);
          try {
            const response = await next(request);
            if (response.status >= 500 || response.status === 429)
              storageErrors.add(1, { ...attrs, status: response.status });
            return response;
          } catch (err) {
            storageErrors.add(1, { ...attrs, status: 0 });
            throw err;
          }
        },
      };
    },
    pass(durationMs, report) {
      passes.record(durationMs, {
        busy: report.due > 0 || report.scheduled > 0 || report.delivered > 0,
      });
    },
    delivered(kind, attempts, lagMs) {
      delivered.add(1, { kind });
      if (attempts > 1) retried.add(1, { kind });
      lag.record(Math.max(0, lagMs), { kind });
    },
    failed(kind, status) {
      failed.add(1, { kind, status: status ?? 0 });
      if (status === 429) throttled.add(1, { kind });
    },
    warning(percent) {
      warnings.add(1, { percent, breach: percent >= 100 });
    },
    observe(source) {
      const onBacklog = (r: { observe(v: number): void }) => {
        const b = source.backlog();
        if (b !== undefined) r.observe(b.count);
      };
      const onOldest = (r: { observe(v: number): void }) => {
        const b = source.backlog();
        if (b !== undefined) r.observe(b.oldestAgeMs);
      };
      const onPass = (r: { observe(v: number): void }) => {
        const ms = source.sinceLastPassMs();
        if (ms !== undefined) r.observe(ms);
      };
      backlog.addCallback(onBacklog);
      oldest.addCallback(onOldest);
      sincePass.addCallback(onPass);
      callbacks.push(
        () => {
          backlog.removeCallback(onBacklog);
        },
        () => {
          oldest.removeCallback(onOldest);
        },
        () => {
          sincePass.removeCallback(onPass);
        },
      );
    },
    span: inSpan,
    stop() {
      for (const remove of callbacks.splice(0)) remove();
    },
  };
}

/** Runs `work` in an active span named `name` (a bot turn, a watcher pass); failures mark the span. */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return trace.getTracer(METER).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
