// Staff's bar over selected tickets: "N selected: Take · Assign to…". One POST /api/tickets/bulk per press
// (a fresh request id, so a press is applied once); what failed is said on each ticket, the rest refreshes.
import { Button, Caption1, Field, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { BulkResults, PersonView, StaffPeople } from '../../../../src/adapters/api/contract';
import { getJson, postJson } from '../../api/client';
import { Note } from '../../components/Bits';
import { Options } from '../../components/Fields';

/** The answer of POST /api/tickets/bulk. */
export type BulkAnswer = BulkResults;

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'end',
    gap: tokens.spacingHorizontalS,
    padding: tokens.spacingHorizontalS,
    marginBottom: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorBrandStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    '& > *': { minWidth: 0 },
  },
  count: { alignSelf: 'center', fontWeight: tokens.fontWeightSemibold },
});

/** Staff to assign to: GET /api/staff, else the session's list. */
function useStaff(fallback: readonly PersonView[]): readonly PersonView[] {
  const [people, setPeople] = useState<readonly PersonView[]>(fallback);
  useEffect(() => {
    let live = true;
    getJson<StaffPeople>('/api/staff').then(
      (got) => {
        if (live && got.people.length > 0) setPeople(got.people);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return people;
}

export function BulkBar({
  ids,
  staff,
  done,
  clear,
}: {
  readonly ids: readonly string[];
  readonly staff: readonly PersonView[];
  /** Told what each ticket's result was. */
  readonly done: (answer: BulkAnswer) => void;
  readonly clear: () => void;
}) {
  const s = useStyles();
  const people = useStaff(staff);
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  const press = (action: { action: 'take' } | { action: 'assign'; to: string }) => {
    setBusy(true);
    setSaid(null);
    postJson<BulkAnswer>('/api/tickets/bulk', { ...action, ids, requestId: crypto.randomUUID() }).then(
      (answer) => {
        setBusy(false);
        const good = answer.results.filter((r) => r.ok).length;
        const bad = answer.results.length - good;
        const verb = action.action === 'take' ? 'Took' : 'Assigned';
        setSaid({
          intent: bad === 0 ? 'success' : 'error',
          text:
            `${verb} ${good} of ${answer.results.length}.` +
            (bad > 0 ? ` ${bad} could not be changed: the reason is shown on each.` : ''),
        });
        done(answer);
      },
      (err: unknown) => {
        setBusy(false);
        setSaid({
          intent: 'error',
          text: `Nothing was changed: ${err instanceof Error ? err.message : String(err)}`,
        });
      },
    );
  };

  return (
    <div role="region" aria-label="Selected tickets" data-testid="bulk-bar">
      {ids.length > 0 && (
        <div className={s.bar}>
          <Caption1 className={s.count} aria-live="polite">
            {ids.length} selected:
          </Caption1>
          <Button appearance="primary" disabledFocusable={busy} onClick={() => press({ action: 'take' })}>
            Take
          </Button>
          <Field label="Assign to">
            <Select value={to} onChange={(_e, d) => setTo(d.value)} disabled={busy}>
              <option value="">Choose…</option>
              <Options of={people.map((p) => [p.id, p.name] as const)} />
            </Select>
          </Field>
          <Button
            disabled={to === ''}
            disabledFocusable={busy}
            onClick={() => press({ action: 'assign', to })}
          >
            Assign
          </Button>
          <Button appearance="subtle" disabledFocusable={busy} onClick={clear}>
            Clear selection
          </Button>
        </div>
      )}
      <div aria-live="polite">
        {said && (
          <Note intent={said.intent} testId="bulk-result">
            {said.text}
          </Note>
        )}
      </div>
    </div>
  );
}
