// Whether the Core Service is up right now, and any ongoing outage: a banner above the availability view.
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ServiceStatus as Status } from '../../../src/adapters/api/contract';
import { useApi } from '../api/useApi';
import { When } from './Bits';

export function ServiceStatus() {
  const [load] = useApi<Status>('/api/status', 30_000);
  if (load.kind !== 'ready') return null;
  const s = load.data;
  if (s.up)
    return (
      <MessageBar layout="multiline" intent="success" data-testid="service-status" data-up="true">
        <MessageBarBody>
          <MessageBarTitle>The {s.service} is up</MessageBarTitle>
          No outage is ongoing.
        </MessageBarBody>
      </MessageBar>
    );
  return (
    <MessageBar layout="multiline" intent="error" data-testid="service-status" data-up="false">
      <MessageBarBody>
        <MessageBarTitle>
          {s.ongoing.length === 1 ? 'An outage is ongoing' : `${s.ongoing.length} outages are ongoing`}
        </MessageBarTitle>
        {s.ongoing.map((o) => (
          <span key={o.id}>
            {o.affected}, since <When t={o.start} />.{' '}
          </span>
        ))}
      </MessageBarBody>
    </MessageBar>
  );
}
