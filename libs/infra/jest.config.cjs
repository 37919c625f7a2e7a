module.exports = {
  displayName: 'infra',
  preset: '../../jest.preset.js',
  // Synthesizing a stack takes seconds on a shared two-core machine.
  testTimeout: 120_000,
};
