// What a CLI command may touch, passed in by the entry (src/cli/index.ts) so commands stay testable:
// the streams, the policy source and the machine clock. Imports types only.
import type { Readable, Writable } from 'node:stream';
import type { Policy } from '../domain/policy/schema';
import type { Instant } from '../domain/sla/types';

export interface CliContext {
  readonly stdin: Readable;
  readonly stdout: Writable;
  /** The policy to use: the file named by --policy, else POLICY_FILE, else the default. Throws InvalidPolicy. */
  policy(flag: string | undefined): Policy;
  /** The current instant; only the entry reads the machine clock. */
  now(): Instant;
}
