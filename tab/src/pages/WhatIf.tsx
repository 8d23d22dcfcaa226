// What-if: a priority and an instant in, both deadlines and their warnings out, from the server's engine.
import { Button, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { getJson } from '../api/client';
import { TARGET_LABELS, type WhatIf as WhatIfData } from '../../../src/adapters/api/contract';
import { ErrorState, When } from '../components/Bits';
import { SelectField, type Choice } from '../components/Fields';
import { cardGrid, TitledCard } from '../components/Cards';
import { budgetText } from '../components/words';
import { useSession } from '../components/Zone';

const useStyles = makeStyles({
  form: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'end', flexWrap: 'wrap' },
  cards: cardGrid('300px', { marginTop: tokens.spacingVerticalL }),
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** "2026-11-27T23:10" in the viewer's zone → ISO with the viewer's offset. */
function withOffset(local: string): string {
  const d = new Date(local);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
  const mm = String(Math.abs(off) % 60).padStart(2, '0');
  return `${local}:00${sign}${hh}:${mm}`;
}

const PRIORITY_CHOICES: readonly Choice[] = [
  ['P1', 'P1 system-wide outage'],
  ['P2', 'P2 partial outage'],
  ['P3', 'P3 provisioning'],
];

export function WhatIf() {
  const s = useStyles();
  const { offsetMs } = useSession();
  const [priority, setPriority] = useState('P2');
  const [at, setAt] = useState(() => {
    const d = new Date(Date.now() + offsetMs - new Date().getTimezoneOffset() * 60_000);
    return d.toISOString().slice(0, 16);
  });
  const [result, setResult] = useState<WhatIfData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = () => {
    setBusy(true);
    setError(null);
    getJson<WhatIfData>(`/api/whatif?priority=${priority}&at=${encodeURIComponent(withOffset(at))}`).then(
      (r) => {
        setResult(r);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        setBusy(false);
      },
    );
  };
  return (
    <section aria-labelledby="whatif-title">
      <h2 id="whatif-title" className="page-title">
        What if a ticket came in…
      </h2>
      <form
        className={s.form}
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <SelectField label="Priority" value={priority} onChange={setPriority} options={PRIORITY_CHOICES} />
        <Field label="Filed at (your time)">
          <Input type="datetime-local" value={at} onChange={(_e, d) => setAt(d.value)} required />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy || at === ''}>
          Show deadlines
        </Button>
      </form>
      {error !== null && <ErrorState message={error} />}
      {result !== null && (
        <>
          <Text as="p">
            Filed <When t={result.at} />: {result.window === 'in-hours' ? 'inside' : 'outside'} support hours,
            so the {result.window} targets apply.
          </Text>
          <div className={s.cards}>
            {[result.response, result.workaround].map((t) => (
              <TitledCard
                key={t.target}
                testId={`whatif-${t.target}`}
                title={TARGET_LABELS[t.target]}
                caption={budgetText(t.budgetMinutes, t.clock)}
              >
                <Text weight="semibold">
                  Due <When t={t.due} />
                </Text>
                <ul className={s.list}>
                  {t.warnings.map((w) => (
                    <li key={w.percent}>
                      {w.percent === 100 ? 'Breach' : `${w.percent} % warning`}: <When t={w.firesAt} />
                      {w.deliverAt !== w.firesAt && (
                        <>
                          {' '}
                          · posted at <When t={w.deliverAt} />
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              </TitledCard>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
