// A table that stays a table on wide screens and becomes stacked rows ("label: value", one item a block)
// below 640 px, so figures never collapse into overlapping words on a phone.
import { Table, TableBody, TableCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { HeaderRow } from './DataTable';

const PHONE = '@media (max-width: 639.98px)';

const useStyles = makeStyles({
  table: {
    [PHONE]: {
      display: 'block',
      '& thead': { display: 'none' },
      '& tbody': { display: 'block' },
      '& tr': {
        display: 'block',
        padding: `${tokens.spacingVerticalS} 0`,
        borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      },
      '& td': {
        display: 'grid',
        gridTemplateColumns: 'minmax(6rem, 40%) 1fr',
        gap: tokens.spacingHorizontalS,
        height: 'auto',
        minHeight: 'auto',
        padding: `${tokens.spacingVerticalXXS} 0`,
        overflowWrap: 'anywhere',
      },
      '& td::before': {
        content: 'attr(data-label)',
        color: tokens.colorNeutralForeground3,
        fontWeight: tokens.fontWeightSemibold,
      },
    },
  },
});

export function Stacked<T>({
  label,
  columns,
  rows,
  cells,
  rowKey,
  rowProps,
  empty,
}: {
  /** The table's accessible name. */
  readonly label: string;
  /** Column labels; each cell is labelled with its column's on a phone. */
  readonly columns: readonly string[];
  readonly rows: readonly T[];
  /** One cell per column, in order. */
  readonly cells: (item: T) => readonly ReactNode[];
  readonly rowKey: (item: T) => string;
  /** Attributes of an item's row (test ids). */
  readonly rowProps?: (item: T) => Readonly<Record<`data-${string}`, string>>;
  /** Shown instead of the table when there are no rows. */
  readonly empty?: ReactNode;
}) {
  const s = useStyles();
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  return (
    <Table size="small" aria-label={label} className={s.table}>
      <HeaderRow labels={columns} />
      <TableBody>
        {rows.map((item) => (
          <TableRow key={rowKey(item)} {...(rowProps?.(item) ?? {})}>
            {cells(item).map((cell, i) => (
              <TableCell key={columns[i] ?? i} data-label={columns[i] ?? ''}>
                {cell}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
