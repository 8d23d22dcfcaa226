// The CLI's command table, usage text and error handling: argv in, exit status out.
// Expected failures (bad input, bad policy) become one line on stderr and status 2.
import { InvalidPolicy } from '../domain/policy/schema';
import { oneLine, UsageError } from './args';
import { availabilityCommand } from './availability';
import type { CliContext } from './context';
import { deadlinesCommand } from './deadlines';
import { policyCommand } from './policy';
import { suggestCommand } from './suggest';

export const USAGE = `sla-desk CLI: SLA deadlines, availability and triage by the support policy.

Usage: npm run --silent cli -- <command> [flags]

  deadlines --priority P1|P2|P3 --dispatched ISO [--pause START/END]... [--holiday YYYY-MM-DD]...
            [--delivery] [--policy FILE]
      One ticket's window, response and work-around deadlines and warning instants, as one JSON line.
      Times need a UTC offset (2026-11-27T23:10:00-05:00). A pause with an empty END (START/) is still
      open: times it keeps from being reached print null. --delivery adds when each warning is posted.
  deadlines [--delivery] [--policy FILE] < requests.jsonl
      Without --priority: one JSON request per stdin line, one JSON answer per line, in order, e.g.
      {"priority":"P2","dispatched":"2026-11-27T23:10:00-05:00","pauses":[["START","END"]],"holidays":["2026-11-26"]}
      A bad line is answered {"error":"..."} and the rest go on; blank lines are skipped.
  suggest [--policy FILE] < messages.jsonl
      Suggests a priority for each customer message, one JSON request per stdin line, {"text":"..."},
      answered in order with {"priority":"P1","category":"outage","reason":"..."}. A bad or blank line
      (not JSON, no string text, empty text, text over 8000 characters) gets {"error":"..."}; the rest go on.
  availability --month YYYY-MM [--outage START/END[=a|b|c|d|e]]... [--now ISO] [--policy FILE]
      The month's Core Service availability. =a..e classes an outage under an exclusion. An empty END
      is an ongoing outage, counted up to --now (default: the current time).
  policy
      Prints the default policy JSON, a starting point for a policy file.
  policy --check FILE
      Prints "ok" (status 0) or every problem in the file, one per line (status 1).

The policy is the file named by --policy, else by the POLICY_FILE environment variable, else the default.
Bad input exits with status 2 and one line on stderr.
`;

type Command = (argv: readonly string[], ctx: CliContext) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  deadlines: deadlinesCommand,
  availability: availabilityCommand,
  policy: policyCommand,
  suggest: suggestCommand,
};

/** Runs one command line; returns the exit status. Writes errors to `stderr` as one line. */
export async function main(
  argv: readonly string[],
  ctx: CliContext,
  stderr: (line: string) => void,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help' || argv.includes('--help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  try {
    if (name === undefined)
      throw new UsageError('missing command: deadlines, suggest, availability or policy (try --help)');
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined) {
      throw new UsageError(
        `unknown command "${name}": use deadlines, suggest, availability or policy (try --help)`,
      );
    }
    return await command(rest, ctx);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InvalidPolicy || e instanceof RangeError) {
      stderr(oneLine(e.message));
      return 2;
    }
    throw e;
  }
}
