module.exports = {
  displayName: 'http-lambda',
  preset: '../../jest.preset.js',
};
