// Identity: does what the event says, then answers with the id it was given and the request id it
// ran as, so a test can check that every answer belongs to its call.
const { threadId } = require('node:worker_threads');

let invocations = 0;

exports.handler = async (event, context) => {
  invocations += 1;
  switch (event.do) {
    case 'spin': {
      // Sub-millisecond work that never yields: the thread is busy the whole time.
      const until = process.hrtime.bigint() + BigInt(Math.round(event.us * 1000));
      while (process.hrtime.bigint() < until) {
        // busy
      }
      break;
    }
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, event.ms));
      break;
    case 'throw':
      throw new Error(`failed ${event.id}`);
    case 'exit':
      process.exit(3);
      break;
    default:
      break;
  }
  return { id: event.id, requestId: context.awsRequestId, threadId, invocations };
};
