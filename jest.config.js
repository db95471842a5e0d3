/** Jest runs the TypeScript sources as ESM (see README "Tests"), as three projects: unit, integration, e2e. */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
};

const project = (name) => ({ ...shared, displayName: name, testMatch: [`<rootDir>/test/${name}/**/*.test.ts`] });

export default {
  projects: [project('unit'), project('integration'), project('e2e')],
  // Real browsers, IdPs and Redis servers start in these tests: generous, and never a speed assertion.
  testTimeout: 30000,
};
