module.exports = {
  displayName: 'template-diff',
  preset: '../../jest.preset.js',
  // The tests synthesize the real stacks: seconds on a shared two-core machine.
  testTimeout: 120_000,
};
