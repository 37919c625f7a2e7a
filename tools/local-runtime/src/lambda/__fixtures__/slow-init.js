// A bundle whose INIT takes a while (as a large bundle's does), then sleeps event.ms per invocation.
const { threadId } = require('node:worker_threads');

const INIT_MS = 600;
const until = Date.now() + INIT_MS;
while (Date.now() < until) {
  // loading and compiling a large bundle keeps the thread busy like this
}

exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.ms ?? 0));
  return { threadId };
};
