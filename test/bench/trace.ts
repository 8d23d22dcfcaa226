// Which storage requests each HTTP request to the app waited for, and how many of them went one after another.
// The bench tags each request it sends (header x-trace); when the app's HTTP server starts on it, the tag enters
// the request's async context (node:diagnostics_channel, AsyncLocalStorage), and a pipeline policy on the app's
// TableClients stamps each storage request it makes with the tag and its start and end. Work the app hands to
// its background queue runs untagged: it is not on the path to the answer.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TableClient } from '@azure/data-tables';
import type { Background } from '../../src/background';

type Policy = Parameters<TableClient['pipeline']['addPolicy']>[0];

export const TRACE_HEADER = 'x-trace';

/** One storage request made while serving a tagged HTTP request. */
interface Span {
  readonly start: number;
  end: number;
  readonly what: string;
}

/** The storage requests of one HTTP request until its answer: how many, and the longest chain of them. */
export interface PathCount {
  /** Requests started before the answer. */
  readonly requests: number;
  /** The most of them that ran one after another (each starting after the one before had ended). */
  readonly sequential: number;
  /** The chain, e.g. ['GET tickets', 'batch tickets']. */
  readonly chain: readonly string[];
}

const store = new AsyncLocalStorage<string>();
/** When each tagged request was answered (its response finished), by tag. */
const answered = new Map<string, number>();
let listening = false;

const tagOf = (message: unknown): string | undefined => {
  const tag = (message as { request?: IncomingMessage }).request?.headers[TRACE_HEADER];
  return typeof tag === 'string' ? tag : undefined;
};

/** Starts moving tags from incoming requests into their async context, and noting answers (once per process). */
function listen(): void {
  if (listening) return;
  listening = true;
  subscribe('http.server.request.start', (message) => {
    const tag = tagOf(message);
    if (tag !== undefined) store.enterWith(tag);
  });
  subscribe('http.server.response.finish', (message) => {
    const tag = tagOf(message);
    if (tag !== undefined) answered.set(tag, performance.now());
  });
}

/** What a storage request to `table` was, from method and URL: "GET …/t1x(PartitionKey=…)" → "read tickets". */
function describe(table: string, method: string, url: string): string {
  const path = decodeURIComponent(new URL(url).pathname).split('/').pop() ?? '';
  if (path.endsWith('$batch')) return `transaction ${table}`;
  if (method === 'GET') return `${/PartitionKey=.*RowKey=/.test(path) ? 'read' : 'query'} ${table}`;
  const verb: Record<string, string> = { POST: 'insert', PUT: 'upsert', PATCH: 'merge', DELETE: 'delete' };
  return `${verb[method] ?? method} ${table}`;
}

export class StorageTrace {
  private readonly spans = new Map<string, Span[]>();

  constructor() {
    listen();
  }

  /** Stamps every request `client` (of table `table`, as the trace names it) sends from now on. */
  attach(client: TableClient, table: string): void {
    const policy: Policy = {
      name: 'benchStorageTrace',
      sendRequest: async (request, next) => {
        const tag = store.getStore();
        if (tag === undefined || tag === '' || answered.has(tag)) return next(request);
        const span: Span = {
          start: performance.now(),
          end: Infinity,
          what: describe(table, request.method, request.url),
        };
        const list = this.spans.get(tag) ?? [];
        list.push(span);
        this.spans.set(tag, list);
        try {
          return await next(request);
        } finally {
          span.end = performance.now();
        }
      },
    };
    client.pipeline.addPolicy(policy, { afterPhase: 'Retry' });
  }

  /** Runs the app's background work outside any tag (it is not on the path to the answer). */
  untagBackground(background: Background): void {
    const run = background.run.bind(background);
    background.run = (key, what, work, steady) => {
      run(key, what, () => store.run('', work), steady);
    };
  }

  /** The count for one tagged request (answered); forgets it. */
  take(tag: string): PathCount {
    const at = answered.get(tag) ?? Infinity;
    const spans = (this.spans.get(tag) ?? []).filter((s) => s.start < at).sort((a, b) => a.start - b.start);
    this.spans.delete(tag);
    answered.delete(tag);
    // Longest chain of spans, each starting after the previous one ended (spans sorted by start).
    const best: { length: number; prev: number }[] = [];
    spans.forEach((s, i) => {
      let top = { length: 1, prev: -1 };
      for (let j = 0; j < i; j++) {
        const b = best[j];
        if (b !== undefined && (spans[j]?.end ?? Infinity) <= s.start && b.length + 1 > top.length)
          top = { length: b.length + 1, prev: j };
      }
      best.push(top);
    });
    let last = -1;
    best.forEach((b, i) => {
      if (last === -1 || b.length > (best[last]?.length ?? 0)) last = i;
    });
    const chain: string[] = [];
    for (let i = last; i !== -1; i = best[i]?.prev ?? -1) chain.unshift(spans[i]?.what ?? '?');
    return { requests: spans.length, sequential: chain.length, chain };
  }
}

/**
 * The counts of many requests in one phrase: the most common, and the rarer ones with how often.
 * @example summarise('file ticket', counts) // 'file ticket: 2 sequential storage round trips (2 requests) in 95%; …'
 */
export function summarise(name: string, counts: readonly PathCount[]): string {
  const groups = new Map<string, { n: number; example: PathCount }>();
  for (const c of counts) {
    const key = `${c.sequential}/${c.requests}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { n: 1, example: c });
    else g.n++;
  }
  const sorted = [...groups.values()].sort((a, b) => b.n - a.n);
  const total = Math.max(1, counts.length);
  const phrase = (g: { n: number; example: PathCount }): string =>
    `${g.example.sequential} sequential storage round trip${g.example.sequential === 1 ? '' : 's'} ` +
    `(${g.example.requests} request${g.example.requests === 1 ? '' : 's'}: ${g.example.chain.join(' → ') || 'none'}) ` +
    `in ${Math.round((g.n / total) * 100)}%`;
  return `${name}: ${sorted.map(phrase).join('; ')}`;
}
