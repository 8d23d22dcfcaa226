// The themes other than the light web one, as a chunk of their own (see theme.ts).
export {
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  webDarkTheme,
} from '@fluentui/react-components';
