module.exports = {
  displayName: 'template-diff',
  preset: '../../jest.preset.js',
};
