// @ts-check
/**
 * A worker thread that runs a workspace script's exported `main(args)` again and again, its
 * modules loaded once: watch mode's way to run a contract's generator (`tsx <cli>.ts <args>`)
 * without starting Node, tsx and the generator's dependencies for every save. See script-runner.ts.
 *
 * Protocol: parent → { id, file, args }; worker → { id, code, output } or { id, error, output }.
 * Console output of a run is captured and returned, not printed.
 */
'use strict';

const { parentPort } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const util = require('node:util');

if (!parentPort) throw new Error('script-thread.cjs runs only as a worker thread');
const port = parentPort;

/** @type {string[]} */
let captured = [];
for (const method of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
  console[method] = (...args) => void captured.push(util.format(...args));
}

port.on('message', async (/** @type {{ id: number; file: string; args: string[] }} */ message) => {
  captured = [];
  try {
    const module = await import(pathToFileURL(message.file).href);
    const main = module.main ?? module.default?.main;
    if (typeof main !== 'function') throw new Error(`${message.file} exports no main(args)`);
    const code = await main(message.args);
    port.postMessage({
      id: message.id,
      code: typeof code === 'number' ? code : 0,
      output: captured.join('\n'),
    });
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    port.postMessage({ id: message.id, error: text, output: captured.join('\n') });
  }
});
