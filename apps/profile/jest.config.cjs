module.exports = {
  displayName: 'profile',
  preset: '../../jest.preset.js',
};
