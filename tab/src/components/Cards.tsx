// Cards as the views draw them: a titled card with an optional caption, the big figure inside one, and the
// grid they stand in.
import {
  Caption1,
  Card,
  CardHeader,
  Subtitle2,
  makeStyles,
  tokens,
  type GriffelStyle,
} from '@fluentui/react-components';
import type { ReactElement, ReactNode } from 'react';

/**
 * Styles of a grid of cards at least `min` wide each (narrower only when the screen is), wrapping; `around` is
 * the view's spacing around it.
 */
export function cardGrid(min: string, around: GriffelStyle = {}): GriffelStyle {
  return {
    display: 'grid',
    gridTemplateColumns: `repeat(auto-fit, minmax(min(${min}, 100%), 1fr))`,
    gap: tokens.spacingHorizontalL,
    ...around,
  };
}

/** The space above and below a grid between a view's parts. */
export const SPACED: GriffelStyle = { margin: `${tokens.spacingVerticalL} 0` };

const useStyles = makeStyles({
  card: { minWidth: 0, overflowWrap: 'anywhere' },
  big: {
    fontSize: tokens.fontSizeHero700,
    fontWeight: tokens.fontWeightSemibold,
    lineHeight: tokens.lineHeightHero700,
  },
});

/** A card titled in Subtitle2; `caption` goes under the title in Caption1, `description` as given. */
export function TitledCard({
  title,
  caption,
  description,
  testId,
  children,
}: {
  readonly title: ReactNode;
  readonly caption?: ReactNode;
  readonly description?: ReactElement;
  readonly testId?: string;
  readonly children?: ReactNode;
}) {
  const s = useStyles();
  const under = caption === undefined ? description : <Caption1>{caption}</Caption1>;
  return (
    <Card className={s.card} {...(testId === undefined ? {} : { 'data-testid': testId })}>
      <CardHeader
        header={<Subtitle2>{title}</Subtitle2>}
        {...(under === undefined ? {} : { description: under })}
      />
      {children}
    </Card>
  );
}

/** A card's headline figure; `value` is the raw number tests and tools read. */
export function BigFigure({
  testId,
  value,
  children,
}: {
  readonly testId: string;
  readonly value: number | string;
  readonly children: ReactNode;
}) {
  const s = useStyles();
  return (
    <span className={s.big} data-testid={testId} data-value={value}>
      {children}
    </span>
  );
}
