/** Jest runs TypeScript through SWC (transpile only; `npm run typecheck` does the type checking). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
  // Temporal's native bridge keeps a handle open (sdk-typescript#928); workers are torn down explicitly.
  forceExit: true,
};
