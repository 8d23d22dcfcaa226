// Availability of the Core Service: the month against 99.99 %, the error budget used and left, and the
// month's outages with their exclusions (only approved exclusions count as excluded; customers see only those).
import { Caption1, ProgressBar, Text, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import type {
  Availability as AvailabilityData,
  AvailabilityExclusion,
} from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { ShareBars } from '../components/Charts';
import { BigFigure, cardGrid, SPACED, TitledCard } from '../components/Cards';
import { Empty, Pending, When } from '../components/Bits';
import { SelectField } from '../components/Fields';
import { CellTable } from '../components/DataTable';
import { useSession } from '../components/Zone';
import { ServiceStatus } from '../components/ServiceStatus';
import { minutesText, monthLabel } from '../components/time';
import { availabilityPercent } from '../../../src/domain/reports/percent';

const useStyles = makeStyles({
  cards: cardGrid('min(240px, 100%)', SPACED),
  top: { display: 'flex', justifyContent: 'space-between', alignItems: 'end', flexWrap: 'wrap' },
});

const pct = (x: number, digits = 4): string => availabilityPercent(x, digits);
/** Availability minutes in words, to the second under an hour ("4 min 19 s"). */
const min = (x: number): string => minutesText(x, true);

const STATUS: Readonly<Record<AvailabilityExclusion['status'], string>> = {
  requested: 'requested, awaiting a manager: counts as down',
  approved: 'approved: excluded',
  rejected: 'rejected: counts as down',
};

/** An exclusion as a sentence: category and title, state, and (staff) who decided and when. */
function ExclusionText({
  ex,
  titles,
}: {
  readonly ex: AvailabilityExclusion | null;
  readonly titles: AvailabilityData['exclusions'];
}) {
  if (ex === null) return <Text data-testid="exclusion">none: counts as down</Text>;
  return (
    <span data-testid="exclusion" data-status={ex.status}>
      <Text>
        ({ex.category}) {titles[ex.category].title} · {STATUS[ex.status]}
      </Text>
      {ex.decidedBy !== undefined && (
        <Caption1>
          {' '}
          · {ex.status === 'approved' ? 'approved' : 'rejected'} by {ex.decidedBy}
          {ex.decidedAt !== undefined && (
            <>
              , <When t={ex.decidedAt} />
            </>
          )}
        </Caption1>
      )}
    </span>
  );
}

export function Availability() {
  const s = useStyles();
  const { me } = useSession();
  const staff = me.role !== 'customer';
  const [month, setMonth] = useState('');
  // No month asked for: the server answers the current month in the support zone.
  const [load, refresh] = useApi<AvailabilityData>(
    `/api/availability${month ? `?month=${month}` : ''}`,
    60_000,
  );
  if (load.kind !== 'ready') return <Pending load={load} label="Loading availability…" onRetry={refresh} />;
  const a = load.data;
  const c = a.current;
  const used = c.budgetMinutes === 0 ? 0 : Math.min(1, c.budgetUsedMinutes / c.budgetMinutes);
  const columns = ['Outage', 'Start', 'End', 'Affected', ...(staff ? ['Cause'] : []), 'Exclusion'];
  return (
    <section aria-labelledby="avail-title">
      <div className={s.top}>
        <h2 id="avail-title" className="page-title">
          Core Service availability · {monthLabel(a.month)}
        </h2>
        <SelectField
          label="Month"
          value={month || a.month}
          onChange={setMonth}
          options={[...a.history].reverse().map((h) => [h.month, monthLabel(h.month)] as const)}
        />
      </div>
      <ServiceStatus />
      <div className={s.cards}>
        <TitledCard title="Availability" caption={`target ${pct(a.target)}`}>
          <BigFigure testId="availability" value={c.availability}>
            {pct(c.availability)}
          </BigFigure>
          <Text weight="semibold">{c.met ? 'Target met' : 'Target missed'}</Text>
        </TitledCard>
        <TitledCard title="Error budget" caption={`${min(c.budgetMinutes)} this month`}>
          <ProgressBar
            value={used}
            color={c.met ? (used > 0.75 ? 'warning' : 'brand') : 'error'}
            thickness="large"
            aria-label="Share of the error budget used"
          />
          <Text>
            used {min(c.budgetUsedMinutes)} · left {min(c.budgetLeftMinutes)}
          </Text>
        </TitledCard>
        <TitledCard title="Downtime" caption={`of ${min(c.minutes)} in the month`}>
          <Text>{min(c.outageMinutes)} counted as down</Text>
          <Text>{min(c.excludedMinutes)} excluded by the contract</Text>
        </TitledCard>
      </div>
      <TitledCard title="The last twelve months">
        <ShareBars
          title="Availability in each of the last twelve months; bars short of the dashed target line missed it"
          bars={a.history.map((h) => ({
            label: h.month.slice(5),
            value: Math.max(0, (h.availability - 0.999) / 0.001),
            text: pct(h.availability, 3),
          }))}
          target={(a.target - 0.999) / 0.001}
        />
        <Caption1>
          Each bar fills from 99.9 % (empty) to 100 % (full); the dashed line is the {pct(a.target)}{' '}
          commitment, and bars short of it missed it.
        </Caption1>
      </TitledCard>
      <h3>Outages in {monthLabel(a.month)}</h3>
      <CellTable
        label="Outages"
        columns={columns}
        rows={a.outages}
        empty={
          <Empty title="No outage recorded">
            No Core Service outage was recorded this month
            {staff ? '; engineers record outages on the Outages page or in the support channel.' : '.'}
          </Empty>
        }
        rowKey={(o) => o.id}
        rowProps={(o) => ({ 'data-testid': 'outage-row', 'data-id': o.id })}
        cells={(o) => [
          o.id,
          <When key="s" t={o.start} />,
          o.end === null ? 'ongoing' : <When key="e" t={o.end} />,
          o.affected,
          ...(staff ? [o.cause ?? ''] : []),
          <ExclusionText key="x" ex={o.exclusion} titles={a.exclusions} />,
        ]}
      />
      <Caption1 as="p" data-testid="rounding-rule">
        Percentages are cut, never rounded up, to 4 decimals (3 on the chart), so a month just under its
        target never reads as meeting it. Durations are cut (to the second under an hour). Times are in your
        zone
        {staff ? '' : '; an exclusion shows here once a manager approved it'}.
      </Caption1>
    </section>
  );
}
