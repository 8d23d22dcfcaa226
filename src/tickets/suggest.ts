// Suggests a priority (and category) from a customer's words, by deterministic rules built from the
// policy's definitions, examples and keywords. Pure. It only suggests: the customer decides.
import type { Policy } from '../policy/schema';
import type { Priority } from '../sla';
import type { Category } from './model';

export interface Suggestion {
  readonly priority: Priority;
  readonly category: Category;
  /** Why, in words: e.g. `"none of our users" + "make calls" → P1, system-wide outage`. */
  readonly reason: string;
}

/** Words that say the whole service or every user is hit (P1's "all Customer accounts"). */
const EVERYONE = [
  'all users',
  'all of our users',
  'all our users',
  'everyone',
  'everybody',
  'nobody',
  'no one',
  'none of our',
  'none of the',
  'entire',
  'whole company',
  'all accounts',
  'all customers',
  'system-wide',
  'company-wide',
  'all sites',
  'all calls',
];
/** Words of the telephony service failing (P1's example: inability to make and/or receive a call). */
const SERVICE_DOWN = [
  'make calls',
  'make a call',
  'receive calls',
  'receive a call',
  'place calls',
  'no calls',
  'calls fail',
  'calls are failing',
  'cannot call',
  "can't call",
  'no dial tone',
  'service is down',
  'is down',
  'are down',
  'outage',
  'not working',
  'offline',
  'unreachable',
];

function found(text: string, phrases: readonly string[]): string | undefined {
  return phrases.find((p) => {
    const i = text.indexOf(p.toLowerCase());
    if (i < 0) return false;
    const before = i === 0 ? ' ' : text.charAt(i - 1);
    const after = text.charAt(i + p.length) || ' ';
    return !/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after);
  });
}

/**
 * @example suggestPriority(DEFAULT_POLICY, 'None of our users can make calls')
 *   // { priority: 'P1', category: 'outage', reason: '"none of our" + "make calls" → P1, system-wide outage' }
 */
export function suggestPriority(policy: Policy, message: string): Suggestion {
  const text = ` ${message.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ')} `;
  const name = (p: Priority): string => policy.priorities[p].name.toLowerCase();
  const everyone = found(text, EVERYONE);
  const down = found(text, [...SERVICE_DOWN, ...policy.priorities.P1.keywords]);
  if (everyone !== undefined && down !== undefined && everyone !== down) {
    return { priority: 'P1', category: 'outage', reason: `"${everyone}" + "${down}" → P1, ${name('P1')}` };
  }
  const p2 = found(text, policy.priorities.P2.keywords);
  if (p2 !== undefined)
    return { priority: 'P2', category: 'partial-outage', reason: `"${p2}" → P2, ${name('P2')}` };
  if (down !== undefined) {
    return {
      priority: 'P2',
      category: 'partial-outage',
      reason: `"${down}" but not for every user → P2, ${name('P2')}`,
    };
  }
  const p3 = found(text, policy.priorities.P3.keywords);
  if (p3 !== undefined)
    return {
      priority: 'P3',
      category: p3 === 'question' || p3 === 'how do i' ? 'question' : 'provisioning',
      reason: `"${p3}" → P3, ${name('P3')}`,
    };
  return { priority: 'P3', category: 'question', reason: `no outage described → P3, ${name('P3')}` };
}

const PROBLEM =
  /\b(can ?not|can't|cannot|unable|won't|doesn't|does not|isn't|is not|not working|fail(s|ed|ing)?|error|broken|down|outage|problem|issue|stuck|missing|wrong|no (dial|audio|sound|calls?))\b/i;

/** True when a free-text message describes a problem or asks for help (it opens the ticket form). */
export function describesProblem(policy: Policy, message: string): boolean {
  if (message.trim().split(/\s+/).length < 3) return false;
  return PROBLEM.test(message) || !suggestPriority(policy, message).reason.startsWith('no outage');
}

/** A title from the first sentence of a description. */
export function titleFrom(message: string, max: number): string {
  const first = message.trim().split(/(?<=[.!?])\s|\n/)[0] ?? '';
  const clean = first.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}
