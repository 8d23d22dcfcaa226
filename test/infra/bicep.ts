// A light reader of Bicep for offline checks (no Bicep compiler here): comments and string literals are told
// apart from code, so names are found where they are used, and params, outputs and app settings are listed.
// It understands the subset infra/azure.bicep uses: single-quoted strings with ${} interpolation, // comments.

export interface BicepParam {
  readonly name: string;
  readonly type: string;
  /** The default's source text, when there is one. */
  readonly defaultValue: string | undefined;
  /** The decorators above it, as written: `@allowed([...])`, `@minValue(1)`, ... */
  readonly decorators: readonly string[];
  readonly allowed: readonly string[] | undefined;
  readonly minValue: number | undefined;
  readonly maxValue: number | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly secure: boolean;
}

export interface Bicep {
  readonly params: readonly BicepParam[];
  readonly outputs: readonly { readonly name: string; readonly type: string; readonly expression: string }[];
  readonly resources: readonly { readonly symbol: string; readonly type: string }[];
  /** The source with comments removed and every string literal's text blanked, its interpolations kept. */
  readonly code: string;
  /** The source with comments removed (strings intact). */
  readonly withoutComments: string;
}

/**
 * Removes comments; with `blankStrings`, also replaces the text of string literals by spaces, keeping
 * the expressions inside `${...}` (so `'${a}-x'` reads as `' a   '` with `a` still visible).
 */
export function stripBicep(source: string, blankStrings: boolean): string {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] ?? '';
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'") {
      out += c;
      i++;
      while (i < n && source[i] !== "'") {
        if (source[i] === '\\') {
          out += blankStrings ? '  ' : source.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (source[i] === '$' && source[i + 1] === '{') {
          let depth = 1;
          let j = i + 2;
          while (j < n && depth > 0) {
            if (source[j] === '{') depth++;
            else if (source[j] === '}') depth--;
            j++;
          }
          const inner = source.slice(i + 2, j - 1);
          out += blankStrings ? `  ${stripBicep(inner, true)} ` : source.slice(i, j);
          i = j;
          continue;
        }
        out += blankStrings ? (source[i] === '\n' ? '\n' : ' ') : (source[i] ?? '');
        i++;
      }
      out += "'";
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const num = (decorators: readonly string[], name: string): number | undefined => {
  for (const d of decorators) {
    const m = new RegExp(`^@${name}\\((-?\\d+)\\)$`).exec(d);
    if (m !== null) return Number(m[1]);
  }
  return undefined;
};

/** Reads params (with their decorators), outputs and resources of a Bicep file. */
export function parseBicep(source: string): Bicep {
  const withoutComments = stripBicep(source, false);
  const code = stripBicep(source, true);
  const lines = withoutComments.split('\n');
  const params: BicepParam[] = [];
  let decorators: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('@')) {
      decorators.push(line);
      continue;
    }
    const m = /^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?$/.exec(line);
    if (m !== null) {
      const allowedText = decorators.find((d) => d.startsWith('@allowed('));
      const allowed =
        allowedText === undefined
          ? undefined
          : [...allowedText.matchAll(/'([^']*)'/g)].map((a) => a[1] ?? '');
      params.push({
        name: m[1] ?? '',
        type: m[2] ?? '',
        defaultValue: m[3]?.trim(),
        decorators,
        allowed,
        minValue: num(decorators, 'minValue'),
        maxValue: num(decorators, 'maxValue'),
        minLength: num(decorators, 'minLength'),
        maxLength: num(decorators, 'maxLength'),
        secure: decorators.includes('@secure()'),
      });
    }
    decorators = [];
  }
  const outputs = [...withoutComments.matchAll(/^output\s+(\w+)\s+(\w+)\s*=\s*(.+)$/gm)].map((m) => ({
    name: m[1] ?? '',
    type: m[2] ?? '',
    expression: (m[3] ?? '').trim(),
  }));
  const resources = [...withoutComments.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@[^']+'/gm)].map((m) => ({
    symbol: m[1] ?? '',
    type: m[2] ?? '',
  }));
  return { params, outputs, resources, code, withoutComments };
}

/** How often an identifier appears in code (strings' text and comments excluded), declarations included. */
export function uses(bicep: Bicep, name: string): number {
  return [...bicep.code.matchAll(new RegExp(`(?<![\\w.])${name}\\b`, 'g'))].length;
}

/** The body of `resource <symbol> ... = { ... }`, comments removed (strings intact). */
export function resourceBody(bicep: Bicep, symbol: string): string {
  const text = bicep.withoutComments;
  const start = new RegExp(
    `^resource\\s+${symbol}\\s+'[^']+'\\s+(?:existing\\s+)?=\\s*(?:if\\s*\\([^)]*\\)\\s*)?\\{`,
    'm',
  ).exec(text);
  if (start === null) throw new Error(`no resource ${symbol}`);
  let depth = 0;
  for (let i = start.index + start[0].length - 1; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start.index, i + 1);
  }
  throw new Error(`resource ${symbol} is not closed`);
}

/** The body of `var <name> = { ... }` (or `[ ... ]`), comments removed (strings intact). */
export function varBody(bicep: Bicep, name: string): string {
  const text = bicep.withoutComments;
  const start = new RegExp(`^var\\s+${name}\\s*=\\s*[{[]`, 'm').exec(text);
  if (start === null) throw new Error(`no var ${name}`);
  let depth = 0;
  for (let i = start.index + start[0].length - 1; i < text.length; i++) {
    if (text[i] === '{' || text[i] === '[') depth++;
    else if ((text[i] === '}' || text[i] === ']') && --depth === 0) return text.slice(start.index, i + 1);
  }
  throw new Error(`var ${name} is not closed`);
}

/**
 * App settings written as object entries, one a line (`NAME: <expr>`; names start with a capital, unlike
 * Bicep's own properties), in order. Reads a `Microsoft.Web/sites/config` body or a var of settings.
 */
export function appSettings(body: string): { name: string; value: string }[] {
  return [...body.matchAll(/^\s*([A-Z][A-Za-z0-9_]*):\s*(.+?)\s*$/gm)].map((m) => ({
    name: m[1] ?? '',
    value: m[2] ?? '',
  }));
}

/** Names a lambda declares (`x => ...`, `(x, i) => ...`): declared for the expressions in its body. */
export function lambdaParams(bicep: Bicep): string[] {
  return [
    ...new Set(
      [...bicep.code.matchAll(/(?:\(([\w\s,]+)\)|(\b\w+))\s*=>/g)].flatMap((m) =>
        (m[1] ?? m[2] ?? '').split(',').map((n) => n.trim()),
      ),
    ),
  ];
}
