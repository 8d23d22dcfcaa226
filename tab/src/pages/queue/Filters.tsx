// The queue's filters and sort: state (open, resolved, closed, all), SLA state, priority, customer, owner,
// a date range (updated or resolved, days of the support zone) and the order. On a phone they fold into one
// "Filters" button; the search box stays in sight.
import { Button, Field, Input, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { Me } from '../../../../src/adapters/api/contract';
import { byName, SelectField, type Choice } from '../../components/Fields';
import { DEFAULTS, naturalDir, ORDER_WORDS, type QueueParams } from './params';

export const STATES: readonly Choice[] = [
  ['', 'Open'],
  ['resolved', 'Resolved'],
  ['closed', 'Closed'],
  ['all', 'All'],
];
const SLA: readonly Choice[] = [
  ['breached', 'Breached'],
  ['at-risk', 'At risk'],
  ['paused', 'Paused'],
  ['on-track', 'On track'],
];
const PRIORITY: readonly Choice[] = [
  ['P1', 'P1'],
  ['P2', 'P2'],
  ['P3', 'P3'],
];
export const SORTS: readonly Choice[] = [
  ['', 'Next deadline'],
  ['priority', 'Priority'],
  ['customer', 'Customer'],
  ['owner', 'Owner'],
  ['updated', 'Updated'],
];

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
    marginBottom: tokens.spacingVerticalM,
    '& > *': { minWidth: 0 },
  },
  phonePanel: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
    marginBottom: tokens.spacingVerticalM,
    '& > *': { minWidth: 0 },
    // A select is as wide as its longest option (a long customer or staff name) unless told to fit.
    '& .fui-Select': { minWidth: 0, maxWidth: '100%' },
    '& select': { minWidth: 0, width: '100%', textOverflow: 'ellipsis' },
  },
  wide: { gridColumn: '1 / -1' },
  date: { width: '100%', minWidth: 0 },
  dateInput: { width: '100%', minWidth: 0 },
});

/** The two orders of a column in its words, its natural one first (the `dir` param ''). */
function orders(sort: string): Choice[] {
  const [asc, desc] = ORDER_WORDS[sort] ?? ['Ascending', 'Descending'];
  const other = naturalDir(sort) === 'asc' ? 'desc' : 'asc';
  return naturalDir(sort) === 'asc'
    ? [
        ['', asc],
        [other, desc],
      ]
    : [
        ['', desc],
        [other, asc],
      ];
}

/** How many filters differ from the defaults (search and sort aside). */
export function activeFilters(p: QueueParams, staff: boolean): number {
  const keys = ['state', 'sla', 'priority', 'from', 'to', ...(staff ? ['customer', 'owner', 'mine'] : [])];
  return keys.filter((k) => p[k as keyof QueueParams] !== '').length;
}

export function Filters({
  params,
  change,
  me,
  phone,
}: {
  readonly params: QueueParams;
  readonly change: (c: Partial<QueueParams>) => void;
  readonly me: Me;
  readonly phone: boolean;
}) {
  const s = useStyles();
  const staff = me.role !== 'customer';
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const active = activeFilters(params, staff);
  const closedToo = params.state !== '';
  const fields = (
    <>
      <SelectField
        label="State"
        value={params.state}
        onChange={(v) => change({ state: v, ...(v === '' ? {} : { sla: '' }) })}
        options={STATES}
      />
      {!closedToo && (
        <SelectField
          label="SLA"
          blank="Any"
          value={params.sla}
          onChange={(v) => change({ sla: v })}
          options={SLA}
        />
      )}
      <SelectField
        label="Priority"
        blank="All"
        value={params.priority}
        onChange={(v) => change({ priority: v })}
        options={PRIORITY}
      />
      {staff && (
        <>
          <SelectField
            label="Customer"
            blank="All"
            value={params.customer}
            onChange={(v) => change({ customer: v })}
            options={byName(me.customers)}
          />
          <SelectField
            label="Owner"
            blank="Anyone"
            value={params.owner}
            onChange={(v) => change({ owner: v })}
            options={[['none', 'Unassigned'], ...byName(me.staff)]}
            disabled={params.mine !== ''}
          />
        </>
      )}
      <SelectField
        label="Dates are"
        value={params.date}
        onChange={(v) => change({ date: v })}
        options={[
          ['', 'Last updated'],
          ['resolved', 'Resolved'],
        ]}
      />
      <Field label={`From (${me.timeZoneLabel})`}>
        <Input
          className={s.date}
          input={{ className: s.dateInput }}
          type="date"
          value={params.from}
          onChange={(_e, d) => change({ from: d.value })}
        />
      </Field>
      <Field label={`To (${me.timeZoneLabel})`}>
        <Input
          className={s.date}
          type="date"
          value={params.to}
          onChange={(_e, d) => change({ to: d.value })}
        />
      </Field>
      <SelectField
        label="Sort by"
        value={params.sort}
        onChange={(v) => change({ sort: v, dir: '' })}
        options={SORTS}
      />
      <SelectField
        label="Order"
        value={params.dir}
        onChange={(v) => change({ dir: v })}
        options={orders(params.sort)}
      />
      {staff && (
        <Switch
          label="Mine"
          checked={params.mine !== ''}
          onChange={(_e, d) => change({ mine: d.checked ? '1' : '' })}
        />
      )}
      <Button
        appearance="subtle"
        disabled={active === 0 && params.sort === '' && params.dir === ''}
        onClick={() => change({ ...DEFAULTS, q: params.q })}
      >
        Clear filters
      </Button>
    </>
  );
  if (!phone)
    return (
      <div className={s.panel} role="group" aria-label="Filters">
        {fields}
      </div>
    );
  return (
    <>
      <Button
        appearance="secondary"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="filters-toggle"
      >
        Filters and sort{active > 0 ? ` · ${active} on` : ''}
      </Button>
      {open && (
        <div id={panelId} className={s.phonePanel} role="group" aria-label="Filters">
          {fields}
        </div>
      )}
    </>
  );
}
