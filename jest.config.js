/**
 * Two halves. `unit`: specs beside the code and checks of the repository's own files, no external
 * server and no build (the SQLite worker runs from its source through tsx). `e2e`: whole-stack
 * tests in test/ and the adapters' tests against real servers (`*.server-spec.ts`), which start
 * their own on loopback.
 */
const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: { '^@vigil/(.*)$': '<rootDir>/libs/$1/src' },
};

module.exports = {
  testTimeout: 30_000,
  reporters: ['<rootDir>/test/support/summary-reporter.js', 'default'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,libs,device-simulator,bench}/**/*.spec.ts',
        // Checks of the repository's own files (docs, deployment files): no server either.
        '<rootDir>/test/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/{apps,libs}/**/*.server-spec.ts'],
    },
  ],
};
