module.exports = {
  displayName: 'rehearsal',
  preset: '../../jest.preset.js',
};
