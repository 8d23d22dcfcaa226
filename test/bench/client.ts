// The benches' HTTP client: POSTs JSON over one keep-alive agent (like the Bot Connector service, which
// reuses connections). The clients share this machine's two cores with the app and the emulator, so they
// must cost little: fetch (undici) costs several times the CPU per request of node:http on a kept
// connection, CPU that a bench then counts against the app (staff bench: see README "Benchmarks").
import { Agent, request } from 'node:http';

export interface Posted {
  readonly status: number;
  /** The answer's body as it came. */
  readonly text: string;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  /** A client of the server at `base` (http://host:port), with at most `connections` open at once. */
  constructor(base: string, connections = 128) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** POSTs `body` (JSON text) to `path`, with `extra` headers, and reads the whole answer. */
  post(path: string, body: string, extra: Readonly<Record<string, string>> = {}): Promise<Posted> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
            ...extra,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the kept connections. */
  close(): void {
    this.agent.destroy();
  }
}
