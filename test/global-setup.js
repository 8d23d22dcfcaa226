// Jest globalSetup: builds the tab (vite build tab) when tab/dist is missing or older than any tab source
// or server module it bundles, so a clean clone passes `npm ci && npm test` and the browser tests always
// see the current tab.
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const process = require('node:process');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

module.exports = function globalSetup() {
  const tab = join(__dirname, '..', 'tab');
  let built;
  try {
    built = statSync(join(tab, 'dist', 'index.html')).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(
    newest(join(tab, 'src')),
    statSync(join(tab, 'index.html')).mtimeMs,
    statSync(join(tab, 'vite.config.mts')).mtimeMs,
    statSync(join(__dirname, '..', 'package-lock.json')).mtimeMs,
    // Server modules the tab bundles: the API contract's label map and the event labels.
    statSync(join(__dirname, '..', 'src', 'adapters', 'api', 'contract.ts')).mtimeMs,
    statSync(join(__dirname, '..', 'src', 'domain', 'tickets', 'event-labels.ts')).mtimeMs,
  );
  if (built >= sources) return;
  process.stdout.write('\n[tab] building the tab (vite build tab) for the browser tests…\n');
  execFileSync(
    process.execPath,
    [join(__dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'tab'],
    {
      cwd: join(__dirname, '..'),
      stdio: 'inherit',
      // The build that ships: jest sets NODE_ENV=test, which would bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
};
