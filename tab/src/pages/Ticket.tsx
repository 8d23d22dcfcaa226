// One ticket: its deadlines with the reasons behind each, in words, its timeline, and for staff the actions.
import { Body1, Caption1, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { TicketDetail } from '../../../src/adapters/api/contract';
import { eventLabel } from '../../../src/domain/tickets/event-labels';
import { useApi } from '../api/useApi';
import { cardGrid, SPACED, TitledCard } from '../components/Cards';
import { Countdown, Empty, Pending, PriorityBadge, StateBadge, TargetWhen, When } from '../components/Bits';
import { duration } from '../components/time';
import { TicketActions } from '../components/TicketActions';
import { useNow, useSession } from '../components/Zone';

const useStyles = makeStyles({
  head: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  // Never wider than the page: one column on a phone.
  grid: cardGrid('min(320px, 100%)', SPACED),
  reasons: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
  timeline: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  event: {
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    paddingLeft: tokens.spacingHorizontalM,
    display: 'grid',
    gap: tokens.spacingVerticalXXS,
  },
  internal: { borderLeftColor: tokens.colorPaletteYellowBorderActive },
  desc: { whiteSpace: 'pre-wrap' },
});

export function Ticket({ id }: { readonly id: string }) {
  const s = useStyles();
  const { offsetMs, me } = useSession();
  const [load, refresh] = useApi<TicketDetail>(`/api/tickets/${encodeURIComponent(id)}`, 30_000);
  const now = useNow(offsetMs);
  if (load.kind === 'error' && load.status === 404)
    return (
      <Empty title={`No ticket ${id}`}>
        It does not exist, or it is not yours to see. <Link href="#/queue">Back to the queue</Link>
      </Empty>
    );
  if (load.kind !== 'ready') return <Pending load={load} label={`Loading ${id}…`} onRetry={refresh} />;
  const { ticket: t, timeline, explanations } = load.data;
  return (
    <article aria-labelledby="ticket-title">
      <Link href="#/queue">← Queue</Link>
      <div className={s.head}>
        <h2 id="ticket-title" className="page-title">
          {t.id}: {t.title}
        </h2>
        <PriorityBadge priority={t.priority} />
        <StateBadge state={t.state} />
      </div>
      <div>
        <Caption1>
          {t.customerName} · {t.category} · filed by {t.requester} ·{' '}
          {t.window === 'in-hours' ? 'in hours' : 'after hours'}
          {' · '}
          {t.owner ? `owner ${t.owner.name}` : 'no owner yet'} · status {t.status.replace(/-/g, ' ')}
          {t.pausedMs > 0 ? ` · waited on the customer ${duration(t.pausedMs)}` : ''}
        </Caption1>
      </div>
      <Body1 as="p" className={s.desc}>
        {t.description}
      </Body1>
      {me.role !== 'customer' && <TicketActions key={t.id} ticket={t} onChanged={refresh} />}
      <div className={s.grid}>
        {t.targets.map((target, i) => (
          <TitledCard
            key={target.target}
            testId={`deadline-${target.target}`}
            title={target.label}
            description={
              <span>
                <StateBadge state={target.state} /> <TargetWhen target={target} />
              </span>
            }
          >
            <Countdown target={target} now={now} fetchedAt={load.data.now} />
            <ul
              className={s.reasons}
              aria-label={`Why the ${target.label.toLowerCase()} deadline is what it is`}
            >
              {(explanations[i]?.reasons ?? []).map((r) => (
                <li key={r.topic + r.text}>
                  <Text>{r.text}</Text>
                </li>
              ))}
            </ul>
          </TitledCard>
        ))}
      </div>
      <h3>Timeline</h3>
      {timeline.length === 0 ? (
        <Empty title="No events yet" />
      ) : (
        <ol className={s.timeline}>
          {timeline.map((e) => (
            <li key={e.seq} className={e.internal ? `${s.event} ${s.internal}` : s.event}>
              <Caption1>
                <When t={e.at} /> · {e.by}
                {e.via === 'tab' ? ' · from the tab' : ''}
                {e.internal ? ' · internal' : ''}
              </Caption1>
              <Text weight="semibold">{eventLabel(e.type, 'timeline')}</Text>
              {e.text !== null && <Text className={s.desc}>{e.text}</Text>}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
