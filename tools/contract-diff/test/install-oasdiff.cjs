// Jest globalSetup: `nx run contract-diff:test` builds the pinned oasdiff if it is missing or stale
// (tools/go/install.sh; about 20 ms when current), so the tests never run against a missing binary.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  execFileSync('bash', [join(__dirname, '../../go/install.sh'), 'oasdiff'], { stdio: 'inherit' });
};
