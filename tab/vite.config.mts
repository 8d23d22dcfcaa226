// Builds the tab into tab/dist, served by the app under /tab (src/adapters/server.ts serveTab). Every view but
// the queue is its own chunk (React.lazy in App.tsx); text files also get a brotli copy at the highest
// quality (name.br), which the server sends as is instead of compressing at request time.
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

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // What the first view needs (everything the entry imports statically) is one chunk: one request,
        // and compressed together it is smaller. The other views and teams-js stay chunks of their own.
        codeSplitting: { groups: [{ name: 'shell', tags: ['$initial'] }] },
      },
      onLog(level, log, handler) {
        // Fluent UI marks its modules "use client" for React Server Components; a client bundle ignores it.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
