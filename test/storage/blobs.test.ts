// Attachment bytes on the real Azurite Blob service: stored and read back whole, counted while streaming (too
// large: stopped, nothing left), deleted idempotently, listed for the orphan sweep.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { blobEndpointOf, openBlobStore, type ContainerBlobStore } from '../../src/adapters/storage/blobs';
import { startTestAzurite, uniqueTableName, type TestAzurite } from '../support/azurite';

let azurite: TestAzurite;
let store: ContainerBlobStore;
const key = (id: string) => ({ tenantId: 'tenant-a', ticketId: 'TM-1001', id });

function chunks(total: number, size = 64 * 1024): AsyncIterable<Uint8Array> {
  const parts: Buffer[] = [];
  for (let sent = 0; sent < total; sent += size) parts.push(randomBytes(Math.min(size, total - sent)));
  return Readable.from(parts);
}

async function read(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  store = await openBlobStore(
    { kind: 'connection-string', connectionString: azurite.connectionString },
    uniqueTableName('files').toLowerCase(),
  );
});
afterAll(() => azurite.stop());

it('the test Azurite gives a Blob endpoint beside the Table one', () => {
  expect(azurite.connectionString).toContain(`BlobEndpoint=${azurite.azurite.blobEndpoint};`);
  expect(blobEndpointOf(azurite.connectionString).port).toBe(String(azurite.azurite.blobPort));
});

it('a file goes in streamed and comes back byte for byte, with its size and SHA-256', async () => {
  const bytes = randomBytes(300_000);
  const put = await store.put(
    key('a1'),
    Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]),
    {
      contentType: 'image/png',
      maxBytes: 1_000_000,
      now: 1_000,
    },
  );
  expect(put).toEqual({
    kind: 'stored',
    size: 300_000,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  const got = await store.get(key('a1'));
  expect(got?.size).toBe(300_000);
  expect((await read(got?.body ?? Readable.from([]))).equals(bytes)).toBe(true);
  const props = await store.container.getBlobClient('tenant-a/TM-1001/a1').getProperties();
  expect(props.contentType).toBe('image/png');
});

it('plain Uint8Array chunks (a web stream, fetch bodies) are stored as they are', async () => {
  const bytes = randomBytes(70_000);
  async function* plain(): AsyncGenerator<Uint8Array> {
    for (const part of [bytes.subarray(0, 30_000), bytes.subarray(30_000)])
      yield await Promise.resolve(new Uint8Array(part));
  }
  const put = await store.put(key('u8'), plain(), {
    contentType: 'text/plain',
    maxBytes: 100_000,
    now: 1_000,
  });
  expect(put).toMatchObject({ kind: 'stored', size: 70_000 });
  const got = await store.get(key('u8'));
  expect((await read(got?.body ?? Readable.from([]))).equals(bytes)).toBe(true);
});

it('a body past the limit is stopped while streaming and leaves no blob', async () => {
  const put = await store.put(key('big'), chunks(5 * 1024 * 1024), {
    contentType: 'application/zip',
    maxBytes: 1024 * 1024,
    now: 1_000,
  });
  expect(put).toEqual({ kind: 'too-large' });
  expect(await store.get(key('big'))).toBeNull();
  expect(await store.container.getBlobClient('tenant-a/TM-1001/big').exists()).toBe(false);
});

it('a body just at the limit is kept', async () => {
  const put = await store.put(key('edge'), chunks(1024 * 1024), {
    contentType: 'application/zip',
    maxBytes: 1024 * 1024,
    now: 1_000,
  });
  expect(put).toMatchObject({ kind: 'stored', size: 1024 * 1024 });
});

it('delete removes the blob, and deleting again is no error; list names every blob with when it was added', async () => {
  await store.put(key('gone'), Readable.from([Buffer.from('x')]), {
    contentType: 'text/plain',
    maxBytes: 10,
    now: 42,
  });
  const listed = [];
  for await (const b of store.list()) listed.push(b);
  expect(listed).toContainEqual({ key: key('gone'), addedAt: 42 });
  await store.delete(key('gone'));
  await store.delete(key('gone'));
  expect(await store.get(key('gone'))).toBeNull();
});

it('a key part that could escape its folder is refused before any request', async () => {
  await expect(
    store.put({ tenantId: '../x', ticketId: 'TM-1', id: 'a' }, Readable.from([Buffer.from('x')]), {
      contentType: 'text/plain',
      maxBytes: 10,
      now: 1,
    }),
  ).rejects.toThrow('not a valid blob path part');
});
