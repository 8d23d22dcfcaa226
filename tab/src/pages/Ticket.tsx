// One ticket: its deadlines with the reasons behind each, in words, its files, its timeline, and for staff the
// actions. A deep link may point at one of its files (`file`).
import { Body1, Caption1, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { TicketDetail } from '../../../src/adapters/api/contract';
import { eventTitle, STATUS_WORDS } from '../../../src/domain/tickets/event-labels';
import { useApi } from '../api/useApi';
import { Attachments } from '../components/Attachments';
import { fileEventText } from '../components/file-words';
import { cardGrid, SPACED, TitledCard } from '../components/Cards';
import { Countdown, Empty, Pending, PriorityBadge, StateBadge, TargetWhen, When } from '../components/Bits';
import { duration } from '../components/time';
import { RatingLine } from '../components/RatingLine';
import { TicketActions } from '../components/TicketActions';
import { Rounds } from '../components/Rounds';
import { useSession } from '../components/Zone';

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
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    '& dd': { margin: 0 },
    '& dt': { color: tokens.colorNeutralForeground3 },
  },
  escalation: {
    borderLeft: `3px solid ${tokens.colorPaletteRedBorderActive}`,
    paddingLeft: tokens.spacingHorizontalM,
  },
});

/** `back` names the queue as the viewer's navigation does ("Queue" for staff, "My tickets" for a customer). */
export function Ticket({
  id,
  file,
  back = 'Queue',
}: {
  readonly id: string;
  readonly file?: string | undefined;
  readonly back?: string;
}) {
  const s = useStyles();
  const { me } = useSession();
  const [load, refresh] = useApi<TicketDetail>(`/api/tickets/${encodeURIComponent(id)}`, 30_000);
  if (load.kind === 'error' && load.status === 404)
    return (
      <Empty title={`No ticket ${id}`}>
        It does not exist, or it is not yours to see.{' '}
        <Link href="#/queue">Back to {back === 'Queue' ? 'the queue' : back.toLowerCase()}</Link>
      </Empty>
    );
  if (load.kind !== 'ready') return <Pending load={load} label={`Loading ${id}…`} onRetry={refresh} />;
  const { ticket: t, timeline, explanations, attachments = [] } = load.data;
  // The deadlines' time left is read at the server's instant of this answer (refreshed every 30 s), the
  // instant the explanations were written at: the same minutes in both places.
  const at = load.data.now;
  return (
    <article aria-labelledby="ticket-title">
      <Link href="#/queue">← {back}</Link>
      <div className={s.head}>
        <h2 id="ticket-title" className="page-title">
          {t.id}: {t.title}
        </h2>
        <PriorityBadge priority={t.priority} />
        <StateBadge state={t.state} />
      </div>
      <div>
        <Caption1>
          {t.owner ? `owner ${t.owner.name}` : 'no owner yet'} · status {STATUS_WORDS[t.status]} · filed{' '}
          {t.window === 'in-hours' ? 'in hours' : 'after hours'}
          {t.pausedMs > 0 ? ` · waited on the customer ${duration(t.pausedMs, true)}` : ''}
        </Caption1>
      </div>
      {t.rating !== null && <RatingLine rating={t.rating} customer={me.role === 'customer'} />}
      {t.escalation !== null && (
        <p className={s.escalation} data-testid="escalation">
          <Text weight="semibold">Escalated by the customer</Text> · {t.escalation.by} ·{' '}
          <When t={t.escalation.at} />
          {t.escalation.reason !== null && (
            <>
              {': '}
              <Text className={s.desc}>{t.escalation.reason}</Text>
            </>
          )}
        </p>
      )}
      <dl className={s.details} aria-label="Ticket details">
        <dt>Requester</dt>
        <dd>{t.requester}</dd>
        <dt>Customer</dt>
        <dd>{t.customerName}</dd>
        <dt>Category</dt>
        <dd>{t.category}</dd>
        <dt>Callback</dt>
        <dd>
          {t.callbackNumber === null ? (
            '—'
          ) : (
            <Link href={`tel:${t.callbackNumber.replace(/[^+\d]/g, '')}`}>{t.callbackNumber}</Link>
          )}
        </dd>
        <dt>Affected users</dt>
        <dd>{t.affectedUsers ?? '—'}</dd>
        <dt>Owner</dt>
        <dd>{t.owner?.name ?? 'No owner yet'}</dd>
        <dt>Fix release</dt>
        <dd>
          {t.fix === null ? (
            '—'
          ) : (
            <>
              {t.fix.release} · recorded <When t={t.fix.at} />
            </>
          )}
        </dd>
        {t.relatedTo !== null && (
          <>
            <dt>Follows up</dt>
            <dd>
              <Link href={`#/ticket/${t.relatedTo}`}>{t.relatedTo}</Link>
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <When t={t.dispatchedAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <When t={t.updatedAt} />
        </dd>
      </dl>
      <Body1 as="p" className={s.desc}>
        {t.description}
      </Body1>
      <Rounds rounds={t.rounds} now={at} />
      {me.role !== 'customer' && (
        <TicketActions
          key={t.id}
          ticket={t}
          files={{ ticketId: t.id, count: attachments.length, limits: load.data.attachmentLimits }}
          lastSeq={timeline.reduce((m, e) => Math.max(m, e.seq), 0)}
          onChanged={refresh}
        />
      )}
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
            {/* Read at the instant the explanation was written, so both say the same minutes. */}
            {target.state !== 'met' && <Countdown target={target} now={at} fetchedAt={load.data.now} />}
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
      <Attachments
        files={attachments}
        canDelete={me.role === 'manager'}
        highlight={file}
        onChanged={refresh}
      />
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
              <Text weight="semibold">{eventTitle(e, 'timeline')}</Text>
              {e.text !== null && <Text className={s.desc}>{fileEventText(e) ?? e.text}</Text>}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
