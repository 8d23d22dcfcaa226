// Shown when Teams cannot sign the person in because nobody has yet let SLA Desk do so in their tenant
// (getAuthToken's consent errors): what is missing, a Continue button that opens Microsoft's consent in
// Teams' sign-in window (auth-start.html), and the admin-consent link for tenants where only admins may
// approve apps. A chunk of its own, loaded only then.
import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { authenticateIn, teamsUser } from '../api/host';
import { adminConsentUrl, reasonText, START_PATH } from '../auth/flow';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalM,
    maxWidth: '640px',
    padding: tokens.spacingVerticalL,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
  },
  title: { margin: 0 },
  admin: { color: tokens.colorNeutralForeground2 },
  link: { overflowWrap: 'anywhere' },
});

export function Consent({
  clientId,
  loginEndpoint,
  onConsented,
}: {
  readonly clientId: string;
  readonly loginEndpoint: string;
  /** Called when the person gave consent: sign in again. */
  readonly onConsented: () => void;
}) {
  const s = useStyles();
  const [user, setUser] = useState<{ tenantId: string | null; loginHint: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    teamsUser().then(
      (u) => {
        if (live) setUser(u);
      },
      () => {
        if (live) setUser({ tenantId: null, loginHint: null });
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const ask = (): void => {
    const q = new URLSearchParams();
    if (user?.tenantId) q.set('tenant', user.tenantId);
    if (user?.loginHint) q.set('loginHint', user.loginHint);
    setBusy(true);
    setFailed(null);
    authenticateIn(`${window.location.origin}${START_PATH}?${q.toString()}`).then(
      () => {
        setBusy(false);
        onConsented();
      },
      (e: unknown) => {
        setBusy(false);
        setFailed(reasonText(e instanceof Error ? e.message : String(e)));
      },
    );
  };

  const admin = adminConsentUrl(loginEndpoint, user?.tenantId ?? null, clientId);
  return (
    <section className={s.root} aria-labelledby="consent-title" data-testid="consent">
      <Subtitle1 as="h2" id="consent-title" className={s.title}>
        SLA Desk needs your permission to sign you in
      </Subtitle1>
      <Text>
        Teams cannot sign you in to SLA Desk until you, or an admin of your organisation, allow it. Select
        Continue to open Microsoft’s sign-in window, where you can review what SLA Desk asks for and accept
        it.
      </Text>
      {failed !== null && (
        <MessageBar intent="error" role="alert" data-testid="consent-failed">
          <MessageBarBody>{failed}</MessageBarBody>
        </MessageBar>
      )}
      <Button appearance="primary" disabled={busy || user === null} onClick={ask}>
        {failed === null ? 'Continue' : 'Try again'}
      </Button>
      {busy && <Spinner size="tiny" label="Waiting for the sign-in window…" />}
      <Text className={s.admin} data-testid="consent-admin">
        If your organisation lets only admins approve apps, the window will say that an admin’s approval is
        needed. Your IT admin can approve SLA Desk for everyone in your organisation by opening this link:{' '}
        <Link href={admin} target="_blank" rel="noreferrer" className={s.link}>
          {admin}
        </Link>
      </Text>
    </section>
  );
}
