module.exports = {
  displayName: 'contract-location',
  preset: '../../jest.preset.js',
};
