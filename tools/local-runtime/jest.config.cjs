module.exports = {
  displayName: 'local-runtime',
  preset: '../../jest.preset.js',
};
