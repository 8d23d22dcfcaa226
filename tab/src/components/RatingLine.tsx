// The customer's newest rating on the ticket page, beside the status: score and words, their comment, when,
// and until when it can be changed (from the rating card in the customer's Teams chat).
import { Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { RatingView } from '../../../src/adapters/api/contract';
import { When } from './Bits';

const useStyles = makeStyles({
  rating: {
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    paddingLeft: tokens.spacingHorizontalM,
    display: 'grid',
    gap: tokens.spacingVerticalXXS,
    overflowWrap: 'anywhere',
    marginBlock: tokens.spacingVerticalS,
  },
  comment: { whiteSpace: 'pre-wrap' },
});

export function RatingLine({
  rating: r,
  customer,
}: {
  readonly rating: RatingView;
  readonly customer: boolean;
}) {
  const s = useStyles();
  return (
    <div className={s.rating} data-testid="ticket-rating">
      <Text>
        <Text weight="semibold">
          Rated {r.score} of 5 ({r.words})
        </Text>{' '}
        by {customer ? 'you' : r.by} · <When t={r.ratedAt} />
      </Text>
      {r.comment !== null && <Text className={s.comment}>“{r.comment}”</Text>}
      {r.changeable && (
        <Caption1>
          {customer
            ? 'You can change it from the rating card in your Teams chat until '
            : 'The customer can change it until '}
          <When t={r.until} />.
        </Caption1>
      )}
    </div>
  );
}
