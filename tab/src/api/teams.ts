// The parts of teams-js the tab uses, as one chunk loaded only inside Teams (host.ts); named here so the
// rest of the library is left out of the build.
export { app, authentication, pages } from '@microsoft/teams-js';
