// The `suggest` command: one JSON request per stdin line, {"text": "…"}, answered with the suggested
// priority, category and reason as one JSON line each. Thin: validates, asks suggestPriority, prints.
import type { Policy } from '../domain/policy/schema';
import { suggestPriority, type Suggestion } from '../domain/tickets/suggest';
import { oneLine, parseFlags } from './args';
import type { CliContext } from './context';
import { answerEachLine } from './lines';

/** The longest text a request may carry, in characters (UTF-16 code units, as JavaScript counts). */
export const MAX_TEXT = 8000;

const EXAMPLE = '{"text":"Nobody can make calls since 9am"}';

/**
 * The customer's words from one request line; throws RangeError saying what is wrong.
 * @example parseText('{"text":"Voicemail is down"}') // 'Voicemail is down'
 */
export function parseText(line: string): string {
  if (line.trim() === '') throw new RangeError(`empty line: expected a JSON object like ${EXAMPLE}`);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    throw new RangeError(`request is not valid JSON (${oneLine(e)})`, { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RangeError(`request must be a JSON object like ${EXAMPLE}`);
  }
  const text: unknown = (raw as Record<string, unknown>)['text'];
  if (text === undefined) throw new RangeError(`text is required, like ${EXAMPLE}`);
  if (typeof text !== 'string') {
    throw new RangeError(`text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
  if (text.trim() === '') throw new RangeError('text is empty');
  if (text.length > MAX_TEXT) {
    throw new RangeError(`text is ${text.length} characters long; at most ${MAX_TEXT}`);
  }
  return text;
}

/** The JSON line answering one stdin line: the suggestion, or {"error": "…"}. */
export function suggestLine(policy: Policy, line: string): string {
  try {
    const s: Suggestion = suggestPriority(policy, parseText(line));
    return JSON.stringify({ priority: s.priority, category: s.category, reason: s.reason });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return JSON.stringify({ error: oneLine(e) });
  }
}

const FLAGS = { policy: 'value' } as const;

/** `suggest [--policy FILE] < requests.jsonl`: every line is answered, a bad or blank one with an error. */
export async function suggestCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags('suggest', FLAGS, argv);
  const policy = ctx.policy(flags.policy);
  await answerEachLine(ctx.stdin, ctx.stdout, (line) => suggestLine(policy, line), true);
  return 0;
}
