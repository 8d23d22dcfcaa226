/** Jest: TypeScript through ts-jest (transpile only; `npm run typecheck` checks types). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup.ts'],
  // Builds the tab (tab/dist) when it is missing or older than its sources, for the browser tests.
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};
