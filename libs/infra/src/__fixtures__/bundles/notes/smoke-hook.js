// Fixture standing in for dist/libs/deploy-hooks/smoke-hook.js in the construct tests (never run).
exports.handler = async () => {
  throw new Error('fixture bundle: the real smoke hook is built by npx nx run deploy-hooks:build');
};
