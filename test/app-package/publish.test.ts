// What a publish ships: a new, higher app version every time (src/cli/app-version.ts, run by the toolkit files'
// `script` step), and a manifest whose validDomains has no duplicate on any path, the toolkit's zipAppPackage
// (placeholders replaced as text from the env file and the step's `env:`) as well as `npm run package`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type SchemaObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { nextAppVersion, nextVersionLine, packageVersion, VERSION_EPOCH } from '../../src/cli/app-version';
import { buildAppPackage } from '../../src/cli/package';
import { SCRIPT_OUTPUTS } from '../infra/toolkit';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);

interface Step {
  readonly uses: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
}
type Stage = 'provision' | 'publish';
const stages = (file: string): Partial<Record<Stage, Step[]>> =>
  parseYaml(read(file)) as Partial<Record<Stage, Step[]>>;

const validate = (() => {
  const { $schema: _declared, ...schema } = JSON.parse(
    read('appPackage/schema/MicrosoftTeams.v1.19.schema.json'),
  ) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  return ajv.compile(schema as SchemaObject);
})();

describe('the app version', () => {
  it.each([
    ['the epoch itself', '0.1.0', undefined, VERSION_EPOCH, '0.1.0'],
    ['a day later', '0.1.0', undefined, VERSION_EPOCH + 1440 * MINUTE, '0.1.1440'],
    [
      'a publish on 6 December 2026 at 10:00 UTC',
      '0.1.0',
      undefined,
      at('2026-12-06T10:00:00Z'),
      '0.1.488760',
    ],
    ['the same minute as the last one', '0.1.0', '0.1.1440', VERSION_EPOCH + 1440 * MINUTE, '0.1.1441'],
    ['a clock set back', '0.1.0', '0.1.9000', VERSION_EPOCH + 1440 * MINUTE, '0.1.9001'],
    ['after a version someone set by hand', '0.1.0', '1.0.0', VERSION_EPOCH + 1440 * MINUTE, '1.0.1'],
    ['a new minor in package.json', '0.2.0', '0.1.9000', VERSION_EPOCH + 1440 * MINUTE, '0.2.1440'],
    ['an unreadable last version', '0.1.0', 'v1', VERSION_EPOCH + 1440 * MINUTE, '0.1.1440'],
  ] as const)('%s: %s after %s is %s', (_, base, previous, now, expected) => {
    expect(nextAppVersion(base, previous, now)).toBe(expected);
  });

  it('a second publish never reuses the first one’s version, even in the same minute', () => {
    const now = at('2026-12-06T10:00:30Z');
    const env: Record<string, string> = {};
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const line = nextVersionLine(env, now + i * 1000);
      const version = /^::set-teamsfx-env APP_VERSION=(\d+\.\d+\.\d+)$/.exec(line)?.[1] ?? '';
      // The toolkit writes it to the env file; the next run reads it back.
      env['APP_VERSION'] = version;
      seen.push(version);
    }
    expect(new Set(seen).size).toBe(5);
    const patches = seen.map((v) => Number(v.split('.')[2]));
    expect(patches).toEqual([...patches].sort((a, b) => a - b));
    expect(seen[0]).toBe(`${packageVersion().split('.').slice(0, 2).join('.')}.488760`);
  });

  it("the toolkit's script step prints the line the toolkit reads, above the environment's APP_VERSION", () => {
    for (const [command, names] of Object.entries(SCRIPT_OUTPUTS)) {
      const run = spawnSync(command, {
        cwd: ROOT,
        shell: true,
        encoding: 'utf8',
        env: { ...process.env, APP_VERSION: '0.1.99999999' },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines.map((l) => /^::set-teamsfx-env ([A-Z_]+)=/.exec(l)?.[1])).toEqual(names);
      expect(lines[0]).toBe('::set-teamsfx-env APP_VERSION=0.1.100000000');
    }
  });

  it.each([
    ['teamsapp.yml', 'provision'],
    ['teamsapp.yml', 'publish'],
    ['teamsapp.local.yml', 'provision'],
  ] as const)('%s %s: a new version before the package is zipped', (file, stage) => {
    const steps = stages(file)[stage] ?? [];
    const version = steps.findIndex(
      (s) => s.uses === 'script' && s.with?.['run'] === Object.keys(SCRIPT_OUTPUTS)[0],
    );
    const zip = steps.findIndex((s) => s.uses === 'teamsApp/zipAppPackage');
    expect(version).toBeGreaterThanOrEqual(0);
    expect(version).toBeLessThan(zip);
  });

  it('the manifest carries APP_VERSION; `npm run package` uses it, or package.json’s major.minor.0 without it', () => {
    expect(JSON.parse(read('appPackage/manifest.json'))).toMatchObject({ version: '${{APP_VERSION}}' });
    const work = mkdtempSync(join(tmpdir(), 'sla-desk-version-'));
    try {
      const built = (overrides: Record<string, string>) =>
        buildAppPackage({ env: 'local', outDir: work, overrides }).manifest['version'];
      expect(built({ APP_VERSION: '0.1.488760' })).toBe('0.1.488760');
      expect(built({})).toBe(`${packageVersion().split('.').slice(0, 2).join('.')}.0`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('validDomains has no duplicates on any path', () => {
  const HOSTS = {
    'teamsapp.yml': 'sladesk-dev-1a2b3c-h7fzcxbvdkdva8gq.westeurope-01.azurewebsites.net',
    'teamsapp.local.yml': 'abc123x-3978.euw.devtunnels.ms',
  } as const;

  /** What provision has written to the env file by the time the package is zipped. */
  const written = (host: string): Record<string, string> => ({
    TEAMSFX_ENV: 'dev',
    APP_NAME_SUFFIX: 'dev',
    APP_VERSION: '0.1.488760',
    TEAMS_APP_ID: '6f1c2a4e-8b3d-4e5f-9a0b-1c2d3e4f5a6b',
    BOT_ID: '2b7e9c1d-4a5f-4b6c-8d7e-9f0a1b2c3d4e',
    AAD_APP_CLIENT_ID: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
    BOT_DOMAIN: host,
    BOT_ENDPOINT: `https://${host}`,
  });

  /** As the toolkit does: ${{NAME}} replaced as text, first in the step's `env:`, then in the manifest. */
  const fill = (text: string, env: Readonly<Record<string, string>>): string =>
    text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => env[name] ?? whole);

  const cases = (Object.keys(HOSTS) as (keyof typeof HOSTS)[]).flatMap((file) =>
    (['provision', 'publish'] as const).flatMap((stage) =>
      (stages(file)[stage] ?? [])
        .filter((s) => s.uses === 'teamsApp/zipAppPackage')
        .map((step) => [file, stage, step] as const),
    ),
  );

  it('every zipAppPackage of the toolkit files is covered', () => {
    expect(cases.map(([file, stage]) => `${file} ${stage}`)).toEqual([
      'teamsapp.yml provision',
      'teamsapp.yml publish',
      'teamsapp.local.yml provision',
    ]);
  });

  it.each(cases)(
    "%s %s: the toolkit's zipAppPackage lists the site's host once, and it holds every tab",
    (file, _, step) => {
      const host = HOSTS[file];
      const base = written(host);
      const env = {
        ...base,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v, base)])),
      };
      const text = fill(read(String(step.with?.['manifestPath'])), env);
      expect(text).not.toContain('${{');
      const manifest = JSON.parse(text) as {
        validDomains: string[];
        staticTabs: { contentUrl?: string }[];
        configurableTabs: { configurationUrl: string }[];
        webApplicationInfo: { resource: string };
      };
      expect(manifest.validDomains).toEqual([host]);
      const urls = [
        ...manifest.staticTabs.flatMap((t) => (t.contentUrl === undefined ? [] : [t.contentUrl])),
        ...manifest.configurableTabs.map((t) => t.configurationUrl),
        manifest.webApplicationInfo.resource.replace(/^api:/, 'https:'),
      ];
      for (const url of urls) expect(manifest.validDomains).toContain(new URL(url).host);
      expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    },
  );

  it('`npm run package` gives the same list as the toolkit, from the same env file', () => {
    const work = mkdtempSync(join(tmpdir(), 'sla-desk-domains-'));
    try {
      for (const host of Object.values(HOSTS)) {
        const { manifest } = buildAppPackage({ env: 'local', outDir: work, overrides: written(host) });
        expect(manifest['validDomains']).toEqual([host]);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
