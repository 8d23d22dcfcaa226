// The rating card ("How did we do on TM-1042?"): sent once after a resolution reached the customer, and
// shown again, updated in place, when they rate or change their rating.
import type { Policy } from '../../policy/schema';
import { LIMITS } from '../../tickets/fields';
import type { RatingRecord, Ticket } from '../../tickets/model';
import { ratingUntil, resolutionName, SCORE_LABELS } from '../../tickets/rating';
import { textInput } from '../inputs';
import { card, escape, execute, text, type AdaptiveCard, type Element } from '../types';
import { at, type Clock } from './common';

/** The card for one resolution's rating: the question, or what they gave and until when it can change. */
export function ratingCard(
  policy: Policy,
  ticket: Pick<Ticket, 'id' | 'title' | 'rounds' | 'ratings'>,
  record: RatingRecord,
  clock: Clock,
): AdaptiveCard {
  const until = ratingUntil(policy, record.resolvedAt);
  const open = clock.now <= until;
  // A reopened ticket has several resolutions: the card says which one it asks about.
  const name = resolutionName(policy, ticket, record.resolvedAt);
  const lines: Element[] = [
    text(`How did we do on ${ticket.id}?`, { weight: 'bolder', size: 'medium' }),
    text(escape(ticket.title), { isSubtle: true, spacing: 'none' }),
    ...(name === undefined ? [] : [text(`For its ${name}.`, { spacing: 'small' })]),
  ];
  if (record.score !== undefined) {
    const thanks = `You rated ${record.score} of 5 — thank you.`;
    lines.push(
      text(open ? `${thanks} You can change it until ${at(policy, until, clock)}.` : thanks, {
        weight: 'bolder',
      }),
    );
    if (record.comment !== undefined)
      lines.push(text(`Your comment: ${escape(record.comment)}`, { spacing: 'small' }));
  } else if (open) {
    lines.push(
      text(`Rate it from 1 (very poor) to 5 (excellent), until ${at(policy, until, clock)}.`, {
        spacing: 'small',
      }),
    );
  } else {
    lines.push(text('The time to rate it has passed.', { spacing: 'small' }));
  }
  if (!open) return card(lines, { fallbackText: `How did we do on ${ticket.id}?` });
  lines.push(
    {
      type: 'Input.ChoiceSet',
      id: 'score',
      label: 'Your rating',
      style: 'expanded',
      isRequired: true,
      errorMessage: 'Choose a rating from 1 to 5',
      ...(record.score === undefined ? {} : { value: String(record.score) }),
      choices: [1, 2, 3, 4, 5].map((n) => ({ title: `${n} – ${SCORE_LABELS[n] ?? ''}`, value: String(n) })),
    },
    textInput('comment', 'Comment (optional)', LIMITS.ratingComment, {
      multiline: true,
      value: record.comment,
    }),
  );
  return card(lines, {
    actions: [
      execute(record.score === undefined ? 'Submit' : 'Change rating', 'ticket.rate', {
        ticketId: ticket.id,
        resolvedAt: record.resolvedAt,
      }),
    ],
    fallbackText: `How did we do on ${ticket.id}?`,
  });
}
