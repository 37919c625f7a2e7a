module.exports = {
  displayName: 'contract-diff',
  preset: '../../jest.preset.js',
  // The classifier is oasdiff: build the pinned binary first (a no-op when it is current).
  globalSetup: '<rootDir>/test/install-oasdiff.cjs',
};
