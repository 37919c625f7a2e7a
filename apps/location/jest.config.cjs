module.exports = {
  displayName: 'location',
  preset: '../../jest.preset.js',
};
