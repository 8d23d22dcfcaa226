// A reopened ticket's rounds on its page: when each began and who reopened it, where each target stands
// (open, met or missed) and when the round ended. Earlier rounds keep their figures (docs/sla-rules.md,
// "Reopening").
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { RoundView } from '../../../src/adapters/api/contract';
import { When } from './Bits';

const useStyles = makeStyles({
  rounds: { display: 'grid', gap: tokens.spacingVerticalM, margin: 0, paddingLeft: 0, listStyle: 'none' },
  lines: { display: 'grid', gap: tokens.spacingVerticalXS, margin: 0, padding: 0, listStyle: 'none' },
  line: {
    display: 'grid',
    gridTemplateColumns: '7.5em minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'baseline',
  },
  what: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: tokens.spacingHorizontalXS },
  piece: { whiteSpace: 'nowrap' },
});

/**
 * Where a target of a round stands at `now`, in words before its time: met (on time or late), missed (its
 * deadline passed unmet), open (still running), or not needed (the round ended before it was due).
 */
export function targetWords(
  due: number | null,
  met: number | null,
  end: number | null,
  now: number,
): { words: string; at: number | null; due: number | null } {
  if (met !== null)
    return { words: due === null || met <= due ? 'met on time' : 'met late', at: met, due: null };
  if (due === null) return { words: end === null ? 'open, not due yet' : 'not needed', at: null, due: null };
  const over = end ?? now;
  if (due < over) return { words: 'missed, was due', at: due, due: null };
  if (end !== null) return { words: 'not needed: the round ended', at: end, due };
  return { words: 'open, due', at: due, due: null };
}

function Line({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  const s = useStyles();
  return (
    <li className={s.line}>
      <Text weight="semibold">{label}</Text>
      <span className={s.what}>{children}</span>
    </li>
  );
}

function Target({
  label,
  due,
  met,
  end,
  now,
}: {
  readonly label: string;
  readonly due: number | null;
  readonly met: number | null;
  readonly end: number | null;
  readonly now: number;
}) {
  const s = useStyles();
  const w = targetWords(due, met, end, now);
  return (
    <Line label={label}>
      <Text className={s.piece}>{w.words}</Text>
      {w.at !== null && (
        <span className={s.piece}>
          <When t={w.at} />
        </span>
      )}
      {w.due !== null && (
        <>
          <Text className={s.piece}>before it was due</Text>
          <span className={s.piece}>
            <When t={w.due} />
          </span>
        </>
      )}
    </Line>
  );
}

/** The rounds of a reopened ticket (nothing for a ticket never reopened); `now`: the server's instant. */
export function Rounds({ rounds, now }: { readonly rounds: readonly RoundView[]; readonly now: number }) {
  const s = useStyles();
  if (rounds.length < 2) return null;
  return (
    <section aria-label="Rounds" data-testid="rounds">
      <Text weight="semibold">Rounds</Text>
      <ol className={s.rounds}>
        {rounds.map((r) => (
          <li key={r.n} data-testid={`round-${r.n}`}>
            <Text>
              Round {r.n}, {r.n === 1 ? 'filed ' : 'reopened '}
              <When t={r.start} />
              {r.by === null ? '' : ` by ${r.by}`} · {r.priority} ·{' '}
              {r.window === 'in-hours' ? 'in hours' : 'after hours'}
              {r.current ? ' · current' : ''}
            </Text>
            <ul className={s.lines}>
              <Target
                label="Response"
                due={r.responseDue}
                met={r.responseMetAt}
                end={r.resolvedAt}
                now={now}
              />
              <Target
                label="Work-around"
                due={r.workaroundDue}
                met={r.workaroundMetAt}
                end={r.resolvedAt}
                now={now}
              />
              {r.resolvedAt !== null && (
                <Line label="Resolved">
                  <span className={s.piece}>
                    <When t={r.resolvedAt} />
                  </span>
                </Line>
              )}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
