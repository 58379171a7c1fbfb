/**
 * Two halves. `unit`: specs beside the code, no external server (seconds; the on-disk store specs
 * use the build's SQLite worker, so build once first). `e2e`: whole-stack tests in test/ and the
 * adapters' tests against real servers (`*.server-spec.ts`), which start their own on loopback.
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
