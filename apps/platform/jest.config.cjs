module.exports = {
  displayName: 'platform',
  preset: '../../jest.preset.js',
  // Synthesizing the whole app takes tens of seconds on a shared two-core machine.
  testTimeout: 300_000,
};
