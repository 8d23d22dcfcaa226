// A fake Teams / SharePoint file host on loopback, for tests of files customers send in chat: serves the files
// a test puts on it, and can fail, hang, redirect or stream past a size, counting every request it receives.
// Test support only: node built-ins, nothing beyond loopback. Never chains on writeHead (something in the test
// process may replace it without returning the response).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path answers. */
export type Served =
  | { readonly kind: 'file'; readonly body: Buffer; readonly contentType?: string }
  /** Answers with this status and no file. */
  | { readonly kind: 'fail'; readonly status: number }
  /** Sends the headers, then nothing: the response never ends (until the host stops). */
  | { readonly kind: 'hang' }
  /** Streams `bytes` bytes in chunks without a Content-Length, so only counting while reading can stop it. */
  | { readonly kind: 'stream'; readonly bytes: number }
  /** Answers 302 to `location`. */
  | { readonly kind: 'redirect'; readonly location: string };

export interface FileRequest {
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface FakeFileHost {
  /** http://<address>:<port> */
  readonly url: string;
  /** Serves `what` at `path` (e.g. '/files/screenshot.png'); returns the full URL. */
  put(path: string, what: Served): string;
  /** Every request received, in order. */
  readonly requests: readonly FileRequest[];
  /** Bytes written by `stream` answers before the client stopped reading (or all of them). */
  streamedBytes(path: string): number;
  stop(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** Starts the host on `address` (127.0.0.1 unless another loopback address is wanted) at a free port. */
export async function startFakeFileHost(address = '127.0.0.1'): Promise<FakeFileHost> {
  const routes = new Map<string, Served>();
  const requests: FileRequest[] = [];
  const streamed = new Map<string, number>();
  const open = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ path, authorization: req.headers.authorization });
    const what = routes.get(path);
    if (what === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    switch (what.kind) {
      case 'file':
        res.writeHead(200, {
          'content-type': what.contentType ?? 'application/octet-stream',
          'content-length': String(what.body.length),
        });
        res.end(what.body);
        return;
      case 'fail':
        res.writeHead(what.status);
        res.end();
        return;
      case 'hang':
        open.add(res);
        res.writeHead(200, { 'content-type': 'image/png' });
        res.flushHeaders();
        return;
      case 'redirect':
        res.writeHead(302, { location: what.location });
        res.end();
        return;
      case 'stream': {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let sent = 0;
        const chunk = Buffer.alloc(CHUNK, 0x41);
        const more = (): void => {
          while (sent < what.bytes) {
            const n = Math.min(CHUNK, what.bytes - sent);
            sent += n;
            streamed.set(path, sent);
            if (!res.write(n === CHUNK ? chunk : chunk.subarray(0, n))) {
              res.once('drain', more);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => {
          res.off('drain', more);
        });
        more();
        return;
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  return {
    url,
    put(path, what) {
      routes.set(path, what);
      return `${url}${path}`;
    },
    requests,
    streamedBytes: (path) => streamed.get(path) ?? 0,
    async stop() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
