module.exports = {
  displayName: 'contract-profile',
  preset: '../../jest.preset.js',
};
