// `npm run bundle` stages what the App Service runs: built server, tab, policies, package files; nothing else.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleError, stageBundle } from '../../src/cli/bundle';

describe('stageBundle', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sla-desk-bundle-'));
    for (const file of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'dist/index.js',
      'dist/sla/engine.js',
    ]) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '{}');
    }
    for (const other of [
      'src/index.ts',
      'test/a.test.ts',
      'env/.env.dev.user',
      '.localConfigs',
      'node_modules/x/i.js',
    ]) {
      mkdirSync(join(root, other, '..'), { recursive: true });
      writeFileSync(join(root, other), 'not for Azure');
    }
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('copies the build, the package files and, when present, the tab and policies; no sources, secrets or modules', () => {
    const out = join(root, '.deploy');
    expect(stageBundle({ root, outDir: out })).toEqual([
      'package.json',
      'package-lock.json',
      '.npmrc',
      'dist',
    ]);
    expect(readdirSync(out).sort()).toEqual(['.npmrc', 'dist', 'package-lock.json', 'package.json']);
    expect(readdirSync(join(out, 'dist')).sort()).toEqual(['index.js', 'sla']);

    mkdirSync(join(root, 'tab', 'dist'), { recursive: true });
    writeFileSync(join(root, 'tab', 'dist', 'index.html'), '<!doctype html>');
    mkdirSync(join(root, 'policy'));
    writeFileSync(join(root, 'policy', 'teammate.json'), '{}');
    writeFileSync(join(out, 'stale.txt'), 'from the last run');
    expect(stageBundle({ root, outDir: out })).toEqual([
      'package.json',
      'package-lock.json',
      '.npmrc',
      'dist',
      'tab/dist',
      'policy',
    ]);
    expect(existsSync(join(out, 'tab', 'dist', 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'policy', 'teammate.json'))).toBe(true);
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);
    for (const absent of ['src', 'test', 'env', '.localConfigs', 'node_modules', 'tab/src'])
      expect([absent, existsSync(join(out, absent))]).toEqual([absent, false]);
  });

  it('without a build it says to run `npm run build` and stages nothing', () => {
    rmSync(join(root, 'dist'), { recursive: true });
    const out = join(root, '.deploy');
    expect(() => stageBundle({ root, outDir: out })).toThrow(BundleError);
    expect(() => stageBundle({ root, outDir: out })).toThrow(/dist missing .*run `npm run build` first/);
    expect(existsSync(out)).toBe(false);
  });
});
