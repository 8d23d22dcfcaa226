// Small shared pieces: times in two zones, state badges, countdowns, and the designed loading, error and
// empty states.
import {
  Badge,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { RowState, TargetView } from '../../../src/adapters/api/contract';
import type { Load } from '../api/useApi';
import { dateTime, duration, sameWall, viewerZone } from './time';
import { useSession } from './Zone';

const useStyles = makeStyles({
  both: { display: 'inline-flex', flexDirection: 'column', lineHeight: tokens.lineHeightBase200 },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
    textAlign: 'center',
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    color: tokens.colorNeutralForeground2,
  },
  center: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  mono: { fontVariantNumeric: 'tabular-nums' },
});

/**
 * A time in the viewer's zone, with the support zone's wall time under it when it differs; `small` draws
 * both lines at caption size, for a line of caption text.
 */
export function When({ t, small = false }: { readonly t: number | null; readonly small?: boolean }) {
  const s = useStyles();
  const { me, offsetMs } = useSession();
  if (t === null) return <Text>—</Text>;
  const both = me.timeZone !== viewerZone && !sameWall(t, me.timeZone);
  // The year shows for a time outside the current year (the server's clock, as countdowns follow it).
  const now = Date.now() + offsetMs;
  return (
    <span className={s.both}>
      {small ? (
        <Caption1>{dateTime(t, undefined, now)}</Caption1>
      ) : (
        <Text>{dateTime(t, undefined, now)}</Text>
      )}
      {both && (
        <Caption1>
          {dateTime(t, me.timeZone, now)} {me.timeZoneLabel}
        </Caption1>
      )}
    </span>
  );
}

const STATE_LABEL: Readonly<Record<RowState, string>> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  breached: 'Breached',
  paused: 'Paused',
  met: 'Met',
  resolved: 'Resolved',
  closed: 'Closed',
};

export function StateBadge({ state }: { readonly state: RowState }) {
  const color =
    state === 'breached'
      ? 'danger'
      : state === 'at-risk'
        ? 'warning'
        : state === 'on-track'
          ? 'success'
          : state === 'paused'
            ? 'informative'
            : 'subtle';
  return (
    <Badge appearance="tint" color={color} data-state={state}>
      {STATE_LABEL[state]}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { readonly priority: string }) {
  return (
    <Badge
      appearance={priority === 'P1' ? 'filled' : 'outline'}
      color={priority === 'P1' ? 'danger' : 'brand'}
    >
      {priority}
    </Badge>
  );
}

/**
 * Live time left: wall time to the deadline, and budget left on the target's clock (which only runs while
 * the clock counts), from the figures the server sent at `fetchedAt` (server time).
 */
export function Countdown({
  target,
  now,
  fetchedAt,
}: {
  readonly target: TargetView;
  readonly now: number;
  readonly fetchedAt: number;
}) {
  const s = useStyles();
  if (target.state === 'met')
    return (
      <Caption1>
        met <When t={target.metAt} />
      </Caption1>
    );
  if (target.state === 'paused' || target.due === null)
    return <Caption1>clock stopped · {duration(target.businessLeftMs)} budget left</Caption1>;
  const wall = target.due - now;
  const business = Math.max(0, target.businessLeftMs - (target.counting ? Math.max(0, now - fetchedAt) : 0));
  if (wall <= 0)
    return (
      <span className={s.mono}>
        <Text weight="semibold">{duration(-wall)} overdue</Text>
      </span>
    );
  return (
    <span className={s.both}>
      {target.clock !== 'continuous' && (
        <Text className={s.mono} weight="semibold">
          {duration(business)} of {target.clock === 'support-hours' ? 'support hours' : 'business days'}
        </Text>
      )}
      <Caption1 className={s.mono}>{duration(wall)} wall clock</Caption1>
    </span>
  );
}

/**
 * When a target stands: a met one when it was met (its deadline no longer matters; the "Met" badge beside
 * says so once), else when it is due.
 */
export function TargetWhen({ target }: { readonly target: TargetView }) {
  if (target.metAt !== null) return <When t={target.metAt} />;
  if (target.due === null) return <>clock stopped</>;
  return (
    <>
      due <When t={target.due} />
    </>
  );
}

export function Loading({ label }: { readonly label: string }) {
  const s = useStyles();
  return (
    <div className={s.center} role="status">
      <Spinner label={label} />
    </div>
  );
}

export function ErrorState({
  message,
  onRetry,
}: {
  readonly message: string;
  readonly onRetry?: () => void;
}) {
  return (
    <MessageBar layout="multiline" intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>Something went wrong.</MessageBarTitle>
        {message}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

/** A one-line message bar: what an action did, or why it failed. */
export function Note({
  intent,
  testId,
  children,
}: {
  readonly intent: 'success' | 'error' | 'info';
  readonly testId?: string;
  readonly children: ReactNode;
}) {
  return (
    <MessageBar
      layout="multiline"
      intent={intent}
      {...(testId === undefined ? {} : { 'data-testid': testId })}
    >
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

export function Empty({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.empty} data-testid="empty">
      <Subtitle2>{title}</Subtitle2>
      {children && <Text>{children}</Text>}
    </div>
  );
}

/** A load's designed loading or error state; nothing once it is ready. */
export function Pending({
  load,
  label,
  onRetry,
}: {
  readonly load: Load<unknown>;
  readonly label: string;
  readonly onRetry: () => void;
}) {
  if (load.kind === 'loading') return <Loading label={label} />;
  if (load.kind === 'error') return <ErrorState message={load.message} onRetry={onRetry} />;
  return null;
}
