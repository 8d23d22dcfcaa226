// On-call: this week's primary and secondary, the weeks after, and overrides.
import {
  Card,
  CardHeader,
  Caption1,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { OnCall as OnCallData } from '../api/types';
import { useApi } from '../api/useApi';
import { Empty, ErrorState, HeaderRow, Loading, When } from '../components/Bits';

const useStyles = makeStyles({
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))',
    gap: tokens.spacingHorizontalL,
    margin: `${tokens.spacingVerticalL} 0`,
  },
  big: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
});

export function OnCall() {
  const s = useStyles();
  const [load, refresh] = useApi<OnCallData>('/api/oncall', 300_000);
  if (load.kind === 'loading') return <Loading label="Loading the rotation…" />;
  if (load.kind === 'error') return <ErrorState message={load.message} onRetry={refresh} />;
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
      {current && (
        <div className={s.cards}>
          {(['primary', 'secondary'] as const).map((role) => {
            const override = activeNow.find((o) => o.role === role);
            return (
              <Card key={role} data-testid={`oncall-${role}`}>
                <CardHeader header={<Subtitle2>{role === 'primary' ? 'Primary' : 'Secondary'}</Subtitle2>} />
                <span className={s.big}>
                  {override ? override.person.name : (current[role]?.name ?? 'Nobody')}
                </span>
                {override && (
                  <Caption1>
                    standing in for {current[role]?.name ?? 'nobody'} until <When t={override.end} />
                  </Caption1>
                )}
                <Caption1>
                  this week: <When t={current.start} /> to <When t={current.end} />
                </Caption1>
              </Card>
            );
          })}
        </div>
      )}
      <h3>Next weeks</h3>
      <Table size="small" aria-label="Rotation">
        <HeaderRow labels={['From', 'Primary', 'Secondary']} />
        <TableBody>
          {later.map((w) => (
            <TableRow key={w.start}>
              <TableCell>
                <When t={w.start} />
              </TableCell>
              <TableCell>{w.primary.name}</TableCell>
              <TableCell>{w.secondary?.name ?? 'Nobody'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <h3>Overrides</h3>
      {d.overrides.length === 0 ? (
        <Empty title="No overrides">Everyone is on call as the rotation says.</Empty>
      ) : (
        <Table size="small" aria-label="Overrides">
          <HeaderRow labels={['Who', 'As', 'From', 'To', 'Why']} />
          <TableBody>
            {d.overrides.map((o) => (
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
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
