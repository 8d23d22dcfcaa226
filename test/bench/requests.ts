// Counts the HTTP requests TableClients send, with a pipeline policy placed after the retry policy, so a
// retried request counts each time it goes on the wire and an entity-group transaction counts once.
import type { TableClient } from '@azure/data-tables';

type Policy = Parameters<TableClient['pipeline']['addPolicy']>[0];
type PolicyRequest = Parameters<Policy['sendRequest']>[0];

/** Kinds of storage request, from method and URL. */
export type RequestKind = 'batch' | 'read' | 'query' | 'insert' | 'update' | 'delete' | 'other';

/** Storage requests counted so far, in total and by kind. */
export class RequestCounter {
  total = 0;
  readonly byKind = new Map<RequestKind, number>();

  /** Counts every request `client` sends from now on (the policy stays for the client's life). */
  attach(client: TableClient): void {
    const policy: Policy = {
      name: 'benchRequestCounter',
      sendRequest: (request, next) => {
        this.total++;
        const kind = kindOf(request);
        this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
        return next(request);
      },
    };
    client.pipeline.addPolicy(policy, { afterPhase: 'Retry' });
  }

  /** A copy of the counts now, to subtract later. */
  snapshot(): RequestSnapshot {
    return { total: this.total, byKind: new Map(this.byKind) };
  }

  /**
   * Requests per operation since `from`, e.g. "2.4 req (batch 2, read 0.2, update 0.2)".
   * @example counter.describeSince(before, 500) // '2.4 req (batch 2, read 0.2, update 0.2)'
   */
  describeSince(from: RequestSnapshot, operations: number): string {
    const per = (n: number): string => {
      const v = n / Math.max(1, operations);
      return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
    };
    const kinds = [...this.byKind]
      .map(([kind, n]) => [kind, n - (from.byKind.get(kind) ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${per(n)}`);
    const total = `${per(this.total - from.total)} req`;
    return kinds.length === 0 ? total : `${total} (${kinds.join(', ')})`;
  }

  /** Requests per operation since `from`, as a number. */
  perOperationSince(from: RequestSnapshot, operations: number): number {
    return (this.total - from.total) / Math.max(1, operations);
  }
}

export interface RequestSnapshot {
  readonly total: number;
  readonly byKind: ReadonlyMap<RequestKind, number>;
}

function kindOf(request: PolicyRequest): RequestKind {
  const path = new URL(request.url).pathname;
  if (path.endsWith('/$batch')) return 'batch';
  switch (request.method) {
    case 'GET':
      return /\(PartitionKey=.*,RowKey=.*\)$/.test(decodeURIComponent(path)) ? 'read' : 'query';
    case 'POST':
      return 'insert';
    case 'PUT':
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return 'other';
  }
}
