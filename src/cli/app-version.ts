// The Teams app's version: a new, higher one for every package the toolkit provisions or publishes, since the
// Teams admin center refuses an update that reuses a version. `npx tsx src/cli/app-version.ts` is the
// toolkit's `script` step (teamsapp.yml): it prints `::set-teamsfx-env APP_VERSION=<next>`, which the toolkit
// writes to env/.env.<env>, and the manifest's "version" is ${{APP_VERSION}}. Offline; imports nothing from the app.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** App versions count minutes from here (UTC): a later package always has a higher version. */
export const VERSION_EPOCH = Date.UTC(2026, 0, 1);
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const versionOf = (text: string | undefined): [number, number, number] | undefined => {
  const m = SEMVER.exec(text?.trim() ?? '');
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
};

/** True when version a comes after version b (major, then minor, then patch). */
const after = (a: readonly number[], b: readonly number[]): boolean => {
  const at = a.findIndex((x, i) => x !== b[i]);
  return at >= 0 && (a[at] ?? 0) > (b[at] ?? 0);
};

/**
 * The app version of the next package: major.minor of package.json, and as patch the minutes since
 * VERSION_EPOCH; always above `previous` (the version the environment last shipped), so no two provisions or
 * publishes of an environment share one, even within a minute or with a clock set back.
 * @example nextAppVersion('0.1.0', undefined, Date.UTC(2026, 0, 2)) // '0.1.1440'
 * @example nextAppVersion('0.1.0', '0.1.1440', Date.UTC(2026, 0, 2)) // '0.1.1441'
 */
export function nextAppVersion(base: string, previous: string | undefined, now: number): string {
  const [major, minor] = versionOf(base) ?? [0, 0, 0];
  const candidate = [major, minor, Math.max(0, Math.floor((now - VERSION_EPOCH) / 60_000))];
  const last = versionOf(previous);
  const next = last === undefined || after(candidate, last) ? candidate : [last[0], last[1], last[2] + 1];
  return next.join('.');
}

/** package.json's version, whose major and minor every app version carries. */
export function packageVersion(root: string = ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** The line the toolkit's script action reads: the next version after the environment's APP_VERSION. */
export function nextVersionLine(
  environment: Readonly<Record<string, string | undefined>>,
  now: number,
  root: string = ROOT,
): string {
  return `::set-teamsfx-env APP_VERSION=${nextAppVersion(packageVersion(root), environment['APP_VERSION'], now)}`;
}

if (require.main === module) process.stdout.write(`${nextVersionLine(process.env, Date.now())}\n`);
