// Tables as every view draws them: small, labelled for screen readers, a header row of plain labels, one
// row per item, and the view's designed empty state instead when there is nothing to list. At phone widths
// each row stacks its cells, each under its column's label ("label: value"), so nothing scrolls sideways.
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
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { PHONE } from './media';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto', [PHONE]: { overflowX: 'visible' } },
  stacked: {
    [PHONE]: {
      display: 'block',
      minWidth: 0,
      width: '100%',
      tableLayout: 'auto',
      // The header row stays for screen readers (the cells are still a table's), off screen.
      '& thead': {
        position: 'absolute',
        width: '1px',
        height: '1px',
        overflow: 'hidden',
        clipPath: 'inset(50%)',
        whiteSpace: 'nowrap',
      },
      '& tbody': { display: 'block' },
      '& tbody > tr': {
        display: 'block',
        padding: `${tokens.spacingVerticalS} 0`,
        borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      },
      '& tbody > tr > td': {
        display: 'grid',
        gridTemplateColumns: 'minmax(5.5em, 35%) minmax(0, 1fr)',
        columnGap: tokens.spacingHorizontalS,
        alignItems: 'baseline',
        height: 'auto',
        minHeight: '28px',
        width: 'auto',
        maxWidth: 'none',
        overflow: 'visible',
        whiteSpace: 'normal',
        overflowWrap: 'anywhere',
        padding: `2px ${tokens.spacingHorizontalXS}`,
      },
      '& tbody > tr > td::before': {
        content: 'attr(data-label)',
        color: tokens.colorNeutralForeground2,
        fontSize: tokens.fontSizeBase200,
      },
      '& tbody > tr > td[colspan]': { display: 'block' },
      '& tbody > tr > td[colspan]::before': { content: 'none' },
    },
  },
  number: {
    textAlign: 'end',
    fontVariantNumeric: 'tabular-nums',
    [PHONE]: { textAlign: 'start' },
  },
});

/** A table's header row of plain column labels. */
export function HeaderRow({ labels }: { readonly labels: readonly string[] }) {
  return (
    <TableHeader>
      <TableRow>
        {labels.map((label) => (
          <TableHeaderCell key={label}>{label}</TableHeaderCell>
        ))}
      </TableRow>
    </TableHeader>
  );
}

/** Names each body cell after its column (`data-label`), for the stacked layout; colspans are counted. */
function labelCells(table: HTMLTableElement, labels: readonly string[]): void {
  for (const tr of Array.from(table.tBodies).flatMap((b) => Array.from(b.rows))) {
    let col = 0;
    for (const cell of Array.from(tr.cells)) {
      const label = cell.colSpan > 1 ? undefined : labels[col];
      if (label === undefined) cell.removeAttribute('data-label');
      else if (cell.getAttribute('data-label') !== label) cell.setAttribute('data-label', label);
      col += cell.colSpan;
    }
  }
}

export function DataTable<T>({
  label,
  columns,
  rows,
  row,
  empty,
  scroll = true,
  className,
}: {
  /** The table's accessible name. */
  readonly label: string;
  /** Column labels; `false` leaves a column out (one only some viewers see). */
  readonly columns: readonly (string | false)[];
  readonly rows: readonly T[];
  /** One <TableRow key=…> per item. */
  readonly row: (item: T) => ReactNode;
  /** Shown instead of the table when there are no rows; without it the table shows empty. */
  readonly empty?: ReactNode;
  /** Wrapped to scroll sideways on narrow screens (the default; phones get stacked rows instead). */
  readonly scroll?: boolean;
  readonly className?: string;
}) {
  const s = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  const labels = columns.filter((c): c is string => c !== false);
  // Every render: rows are drawn by the caller, so their cells are named after each one.
  useLayoutEffect(() => {
    const table = ref.current?.querySelector('table');
    if (table) labelCells(table, labels);
  });
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  return (
    <div ref={ref} {...(scroll ? { className: s.scroll } : {})}>
      <Table size="small" aria-label={label} className={mergeClasses(className, s.stacked)}>
        <HeaderRow labels={labels} />
        <TableBody>{rows.map(row)}</TableBody>
      </Table>
    </div>
  );
}

/** One column of a `ColumnTable`: its label and how an item fills its cell. */
export interface Column<T> {
  readonly label: string;
  readonly cell: (item: T) => ReactNode;
  /** Right-aligned, tabular digits (from 640 px; phones stack every cell under its label). */
  readonly numeric?: boolean;
}

/** A `DataTable` described by its columns: one cell per column for each item. */
export function ColumnTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  testId,
}: {
  /** The table's accessible name. */
  readonly label: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (item: T) => string;
  /** Attributes of an item's row (test ids). */
  readonly rowProps?: (item: T) => Readonly<Record<`data-${string}`, string>>;
  /** Shown instead of the table when there are no rows. */
  readonly empty?: ReactNode;
  readonly testId?: string;
}) {
  const s = useStyles();
  const table = (
    <DataTable
      label={label}
      columns={columns.map((c) => c.label)}
      rows={rows}
      scroll={false}
      {...(empty === undefined ? {} : { empty })}
      row={(item) => (
        <TableRow key={rowKey(item)} data-row={rowKey(item)} {...(rowProps?.(item) ?? {})}>
          {columns.map((c) => (
            <TableCell key={c.label} {...(c.numeric === true ? { className: s.number } : {})}>
              {c.cell(item)}
            </TableCell>
          ))}
        </TableRow>
      )}
    />
  );
  return testId === undefined ? table : <div data-testid={testId}>{table}</div>;
}

/** A `ColumnTable` given its column labels and each item's cells in the same order. */
export function CellTable<T>({
  columns,
  cells,
  ...table
}: {
  readonly label: string;
  /** Column labels; each cell is labelled with its column's on a phone. */
  readonly columns: readonly string[];
  readonly rows: readonly T[];
  /** One cell per column, in order. */
  readonly cells: (item: T) => readonly ReactNode[];
  readonly rowKey: (item: T) => string;
  readonly rowProps?: (item: T) => Readonly<Record<`data-${string}`, string>>;
  readonly empty?: ReactNode;
}) {
  const specs = columns.map((label, i): Column<T> => ({ label, cell: (item) => cells(item)[i] }));
  return <ColumnTable {...table} columns={specs} />;
}
