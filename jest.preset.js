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
  restoreMocks: true,
};
