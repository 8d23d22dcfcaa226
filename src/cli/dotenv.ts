// Reads Teams Toolkit env files (env/.env.local, env/.env.local.user): KEY=VALUE lines, # comments, blank
// lines. Pure: text in, values out; the launcher decides which files to read. Imports nothing.

export interface Dotenv {
  /** The file's variables; a key given twice keeps its last value. */
  readonly values: Readonly<Record<string, string>>;
  /** Lines that were skipped, each as "line N: why". */
  readonly problems: readonly string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses one env file. `export KEY=…` is accepted; "double" quotes understand \n, \" and \\; 'single'
 * quotes keep their text as is; an unquoted value ends at ` #` (a comment). No variable expansion.
 * @example parseDotenv('# local\nPORT=3978\nNAME="Playground Customer" # shown to staff').values
 *   // { PORT: '3978', NAME: 'Playground Customer' }
 */
export function parseDotenv(text: string): Dotenv {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = line.indexOf('=');
    const key = (at < 0 ? line : line.slice(0, at)).replace(/^export\s+/, '').trim();
    if (at < 0 || !KEY.test(key)) {
      problems.push(`line ${index + 1}: expected KEY=VALUE`);
      return;
    }
    const value = valueOf(line.slice(at + 1).trim());
    if (value === undefined) {
      problems.push(`line ${index + 1}: ${key} has an unterminated quote`);
      return;
    }
    values[key] = value;
  });
  return { values, problems };
}

function valueOf(text: string): string | undefined {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = closingQuote(text, quote);
    if (end < 0) return undefined;
    const inner = text.slice(1, end);
    return quote === "'" ? inner : inner.replace(/\\([n"\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
  }
  const comment = /\s#/.exec(text);
  return (comment === null ? text : text.slice(0, comment.index)).trim();
}

function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/**
 * The environment a process sees after its env files: a later file wins over an earlier one, and a
 * variable already set in the real environment (even to '') wins over every file.
 * @example layerEnv({ PORT: '4000' }, [{ PORT: '3978', HOST: '127.0.0.1' }, { HOST: 'localhost' }])
 *   // { PORT: '4000', HOST: 'localhost' }
 */
export function layerEnv(
  real: Readonly<Record<string, string | undefined>>,
  files: readonly Readonly<Record<string, string>>[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files) Object.assign(out, file);
  for (const [key, value] of Object.entries(real)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
