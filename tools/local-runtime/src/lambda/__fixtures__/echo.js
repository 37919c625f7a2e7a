// Echo: answers with the event and which execution environment served it.
const { threadId } = require('node:worker_threads');

let invocations = 0;

exports.handler = async (event, context) => {
  invocations += 1;
  return { event, requestId: context.awsRequestId, threadId, invocations };
};
