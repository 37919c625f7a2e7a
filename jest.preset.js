// Shared Jest settings. ts-jest runs in transpile-only mode (tsconfig.spec.json sets
// isolatedModules): type errors are caught by each project's `typecheck` target instead,
// which keeps test runs fast on two cores.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.test.ts'],
  // `*.long.spec.ts`: end-to-end suites that take minutes on two cores (a review of real commits,
  // alarms tripped by real bursts, both load engines against a stage). Each project that has them
  // runs them in its `test-long` target (`npm run test:long`, which CI runs after `npm test`), so
  // `npm test` stays under five minutes.
  testPathIgnorePatterns: ['/node_modules/', '\\.long\\.spec\\.ts$'],
  restoreMocks: true,
};
