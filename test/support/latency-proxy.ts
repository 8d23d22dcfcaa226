// An HTTP proxy on 127.0.0.1 that holds each request back a fixed time before forwarding it to a storage
// endpoint (Azurite's Table service), as a cloud storage account's round trip would; it counts what passed.
// Test support only: node built-ins, nothing beyond loopback.
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { azuriteConnectionString } from '../../src/adapters/storage/azurite';
import { listenOnLoopback } from './listen';

/** One request that went through. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  /** The `x-trace` header, when the sender tagged the request. */
  readonly tag: string | undefined;
  readonly status: number;
}

export interface LatencyProxy {
  /** The devstoreaccount1 connection string pointing at the proxy. */
  readonly connectionString: string;
  readonly port: number;
  /** Requests forwarded so far (the answered ones, any status). */
  readonly count: number;
  /** The requests forwarded so far, oldest first (the last 100,000). */
  requests(): readonly ProxiedRequest[];
  /** Changes the delay for requests that arrive from now on. */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

export interface LatencyProxyOptions {
  /** Port of the Azurite Table endpoint on 127.0.0.1. */
  readonly targetPort: number;
  /** Azurite's Blob port: the connection string names it directly (blob traffic is not delayed). */
  readonly blobPort?: number;
  /** Milliseconds each request is held before it is forwarded (default 10). */
  readonly delayMs?: number;
}

const KEEP = 100_000;

/**
 * Starts the proxy on a free loopback port. Call `stop()` when done.
 * @example
 * const proxy = await startLatencyProxy({ targetPort: azurite.port, delayMs: 10 });
 * const app = await startTestApp({ connectionString: proxy.connectionString, … }); // every request +10 ms
 */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  let delayMs = options.delayMs ?? 10;
  let count = 0;
  const records: ProxiedRequest[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const timers = new Set<NodeJS.Timeout>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const headers = { ...req.headers };
    const tag = headers['x-trace'];
    const upstream = request(
      {
        host: '127.0.0.1',
        port: options.targetPort,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => {
          count++;
          records.push({
            method: req.method ?? 'GET',
            path: req.url ?? '/',
            tag: typeof tag === 'string' ? tag : undefined,
            status: answer.statusCode ?? 0,
          });
          if (records.length > KEEP) records.splice(0, records.length - KEEP);
        });
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`latency proxy: ${err.message}`);
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (delayMs <= 0) {
        forward(req, res, body);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        forward(req, res, body);
      }, delayMs);
      timers.add(timer);
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = await listenOnLoopback(server);
  return {
    connectionString: azuriteConnectionString(port, options.blobPort),
    port,
    get count() {
      return count;
    },
    requests: () => [...records],
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      agent.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}
