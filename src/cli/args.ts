import { messageOf } from '../domain/kit/errors';
// Command-line flags: a small strict parser (`--name value`, `--name=value`, repeatable flags, switches)
// whose errors are one line a person can act on. Pure: takes argv, returns data or throws UsageError.

/** Bad command-line input: the CLI prints the message on one line and exits with status 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a flag takes: one value, a value that may repeat, or nothing (a switch). */
export type FlagKind = 'value' | 'repeat' | 'switch';
export type FlagSpec = Readonly<Record<string, FlagKind>>;

/** Parsed flags of one command, by name without the dashes; absent when not given. */
export type FlagValues<S extends FlagSpec> = {
  readonly [K in keyof S]?: S[K] extends 'repeat' ? readonly string[] : S[K] extends 'switch' ? true : string;
};

/**
 * Parses the flags of one command against its spec; unknown flags, missing values, repeats of
 * single-value flags and stray arguments are UsageErrors.
 * @example parseFlags('deadlines', { priority: 'value', pause: 'repeat' }, ['--priority', 'P2', '--pause=a/b'])
 *   // { priority: 'P2', pause: ['a/b'] }
 */
export function parseFlags<S extends FlagSpec>(
  command: string,
  spec: S,
  argv: readonly string[],
): FlagValues<S> {
  const values: Record<string, string | string[] | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(
        `${command}: unexpected argument "${arg}"; flags look like --name value (try --help)`,
      );
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`${command}: unknown flag --${name} (try --help)`);
    if (kind === 'switch') {
      if (eq !== -1) throw new UsageError(`${command}: --${name} takes no value`);
      values[name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${command}: --${name} needs a value`);
      value = next;
      i++;
    }
    if (kind === 'repeat') {
      const list = values[name];
      if (Array.isArray(list)) list.push(value);
      else values[name] = [value];
    } else {
      if (values[name] !== undefined) throw new UsageError(`${command}: --${name} given more than once`);
      values[name] = value;
    }
  }
  return values as FlagValues<S>;
}

/** Splits "START/END" at the slash; END is empty for an open span. */
export function splitSpan(text: string, what: string): { start: string; end: string } {
  const slash = text.indexOf('/');
  if (slash === -1 || text.indexOf('/', slash + 1) !== -1) {
    throw new UsageError(`${what} "${text}" must look like START/END (END empty while it lasts)`);
  }
  return { start: text.slice(0, slash), end: text.slice(slash + 1) };
}

/** The message of anything thrown, on one line. */
export function oneLine(e: unknown): string {
  const text = messageOf(e);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
