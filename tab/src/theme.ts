// The tab's theme: the system's (prefers-color-scheme, forced-colors) in a browser, Teams' inside Teams.
// Only the light web theme is in the first chunk; the others load when first needed.
import { webLightTheme, type Theme } from '@fluentui/react-components';
import type { ThemeName } from './api/host';

export interface ThemeChoice {
  readonly name: ThemeName;
  /** Inside Teams (its own palettes), else the web's. */
  readonly teams: boolean;
}

export function systemTheme(): ThemeName {
  if (window.matchMedia('(forced-colors: active)').matches) return 'contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme at once when it is in this chunk, else undefined (then `loadTheme`). */
export function themeNow(c: ThemeChoice): Theme | undefined {
  return c.name === 'light' && !c.teams ? webLightTheme : undefined;
}

/** The Fluent theme for a choice. */
export async function loadTheme(c: ThemeChoice): Promise<Theme> {
  const now = themeNow(c);
  if (now !== undefined) return now;
  const t = await import('./themes');
  if (c.name === 'contrast') return t.teamsHighContrastTheme;
  if (c.name === 'dark') return c.teams ? t.teamsDarkTheme : t.webDarkTheme;
  return t.teamsLightTheme;
}
