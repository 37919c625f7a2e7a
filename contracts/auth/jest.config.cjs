module.exports = {
  displayName: 'contract-auth',
  preset: '../../jest.preset.js',
};
