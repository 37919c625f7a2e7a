module.exports = {
  displayName: 'deadline',
  preset: '../../jest.preset.js',
};
