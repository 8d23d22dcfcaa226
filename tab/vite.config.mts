// Builds the tab into tab/dist, served by the app under /tab (src/adapters/server.ts serveTab). The entry
// (main.tsx, a few KB) starts signing in while the first view's code (shell.tsx and what it imports, one
// chunk, fetched from index.html at once) downloads; every other view is its own chunk (React.lazy in
// App.tsx), teams-js too. Text files also get a brotli copy at the highest quality (name.br), which the
// server sends as is instead of compressing at request time.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(brotliCompress);

/** Writes name.br beside each built text file (brotli quality 11: slow, so once here, not per request). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'sla-desk-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const files = [...Object.keys(bundle), 'index.html'].filter((f, i, all) =>
        /\.(js|css|html|svg|json|txt)$/.test(f) ? all.indexOf(f) === i : false,
      );
      await Promise.all(
        files.map(async (f) => {
          const body = await readFile(join(outDir, f));
          const br = await brotli(body, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
              [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          });
          await writeFile(join(outDir, `${f}.br`), br);
        }),
      );
    },
  };
}

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const SRC = join(ROOT, 'src');
/**
 * What the small entry (main.tsx) takes with it; everything else of the first view is in shell.tsx's chunk.
 * A module main.tsx comes to import must be listed, or the entry would wait for the big chunk (shell.test.ts).
 */
const ENTRY_ONLY = [join(SRC, 'main.tsx'), join(SRC, 'api', 'client.ts'), join(SRC, 'api', 'host.ts')];
/**
 * The sign-in window's pages (auth-start.html, auth-end.html): their code stays out of the first view's chunk,
 * and teams-js (with its two dependencies), which auth-end imports, stays its own chunk.
 */
const TEAMS_JS = /node_modules\/(@microsoft\/teams-js|base64-js|debug|ms)\/|tab\/src\/api\/teams\.ts$/;
const AUTH = [join(SRC, 'auth'), join(ROOT, 'auth-start.html'), join(ROOT, 'auth-end.html')];

export default defineConfig({
  root: ROOT,
  base: '/tab/',
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    // Every browser Teams runs in supports modulepreload; the polyfill would be one more module in every page.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // shell.tsx is an entry too (main.tsx imports it dynamically), so its static imports are "initial".
      input: {
        index: join(ROOT, 'index.html'),
        shell: join(SRC, 'shell.tsx'),
        'auth-start': join(ROOT, 'auth-start.html'),
        'auth-end': join(ROOT, 'auth-end.html'),
      },
      output: {
        // The app's code for the first view (what the entries import statically, less the small entry's
        // own modules) is one chunk: one request and, compressed together, smaller. Other views, teams-js and
        // the sign-in window's code stay chunks of their own.
        codeSplitting: {
          groups: [
            { name: 'index', test: (id) => ENTRY_ONLY.includes(id), priority: 2 },
            { name: 'teams', test: TEAMS_JS, priority: 2 },
            {
              name: 'shell',
              tags: ['$initial'],
              test: (id) => !AUTH.some((a) => id.startsWith(a)),
              priority: 1,
            },
          ],
        },
      },
      onLog(level, log, handler) {
        // Fluent UI marks its modules "use client" for React Server Components; a client bundle ignores it.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
