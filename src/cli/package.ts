// `npm run package [-- --env <name>]`: the Teams app package. Fills appPackage/manifest.json's ${{VARS}} from
// env/.env.<name> and env/.env.<name>.user (the shell wins over both), checks the result against the Teams
// schema kept in appPackage/schema, and writes appPackage/build/manifest.<name>.json and appPackage.<name>.zip.
// Offline; imports nothing from the app.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import Ajv, { type SchemaObject } from 'ajv';
import addFormats from 'ajv-formats';
import { nextAppVersion, packageVersion, VERSION_EPOCH } from './app-version';
import { parseFlags, UsageError } from './args';
import { layerEnv, parseDotenv } from './dotenv';

const ROOT = resolve(__dirname, '..', '..');

/** The all-zero GUID: a well-formed id that names no real app. */
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Filled in for `local` when the env files leave a variable empty (env/.env.local as committed has no ids):
 * the package then opens and validates, but Teams installs it only once `teamsapp provision --env local`
 * has written real ids and the tunnel's domain.
 */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: ZERO_GUID,
  BOT_ID: ZERO_GUID,
  AAD_APP_CLIENT_ID: ZERO_GUID,
  BOT_DOMAIN: 'localhost:3978',
  APP_NAME_SUFFIX: 'local',
};

/**
 * Filled from other variables in every environment when unset: the tab is served by the bot's own server
 * under /tab, so its domain is the bot's. teamsapp.yml says the same with `env:` on its actions.
 */
const DERIVED: readonly (readonly [string, (v: Readonly<Record<string, string>>) => string | undefined])[] = [
  // Unset outside the toolkit (which runs `--next-version` first): package.json's major.minor and patch 0.
  ['APP_VERSION', () => nextAppVersion(packageVersion(), undefined, VERSION_EPOCH)],
  ['TAB_DOMAIN', (v) => v['BOT_DOMAIN']],
  ['TAB_ENDPOINT', (v) => (v['TAB_DOMAIN'] === undefined ? undefined : `https://${v['TAB_DOMAIN']}`)],
];

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/** What a variable's value must look like, with the words that say so. */
const SHAPES: Readonly<Record<string, readonly [RegExp, string]>> = {
  TEAMS_APP_ID: [GUID, 'a GUID'],
  BOT_ID: [GUID, 'a GUID (the bot\u2019s Entra app id)'],
  AAD_APP_CLIENT_ID: [GUID, 'a GUID (the tab\u2019s Entra app id)'],
  BOT_DOMAIN: [HOST, 'a host name such as sla.example.com (no https://, no path)'],
  TAB_DOMAIN: [HOST, 'a host name such as sla.example.com (no https://, no path)'],
  TAB_ENDPOINT: [/^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'https:// and a host, without a trailing slash'],
  APP_VERSION: [SEMVER, 'a version such as 0.1.4321 (major.minor.patch, digits only)'],
};

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The package's expected icon sizes, by manifest field. */
const ICON_SIZES = { color: 192, outline: 32 } as const;

export type PackageErrorCode =
  | 'PACKAGE_ENV_FILE'
  | 'PACKAGE_ENV_MISSING'
  | 'PACKAGE_ENV_INVALID'
  | 'PACKAGE_MANIFEST_INVALID'
  | 'PACKAGE_ICON_INVALID';

/** Why no package was written; `details` lists the variables, lines or schema errors concerned. */
export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface PackageOptions {
  /** Toolkit environment: `local`, `dev`, … (reads env/.env.<env>). */
  readonly env: string;
  /** Holds manifest.json, the icons and schema/; default appPackage/. */
  readonly appDir?: string;
  /** Holds the .env.<env> files; default env/. */
  readonly envDir?: string;
  /** Where the manifest and zip go; default appPackage/build/. */
  readonly outDir?: string;
  /** Variables that win over the env files (the CLI passes the shell's environment); default none. */
  readonly overrides?: Readonly<Record<string, string | undefined>>;
}

export interface PackageResult {
  readonly manifestPath: string;
  readonly zipPath: string;
  /** The filled manifest, as written. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Each placeholder's value. */
  readonly values: Readonly<Record<string, string>>;
  /** Placeholders that took a local default or were derived, not read from a file or the shell. */
  readonly defaulted: readonly string[];
  /** The env files that were read. */
  readonly envFiles: readonly string[];
}

/**
 * The distinct `${{NAME}}` placeholders of a template, sorted.
 * @example placeholders('{"id": "${{TEAMS_APP_ID}}", "bot": "${{BOT_ID}}"}') // ['BOT_ID', 'TEAMS_APP_ID']
 */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

function readEnvFiles(env: string, envDir: string): { files: string[]; layers: Record<string, string>[] } {
  const base = join(envDir, `.env.${env}`);
  const files: string[] = [];
  const layers: Record<string, string>[] = [];
  if (!existsSync(base) && env !== 'local') {
    throw new PackageError(
      'PACKAGE_ENV_FILE',
      `${shown(base)} not found: environment "${env}" needs it (create it, or run \`teamsapp provision --env ${env}\`)`,
    );
  }
  for (const file of [base, `${base}.user`]) {
    if (!existsSync(file)) continue;
    const { values, problems } = parseDotenv(readFileSync(file, 'utf8'));
    if (problems.length > 0) {
      throw new PackageError(
        'PACKAGE_ENV_FILE',
        `${shown(file)} has lines that are not KEY=VALUE: ${problems.join('; ')}`,
        problems,
      );
    }
    files.push(file);
    layers.push(values);
  }
  return { files, layers };
}

/**
 * Each placeholder's value, from the files and overrides, then local defaults, then derivations. An empty
 * value counts as missing, as in the toolkit, which stops at a placeholder whose variable is empty.
 */
function resolveValues(
  env: string,
  names: readonly string[],
  known: Readonly<Record<string, string>>,
): { values: Record<string, string>; defaulted: string[]; missing: string[] } {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(known)) if (value !== '') values[key] = value;
  const defaulted: string[] = [];
  if (env === 'local') {
    for (const [key, value] of Object.entries(LOCAL_DEFAULTS)) {
      if (values[key] === undefined) {
        values[key] = value;
        defaulted.push(key);
      }
    }
  }
  for (const [key, derive] of DERIVED) {
    const value = values[key] === undefined ? derive(values) : undefined;
    if (value !== undefined && value !== '') {
      values[key] = value;
      defaulted.push(key);
    }
  }
  const used: Record<string, string> = {};
  const missing: string[] = [];
  const derivable = new Set(DERIVED.map(([key]) => key));
  for (const name of names) {
    const value = values[name];
    if (value !== undefined) used[name] = value;
    else if (!derivable.has(name)) missing.push(name);
  }
  // A derived variable is missing only when what it derives from is, and that one is named already.
  if (missing.length === 0) missing.push(...names.filter((name) => values[name] === undefined));
  return { values: used, defaulted: defaulted.filter((d) => names.includes(d)).sort(), missing };
}

/**
 * The variables a template needs: its placeholders, and BOT_DOMAIN when the tab's domain is derived from it (the
 * tab is served by the bot's own server), so an empty or malformed BOT_DOMAIN is what the refusal names.
 */
function needed(names: readonly string[], known: Readonly<Record<string, string>>): string[] {
  const derivesFromBot = names.some((n) => n === 'TAB_DOMAIN' || n === 'TAB_ENDPOINT');
  return derivesFromBot && (known['TAB_DOMAIN'] ?? '') === '' && !names.includes('BOT_DOMAIN')
    ? [...names, 'BOT_DOMAIN'].sort()
    : [...names];
}

/**
 * The fields a zip entry's local header (from byte 4) and central record (from byte 6) share: version needed,
 * UTF-8 flag, method, the fixed DOS time and date, CRC, stored and real sizes, and the name's length.
 */
function writeEntryFields(
  header: Buffer,
  at: number,
  e: { method: number; crc: number; stored: number; size: number; name: number },
): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x0800, at + 2);
  header.writeUInt16LE(e.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(e.crc, at + 10);
  header.writeUInt32LE(e.stored, at + 14);
  header.writeUInt32LE(e.size, at + 18);
  header.writeUInt16LE(e.name, at + 22);
}

function checkShapes(values: Readonly<Record<string, string>>, derived: readonly string[]): void {
  const wrongOf = (entries: [string, string][]): string[] =>
    entries.flatMap(([name, value]) => {
      const shape = SHAPES[name];
      return shape === undefined || shape[0].test(value)
        ? []
        : [`${name} must be ${shape[1]}; it is "${value}"`];
    });
  const entries = Object.entries(values);
  for (const group of [
    entries.filter(([n]) => !derived.includes(n)),
    entries.filter(([n]) => derived.includes(n)),
  ]) {
    const wrong = wrongOf(group);
    if (wrong.length > 0) throw new PackageError('PACKAGE_ENV_INVALID', wrong.join('; '), wrong);
  }
}

/**
 * Replaces every placeholder with its value, escaped for a JSON string (placeholders sit inside strings).
 * @example fill('{"id": "${{ID}}"}', { ID: 'a"b' }) // '{"id": "a\\"b"}'
 */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : JSON.stringify(value).slice(1, -1);
  });
}

/**
 * Validates a manifest against a Teams manifest schema. The schemas declare draft-04 but use `const`
 * (draft-06), so they are compiled as draft-07, a superset for every keyword they use.
 * @returns one line per problem, empty when valid.
 */
export function schemaErrors(manifest: unknown, schema: Readonly<Record<string, unknown>>): string[] {
  const { $schema: _declared, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  const validate = ajv.compile(rest as SchemaObject);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => {
    const params = JSON.stringify(e.params);
    return `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'} ${params}`;
  });
}

/** Width, height and PNG colour type from a PNG's IHDR, or undefined when it is not a PNG. */
export function pngHeader(png: Uint8Array): { width: number; height: number; colorType: number } | undefined {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const signature = '89504e470d0a1a0a';
  if (buf.length < 33 || buf.subarray(0, 8).toString('hex') !== signature) return undefined;
  if (buf.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf.readUInt8(25) };
}

/** 1980-01-01 00:00, the zip format's earliest date: the same files always make the same archive. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;

/**
 * A zip archive (no directories, no comments): each entry deflated when that makes it smaller, else stored.
 * @example zip([{ name: 'a.txt', data: Buffer.from('a') }]).readUInt32LE(0) // 0x04034b50
 */
export function zip(entries: readonly { readonly name: string; readonly data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : Buffer.from(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, {
      method,
      crc,
      stored: body.length,
      size: data.length,
      name: nameBytes.length,
    });
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    writeEntryFields(central, 6, {
      method,
      crc,
      stored: body.length,
      size: data.length,
      name: nameBytes.length,
    });
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function readJson(path: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PackageError('PACKAGE_MANIFEST_INVALID', `${what} ${shown(path)} is not JSON: ${String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PackageError('PACKAGE_MANIFEST_INVALID', `${what} ${shown(path)} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function readIcons(
  manifest: Readonly<Record<string, unknown>>,
  appDir: string,
): { name: string; data: Buffer }[] {
  const icons = manifest['icons'] as Readonly<Record<keyof typeof ICON_SIZES, string>>;
  return (Object.keys(ICON_SIZES) as (keyof typeof ICON_SIZES)[]).map((field) => {
    const name = icons[field];
    const path = join(appDir, name);
    if (!existsSync(path)) {
      throw new PackageError('PACKAGE_ICON_INVALID', `icons.${field}: ${shown(path)} not found`);
    }
    const data = readFileSync(path);
    const header = pngHeader(data);
    const size = ICON_SIZES[field];
    if (header === undefined || header.width !== size || header.height !== size) {
      const got = header === undefined ? 'not a PNG' : `${header.width}\u00d7${header.height}`;
      throw new PackageError(
        'PACKAGE_ICON_INVALID',
        `icons.${field}: ${name} must be a ${size}\u00d7${size} PNG; it is ${got}`,
      );
    }
    if (field === 'outline' && header.colorType !== 6 && header.colorType !== 4) {
      throw new PackageError(
        'PACKAGE_ICON_INVALID',
        `icons.outline: ${name} must have an alpha channel (transparent background)`,
      );
    }
    return { name, data };
  });
}

/**
 * Builds the app package of one environment and writes it; throws PackageError (with a code) when an env file
 * is missing or malformed, a variable is empty, a value has the wrong shape, the manifest breaks the schema
 * or an icon is wrong. Nothing is written then.
 */
export function buildAppPackage(options: PackageOptions): PackageResult {
  const { env } = options;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(env)) {
    throw new UsageError(`package: --env must be an environment name such as local or dev; it is "${env}"`);
  }
  const appDir = options.appDir ?? join(ROOT, 'appPackage');
  const envDir = options.envDir ?? join(ROOT, 'env');
  const outDir = options.outDir ?? join(appDir, 'build');

  const { files, layers } = readEnvFiles(env, envDir);
  const known = layerEnv(options.overrides ?? {}, layers);
  const template = readFileSync(join(appDir, 'manifest.json'), 'utf8');
  const names = needed(placeholders(template), known);
  const { values, defaulted, missing } = resolveValues(env, names, known);
  if (missing.length > 0) {
    const where = [join(envDir, `.env.${env}`), join(envDir, `.env.${env}.user`)].map(shown).join(' or ');
    throw new PackageError(
      'PACKAGE_ENV_MISSING',
      `environment "${env}" leaves ${missing.join(', ')} empty: set ${missing.length === 1 ? 'it' : 'them'} in ${where}` +
        ` (\`teamsapp provision --env ${env}\` writes the ids)`,
      missing,
    );
  }
  checkShapes(
    values,
    defaulted.filter((name) => DERIVED.some(([key]) => key === name)),
  );

  const text = fill(template, values);
  if (text.includes('${{')) {
    throw new PackageError('PACKAGE_MANIFEST_INVALID', 'manifest.json has a malformed ${{…}} placeholder');
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new PackageError('PACKAGE_MANIFEST_INVALID', `manifest.json is not JSON once filled: ${String(e)}`);
  }
  const version = String(manifest['manifestVersion']);
  const schemaPath = join(appDir, 'schema', `MicrosoftTeams.v${version}.schema.json`);
  if (!existsSync(schemaPath)) {
    throw new PackageError(
      'PACKAGE_MANIFEST_INVALID',
      `no schema for manifestVersion ${version}: ${shown(schemaPath)}`,
    );
  }
  const problems = schemaErrors(manifest, readJson(schemaPath, 'schema'));
  if (problems.length > 0) {
    throw new PackageError(
      'PACKAGE_MANIFEST_INVALID',
      `the ${env} manifest breaks the v${version} schema: ${problems.join('; ')}`,
      problems,
    );
  }
  const icons = readIcons(manifest, appDir);

  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, `manifest.${env}.json`);
  const zipPath = join(outDir, `appPackage.${env}.zip`);
  writeFileSync(manifestPath, manifestJson);
  writeFileSync(zipPath, zip([{ name: 'manifest.json', data: Buffer.from(manifestJson) }, ...icons]));
  return { manifestPath, zipPath, manifest, values, defaulted, envFiles: files };
}

const USAGE = `Usage: npm run package [-- --env <name>]
  Fills appPackage/manifest.json from env/.env.<name> (+ .user; default name: local), validates it and
  writes appPackage/build/manifest.<name>.json and appPackage/build/appPackage.<name>.zip.`;

/** The command line: 0 when written, 2 for bad input (one line on stderr saying what is wrong). */
export function main(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  try {
    const flags = parseFlags('package', { env: 'value', help: 'switch' }, argv);
    if (flags.help === true) {
      out(USAGE);
      return 0;
    }
    const result = buildAppPackage({ env: flags.env ?? 'local', overrides: environment });
    out(`wrote ${shown(result.zipPath)} and ${shown(result.manifestPath)}`);
    if (result.defaulted.length > 0) {
      const list = result.defaulted.map((name) => `${name}=${result.values[name] ?? ''}`).join(', ');
      out(`defaults used: ${list}`);
      if (result.defaulted.some((name) => Object.hasOwn(LOCAL_DEFAULTS, name))) {
        out(
          '(fine to inspect and validate; Teams installs it once `teamsapp provision --env local` wrote real ids)',
        );
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof PackageError) {
      err(`package: ${e.message}`);
      return 2;
    }
    if (e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    process.env,
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
