// Allocates about 1 MB per step until the environment's heap limit (event.mb caps it for the control case).
const { threadId } = require('node:worker_threads');

exports.handler = async (event) => {
  const hold = [];
  const limit = event.mb ?? Infinity;
  for (let mb = 0; mb < limit; mb++) hold.push(new Array(128 * 1024).fill(mb + 0.5));
  return { allocatedMb: hold.length, threadId };
};
