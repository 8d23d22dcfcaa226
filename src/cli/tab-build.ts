// Builds the tab (vite build tab → tab/dist) when it is missing, for `npm start`. Development only.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../log';
import { TAB_DIST } from '../adapters/server';

const ROOT = resolve(__dirname, '..', '..');

/** True when tab/dist holds a build. */
export function tabBuilt(dir: string = TAB_DIST): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Runs `vite build tab` unless a build is there; resolves false (and logs why) when it cannot build. */
export async function ensureTabBuilt(log: Logger): Promise<boolean> {
  if (tabBuilt()) return true;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    log.warn('the tab is not built and Vite is not installed (npm install): /tab answers 503');
    return false;
  }
  log.info('building the tab (vite build tab)…');
  return new Promise((done) => {
    execFile(
      process.execPath,
      [vite, 'build', 'tab'],
      { cwd: ROOT, timeout: 300_000 },
      (err, _out, stderr) => {
        if (err === null) {
          done(true);
          return;
        }
        log.error(`the tab did not build: ${stderr.trim().split('\n').slice(-3).join(' ') || err.message}`);
        done(false);
      },
    );
  });
}
