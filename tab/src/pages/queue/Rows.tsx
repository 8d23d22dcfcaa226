// The queue's tickets: a table with sortable column headers from 640 px up, a list of cards below it. Both
// show id, priority, title (wrapped, never cut), state (and an open escalation), owner, next deadline and
// time left; staff get a checkbox per ticket, and a failed bulk action is said on the ticket it failed for.
import {
  Badge,
  Caption1,
  Checkbox,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TicketRow } from '../../../../src/adapters/api/contract';
import { Countdown, PriorityBadge, StateBadge, When } from '../../components/Bits';
import { dateTime } from '../../components/time';
import { dirOf, type QueueParams } from './params';

const useStyles = makeStyles({
  table: { tableLayout: 'auto', minWidth: '0' },
  scroll: { overflowX: 'auto', maxWidth: '100%' },
  // The title takes the room left over and wraps; the short cells stay on one line (each of their lines).
  title: { whiteSpace: 'normal', overflowWrap: 'anywhere', minWidth: '9em', width: '100%' },
  // Where the row has room, the short cells keep each line whole (Fluent's Text sets its own white-space).
  short: {
    '@media (min-width: 1200px)': { whiteSpace: 'nowrap', '& span': { whiteSpace: 'nowrap' } },
  },
  under: { display: 'block' },
  pick: { width: '44px' },
  badge: { whiteSpace: 'nowrap' },
  failure: { color: tokens.colorPaletteRedForeground1, display: 'block' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  card: {
    display: 'grid',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  cardTitle: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
});

export interface RowsProps {
  readonly rows: readonly TicketRow[];
  readonly staff: boolean;
  readonly now: number;
  readonly fetchedAt: number;
  readonly selected: ReadonlySet<string>;
  readonly toggle: (id: string, on: boolean) => void;
  readonly toggleAll: (on: boolean) => void;
  /** Why a bulk action failed, by ticket id. */
  readonly failures: ReadonlyMap<string, string>;
  readonly params: QueueParams;
  readonly sortBy: (column: string) => void;
  /** A narrow table (640 to 1023 px): customer and owner under the title, time left under the deadline. */
  readonly compact?: boolean;
}

function Deadline({ r }: { readonly r: TicketRow }) {
  if (r.next === null) return <Text>—</Text>;
  return (
    <>
      <Caption1>{r.next.label} </Caption1>
      <When t={r.next.due} />
    </>
  );
}

/** The open escalation a customer asked for, if any. */
function Escalated({ at }: { readonly at: number | null }) {
  if (at === null) return null;
  return (
    <Badge
      appearance="filled"
      color="severe"
      data-testid="escalated"
      title={`The customer asked for escalation ${dateTime(at)}`}
    >
      Escalated
    </Badge>
  );
}

function Failure({ message }: { readonly message: string | undefined }) {
  const s = useStyles();
  if (message === undefined) return null;
  return (
    <Caption1 className={s.failure} role="status" data-testid="row-failure">
      {message}
    </Caption1>
  );
}

/** The sortable columns of the table: label and `sort` value ('' is the default, next deadline). */
const SORTABLE: Readonly<Record<string, string>> = {
  Priority: 'priority',
  Customer: 'customer',
  Owner: 'owner',
  'Next deadline': '',
  Updated: 'updated',
};

export function QueueTable(p: RowsProps) {
  const s = useStyles();
  const all = p.rows.length > 0 && p.rows.every((r) => p.selected.has(r.id));
  const some = p.rows.some((r) => p.selected.has(r.id));
  const compact = p.compact === true;
  const columns = compact
    ? ['Ticket', 'Priority', 'Title', 'State']
    : ['Ticket', 'Priority', ...(p.staff ? ['Customer'] : []), 'Title', 'Owner', 'State'];
  const header = (label: string) => {
    const sort = SORTABLE[label];
    if (sort === undefined)
      return (
        <TableHeaderCell key={label} sortable={false}>
          {label}
        </TableHeaderCell>
      );
    const on = p.params.sort === sort;
    return (
      <TableHeaderCell
        key={label}
        {...(on ? { sortDirection: dirOf(p.params) === 'desc' ? 'descending' : 'ascending' } : {})}
        onClick={() => p.sortBy(sort)}
      >
        {label}
      </TableHeaderCell>
    );
  };
  return (
    <div className={s.scroll}>
      <Table size="small" sortable aria-label="Tickets" className={s.table}>
        <TableHeader>
          <TableRow>
            {p.staff && (
              <TableHeaderCell className={s.pick} sortable={false}>
                <Checkbox
                  aria-label="Select every ticket shown"
                  checked={all ? true : some ? 'mixed' : false}
                  onChange={(_e, d) => p.toggleAll(d.checked === true)}
                />
              </TableHeaderCell>
            )}
            {columns.map(header)}
            {header('Next deadline')}
            {!compact && <TableHeaderCell sortable={false}>Time left</TableHeaderCell>}
            {!compact && header('Updated')}
          </TableRow>
        </TableHeader>
        <TableBody>
          {p.rows.map((r) => (
            <TableRow key={r.id} data-testid="queue-row" data-id={r.id} data-state={r.state}>
              {p.staff && (
                <TableCell>
                  <Checkbox
                    aria-label={`Select ${r.id}`}
                    data-pick={r.id}
                    checked={p.selected.has(r.id)}
                    onChange={(_e, d) => p.toggle(r.id, d.checked === true)}
                  />
                </TableCell>
              )}
              <TableCell>
                <Link href={`#/ticket/${r.id}`} className={s.badge}>
                  {r.id}
                </Link>
                <Failure message={p.failures.get(r.id)} />
              </TableCell>
              <TableCell className={s.badge}>
                <PriorityBadge priority={r.priority} />
              </TableCell>
              {p.staff && !compact && <TableCell>{r.customerName}</TableCell>}
              <TableCell className={s.title}>
                <span data-testid="queue-title">{r.title}</span>
                {compact && (
                  <Caption1 className={s.under}>
                    {p.staff ? `${r.customerName} · ` : ''}
                    {r.owner?.name ?? 'Unassigned'}
                  </Caption1>
                )}
              </TableCell>
              {!compact && <TableCell>{r.owner?.name ?? <Caption1>Unassigned</Caption1>}</TableCell>}
              <TableCell className={s.short}>
                <StateBadge state={r.state} /> <Escalated at={r.escalatedAt} />
              </TableCell>
              <TableCell className={s.short}>
                <Deadline r={r} />
                {compact && r.next && (
                  <div>
                    <Countdown target={r.next} now={p.now} fetchedAt={p.fetchedAt} />
                  </div>
                )}
              </TableCell>
              {!compact && (
                <TableCell className={s.short}>
                  {r.next ? <Countdown target={r.next} now={p.now} fetchedAt={p.fetchedAt} /> : '—'}
                </TableCell>
              )}
              {!compact && (
                <TableCell className={s.short}>
                  <When t={r.updatedAt} />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function QueueCards(p: RowsProps) {
  const s = useStyles();
  return (
    <ul className={s.list} aria-label="Tickets">
      {p.rows.map((r) => (
        <li key={r.id} className={s.card} data-testid="queue-row" data-id={r.id} data-state={r.state}>
          <div className={s.line}>
            {p.staff && (
              <Checkbox
                aria-label={`Select ${r.id}`}
                data-pick={r.id}
                checked={p.selected.has(r.id)}
                onChange={(_e, d) => p.toggle(r.id, d.checked === true)}
              />
            )}
            <Link href={`#/ticket/${r.id}`} data-testid="card-id">
              {r.id}
            </Link>
            <PriorityBadge priority={r.priority} />
            <StateBadge state={r.state} />
            <Escalated at={r.escalatedAt} />
          </div>
          <Text className={s.cardTitle} data-testid="queue-title">
            {r.title}
          </Text>
          <Caption1>
            {p.staff ? `${r.customerName} · ` : ''}
            {r.owner?.name ?? 'Unassigned'}
          </Caption1>
          <div className={s.line} data-testid="card-deadline">
            <Deadline r={r} />
          </div>
          {r.next && (
            <div data-testid="card-left">
              <Countdown target={r.next} now={p.now} fetchedAt={p.fetchedAt} />
            </div>
          )}
          <Failure message={p.failures.get(r.id)} />
        </li>
      ))}
    </ul>
  );
}
