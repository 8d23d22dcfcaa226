// The sign-in window's last page (auth-end.html), where Entra sends the person back: the state must be the
// one auth-start.html kept, then Teams is told the outcome (authentication.notifySuccess / notifyFailure) and
// closes the window. The code in the answer is dropped from the address at once and never used. Opened
// after an admin's approval (adminconsent), it only says what happened.
import { app, authentication } from '../api/teams';
import { outcomeOf, reasonText, STATE_KEY } from './flow';

function say(text: string): void {
  const p = document.getElementById('status');
  if (p !== null) p.textContent = text;
}

async function finish(): Promise<void> {
  const answer = new URLSearchParams(window.location.hash.slice(1));
  const query = new URLSearchParams(window.location.search);
  window.history.replaceState(null, '', window.location.pathname);
  if (query.has('admin_consent') || (query.has('error') && !answer.has('state'))) {
    say(
      query.get('admin_consent') === 'True'
        ? 'SLA Desk is approved for your organisation: people can now open it in Teams. You can close this window.'
        : 'SLA Desk was not approved for your organisation. You can close this window.',
    );
    return;
  }
  const sent = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  const outcome = outcomeOf(answer, sent);
  say(outcome.ok ? 'Signed in. Going back to SLA Desk…' : reasonText(outcome.reason));
  await app.initialize();
  if (outcome.ok) authentication.notifySuccess();
  else authentication.notifyFailure(outcome.reason);
}

finish().catch(() => {
  say("This window belongs to SLA Desk's sign-in in Teams; open SLA Desk in Teams to sign in.");
});
