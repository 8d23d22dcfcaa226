// Ratings ("how did we do"): asking once per resolution, and the customer's rating and its changes within the
// policy's window. Pure: `at` and the policy come in. plan.ts hands the two commands here.
import { DateTime } from 'luxon';
import type { Policy } from '../policy/schema';
import type { Instant } from '../sla';
import { stamp } from '../cards/time';
import { fail, illegalMove, invalidInput, ok, type Result } from './errors';
import { cleanText, LIMITS } from './fields';
import type { EventType, RatingRecord, Ticket } from './model';
import { person, type Command, type NewEvent } from './command-types';
import type { Actor } from './model';

type Draft = {
  fields: Partial<Omit<Ticket, 'id' | 'sla'>>;
  events: NewEvent[];
  what: string;
};
type EventMaker = (type: EventType, text?: string, data?: NewEvent['data'], internal?: boolean) => NewEvent;

/** The words beside each score, as the card and the timeline show them. */
export const SCORE_LABELS: Readonly<Record<number, string>> = {
  1: 'very poor',
  2: 'poor',
  3: 'okay',
  4: 'good',
  5: 'excellent',
};

/**
 * Until when a resolution's rating can be given or changed: `changeDays` calendar days after it, in the
 * policy's zone.
 * @example ratingUntil(policy, Date.parse('2026-12-06T14:05:00-05:00')) // Sun 13 Dec 2026 14:05 ET
 */
export function ratingUntil(policy: Pick<Policy, 'timeZone' | 'satisfaction'>, resolvedAt: Instant): Instant {
  return DateTime.fromMillis(resolvedAt, { zone: policy.timeZone })
    .plus({ days: policy.satisfaction.changeDays })
    .toMillis();
}

/** The rating record of a resolution, if it was asked. */
export function ratingOf(t: Pick<Ticket, 'ratings'>, resolvedAt: number): RatingRecord | undefined {
  return t.ratings?.find((r) => r.resolvedAt === resolvedAt);
}

/** True when a ticket has, or will have, more than one resolution (it was reopened): its ratings then say which. */
export function severalResolutions(t: Pick<Ticket, 'rounds' | 'ratings'>): boolean {
  return (t.rounds?.length ?? 0) > 0 || (t.ratings?.length ?? 0) > 1;
}

/**
 * Which resolution a rating is about, when the ticket has several; undefined when it has one. In the policy's
 * zone, absolute (it is kept in the timeline and read later).
 * @example resolutionName(policy, reopenedTicket, resolvedAt) // 'resolution of Tue 8 Dec 2026 10:01 ET'
 */
export function resolutionName(
  policy: Pick<Policy, 'timeZone' | 'timeZoneLabel'>,
  t: Pick<Ticket, 'rounds' | 'ratings'>,
  resolvedAt: Instant,
): string | undefined {
  if (!severalResolutions(t)) return undefined;
  return `resolution of ${stamp(resolvedAt, policy.timeZone)} ${policy.timeZoneLabel}`;
}

/** The newest answered rating of a ticket (of its latest resolution rated), for cards ("Rated 4/5"). */
export function latestRating(t: Pick<Ticket, 'ratings'>): RatingRecord | undefined {
  return [...(t.ratings ?? [])].reverse().find((r) => r.score !== undefined);
}

/** Asks for a rating of the current resolution: once, and only while the ticket still stands resolved by it. */
export function askRating(
  t: Ticket,
  cmd: Extract<Command, { kind: 'ask-rating' }>,
  at: Instant,
  ev: EventMaker,
): Result<Draft> {
  if (t.resolvedAt !== cmd.resolvedAt)
    return fail(illegalMove(`${t.id} is no longer resolved by that resolution; no rating is asked.`));
  if (ratingOf(t, cmd.resolvedAt) !== undefined)
    return fail(illegalMove(`A rating of this resolution of ${t.id} was asked already.`));
  const asked = t.ratings ?? [];
  if (asked.length >= LIMITS.ratings)
    return fail(illegalMove(`${t.id} was asked for ${LIMITS.ratings} ratings; no more are asked.`));
  const record: RatingRecord = {
    resolvedAt: cmd.resolvedAt,
    askedAt: at,
    priority: t.priority,
    owner: t.owner,
  };
  return ok({
    fields: { ratings: [...asked, record] },
    // Recorded before it is sent (like every customer message): a delivery problem follows on the timeline.
    events: [
      ev(
        'rating-asked',
        'Sending the customer a card to rate this resolution.',
        { resolvedAt: cmd.resolvedAt },
        true,
      ),
    ],
    what: 'asked the customer for a rating',
  });
}

/** Teams accepted the rating card: the ask counts as asked (the response rate) from then on. No timeline line. */
export function ratingSent(
  t: Ticket,
  cmd: Extract<Command, { kind: 'rating-sent' }>,
  at: Instant,
): Result<Draft> {
  const record = ratingOf(t, cmd.resolvedAt);
  if (record === undefined)
    return fail(invalidInput(`No rating of that resolution of ${t.id} was asked.`, 'resolvedAt'));
  if (record.sentAt !== undefined) return ok({ fields: {}, events: [], what: 'sent the rating card' });
  return ok({
    fields: {
      ratings: (t.ratings ?? []).map((r) => (r.resolvedAt === record.resolvedAt ? { ...r, sentAt: at } : r)),
    },
    events: [],
    what: 'sent the rating card',
  });
}

/** The customer's rating of a resolution, or a change of it within the policy's window. */
export function rate(
  t: Ticket,
  actor: Actor,
  cmd: Extract<Command, { kind: 'rate' }>,
  at: Instant,
  policy: Policy,
  ev: EventMaker,
): Result<Draft> {
  const record = ratingOf(t, cmd.resolvedAt);
  if (record === undefined)
    return fail(invalidInput(`That rating card does not match a resolution of ${t.id}.`, 'resolvedAt'));
  const score = cmd.score;
  if (!Number.isInteger(score) || score < 1 || score > 5)
    return fail(invalidInput('Choose a rating from 1 (very poor) to 5 (excellent).', 'score'));
  const comment = cleanText(cmd.comment ?? '', 'comment', LIMITS.ratingComment, true);
  if (!comment.ok) return comment;
  const until = ratingUntil(policy, record.resolvedAt);
  if (at > until) {
    const days = policy.satisfaction.changeDays;
    const when = `${stamp(until, policy.timeZone)} ${policy.timeZoneLabel}`;
    return fail(
      illegalMove(
        record.score === undefined
          ? `${t.id} could be rated for ${days} days after it was resolved (until ${when}); it can no longer be rated.`
          : `Ratings for ${t.id} can be changed for ${days} days after it was resolved (until ${when}); this one can no longer be changed.`,
      ),
    );
  }
  const text = comment.value === '' ? undefined : comment.value;
  if (record.score === score && record.comment === text)
    return ok({ fields: {}, events: [], what: 'rated it again the same' });
  const next: RatingRecord = { ...record, score, comment: text, ratedAt: at, by: person(actor) };
  const changed = record.score !== undefined;
  return ok({
    fields: { ratings: (t.ratings ?? []).map((r) => (r.resolvedAt === record.resolvedAt ? next : r)) },
    events: [
      ev('rated', text, {
        score,
        resolvedAt: record.resolvedAt,
        previous: record.score ?? null,
        // Named when the ticket has several resolutions, so the timeline says which one was rated.
        ...namedResolution(policy, t, record.resolvedAt),
      }),
    ],
    what: changed ? `changed the rating to ${score} of 5` : `rated it ${score} of 5`,
  });
}

function namedResolution(policy: Policy, t: Ticket, resolvedAt: Instant): { resolution?: string } {
  const name = resolutionName(policy, t, resolvedAt);
  return name === undefined ? {} : { resolution: name };
}
