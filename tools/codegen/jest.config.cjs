module.exports = {
  displayName: 'codegen',
  preset: '../../jest.preset.js',
};
