// The channel tab's configuration page (Teams pages.config): pick the view the tab opens on.
import { Field, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { initTeams, teamsJs } from '../api/host';

const VIEWS = [
  ['queue', 'Queue'],
  ['dashboard', 'SLA dashboard'],
  ['availability', 'Availability'],
  ['oncall', 'On call'],
] as const;

export function Config() {
  const [view, setView] = useState<string>('queue');
  const [inTeams, setInTeams] = useState<boolean | null>(null);
  useEffect(() => {
    void initTeams().then(setInTeams);
  }, []);
  useEffect(() => {
    if (inTeams !== true) return;
    const name = VIEWS.find(([v]) => v === view)?.[1] ?? 'SLA Desk';
    void teamsJs().then(({ pages }) => {
      pages.config.registerOnSaveHandler((save) => {
        const base = `${window.location.origin}/tab/index.html`;
        pages.config
          .setConfig({
            entityId: `sla-desk-${view}`,
            contentUrl: `${base}#/${view}`,
            websiteUrl: `${base}#/${view}`,
            suggestedDisplayName: `SLA Desk ${name}`,
          })
          .then(
            () => save.notifySuccess(),
            (e: unknown) => save.notifyFailure(String(e)),
          );
      });
      pages.config.setValidityState(true);
    });
  }, [inTeams, view]);
  return (
    <section aria-labelledby="config-title">
      <h2 id="config-title" className="page-title">
        Add SLA Desk to this channel
      </h2>
      <Field label="The tab opens on">
        <RadioGroup value={view} onChange={(_e, d) => setView(d.value)}>
          {VIEWS.map(([v, label]) => (
            <Radio key={v} value={v} label={label} />
          ))}
        </RadioGroup>
      </Field>
      {inTeams === false && (
        <Text as="p">
          This page configures the tab inside Teams. In a browser, use the views above instead.
        </Text>
      )}
    </section>
  );
}
