// Entry: loads the theme for the first paint (asking the server for its sign-in settings meanwhile) and
// mounts the app. Everything else is in App.tsx.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { authConfig } from './api/client';
import { initTeams } from './api/host';
import { loadTheme, systemTheme, type ThemeChoice } from './theme';

const root = document.getElementById('root');
if (root !== null) {
  // Started now, so the answer is on its way while the theme loads; App reads the same promise.
  authConfig().catch(() => undefined);
  // Inside Teams, teams-js (a chunk of its own) starts loading now too.
  void initTeams();
  const choice: ThemeChoice = { name: systemTheme(), teams: false };
  void loadTheme(choice).then((theme) => {
    createRoot(root).render(
      <StrictMode>
        <App initial={{ choice, theme }} />
      </StrictMode>,
    );
  });
}
