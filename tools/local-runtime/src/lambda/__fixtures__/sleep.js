// Runs for event.ms: asleep (timers) or, with event.busy, blocking the thread.
const { threadId } = require('node:worker_threads');

exports.handler = async (event) => {
  console.log(`sleeping ${event.ms} ms`);
  if (event.busy) {
    const until = Date.now() + event.ms;
    while (Date.now() < until) {
      // a handler stuck in a loop cannot be interrupted from inside
    }
  } else {
    await new Promise((resolve) => setTimeout(resolve, event.ms));
  }
  return { slept: event.ms, threadId };
};
