// A reopened ticket's rounds on its page: when each began and who reopened it, its deadlines and when they
// were met. Earlier rounds keep their figures (docs/sla-rules.md, "Reopening").
import { Caption1, Text } from '@fluentui/react-components';
import type { RoundView } from '../../../src/adapters/api/contract';
import { When } from './Bits';

function Target({ label, due, met }: { label: string; due: number | null; met: number | null }) {
  return (
    <li>
      {label} due <When t={due} />
      {met === null ? ' · not met' : met <= (due ?? Infinity) ? ' · met on time ' : ' · met late '}
      {met !== null && <When t={met} />}
    </li>
  );
}

export function Rounds({ rounds }: { readonly rounds: readonly RoundView[] }) {
  if (rounds.length < 2) return null;
  return (
    <section aria-label="Rounds" data-testid="rounds">
      <Text weight="semibold">Rounds</Text>
      <ol>
        {rounds.map((r) => (
          <li key={r.n} data-testid={`round-${r.n}`}>
            <Text>
              Round {r.n}, {r.n === 1 ? 'filed ' : 'reopened '}
              <When t={r.start} />
              {r.by === null ? '' : ` by ${r.by}`} · {r.priority} ·{' '}
              {r.window === 'in-hours' ? 'in hours' : 'after hours'}
              {r.current ? ' · current' : ''}
            </Text>
            <ul>
              <Target label="Response" due={r.responseDue} met={r.responseMetAt} />
              <Target label="Work-around" due={r.workaroundDue} met={r.workaroundMetAt} />
            </ul>
            {r.resolvedAt !== null && (
              <Caption1>
                Resolved <When t={r.resolvedAt} />
              </Caption1>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
