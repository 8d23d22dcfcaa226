// Tables as every view draws them: small, labelled for screen readers, a header row of plain labels, one
// row per item, and the view's designed empty state instead when there is nothing to list.
import {
  Table,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({ scroll: { overflowX: 'auto' } });

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
  /** Wrapped to scroll sideways on narrow screens (the default). */
  readonly scroll?: boolean;
  readonly className?: string;
}) {
  const s = useStyles();
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const table = (
    <Table size="small" aria-label={label} {...(className === undefined ? {} : { className })}>
      <HeaderRow labels={columns.filter((c): c is string => c !== false)} />
      <TableBody>{rows.map(row)}</TableBody>
    </Table>
  );
  return scroll ? <div className={s.scroll}>{table}</div> : table;
}
