// Reads a policy JSON file and validates it with parsePolicy. The one file under src/policy that does I/O
// (excluded from the purity lint rule); it imports nothing from outer layers.
import { readFileSync } from 'node:fs';
import { InvalidPolicy, parsePolicy, type Policy } from './schema';
import { messageOf } from '../kit/errors';

/**
 * Loads and validates a policy file; every failure (unreadable, not JSON, invalid) is an InvalidPolicy
 * naming the file and the field.
 * @example loadPolicyFile('p.json')
 *   // throws InvalidPolicy: "invalid policy (p.json): targets.P2.response.inHours.minutes must be a positive integer"
 */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unknown error';
    throw new InvalidPolicy([`cannot read the file (${code})`], path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidPolicy([`not valid JSON (${messageOf(e)})`], path);
  }
  return parsePolicy(json, path);
}
