// The app's code, loaded by main.tsx: picks the theme for the first paint (the system's) and mounts App with
// the session main.tsx started asking for.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { Session } from './components/Zone';
import { loadTheme, systemTheme, type ThemeChoice } from './theme';

export async function start(root: HTMLElement, session: Promise<Session> | undefined): Promise<void> {
  const choice: ThemeChoice = { name: systemTheme(), teams: false };
  const theme = await loadTheme(choice);
  createRoot(root).render(
    <StrictMode>
      <App initial={{ choice, theme, ...(session === undefined ? {} : { session }) }} />
    </StrictMode>,
  );
}
