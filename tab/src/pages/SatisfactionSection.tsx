// The dashboard's satisfaction section: per month (by the resolution's month in the support zone), the share
// of ratings of 4 or 5, answers and response rate; the selected month per priority and per engineer (the owner
// when resolved). A month without answers says "No ratings yet", never 0 %.
import { Caption1 } from '@fluentui/react-components';
import type {
  EngineerSatisfaction,
  SatisfactionFigures,
  SatisfactionMonth,
} from '../../../src/adapters/api/contract';
import { CellTable } from '../components/DataTable';
import { Empty } from '../components/Bits';
import { monthLabel, percent } from '../components/time';

const PRIORITIES = ['P1', 'P2', 'P3'] as const;

/** CSAT, answers and response rate as three cells; "No ratings yet" when nothing was answered. */
function cells(f: SatisfactionFigures): string[] {
  return [
    f.csat === null ? 'No ratings yet' : percent(f.csat, 0),
    String(f.answers),
    f.responseRate === null ? '—' : `${percent(f.responseRate, 0)} of ${f.asked} asked`,
  ];
}

const COLUMNS = ['Rated 4 or 5 (CSAT)', 'Answers', 'Response rate'];

export function SatisfactionSection({ months }: { readonly months: readonly SatisfactionMonth[] }) {
  const current = months.at(-1);
  if (current === undefined) return null;
  const name = monthLabel(current.month);
  return (
    <>
      <h3 id="satisfaction-title">How customers rated us</h3>
      <CellTable
        label="Satisfaction by month"
        columns={['Month', ...COLUMNS]}
        rows={[...months].reverse()}
        rowKey={(m) => m.month}
        rowProps={(m) => ({ 'data-testid': 'satisfaction-month', 'data-month': m.month })}
        cells={(m) => [monthLabel(m.month), ...cells(m.all)]}
      />
      <h3>{name} by priority</h3>
      <CellTable
        label={`Satisfaction in ${name} by priority`}
        columns={['Priority', ...COLUMNS]}
        rows={PRIORITIES.map((p) => ({ p, f: current.byPriority[p] }))}
        rowKey={(r) => r.p}
        cells={(r) => [r.p, ...cells(r.f)]}
      />
      <h3>{name} by engineer</h3>
      <CellTable
        label={`Satisfaction in ${name} by engineer`}
        columns={['Engineer', ...COLUMNS]}
        rows={current.byEngineer}
        rowKey={(e: EngineerSatisfaction) => e.id}
        rowProps={(e) => ({ 'data-testid': 'satisfaction-engineer', 'data-id': e.id })}
        empty={<Empty title="No ratings yet">No resolution of {name} was asked for a rating.</Empty>}
        cells={(e) => [e.name, ...cells(e)]}
      />
      <Caption1>
        A rating counts in the month its resolution was made, for the priority and the owner the ticket had
        then. CSAT is the share of answers rated 4 or 5; the response rate is answers over resolutions asked.
        A changed rating counts once, as it stands now.
      </Caption1>
    </>
  );
}
