// Availability of the Core Service: the month against 99.99 %, the error budget used and left, and the
// month's outages with their exclusion categories (only approved exclusions count as excluded).
import { Caption1, ProgressBar, TableCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import type { Availability as AvailabilityData } from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { ShareBars } from '../components/Charts';
import { BigFigure, cardGrid, SPACED, TitledCard } from '../components/Cards';
import { DataTable } from '../components/DataTable';
import { Empty, Pending } from '../components/Bits';
import { SelectField } from '../components/Fields';
import { OutageCells } from '../components/OutageCells';
import { useSession } from '../components/Zone';
import { ServiceStatus } from '../components/ServiceStatus';
import { availabilityPercent } from '../../../src/domain/reports/percent';

const useStyles = makeStyles({
  cards: cardGrid('240px', SPACED),
  top: { display: 'flex', justifyContent: 'space-between', alignItems: 'end', flexWrap: 'wrap' },
});

const pct = (x: number, digits = 4): string => availabilityPercent(x, digits);
const min = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)} min`;

export function Availability() {
  const s = useStyles();
  const { me } = useSession();
  const staff = me.role !== 'customer';
  const [month, setMonth] = useState('');
  const [load, refresh] = useApi<AvailabilityData>(
    `/api/availability${month ? `?month=${month}` : ''}`,
    60_000,
  );
  if (load.kind !== 'ready') return <Pending load={load} label="Loading availability…" onRetry={refresh} />;
  const a = load.data;
  const c = a.current;
  const used = c.budgetMinutes === 0 ? 0 : Math.min(1, c.budgetUsedMinutes / c.budgetMinutes);
  return (
    <section aria-labelledby="avail-title">
      <div className={s.top}>
        <h2 id="avail-title" className="page-title">
          Core Service availability · {a.month}
        </h2>
        <SelectField
          label="Month"
          value={month || a.month}
          onChange={setMonth}
          options={[...a.history].reverse().map((h) => [h.month, h.month] as const)}
        />
      </div>
      <ServiceStatus />
      <div className={s.cards}>
        <TitledCard title="Availability" caption={`target ${pct(a.target, 2)}`}>
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
        <TitledCard title="Downtime" caption={`of ${c.minutes.toLocaleString('en-GB')} minutes`}>
          <Text>{min(c.outageMinutes)} counted as down</Text>
          <Text>{min(c.excludedMinutes)} excluded by the contract</Text>
        </TitledCard>
      </div>
      <TitledCard title="The last twelve months">
        <ShareBars
          title="Availability in each of the last twelve months; bars below the target line missed it"
          bars={a.history.map((h) => ({
            label: h.month.slice(5),
            value: Math.max(0, (h.availability - 0.999) / 0.001),
            text: pct(h.availability, 3),
          }))}
          target={(a.target - 0.999) / 0.001}
        />
        <Caption1>
          Scale from 99.9 % (bottom) to 100 % (top); the dashed line is the {pct(a.target, 2)} commitment.
        </Caption1>
      </TitledCard>
      <h3>Outages in {a.month}</h3>
      <DataTable
        label="Outages"
        columns={['Outage', 'Start', 'End', 'Affected', staff && 'Cause', 'Exclusion']}
        rows={a.outages}
        empty={
          <Empty title="No outage recorded">
            No Core Service outage was recorded this month
            {staff ? '; engineers record outages in the support channel.' : '.'}
          </Empty>
        }
        row={(o) => (
          <TableRow key={o.id}>
            <OutageCells o={o} />
            {staff && <TableCell>{o.cause ?? ''}</TableCell>}
            <TableCell>
              {o.exclusion === null
                ? 'none: counts as down'
                : `(${o.exclusion.category}) ${a.exclusions[o.exclusion.category].title} · ${o.exclusion.status}`}
            </TableCell>
          </TableRow>
        )}
      />
    </section>
  );
}
