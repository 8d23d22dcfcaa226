// The `policy` command: print the default policy as a starting file, or check a policy file.
// Thin: the schema (src/policy/schema.ts) holds every rule.
import { DEFAULT_POLICY_JSON } from '../domain/policy/default';
import { loadPolicyFile } from '../domain/policy/file';
import { InvalidPolicy } from '../domain/policy/schema';
import { parseFlags } from './args';
import type { CliContext } from './context';

const FLAGS = { check: 'value' } as const;

/**
 * `policy` prints the default policy JSON (exit 0); `policy --check FILE` prints `ok` (exit 0) or each
 * problem on its own line, "FILE: field message" (exit 1).
 */
export function policyCommand(argv: readonly string[], ctx: CliContext): number {
  const flags = parseFlags('policy', FLAGS, argv);
  if (flags.check === undefined) {
    ctx.stdout.write(JSON.stringify(DEFAULT_POLICY_JSON, null, 2) + '\n');
    return 0;
  }
  try {
    loadPolicyFile(flags.check);
  } catch (e) {
    if (!(e instanceof InvalidPolicy)) throw e;
    ctx.stdout.write(e.problems.map((p) => `${flags.check ?? ''}: ${p}\n`).join(''));
    return 1;
  }
  ctx.stdout.write('ok\n');
  return 0;
}
