/** Jest runs the TypeScript sources as ESM (see README "Tests"), as three projects: unit, integration, e2e. */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // The CLI's fast path is CommonJS (.cts, see bin/rambridge.js); everything else is ESM. A `.cjs`
  // import is our .cts where one exists, else a dependency's own .cjs file.
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'ts', 'cts', 'json', 'node'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '^(\\.{1,2}/.*)\\.cjs$': ['$1.cts', '$1.cjs'] },
  transform: { '^.+\\.c?ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
};

const project = (name, extra = {}) => ({ ...shared, displayName: name, testMatch: [`<rootDir>/test/${name}/**/*.test.ts`], ...extra });

export default {
  projects: [
    project('unit'),
    project('integration'),
    // One demo and one Chromium for all e2e files, started only when an e2e test is selected.
    project('e2e', {
      globalSetup: '<rootDir>/test/e2e/shared/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/shared/global-teardown.ts',
    }),
  ],
  // Real browsers, IdPs and Redis servers start in these tests: generous, and never a speed assertion.
  testTimeout: 30000,
};
