module.exports = {
  displayName: 'stage-target',
  preset: '../../jest.preset.js',
};
