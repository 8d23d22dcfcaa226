// A table that reads at any width: a normal table from 640 px, and below it one stacked block per row, each
// cell under its column's label, so a phone never scrolls sideways. Theme tokens only (dark, high contrast).
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

const NARROW = '@media (max-width: 639.98px)';

const useStyles = makeStyles({
  table: { [NARROW]: { display: 'block' } },
  head: {
    [NARROW]: {
      position: 'absolute',
      width: '1px',
      height: '1px',
      overflow: 'hidden',
      clipPath: 'inset(50%)',
      whiteSpace: 'nowrap',
    },
  },
  body: { [NARROW]: { display: 'block' } },
  row: {
    [NARROW]: {
      display: 'block',
      padding: `${tokens.spacingVerticalS} 0`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    },
  },
  cell: {
    overflowWrap: 'anywhere',
    [NARROW]: {
      display: 'grid',
      gridTemplateColumns: 'minmax(7em, 40%) 1fr',
      gap: tokens.spacingHorizontalS,
      height: 'auto',
      minHeight: '28px',
      alignItems: 'center',
      '::before': {
        content: 'attr(data-label)',
        color: tokens.colorNeutralForeground2,
        fontWeight: tokens.fontWeightSemibold,
      },
    },
  },
  number: {
    textAlign: 'end',
    fontVariantNumeric: 'tabular-nums',
    '& .fui-TableHeaderCell__button': { justifyContent: 'flex-end' },
    [NARROW]: { textAlign: 'start' },
  },
});

export interface Column<T> {
  readonly label: string;
  readonly cell: (item: T) => ReactNode;
  /** Right-aligned, tabular digits (from 640 px). */
  readonly numeric?: boolean;
}

export function StackTable<T>({
  label,
  columns,
  rows,
  rowKey,
  testId,
}: {
  /** The table's accessible name. */
  readonly label: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (item: T) => string;
  readonly testId?: string;
}) {
  const s = useStyles();
  return (
    <Table
      size="small"
      aria-label={label}
      className={s.table}
      {...(testId === undefined ? {} : { 'data-testid': testId })}
    >
      <TableHeader className={s.head}>
        <TableRow>
          {columns.map((c) => (
            <TableHeaderCell key={c.label} className={c.numeric === true ? s.number : undefined}>
              {c.label}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody className={s.body}>
        {rows.map((r) => (
          <TableRow key={rowKey(r)} className={s.row} data-row={rowKey(r)}>
            {columns.map((c) => (
              <TableCell
                key={c.label}
                data-label={c.label}
                className={mergeClasses(s.cell, c.numeric === true ? s.number : undefined)}
              >
                {c.cell(r)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
