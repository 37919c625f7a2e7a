module.exports = {
  displayName: 'deploy-hooks',
  preset: '../../jest.preset.js',
};
