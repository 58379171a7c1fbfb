/** Unit specs sit beside the code; end-to-end specs live in test/. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: [
    '<rootDir>/{apps,libs,device-simulator,bench}/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
  ],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: { '^@vigil/(.*)$': '<rootDir>/libs/$1/src' },
  testTimeout: 30_000,
  reporters: ['<rootDir>/test/support/summary-reporter.js', 'default'],
};
