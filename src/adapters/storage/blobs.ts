// Attachment bytes in Azure Blob Storage: one container, blob `<tenantId>/<ticketId>/<attachmentId>`. Uploads
// stream with their size counted as they pass (past the limit: stopped and deleted, nothing left behind);
// downloads stream; deletes are idempotent. Connects like tables.ts: a connection string (plain http only to a
// loopback emulator) or the account's blob endpoint with managed identity.
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobKey } from '../../domain/attachments/model';
import type { BlobStore, ByteSpan, StoredBlob, StoreOutcome } from '../../domain/attachments/ports';
import type { Instant } from '../../domain/sla';
import { StorageConfigError, type StorageOptions } from './tables';

/** Container names: 3-63 lower-case letters, digits and single hyphens, starting with a letter or digit. */
const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY_PART = /^[A-Za-z0-9._-]{1,200}$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** Block size of an upload and blocks in flight: 4 MiB × 2 keeps an upload's memory near 8 MiB. */
const BLOCK_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = 2;

/** Where the blobs are: a connection string (with its BlobEndpoint), or an https endpoint with managed identity. */
export type BlobOptions =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  | { readonly kind: 'managed-identity'; readonly endpoint: string; readonly clientId?: string | undefined };

/**
 * The blob side of the storage the tables use: the same connection string (embedded Azurite's carries both
 * endpoints), or with managed identity `blobEndpoint` (default: TABLES_ENDPOINT's account, `.blob.` host).
 */
export function blobOptionsFor(
  storage: StorageOptions,
  connectionString: string | undefined,
  blobEndpoint?: string,
): BlobOptions {
  if (storage.kind === 'managed-identity') {
    const endpoint = blobEndpoint ?? storage.endpoint.replace(/\.table\./, '.blob.');
    if (!endpoint.startsWith('https://') || endpoint === storage.endpoint)
      throw new StorageConfigError(
        `BLOBS_ENDPOINT must be the account's https blob endpoint, not ${endpoint}`,
      );
    return { kind: 'managed-identity', endpoint, clientId: storage.clientId };
  }
  const text =
    connectionString ?? (storage.kind === 'connection-string' ? storage.connectionString : undefined);
  if (text === undefined) throw new StorageConfigError('no connection string for the Blob service');
  return { kind: 'connection-string', connectionString: text };
}

/** The blob endpoint a connection string points at, worked out the way the SDK does. */
export function blobEndpointOf(connectionString: string): URL {
  const parts = new Map<string, string>();
  for (const pair of connectionString.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) parts.set(pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim());
  }
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true')
    return new URL('http://127.0.0.1:10000/devstoreaccount1');
  const explicit = parts.get('blobendpoint');
  if (explicit !== undefined) return new URL(explicit);
  if (parts.has('tableendpoint'))
    throw new StorageConfigError(
      'TABLES_CONNECTION_STRING names a TableEndpoint but no BlobEndpoint: attachments need the Blob service too',
    );
  const account = parts.get('accountname');
  if (account === undefined) throw new StorageConfigError('the connection string has no AccountName');
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  const suffix = parts.get('endpointsuffix') ?? 'core.windows.net';
  return new URL(`${protocol}://${account}.blob.${suffix}`);
}

/** Opens the container (creating it when missing) and answers the attachment service's BlobStore port. */
export async function openBlobStore(options: BlobOptions, container: string): Promise<ContainerBlobStore> {
  if (!CONTAINER.test(container))
    throw new StorageConfigError(
      `invalid container name "${container}": 3-63 lower-case letters, digits and single hyphens`,
    );
  let service: BlobServiceClient;
  if (options.kind === 'managed-identity') {
    const credential = new DefaultAzureCredential(
      options.clientId === undefined ? {} : { managedIdentityClientId: options.clientId },
    );
    service = new BlobServiceClient(options.endpoint, credential);
  } else {
    const endpoint = blobEndpointOf(options.connectionString);
    const pipeline: StoragePipelineOptions = {};
    if (endpoint.protocol === 'http:') {
      if (!LOOPBACK.test(endpoint.hostname))
        throw new StorageConfigError(
          `the Blob endpoint uses plain http to ${endpoint.host}; only a loopback emulator may skip https`,
        );
      pipeline.retryOptions = { maxTries: 4, retryDelayInMs: 50, maxRetryDelayInMs: 500 };
    }
    service = BlobServiceClient.fromConnectionString(options.connectionString, pipeline);
  }
  const client = service.getContainerClient(container);
  await client.createIfNotExists();
  return new ContainerBlobStore(client);
}

class TooLarge extends Error {}

function blobName(key: BlobKey): string {
  for (const part of [key.tenantId, key.ticketId, key.id])
    if (!KEY_PART.test(part)) throw new Error(`not a valid blob path part: ${JSON.stringify(part)}`);
  return `${key.tenantId}/${key.ticketId}/${key.id}`;
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  return typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

/** The BlobStore port over one container. */
export class ContainerBlobStore implements BlobStore {
  constructor(readonly container: ContainerClient) {}

  async put(
    key: BlobKey,
    body: AsyncIterable<Uint8Array>,
    options: { readonly contentType: string; readonly maxBytes: number; readonly now: Instant },
  ): Promise<StoreOutcome> {
    const blob = this.container.getBlockBlobClient(blobName(key));
    const hash = createHash('sha256');
    let size = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > options.maxBytes) throw new TooLarge();
        hash.update(chunk);
        // The SDK's upload copies Buffers only: a plain Uint8Array chunk is viewed as one, not copied.
        yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    }
    try {
      await blob.uploadStream(Readable.from(counted()), BLOCK_BYTES, IN_FLIGHT, {
        blobHTTPHeaders: { blobContentType: options.contentType },
        metadata: { addedat: String(options.now) },
      });
    } catch (err) {
      // Nothing half-written stays: a block list never committed is no blob; a committed one is deleted.
      await blob.deleteIfExists().catch(() => undefined);
      if (err instanceof TooLarge) return { kind: 'too-large' };
      throw err;
    }
    return { kind: 'stored', size, sha256: hash.digest('hex') };
  }

  async get(
    key: BlobKey,
    span?: ByteSpan,
  ): Promise<{ body: AsyncIterable<Uint8Array>; size: number } | null> {
    try {
      const blob = this.container.getBlockBlobClient(blobName(key));
      // The response body streams from the service (a network stream, read as the consumer pulls).
      const answer =
        span === undefined
          ? await blob.download()
          : await blob.download(span.start, span.end - span.start + 1);
      const body = answer.readableStreamBody;
      if (body === undefined) return null;
      return { body: body as AsyncIterable<Uint8Array>, size: answer.contentLength ?? 0 };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async delete(key: BlobKey): Promise<void> {
    await this.container.getBlockBlobClient(blobName(key)).deleteIfExists();
  }

  async *list(): AsyncIterable<StoredBlob> {
    for await (const item of this.container.listBlobsFlat({ includeMetadata: true })) {
      const [tenantId, ticketId, id, ...rest] = item.name.split('/');
      if (tenantId === undefined || ticketId === undefined || id === undefined || rest.length > 0) continue;
      const stamped = Number(item.metadata?.['addedat']);
      const addedAt = Number.isFinite(stamped) ? stamped : item.properties.lastModified.getTime();
      yield { key: { tenantId, ticketId, id }, addedAt };
    }
  }
}
