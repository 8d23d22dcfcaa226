// Entry of the command line (`npm run --silent cli -- …`): wires the process (argv, streams, POLICY_FILE,
// the machine clock) into main(). Wiring only; commands live beside it.
import { Settings } from 'luxon';
import { DEFAULT_POLICY } from '../domain/policy/default';
import { loadPolicyFile } from '../domain/policy/file';
import type { Policy } from '../domain/policy/schema';
import { oneLine } from './args';
import type { CliContext } from './context';
import { main } from './main';

Settings.throwOnInvalid = true;

const policyFile = process.env['POLICY_FILE'];

const ctx: CliContext = {
  stdin: process.stdin,
  stdout: process.stdout,
  policy: (flag: string | undefined): Policy => {
    const path = flag ?? (policyFile === undefined || policyFile === '' ? undefined : policyFile);
    return path === undefined ? DEFAULT_POLICY : loadPolicyFile(path);
  },
  now: () => Date.now(),
};

main(process.argv.slice(2), ctx, (line) => process.stderr.write(`${line}\n`)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${oneLine(e)}\n`);
    process.exitCode = 1;
  },
);
