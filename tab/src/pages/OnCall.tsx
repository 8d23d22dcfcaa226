// On-call: the P1 paging chain now (primary, secondary, support manager, with the configured delays), the
// weeks after, and overrides.
import { Caption1, TableCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { OnCall as OnCallData } from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { cardGrid, SPACED, TitledCard } from '../components/Cards';
import { DataTable } from '../components/DataTable';
import { Empty, Pending, When } from '../components/Bits';
import { pagedText } from '../components/words';

const useStyles = makeStyles({
  cards: cardGrid('240px', SPACED),
  big: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
});

const ROLE_TITLES: Readonly<Record<OnCallData['chain'][number]['role'], string>> = {
  primary: 'Primary',
  secondary: 'Secondary',
  manager: 'Support manager',
};

export function OnCall() {
  const s = useStyles();
  const [load, refresh] = useApi<OnCallData>('/api/oncall', 300_000);
  if (load.kind !== 'ready') return <Pending load={load} label="Loading the rotation…" onRetry={refresh} />;
  const d = load.data;
  if (!d.configured)
    return (
      <section aria-labelledby="oncall-title">
        <h2 id="oncall-title" className="page-title">
          On call
        </h2>
        <Empty title="No rotation configured">
          Set ONCALL_ROTATION to page a primary and a secondary engineer for P1 tickets outside support hours.
        </Empty>
      </section>
    );
  const [current, ...later] = d.weeks;
  const activeNow = d.overrides.filter((o) => o.start <= d.now && d.now < o.end);
  return (
    <section aria-labelledby="oncall-title">
      <h2 id="oncall-title" className="page-title">
        On call
      </h2>
      <Text as="p" data-testid="oncall-chain">
        {d.pagePriorities.join(' and ') || 'No priority'} tickets dispatched (or raised) outside support hours
        page this chain in order, each next step only while nobody has acknowledged the page.
      </Text>
      <div className={s.cards}>
        {d.chain.map((step, i) => {
          const role = step.role;
          const override = role === 'manager' ? undefined : activeNow.find((o) => o.role === role);
          const holder =
            role === 'manager' ? d.manager?.name : (override?.person.name ?? current?.[role]?.name);
          return (
            <TitledCard
              key={`${role}-${String(i)}`}
              testId={`oncall-${role}`}
              title={ROLE_TITLES[role]}
              caption={pagedText(step.afterMinutes)}
            >
              <span className={s.big}>{holder ?? 'Nobody'}</span>
              {override && (
                <Caption1>
                  standing in for {current?.[role as 'primary' | 'secondary']?.name ?? 'nobody'} until{' '}
                  <When t={override.end} />
                </Caption1>
              )}
              {role === 'manager' ? (
                <Caption1>the support manager (ONCALL_MANAGER)</Caption1>
              ) : (
                current && (
                  <Caption1>
                    this week: <When t={current.start} /> to <When t={current.end} />
                  </Caption1>
                )
              )}
            </TitledCard>
          );
        })}
      </div>
      <h3>Next weeks</h3>
      <DataTable
        label="Rotation"
        columns={['From', 'Primary', 'Secondary']}
        rows={later}
        scroll={false}
        row={(w) => (
          <TableRow key={w.start}>
            <TableCell>
              <When t={w.start} />
            </TableCell>
            <TableCell>{w.primary.name}</TableCell>
            <TableCell>{w.secondary?.name ?? 'Nobody'}</TableCell>
          </TableRow>
        )}
      />
      <h3>Overrides</h3>
      <DataTable
        label="Overrides"
        columns={['Who', 'As', 'From', 'To', 'Why']}
        rows={d.overrides}
        scroll={false}
        empty={<Empty title="No overrides">Everyone is on call as the rotation says.</Empty>}
        row={(o) => (
          <TableRow key={`${o.person.id}-${o.start}`}>
            <TableCell>{o.person.name}</TableCell>
            <TableCell>{o.role}</TableCell>
            <TableCell>
              <When t={o.start} />
            </TableCell>
            <TableCell>
              <When t={o.end} />
            </TableCell>
            <TableCell>
              <Text>{o.reason ?? ''}</Text>
            </TableCell>
          </TableRow>
        )}
      />
    </section>
  );
}
