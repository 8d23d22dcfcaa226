// The Teams app package: `npm run package`'s function builds it into a temp folder; the zip is opened with a
// reader of our own, the filled manifest checked against the Teams v1.19 schema with ajv, the icons decoded.
// Also: the toolkit files (teamsapp.yml, teamsapp.local.yml) use known actions and produce what the manifest needs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type SchemaObject } from 'ajv';
import addFormats from 'ajv-formats';
import { ACCENT, ICONS } from '../../appPackage/icons';
import { buildAppPackage, main, PackageError, type PackageResult } from '../../src/cli/package';
import { decodePng, type Png } from './png';
import { readZip } from './zip';

const ROOT = join(__dirname, '..', '..');
const APP = join(ROOT, 'appPackage');
const SCHEMA_FILE = join(APP, 'schema', 'MicrosoftTeams.v1.19.schema.json');
const SHARED_SCHEMA = join(ROOT, '..', 'shared', 'schemas', 'teams-manifest', 'v1.19.schema.json');

/** Compiled here, apart from the packager's own check: draft-07 with formats (the file says draft-04 but uses const). */
const validate = (() => {
  const { $schema: _declared, ...schema } = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<
    string,
    unknown
  >;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  return ajv.compile(schema as SchemaObject);
})();

function schemaProblems(manifest: unknown): string[] {
  return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** What `teamsapp provision --env staging` would have written. */
const PROVISIONED = {
  TEAMSFX_ENV: 'staging',
  APP_NAME_SUFFIX: 'stg',
  TEAMS_APP_ID: '6f1c2a4e-8b3d-4e5f-9a0b-1c2d3e4f5a6b',
  BOT_ID: '2b7e9c1d-4a5f-4b6c-8d7e-9f0a1b2c3d4e',
  AAD_APP_CLIENT_ID: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
  BOT_DOMAIN: 'sla-desk-stg.azurewebsites.net',
} as const;

const envText = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

interface Built {
  readonly result: PackageResult;
  readonly files: Map<string, Buffer>;
  readonly manifest: Record<string, unknown>;
  readonly manifestText: string;
}

describe('the Teams app package (npm run package)', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'sla-desk-package-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** Builds `env` from the given env files (or the repository's env/), into the temp folder, and opens the zip. */
  function build(
    env: string,
    envFiles?: Readonly<Record<string, string>>,
    overrides: Readonly<Record<string, string>> = {},
  ): Built {
    let envDir = join(ROOT, 'env');
    if (envFiles !== undefined) {
      envDir = join(work, 'env');
      mkdirSync(envDir, { recursive: true });
      for (const [name, text] of Object.entries(envFiles)) writeFileSync(join(envDir, name), text);
    }
    const result = buildAppPackage({ env, appDir: APP, envDir, outDir: join(work, 'build'), overrides });
    const files = readZip(readFileSync(result.zipPath));
    const manifestText = files.get('manifest.json')?.toString('utf8') ?? '';
    return { result, files, manifestText, manifest: JSON.parse(manifestText) as Record<string, unknown> };
  }

  const provisioned = (): Built =>
    build('staging', {
      '.env.staging': envText(PROVISIONED),
      '.env.staging.user': 'APP_NAME_SUFFIX=staging\nSECRET_BOT_PASSWORD=never-in-the-package\n',
    });

  function expectThrows(run: () => unknown): PackageError {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(PackageError);
      return e as PackageError;
    }
    throw new Error('expected a PackageError');
  }

  it('for local, the committed env files suffice: manifest.json, color.png and outline.png, valid against v1.19', () => {
    const { result, files, manifest, manifestText } = build('local');
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(manifestText).not.toContain('${{');
    expect(schemaProblems(manifest)).toEqual([]);
    expect(readFileSync(result.manifestPath, 'utf8')).toBe(manifestText);
    expect(result.zipPath).toBe(join(work, 'build', 'appPackage.local.zip'));
    expect(result.manifestPath).toBe(join(work, 'build', 'manifest.local.json'));
  });

  it('a provisioned environment: the ids and domains come from its env file, its .user file wins, secrets stay out', () => {
    const { result, manifest, manifestText } = provisioned();
    const domain = PROVISIONED.BOT_DOMAIN;
    expect(schemaProblems(manifest)).toEqual([]);
    expect(manifestText).not.toContain('${{');
    expect(manifestText).not.toContain('never-in-the-package');
    expect(manifest).toMatchObject({
      id: PROVISIONED.TEAMS_APP_ID,
      name: { short: 'SLA Desk staging' },
      bots: [{ botId: PROVISIONED.BOT_ID }],
      validDomains: [domain],
      webApplicationInfo: {
        id: PROVISIONED.AAD_APP_CLIENT_ID,
        resource: `api://${domain}/${PROVISIONED.AAD_APP_CLIENT_ID}`,
      },
      configurableTabs: [{ configurationUrl: `https://${domain}/tab/index.html#/config` }],
    });
    const tabs = manifest['staticTabs'] as { entityId: string; contentUrl?: string }[];
    expect(tabs.filter((t) => t.contentUrl !== undefined).map((t) => t.contentUrl)).toEqual(
      ['queue', 'dashboard', 'availability', 'oncall'].map((v) => `https://${domain}/tab/index.html#/${v}`),
    );
    expect(result.defaulted).toEqual(['APP_VERSION', 'TAB_DOMAIN', 'TAB_ENDPOINT']);
    expect(result.envFiles.map((f) => f.slice(f.lastIndexOf('.env')))).toEqual([
      '.env.staging',
      '.env.staging.user',
    ]);
  });

  it('the same inputs make the same zip, byte for byte', () => {
    const first = readFileSync(provisioned().result.zipPath);
    const second = readFileSync(provisioned().result.zipPath);
    expect(second.equals(first)).toBe(true);
  });

  it('a variable set in the shell wins over the env files', () => {
    const { manifest } = build(
      'staging',
      { '.env.staging': envText(PROVISIONED) },
      { BOT_DOMAIN: 'tunnel.example.net' },
    );
    expect(manifest['validDomains']).toEqual(['tunnel.example.net']);
    const sso = manifest['webApplicationInfo'] as { resource: string };
    expect(sso.resource).toBe(`api://tunnel.example.net/${PROVISIONED.AAD_APP_CLIENT_ID}`);
  });

  it('declares the bot in personal and team scope with its commands, the tabs, SSO and the permissions', () => {
    const { manifest } = provisioned();
    const bot = (manifest['bots'] as Record<string, unknown>[])[0];
    expect(bot?.['scopes']).toEqual(['personal', 'team']);
    const lists = bot?.['commandLists'] as {
      scopes: string[];
      commands: { title: string; description: string }[];
    }[];
    const titles = lists.flatMap((l) => l.commands.map((c) => c.title));
    for (const title of ['new ticket', 'my tickets', 'status', 'help', 'on-call', 'outage']) {
      expect(titles).toContain(title);
    }
    for (const command of lists.flatMap((l) => l.commands))
      expect(command.description.length).toBeGreaterThan(20);
    expect(manifest['permissions']).toEqual(['identity', 'messageTeamMembers']);
    expect(manifest['accentColor']).toBe(ACCENT);
    expect(manifest['configurableTabs']).toEqual([
      expect.objectContaining({ scopes: ['team'], context: ['channelTab'] }),
    ]);
    const description = manifest['description'] as { short: string; full: string };
    expect(description.full).toMatch(/deadline/);
    expect(description.full).toMatch(/Customers[\s\S]*Engineers[\s\S]*Managers/);
  });

  it('SSO: webApplicationInfo names the Entra app that aad.manifest.json defines, with access_as_user for Teams', () => {
    const { manifest } = provisioned();
    const aad = JSON.parse(readFileSync(join(APP, 'aad.manifest.json'), 'utf8')) as {
      appId: string;
      identifierUris: string[];
      signInAudience: string;
      api: {
        oauth2PermissionScopes: { value: string; id: string; type: string }[];
        preAuthorizedApplications: { appId: string; delegatedPermissionIds: string[] }[];
      };
    };
    const sso = manifest['webApplicationInfo'] as { id: string; resource: string };
    const domain = PROVISIONED.BOT_DOMAIN;
    const fillAad = (text: string): string =>
      text
        .replace('${{TAB_DOMAIN}}', domain)
        .replace('${{AAD_APP_CLIENT_ID}}', PROVISIONED.AAD_APP_CLIENT_ID);
    expect(fillAad(aad.appId)).toBe(sso.id);
    expect(aad.identifierUris.map(fillAad)).toEqual([sso.resource]);
    expect(aad.signInAudience).toBe('AzureADMultipleOrgs');
    const scope = aad.api.oauth2PermissionScopes.find((p) => p.value === 'access_as_user');
    expect(scope?.type).toBe('User');
    // Teams desktop/mobile, Teams web, Microsoft 365 web and desktop, Outlook desktop, web and mobile.
    const TEAMS_CLIENTS = [
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      '4765445b-32c6-49b0-83e6-1d93765276ca',
      '0ec893e0-5785-4de6-99da-4ed124e5296c',
      'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
      '27922004-5251-4030-b22d-91ecd9a37ea4',
    ];
    expect(aad.api.preAuthorizedApplications.map((a) => a.appId).sort()).toEqual([...TEAMS_CLIENTS].sort());
    for (const app of aad.api.preAuthorizedApplications)
      expect(app.delegatedPermissionIds).toEqual([scope?.id]);
    expect(manifest['validDomains']).toContain(domain);
  });

  it('tabs are hash routes of the one tab page; commands fit Teams limits, at most 10 per scope', () => {
    const { manifest } = provisioned();
    const base = `https://${PROVISIONED.BOT_DOMAIN}/tab/index.html#/`;
    const tabs = manifest['staticTabs'] as {
      entityId: string;
      name?: string;
      contentUrl?: string;
      scopes: string[];
    }[];
    expect(tabs.map((t) => t.entityId)).toEqual([
      'conversations',
      'queue',
      'dashboard',
      'availability',
      'oncall',
      'about',
    ]);
    for (const tab of tabs.filter((t) => t.contentUrl !== undefined)) {
      expect(tab.contentUrl?.startsWith(base)).toBe(true);
      expect(tab.scopes).toEqual(['personal']);
    }
    const bot = (
      manifest['bots'] as {
        commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
      }[]
    )[0];
    for (const list of bot?.commandLists ?? []) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      const titles = list.commands.map((c) => c.title);
      expect(new Set(titles).size).toBe(titles.length);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
    const personal = bot?.commandLists
      .find((l) => l.scopes.includes('personal'))
      ?.commands.map((c) => c.title);
    expect(personal).toEqual([
      'new ticket',
      'my tickets',
      'status',
      'escalate',
      'outage',
      'on-call',
      'report',
      'help',
    ]);
    const team = bot?.commandLists.find((l) => l.scopes.includes('team'))?.commands.map((c) => c.title);
    expect(team).toEqual(
      expect.arrayContaining(['use this channel for support', 'use this channel for managers']),
    );
  });

  describe('icons', () => {
    let color: Png;
    let outline: Png;
    beforeAll(() => {
      const work2 = mkdtempSync(join(tmpdir(), 'sla-desk-icons-'));
      try {
        const result = buildAppPackage({
          env: 'local',
          appDir: APP,
          envDir: join(ROOT, 'env'),
          outDir: work2,
        });
        const files = readZip(readFileSync(result.zipPath));
        color = decodePng(files.get('color.png') ?? Buffer.alloc(0));
        outline = decodePng(files.get('outline.png') ?? Buffer.alloc(0));
      } finally {
        rmSync(work2, { recursive: true, force: true });
      }
    });
    const pixel = (png: Png, x: number, y: number): number[] => [
      ...png.rgba.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4),
    ];
    const corners = (png: Png): number[][] =>
      [
        [0, 0],
        [png.width - 1, 0],
        [0, png.height - 1],
        [png.width - 1, png.height - 1],
      ].map(([x, y]) => pixel(png, x ?? 0, y ?? 0));

    it('color.png is 192×192, a solid square of the accent colour behind the glyph', () => {
      expect([color.width, color.height]).toEqual([192, 192]);
      const accent = [1, 3, 5].map((i) => parseInt(ACCENT.slice(i, i + 2), 16));
      for (const corner of corners(color)) expect(corner).toEqual([...accent, 255]);
      const white = Array.from({ length: 192 * 192 }, (_, i) => i).filter((i) => color.rgba[i * 4] === 255);
      expect(white.length).toBeGreaterThan(192 * 192 * 0.05);
    });

    it('outline.png is 32×32, white on transparency: an alpha channel, clear corners, no other colour', () => {
      expect([outline.width, outline.height]).toEqual([32, 32]);
      expect(outline.colorType).toBe(6);
      for (const corner of corners(outline)) expect(corner[3]).toBe(0);
      let opaque = 0;
      for (let i = 0; i < 32 * 32; i++) {
        const [r, g, b, a] = outline.rgba.subarray(i * 4, i * 4 + 4);
        if (a !== 0) expect([r, g, b]).toEqual([255, 255, 255]);
        if (a === 255) opaque++;
      }
      expect(opaque).toBeGreaterThan(32 * 32 * 0.15);
      expect(opaque).toBeLessThan(32 * 32 * 0.6);
    });

    it('the committed PNGs are what appPackage/icons.ts draws', () => {
      for (const [name, draw] of Object.entries(ICONS)) {
        expect(draw().equals(readFileSync(join(APP, name)))).toBe(true);
      }
    });
  });

  describe('refusals', () => {
    it('a missing required variable names it and the files to set it in, and writes nothing', () => {
      const error = expectThrows(() =>
        build('dev', {
          '.env.dev': envText({ ...PROVISIONED, TEAMSFX_ENV: 'dev', BOT_ID: '', BOT_DOMAIN: '' }),
        }),
      );
      expect(error.code).toBe('PACKAGE_ENV_MISSING');
      expect(error.details).toEqual(['BOT_DOMAIN', 'BOT_ID']);
      expect(error.message).toMatch(
        /environment "dev" leaves BOT_DOMAIN, BOT_ID empty: set them in .*\.env\.dev or .*\.env\.dev\.user/,
      );
      expect(existsSync(join(work, 'build'))).toBe(false);
    });

    it('only local has defaults: another environment with an empty file names every id and the domain', () => {
      const error = expectThrows(() =>
        build('dev', { '.env.dev': 'TEAMSFX_ENV=dev\nAPP_NAME_SUFFIX=dev\n' }),
      );
      expect(error.details).toEqual(['AAD_APP_CLIENT_ID', 'BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
    });

    it('an environment without its env file is refused (local may do without)', () => {
      const error = expectThrows(() => build('prod', {}));
      expect(error.code).toBe('PACKAGE_ENV_FILE');
      expect(error.message).toMatch(/\.env\.prod not found/);
      expect(build('local', {}).manifest['id']).toBe('00000000-0000-0000-0000-000000000000');
    });

    it.each([
      ['BOT_DOMAIN', 'https://sla.example.com/', /BOT_DOMAIN must be a host name/],
      ['BOT_ID', 'my-bot', /BOT_ID must be a GUID/],
      ['TEAMS_APP_ID', '6f1c2a4e', /TEAMS_APP_ID must be a GUID/],
    ])('%s="%s" is refused with the variable named', (name, value, message) => {
      const error = expectThrows(() =>
        build('staging', { '.env.staging': envText({ ...PROVISIONED, [name]: value }) }),
      );
      expect(error.code).toBe('PACKAGE_ENV_INVALID');
      expect(error.message).toMatch(message);
    });

    it('the command line prints one line and exits 2', () => {
      const out: string[] = [];
      const err: string[] = [];
      expect(
        main(
          ['--env', 'nowhere'],
          {},
          (l) => out.push(l),
          (l) => err.push(l),
        ),
      ).toBe(2);
      expect(err).toEqual([expect.stringMatching(/^package: .*\.env\.nowhere not found/)]);
      expect(
        main(
          ['--envy'],
          {},
          (l) => out.push(l),
          (l) => err.push(l),
        ),
      ).toBe(2);
      expect(err[1]).toMatch(/unknown flag --envy/);
      expect(out).toEqual([]);
    });
  });

  it('the schema kept in appPackage/schema is the official v1.19 file', () => {
    const copy = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as {
      properties: { manifestVersion: { const: string } };
    };
    expect(copy.properties.manifestVersion.const).toBe('1.19');
    // Beside a checkout (and in CI) the shared schemas are there: the copy must be the same file.
    if (existsSync(SHARED_SCHEMA)) expect(copy).toEqual(JSON.parse(readFileSync(SHARED_SCHEMA, 'utf8')));
  });
});

describe('the toolkit files', () => {
  /**
   * Actions of the v1.11 schema (Microsoft 365 Agents Toolkit's packages/fx-core/resource/yaml-schema/v1.11),
   * the ones of v1.7 that it keeps.
   */
  const V111_ACTIONS = new Set([
    'aadApp/create',
    'aadApp/update',
    'arm/deploy',
    'azureStorage/enableStaticWebsite',
    'cli/runNpmCommand',
    'cli/runDotnetCommand',
    'cli/runNpxCommand',
    'azureStorage/deploy',
    'azureAppService/zipDeploy',
    'azureFunctions/zipDeploy',
    'teamsApp/create',
    'teamsApp/validateManifest',
    'teamsApp/validateAppPackage',
    'teamsApp/validateWithTestCases',
    'teamsApp/zipAppPackage',
    'teamsApp/update',
    'teamsApp/publishAppPackage',
    'botAadApp/create',
    'botFramework/create',
    'file/createOrUpdateEnvironmentFile',
    'file/createOrUpdateJsonFile',
    'devTool/install',
    'teamsApp/extendToM365',
    'script',
  ]);
  const manifestNames = (file: string): string[] => [
    ...new Set([...readFileSync(file, 'utf8').matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1] ?? '')),
  ];

  it.each(['teamsapp.yml', 'teamsapp.local.yml'])(
    '%s is v1.11, uses known actions and files that exist',
    (name) => {
      const text = readFileSync(join(ROOT, name), 'utf8');
      expect(text).toMatch(/^version: v1\.11$/m);
      expect(text).toContain('$schema=https://aka.ms/m365-agents-toolkits/v1.11/yaml.schema.json');
      const uses = [...text.matchAll(/^\s*- uses: (\S+)\s*$/gm)].map((m) => m[1] ?? '');
      expect(uses.length).toBeGreaterThan(5);
      for (const action of uses) expect(V111_ACTIONS).toContain(action);
      for (const [, path] of text.matchAll(/manifestPath: (\S+)/g))
        expect(existsSync(join(ROOT, path ?? ''))).toBe(true);
      expect(text).not.toMatch(/SECRET_[A-Z_]+\s*=/);
    },
  );

  it.each(['teamsapp.yml', 'teamsapp.local.yml'])(
    '%s writes or derives every variable the manifests use',
    (name) => {
      const text = readFileSync(join(ROOT, name), 'utf8');
      const named = new Set([...text.matchAll(/\b([A-Z][A-Z0-9_]{2,})\b/g)].map((m) => m[1]));
      // Supplied elsewhere: the env files (APP_NAME_SUFFIX), the tunnel or the infrastructure (BOT_DOMAIN),
      // and aadApp/update, which makes up the permission id when it is empty.
      const elsewhere = new Set(['APP_NAME_SUFFIX', 'BOT_DOMAIN', 'AAD_APP_ACCESS_AS_USER_PERMISSION_ID']);
      for (const file of [join(APP, 'manifest.json'), join(APP, 'aad.manifest.json')]) {
        for (const variable of manifestNames(file)) {
          if (!elsewhere.has(variable)) expect([variable, named.has(variable)]).toEqual([variable, true]);
        }
      }
    },
  );
});
