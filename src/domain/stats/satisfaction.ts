// Satisfaction ("how did we do") for the dashboard and the customer's report: what one resolution's rating adds
// to its month's counters (all, per priority, per engineer, per customer tenant), and what counters answer.
// Pure. A rating is counted in the month of the resolution it rates, for the priority and owner of then.
import type { Priority } from '../sla';
import { PRIORITIES } from '../sla';
import type { Ticket } from '../tickets/model';
import { monthOf } from './figures';

/** One resolution's rating as counted: asked, and the score when answered (null while unanswered). */
export interface RatingFact {
  readonly ticketId: string;
  readonly tenantId: string;
  readonly resolvedAt: number;
  /** "YYYY-MM" of the resolution in the policy's zone. */
  readonly month: string;
  readonly priority: Priority;
  readonly ownerId: string | null;
  readonly ownerName: string | null;
  readonly score: number | null;
  /** The ticket's version it was read from: an older one never replaces a newer one. */
  readonly version: number;
}

/** A counter: ratings asked, answered, and answered 4 or 5; `name` for an engineer's. */
export interface SatisfactionCounts {
  asked: number;
  answers: number;
  positive: number;
  name?: string;
}

export interface SatisfactionFigures {
  readonly asked: number;
  readonly answers: number;
  readonly positive: number;
  /** Share of answers rated 4 or 5 (0..1, 4 decimals); null with no answers ("No ratings yet"). */
  readonly csat: number | null;
  /** Answers over ratings asked (0..1, 4 decimals); null when none was asked. */
  readonly responseRate: number | null;
}

export interface EngineerSatisfaction extends SatisfactionFigures {
  readonly id: string;
  /** The owner's name when resolved; "Nobody" for resolutions without an owner. */
  readonly name: string;
}

export interface SatisfactionMonth {
  readonly month: string;
  readonly all: SatisfactionFigures;
  readonly byPriority: Readonly<Record<Priority, SatisfactionFigures>>;
  /** Engineers with a rating asked that month, most answers first. */
  readonly byEngineer: readonly EngineerSatisfaction[];
}

/**
 * What a ticket's ratings count as, one per resolution asked: an ask counts once its card reached the customer
 * (`sentAt`) or they answered it; one still on its way, or never delivered, is not counted as asked.
 */
export function ratingFacts(t: Ticket, zone: string): RatingFact[] {
  const counted = (t.ratings ?? []).filter((r) => r.sentAt !== undefined || r.score !== undefined);
  return counted.map((r) => ({
    ticketId: t.id,
    tenantId: t.tenantId,
    resolvedAt: r.resolvedAt,
    month: monthOf(r.resolvedAt, zone),
    priority: r.priority,
    ownerId: r.owner?.id ?? null,
    ownerName: r.owner?.name ?? null,
    score: r.score ?? null,
    version: t.version,
  }));
}

/** The counters a fact counts in: all, its priority, its engineer (`-`: nobody), its customer tenant. */
export function counterKeys(f: RatingFact): string[] {
  return ['all', `p|${f.priority}`, `e|${f.ownerId ?? '-'}`, `t|${f.tenantId}`];
}

export const emptyCounts = (): SatisfactionCounts => ({ asked: 0, answers: 0, positive: 0 });

/** Adds (1) or takes away (-1) a fact from a counter. */
export function applyFact(c: SatisfactionCounts, f: RatingFact, sign: 1 | -1, key: string): void {
  c.asked += sign;
  if (f.score !== null) {
    c.answers += sign;
    if (f.score >= 4) c.positive += sign;
  }
  if (sign === 1 && key.startsWith('e|')) c.name = f.ownerName ?? 'Nobody';
}

const share = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);

export function satisfactionFigures(c: SatisfactionCounts | undefined): SatisfactionFigures {
  const x = c ?? emptyCounts();
  return {
    asked: x.asked,
    answers: x.answers,
    positive: x.positive,
    csat: share(x.positive, x.answers),
    responseRate: share(x.answers, x.asked),
  };
}

/** A month's figures from its counters by key. */
export function satisfactionMonth(
  month: string,
  counters: ReadonlyMap<string, SatisfactionCounts>,
): SatisfactionMonth {
  const byEngineer: EngineerSatisfaction[] = [];
  for (const [key, c] of counters)
    if (key.startsWith('e|') && c.asked > 0)
      byEngineer.push({ id: key.slice(2), name: c.name ?? 'Nobody', ...satisfactionFigures(c) });
  byEngineer.sort((a, b) => b.answers - a.answers || a.name.localeCompare(b.name));
  return {
    month,
    all: satisfactionFigures(counters.get('all')),
    byPriority: Object.fromEntries(
      PRIORITIES.map((p) => [p, satisfactionFigures(counters.get(`p|${p}`))]),
    ) as Record<Priority, SatisfactionFigures>,
    byEngineer,
  };
}

/** What the figures need of storage: counting a fact exactly once per version, reading months' counters. */
export interface SatisfactionStore {
  /** Counts a resolution's rating as it now stands (its earlier state taken away); false when not newer. */
  record(f: RatingFact): Promise<boolean>;
  /** The counters of each month, by key (`all`, `p|P1`, `e|<owner id>`, `t|<tenant id>`). */
  months(months: readonly string[]): Promise<Map<string, Map<string, SatisfactionCounts>>>;
  /** Real time the last complete catch-up started (every change saved before it is counted); null: never. */
  checkpoint(): Promise<number | null>;
  setCheckpoint(at: number): Promise<void>;
}

export { satisfactionSentence } from './satisfaction-words';
