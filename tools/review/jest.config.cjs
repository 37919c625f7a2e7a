module.exports = {
  displayName: 'review',
  preset: '../../jest.preset.js',
  // The contract classifier is oasdiff: build the pinned binary first (a no-op when it is current).
  globalSetup: '<rootDir>/../contract-diff/test/install-oasdiff.cjs',
};
