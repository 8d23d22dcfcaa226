// Files customers send in chat, read from activities and downloaded under the host rules, the time limit and the
// size limit, against a fake file host on loopback (no app: the downloader alone).
import { loadConfig, ConfigError } from '../../src/config';
import {
  chatFilesOf,
  FileFetcher,
  FILE_DOWNLOAD_INFO,
  hostMatches,
  imageName,
  refusalOf,
  type Download,
  type Opened,
} from '../../src/adapters/teams/chat-files';
import { names } from '../../src/domain/cards/customer/files';
import { tabTicketLink } from '../../src/domain/cards/links';
import { startFakeFileHost, type FakeFileHost } from '../support/file-host';

const DEFAULT_HOSTS = loadConfig({}).chatFiles.hosts;

describe('the hosts chat files may come from', () => {
  it.each([
    ['https://smba.trafficmanager.net/amer/v3/attachments/0-eus-d1/views/original', undefined],
    ['https://contoso-my.sharepoint.com/personal/ann/_layouts/15/download.aspx?tempauth=x', undefined],
    ['https://us-api.asm.skype.com/v1/objects/0-eus/views/imgo', undefined],
    ['https://smba.infra.gcc.teams.microsoft.com/gcc/v3/attachments/1/views/original', undefined],
    ['https://evil.example/file.png', 'evil.example is not a Teams or SharePoint host'],
    [
      'https://sharepoint.com.evil.example/x',
      'sharepoint.com.evil.example is not a Teams or SharePoint host',
    ],
    ['https://evilsharepoint.com/x', 'evilsharepoint.com is not a Teams or SharePoint host'],
    ['http://contoso.sharepoint.com/x', 'not an https address'],
    ['https://contoso.sharepoint.com:8443/x', 'the address names a port'],
    ['https://ann:pw@contoso.sharepoint.com/x', 'the address carries a user name or password'],
    ['file:///etc/passwd', 'not an https address'],
    ['not a url', 'not a valid URL'],
  ])('%s → %s', (url, refusal) => {
    expect(refusalOf(url, DEFAULT_HOSTS)).toBe(refusal);
  });

  it('matches exact names and *.suffix patterns only under the suffix', () => {
    expect(hostMatches('a.b.sharepoint.com', ['*.sharepoint.com'])).toBe(true);
    expect(hostMatches('sharepoint.com', ['*.sharepoint.com'])).toBe(false);
    expect(hostMatches('SMBA.trafficmanager.net', ['smba.trafficmanager.net'])).toBe(true);
  });

  it('is a setting that refuses loopback names in production and patterns that are not domains', () => {
    expect(loadConfig({ ATTACHMENT_HOSTS: '127.0.0.1, *.Example.com' }).chatFiles.hosts).toEqual([
      '127.0.0.1',
      '*.example.com',
    ]);
    expect(() => loadConfig({ ATTACHMENT_HOSTS: '*.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ ATTACHMENT_HOSTS: 'https://x.example' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        BOT_ID: 'b',
        BOT_PASSWORD: 'p',
        TABLES_ENDPOINT: 'https://acct.table.core.windows.net',
        AAD_APP_CLIENT_ID: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
        ATTACHMENT_HOSTS: '127.0.0.1',
      }),
    ).toThrow(/loopback name, refused in production/);
  });
});

describe('reading a message', () => {
  it('takes Teams file download info and pasted images, and ignores the rich-text copy and cards', () => {
    const files = chatFilesOf({
      attachments: [
        {
          contentType: FILE_DOWNLOAD_INFO,
          name: 'vpn.log',
          contentUrl: 'https://contoso-my.sharepoint.com/personal/ann/Documents/vpn.log',
          content: {
            downloadUrl: 'https://contoso-my.sharepoint.com/dl/vpn.log',
            uniqueId: 'u1',
            fileType: 'log',
          },
        },
        {
          contentType: 'image/*',
          contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/1/views/original',
        },
        {
          contentType: 'text/html',
          content: '<p><img src="https://us-api.asm.skype.com/v1/objects/1/views/imgo"></p>',
        },
        { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
        { contentType: FILE_DOWNLOAD_INFO, name: 'nourl.txt', content: {} },
      ],
    });
    expect(files).toEqual([
      { kind: 'file', name: 'vpn.log', url: 'https://contoso-my.sharepoint.com/dl/vpn.log' },
      {
        kind: 'image',
        name: 'pasted-image-1.png',
        url: 'https://smba.trafficmanager.net/amer/v3/attachments/1/views/original',
      },
    ]);
  });

  it('names a pasted image by the type the host sent', () => {
    const image = { kind: 'image' as const, name: 'pasted-image-2.png', url: 'https://x' };
    expect(imageName(image, 'image/jpeg')).toBe('pasted-image-2.jpg');
    expect(imageName(image, undefined)).toBe('pasted-image-2.png');
    expect(imageName({ ...image, kind: 'file', name: 'a.png' }, 'image/jpeg')).toBe('a.png');
  });
});

describe('what people read', () => {
  it('lists and links', () => {
    expect(names(['a.png', 'b.log', 'c.txt'])).toBe('a.png, b.log and c.txt');
    expect(tabTicketLink(undefined, 'TM-1')).toBeUndefined();
    const link = tabTicketLink('0f6d3a2c-1111-4222-8333-944455556666', 'TM-1042', 'abc');
    expect(link).toBe(
      `https://teams.microsoft.com/l/entity/0f6d3a2c-1111-4222-8333-944455556666/queue?context=${encodeURIComponent('{"subEntityId":"ticket/TM-1042/file/abc"}')}`,
    );
  });
});

describe('downloading', () => {
  let host: FakeFileHost;
  let foreign: FakeFileHost;
  const tokens: string[] = [];
  let fetcher: FileFetcher;

  beforeAll(async () => {
    host = await startFakeFileHost();
    foreign = await startFakeFileHost('127.0.0.2');
    fetcher = new FileFetcher({
      hosts: ['127.0.0.1'],
      tokenHosts: ['127.0.0.1'],
      timeoutMs: 500,
      token: () => {
        tokens.push('asked');
        return Promise.resolve('bot-token');
      },
    });
  });
  afterAll(async () => {
    await host.stop();
    await foreign.stop();
  });

  async function bytesOf(opened: Opened): Promise<Buffer | string> {
    if (!opened.ok) return opened.reason;
    const chunks: Uint8Array[] = [];
    try {
      for await (const c of opened.body) chunks.push(c);
    } catch {
      return opened.failure()?.reason ?? 'threw';
    } finally {
      opened.close();
    }
    return Buffer.concat(chunks);
  }

  it('gets a sent file without the token, and a pasted image with it', async () => {
    const body = Buffer.from('line 1\nline 2\n');
    const url = host.put('/dl/vpn.log', { kind: 'file', body, contentType: 'text/plain' });
    const opened = await fetcher.open({ kind: 'file', name: 'vpn.log', url }, 1000);
    expect((opened as Download).declaredSize).toBe(body.length);
    expect(await bytesOf(opened)).toEqual(body);
    const png = host.put('/v3/attachments/1/views/original', {
      kind: 'file',
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      contentType: 'image/png',
    });
    expect(
      await bytesOf(await fetcher.open({ kind: 'image', name: 'pasted-image-1.png', url: png }, 1000)),
    ).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const seen = host.requests.slice(-2);
    expect(seen.map((r) => r.authorization)).toEqual([undefined, 'Bearer bot-token']);
  });

  it('refuses a foreign host without any request', async () => {
    const url = foreign.put('/x.png', { kind: 'file', body: Buffer.from('x') });
    const opened = await fetcher.open({ kind: 'image', name: 'x.png', url }, 1000);
    expect(opened).toMatchObject({ ok: false, reason: 'refused' });
    expect(foreign.requests).toEqual([]);
  });

  it('follows no redirect to a foreign host, and gives it no token', async () => {
    const target = foreign.put('/moved.png', { kind: 'file', body: Buffer.from('x') });
    const url = host.put('/redirect.png', { kind: 'redirect', location: target });
    const opened = await fetcher.open({ kind: 'image', name: 'r.png', url }, 1000);
    expect(opened).toMatchObject({ ok: false, reason: 'refused' });
    expect(foreign.requests).toEqual([]);
  });

  it('stops a file larger than the limit while streaming, and one that declares it at once', async () => {
    const url = host.put('/big.zip', { kind: 'stream', bytes: 8 * 1024 * 1024 });
    expect(await bytesOf(await fetcher.open({ kind: 'file', name: 'big.zip', url }, 100_000))).toBe(
      'too-large',
    );
    // The host wrote far less than the whole file before the reader stopped.
    expect(host.streamedBytes('/big.zip')).toBeLessThan(8 * 1024 * 1024);
    const declared = host.put('/declared.zip', { kind: 'file', body: Buffer.alloc(2000) });
    expect(await fetcher.open({ kind: 'file', name: 'd.zip', url: declared }, 1000)).toMatchObject({
      ok: false,
      reason: 'too-large',
    });
  });

  it('gives up on a host that fails or hangs', async () => {
    const failing = host.put('/fail.png', { kind: 'fail', status: 500 });
    expect(await fetcher.open({ kind: 'file', name: 'f.png', url: failing }, 1000)).toMatchObject({
      ok: false,
      reason: 'failed',
    });
    const hanging = host.put('/hang.png', { kind: 'hang' });
    expect(await bytesOf(await fetcher.open({ kind: 'file', name: 'h.png', url: hanging }, 1000))).toBe(
      'failed',
    );
  });
});
