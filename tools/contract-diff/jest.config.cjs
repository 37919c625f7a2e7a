module.exports = {
  displayName: 'contract-diff',
  preset: '../../jest.preset.js',
};
