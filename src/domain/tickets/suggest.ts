// Suggests a priority (and category) from a customer's words, by deterministic rules built from the
// policy's definitions, examples and keywords. Pure. It only suggests: the customer decides.
// The rules read scope (everyone / some / one person) × failure × what fails (the service or one feature);
// the word lists live in triage-words.ts.
import type { Policy } from '../policy/schema';
import type { Priority } from '../sla';
import type { Category } from './model';
import * as W from './triage-words';

export interface Suggestion {
  readonly priority: Priority;
  readonly category: Category;
  /** Why, in words: e.g. `"none of our" + "make calls" → P1, system-wide outage`. */
  readonly reason: string;
}

interface Hit {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

const words = (list: readonly string[]): RegExp =>
  new RegExp(`(?<![a-z0-9])(?:${list.join('|')})(?![a-z0-9])`, 'g');
const escaped = (list: readonly string[]): string[] =>
  list.map((k) => k.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const RE = {
  everyone: words(W.EVERYONE),
  us: words(W.US),
  some: words(W.SOME),
  onePerson: words(W.ONE_PERSON),
  working: words(W.WORKING),
  service: words(W.SERVICE),
  failing: words(W.FAILING),
  features: words(W.FEATURES),
  setup: words(W.SETUP),
  account: words(W.ACCOUNT),
  question: words(W.QUESTION),
  total: words(W.TOTAL),
  out: words(W.OUT),
  howTo: words(W.HOW_TO),
  clauseEnd: new RegExp(`[.;!?]|\\s[-–—]\\s|${words(W.CLAUSE_END).source}`, 'g'),
  phraseEnd: new RegExp(`[,&]|${words(W.PHRASE_END).source}`, 'g'),
};

/** A named place in the original words ("at our Denver site", "in London"): one site, so a narrower scope. */
const PLACE = /\b(?:in|from) (?:our |the )?([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b/g;
const NOT_PLACES = new Set(
  'Teams TeamMate Microsoft Outlook Azure Windows The All Our Every Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December'.split(
    ' ',
  ),
);

function hits(text: string, re: RegExp): Hit[] {
  return [...text.matchAll(re)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

function first(text: string, re: RegExp): Hit | undefined {
  return hits(text, re)[0];
}

function place(message: string): Hit | undefined {
  for (const m of message.matchAll(PLACE)) {
    const name = m[1] ?? '';
    if (!NOT_PLACES.has(name.split(' ')[0] ?? '')) {
      return { word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length };
    }
  }
  return undefined;
}

/** Pieces of `text` between separators, with their offsets. */
function pieces(text: string, start: number, end: number, sep: RegExp): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let from = start;
  for (const s of hits(text.slice(start, end), sep)) {
    out.push({ start: from, end: start + s.start });
    from = start + s.end;
  }
  out.push({ start: from, end });
  return out;
}

/**
 * Who is hit: everyone (all), part of the customer (some), or not said (unknown). `named` is true when the
 * words say everyone ("all users", "nobody"), not just "we" or "our".
 */
type Scope =
  | { readonly kind: 'all'; readonly hit: Hit; readonly named: boolean }
  | { readonly kind: 'some'; readonly hit: Hit }
  | { readonly kind: 'unknown' };

function scopeOf(text: string, message: string): Scope {
  const some = first(text, RE.some) ?? place(message);
  if (some !== undefined) return { kind: 'some', hit: some };
  const everyone = first(text, RE.everyone);
  if (everyone !== undefined) return { kind: 'all', hit: everyone, named: true };
  const one = first(text, RE.onePerson);
  if (one !== undefined) return { kind: 'some', hit: one };
  const us = first(text, RE.us);
  return us === undefined ? { kind: 'unknown' } : { kind: 'all', hit: us, named: false };
}

/**
 * The first `re` hit, in a clause that also has a `needs` hit, whose phrase has no `owners` hit: the service
 * failing, not one feature's ("transfer calls") or a set-up task's ("add users in the portal").
 */
function unowned(text: string, re: RegExp, owners: RegExp, needs?: RegExp): Hit | undefined {
  for (const clause of pieces(text, 0, text.length, RE.clauseEnd)) {
    const body = text.slice(clause.start, clause.end);
    if (needs !== undefined && first(body, needs) === undefined) continue;
    const parts = pieces(text, clause.start, clause.end, RE.phraseEnd);
    for (const h of hits(body, re)) {
      const at = clause.start + h.start;
      const part = parts.find((p) => p.start <= at && at < p.end) ?? clause;
      if (first(text.slice(part.start, part.end), owners) === undefined) return h;
    }
  }
  return undefined;
}

function quote(...hs: readonly (Hit | undefined)[]): string {
  return hs
    .filter((h): h is Hit => h !== undefined)
    .map((h) => `"${h.word.trim()}"`)
    .join(' + ');
}

/**
 * @example suggestPriority(DEFAULT_POLICY, 'None of our users can make calls')
 *   // { priority: 'P1', category: 'outage', reason: '"none of our" + "make calls" → P1, system-wide outage' }
 */
export function suggestPriority(policy: Policy, message: string): Suggestion {
  // Quotes around words ("shows 'Unknown'") go; apostrophes inside them ("can't") stay.
  const lower = ` ${message
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/["“”]|(?<![a-z])'|'(?![a-z])/g, ' ')
    .replace(/\s+/g, ' ')} `;
  const name = (p: Priority): string => policy.priorities[p].name.toLowerCase();
  const keywords = (p: Priority): string[] => escaped(policy.priorities[p].keywords);
  // The policy's P1 keywords that only name a scope ("everyone", "all users") say nothing fails.
  const scopeOnly = new RegExp(`^(?:${W.EVERYONE.join('|')})$`);
  const p1words = keywords('P1').filter((k) => !scopeOnly.test(k));
  const problem = words([...W.FAILING, ...p1words]);
  const failing = words([...W.FAILING, ...W.NOBODY, ...p1words]);
  const features = words([...W.FEATURES, ...keywords('P2')]);
  const working = first(lower, RE.working);
  // What says the service works, and "I can't figure out how", are set aside: their words decide nothing.
  const blank = (w: string): string => ` .${' '.repeat(Math.max(0, w.length - 3))} `;
  const question = first(lower, RE.question);
  const text = lower.replace(RE.working, blank).replace(RE.howTo, blank);
  const scope = scopeOf(text, message);
  const setup = first(text, RE.setup);
  const owners = new RegExp(`${features.source}|${RE.setup.source}|${RE.account.source}`, 'g');
  const down = unowned(text, RE.service, owners, failing);
  const total = unowned(text, RE.total, owners);
  const out = unowned(text, RE.out, owners);
  // A feature fails when it is named apart from set-up words ("voicemail greeting" is set-up).
  const feature = unowned(text, features, RE.setup);
  const fail = unowned(text, failing, RE.setup);
  // A failure word proper ("down", "errors", "bouncing"), not "nobody", outside set-up phrases.
  const trouble = unowned(text, problem, RE.setup);
  // The service named outside any feature or set-up phrase: calls, phones, login, the portal, the connector.
  const core = unowned(text, RE.service, owners);
  const everyone = scope.kind === 'all' && scope.named ? scope.hit : undefined;
  const account = first(text, RE.account);
  // Set-up or billing words speak for the message unless the service is named apart from them.
  const admin = setup ?? account;
  const ruledOut = working === undefined ? '' : `${quote(working)} rules out P1; `;

  const p1 = (why: string): Suggestion => ({
    priority: 'P1',
    category: 'outage',
    reason: `${why} → P1, ${name('P1')}`,
  });
  const p2 = (why: string, note: string): Suggestion => ({
    priority: 'P2',
    category: 'partial-outage',
    reason: `${ruledOut}${why} → P2, ${name('P2')}${note}`,
  });

  if (working === undefined && scope.kind !== 'some') {
    if (total !== undefined) return p1(quote(total));
    if (scope.kind === 'all' && down !== undefined) return p1(quote(scope.hit, down));
    if (scope.kind === 'all' && out !== undefined && feature === undefined) return p1(quote(scope.hit, out));
    // Safety: everyone, the service, and any trouble at all, with no one feature, set-up or billing named.
    if (everyone !== undefined && trouble !== undefined && core !== undefined) {
      if (feature === undefined && admin === undefined) return p1(quote(everyone, trouble, core));
    }
  }
  if (down !== undefined) {
    if (scope.kind === 'some') return p2(quote(scope.hit, down), ' (not every user)');
    return p2(`${quote(down)} but not for every user`, '');
  }
  if (feature !== undefined && fail !== undefined) {
    return p2(quote(feature, fail), ' (one feature, not the whole service)');
  }
  const broken = total ?? out;
  if (broken !== undefined && setup === undefined) return p2(`${quote(broken)} but not for every user`, '');
  // Everyone named with a failure word is never a P3, whatever the words missed.
  const anyone = first(text, RE.everyone);
  if (anyone !== undefined && trouble !== undefined && (admin === undefined || core !== undefined)) {
    return p2(quote(anyone, trouble), ' (everyone, but not the whole service)');
  }
  if (setup !== undefined) return p3(policy, 'provisioning', quote(setup));
  if (account !== undefined) return p3(policy, 'question', quote(account));
  if (question !== undefined) return p3(policy, 'question', quote(question));
  const p3word = first(text, words(keywords('P3')));
  if (p3word !== undefined) {
    const asks = /question|how/.test(p3word.word);
    return p3(policy, asks ? 'question' : 'provisioning', quote(p3word));
  }
  return { priority: 'P3', category: 'question', reason: `no outage described → P3, ${name('P3')}` };
}

function p3(policy: Policy, category: 'provisioning' | 'question', why: string): Suggestion {
  return { priority: 'P3', category, reason: `${why} → P3, ${policy.priorities.P3.name.toLowerCase()}` };
}

const PROBLEM =
  /\b(can ?not|can't|cannot|unable|won't|doesn't|does not|isn't|is not|not working|fail(s|ed|ing)?|error|broken|down|dead|outage|problem|issue|stuck|missing|wrong|no (dial|audio|sound|calls?))\b/i;

/** True when a free-text message describes a problem or asks for help (it opens the ticket form). */
export function describesProblem(policy: Policy, message: string): boolean {
  if (message.trim().split(/\s+/).length < 3) return false;
  if (PROBLEM.test(message)) return true;
  const s = suggestPriority(policy, message);
  if (s.priority !== 'P3' || s.category === 'provisioning') return true;
  return first(message.toLowerCase(), words(escaped(policy.priorities.P3.keywords))) !== undefined;
}

/** A title from the first sentence of a description. */
export function titleFrom(message: string, max: number): string {
  const first = message.trim().split(/(?<=[.!?])\s|\n/)[0] ?? '';
  const clean = first.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}
