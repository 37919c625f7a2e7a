module.exports = {
  displayName: 'load-tests',
  preset: '../jest.preset.js',
};
