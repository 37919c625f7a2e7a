module.exports = {
  displayName: 'dynamo',
  preset: '../../jest.preset.js',
};
