// The layout's rules, read from the real source files (docs/architecture.md): domain folders import no adapter,
// the watcher reaches Teams through ports, src/ has no import cycle, and no source file grows past its size.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import * as ts from 'typescript';

const ROOT = posix.join(__dirname.split('\\').join('/'), '..');

/** Folders that hold rules and pure rendering; they take ports and options (eslint.config.js fences the same). */
const DOMAIN = ['sla', 'policy', 'tickets', 'outages', 'oncall', 'stats', 'reports', 'staff', 'kit', 'cards'];
/** Adapters and the application around the domain, as repository paths (folders end in a slash). */
const ADAPTERS = [
  'src/adapters/',
  'src/watcher/',
  'src/cli/',
  'src/config.ts',
  'src/config-env.ts',
  'src/parts.ts',
  'src/app.ts',
  'src/index.ts',
  'src/telemetry.ts',
];
/** Packages that talk to Teams, Azure or HTTP: only adapters import them. */
const ADAPTER_PACKAGES = /^(botbuilder|botframework-|@microsoft\/teams-ai|@azure\/|restify)/;
/** The watcher speaks to Teams through ports. */
const NOT_FROM_WATCHER = ['src/adapters/bot/', 'src/adapters/teams/'];
const MAX_LINES = 500;
const MAX_STORAGE_LINES = 450;

/** Source files: repository path → text. */
type Sources = ReadonlyMap<string, string>;

interface Import {
  /** Repository path of the importing file. */
  readonly file: string;
  readonly line: number;
  /** The module specifier as written. */
  readonly spec: string;
  /** Repository path of the imported source file, for a relative import that resolves to one. */
  readonly target: string | undefined;
}

function walk(dir: string, exts: readonly string[], out: Map<string, string>): Map<string, string> {
  for (const name of readdirSync(posix.join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(posix.join(ROOT, path)).isDirectory()) walk(path, exts, out);
    else if (exts.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts'))
      out.set(path, readFileSync(posix.join(ROOT, path), 'utf8'));
  }
  return out;
}

function resolveImport(from: string, spec: string, sources: Sources): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((p) => sources.has(p));
}

/** Every import, export-from, `import type`, dynamic import and require of the given files. */
function importsOf(sources: Sources): Import[] {
  const out: Import[] = [];
  for (const [file, text] of sources) {
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const line = text.slice(0, ref.pos).split('\n').length;
      out.push({ file, line, spec: ref.fileName, target: resolveImport(file, ref.fileName, sources) });
    }
  }
  return out;
}

const where = (i: Import): string =>
  `${i.file}:${i.line} imports '${i.spec}'${i.target === undefined ? '' : ` (${i.target})`}`;
const under = (path: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

function adapterImports(imports: readonly Import[]): string[] {
  const domain = DOMAIN.map((d) => `src/domain/${d}/`);
  return imports
    .filter((i) => under(i.file, domain))
    .filter((i) => (i.target !== undefined ? under(i.target, ADAPTERS) : ADAPTER_PACKAGES.test(i.spec)))
    .map((i) => `${where(i)}: a domain folder must not import an adapter`);
}

function watcherImports(imports: readonly Import[]): string[] {
  return imports
    .filter((i) => i.file.startsWith('src/watcher/') && i.target !== undefined)
    .filter((i) => under(i.target ?? '', NOT_FROM_WATCHER))
    .map((i) => `${where(i)}: the watcher reaches Teams through ports`);
}

/** Strongly connected components (Tarjan) of the relative-import graph; each one of size > 1 holds a cycle. */
function cycles(imports: readonly Import[]): string[] {
  const edges = new Map<string, Import[]>();
  for (const i of imports) {
    if (i.target === undefined) continue;
    edges.set(i.file, [...(edges.get(i.file) ?? []), i]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of edges.get(v) ?? []) {
      if (w === undefined) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    const self = (edges.get(v) ?? []).some((i) => i.target === v);
    if (component.length > 1 || self) components.push(component.sort());
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map(
    (c) => `cycle among ${c.join(', ')}: ${shortestCycle(c[0] ?? '', new Set(c), edges)}`,
  );
}

/** One shortest cycle through `start` inside its component, each step with the import that makes it. */
function shortestCycle(
  start: string,
  inside: ReadonlySet<string>,
  edges: ReadonlyMap<string, Import[]>,
): string {
  const via = new Map<string, Import>();
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const v = queue[k] ?? '';
    for (const i of edges.get(v) ?? []) {
      const w = i.target ?? '';
      if (!inside.has(w) || via.has(w)) continue;
      via.set(w, i);
      if (w === start) {
        const steps: Import[] = [];
        for (let at = via.get(start); at !== undefined; at = at.file === start ? undefined : via.get(at.file))
          steps.unshift(at);
        return steps.map((s) => `${s.file}:${s.line} -> `).join('') + start;
      }
      queue.push(w);
    }
  }
  return start;
}

function oversized(sources: Sources): string[] {
  const out: string[] = [];
  for (const [file, text] of sources) {
    const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    const max = file.startsWith('src/adapters/storage/') ? MAX_STORAGE_LINES : MAX_LINES;
    if (lines > max) out.push(`${file} has ${lines} lines (at most ${max})`);
  }
  return out;
}

const src = walk('src', ['.ts'], new Map());
const imports = importsOf(src);

describe('the layout (docs/architecture.md)', () => {
  it('domain folders and cards import no adapter, config or application module', () => {
    expect(adapterImports(imports)).toEqual([]);
  });

  it('the watcher imports neither bot/ nor teams/', () => {
    expect(watcherImports(imports)).toEqual([]);
  });

  it('src/ has no import cycle (type imports count)', () => {
    expect(cycles(imports)).toEqual([]);
  });

  it('eslint.config.js fences the same domain folders', () => {
    const config = readFileSync(posix.join(ROOT, 'eslint.config.js'), 'utf8');
    const listed = /const DOMAIN = \[([^\]]*)\]/.exec(config)?.[1] ?? '';
    expect([...listed.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual(DOMAIN);
  });

  it(`no source file in src/ or tab/src passes ${MAX_LINES} lines (${MAX_STORAGE_LINES} in src/adapters/storage)`, () => {
    expect(oversized(walk('tab/src', ['.ts', '.tsx'], new Map(src)))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const fixture: Sources = new Map([
    [
      'src/domain/tickets/a.ts',
      "import type { B } from '../../adapters/storage/b';\nimport { Router } from 'restify';\n",
    ],
    ['src/adapters/storage/b.ts', "import {\n  c,\n} from './c';\nexport * from '../../domain/tickets/a';\n"],
    ['src/adapters/storage/c.ts', "export { b } from './b';\n"],
    ['src/watcher/w.ts', "import { send } from '../adapters/teams/outbound';\n"],
    ['src/adapters/teams/outbound.ts', "import('../../domain/tickets/a');\n"],
  ]);
  const found = importsOf(fixture);

  it('see type imports, multi-line imports, re-exports and packages, with their lines', () => {
    expect(adapterImports(found)).toEqual([
      "src/domain/tickets/a.ts:1 imports '../../adapters/storage/b' (src/adapters/storage/b.ts): a domain folder must not import an adapter",
      "src/domain/tickets/a.ts:2 imports 'restify': a domain folder must not import an adapter",
    ]);
    expect(watcherImports(found)).toEqual([
      "src/watcher/w.ts:1 imports '../adapters/teams/outbound' (src/adapters/teams/outbound.ts): the watcher reaches Teams through ports",
    ]);
  });

  it('name a cycle by the imports that make it', () => {
    expect(cycles(found)).toEqual([
      'cycle among src/adapters/storage/b.ts, src/adapters/storage/c.ts, src/domain/tickets/a.ts: ' +
        'src/adapters/storage/b.ts:3 -> src/adapters/storage/c.ts:1 -> src/adapters/storage/b.ts',
    ]);
  });
});
