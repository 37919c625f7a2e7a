// @ts-check
/**
 * A CDK app process started before it is needed (see synth.ts): it loads the packages the app
 * imports (aws-cdk-lib's modules, cdk-nag, constructs) while nothing waits for it, says `ready`,
 * and runs the bundled app when the parent sends the environment of a synthesis. One synthesis per
 * process, as the CDK CLI runs an app: nothing of an earlier run's constructs can leak into the next.
 */
'use strict';

const { createRequire } = require('node:module');
const { join } = require('node:path');

if (!process.send) throw new Error('synth-child.cjs runs only as a child process with IPC');
const send = process.send.bind(process);
const workspaceRequire = createRequire(join(process.cwd(), 'package.json'));

for (const specifier of JSON.parse(process.env['LOCAL_RUNTIME_SYNTH_PRELOAD'] ?? '[]')) {
  try {
    workspaceRequire(specifier);
  } catch {
    // The app will fail on it itself, with its own message.
  }
}

let started = false;
// The parent went away before asking for a synthesis: nothing to do.
process.on('disconnect', () => {
  if (!started) process.exit(0);
});
process.once(
  'message',
  (/** @type {{ bundle: string; env: Record<string, string> }} */ message) => {
    started = true;
    Object.assign(process.env, message.env);
    process.disconnect();
    require(message.bundle);
  },
);
send({ ready: true });
