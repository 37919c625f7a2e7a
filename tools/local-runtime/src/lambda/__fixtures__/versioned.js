// Versioned identity: the identity fixture's answer plus which code (version.json, copied beside it
// into a directory per version by the test) and which configuration (CONFIG_VERSION) ran the call.
const { handler } = require('./identity');
const { version } = require('./version.json');

exports.handler = async (event, context) => ({
  ...(await handler(event, context)),
  codeVersion: version,
  configVersion: Number(process.env.CONFIG_VERSION),
});
