// `npm run bundle`: stages what runs in Azure in .deploy/ for teamsapp.yml's zip deploy: the compiled server
// (dist/), the built tab (tab/dist/) when there is one, custom policies (policy/), package.json, the lock file
// and .npmrc. teamsapp.yml then installs the production dependencies there and uploads the folder.
// Offline; imports nothing from the app.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** What the bundle holds, relative to the repository root; `required` ones must exist. */
export const BUNDLE: readonly { readonly path: string; readonly required: boolean }[] = [
  { path: 'package.json', required: true },
  { path: 'package-lock.json', required: true },
  { path: '.npmrc', required: false },
  { path: 'dist', required: true },
  { path: 'tab/dist', required: false },
  { path: 'policy', required: false },
];

/** The build output is missing: nothing was staged. */
export class BundleError extends Error {
  readonly code = 'BUNDLE_INPUT_MISSING';
  override readonly name = 'BundleError';
}

/**
 * Replaces `outDir` with a copy of the bundle's parts found under `root`; returns the parts copied.
 * @example stageBundle({ root: '.', outDir: '.deploy' }) // ['package.json', 'package-lock.json', '.npmrc', 'dist']
 */
export function stageBundle(options: { readonly root?: string; readonly outDir?: string } = {}): string[] {
  const root = options.root ?? ROOT;
  const outDir = options.outDir ?? join(root, '.deploy');
  const missing = BUNDLE.filter((p) => p.required && !existsSync(join(root, p.path))).map((p) => p.path);
  if (missing.length > 0) {
    throw new BundleError(
      `bundle: ${missing.join(', ')} missing under ${root}: run \`npm run build\` first (dist/index.js)`,
    );
  }
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    throw new BundleError(`bundle: dist/index.js missing under ${root}: run \`npm run build\` first`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const copied: string[] = [];
  for (const { path } of BUNDLE) {
    const from = join(root, path);
    if (!existsSync(from)) continue;
    cpSync(from, join(outDir, path), { recursive: true });
    copied.push(path);
  }
  return copied;
}

if (require.main === module) {
  try {
    const outDir = join(ROOT, '.deploy');
    const copied = stageBundle({ outDir });
    process.stdout.write(`staged ${copied.join(', ')} in ${relative(process.cwd(), outDir) || '.'}\n`);
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
  }
}
