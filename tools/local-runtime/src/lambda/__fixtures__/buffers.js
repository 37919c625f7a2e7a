// Allocates event.mb MB of Buffers (outside the V8 heap, as file contents or images are), holds
// them for event.holdMs, and keeps them across invocations when event.keep is set.
const kept = [];

exports.handler = async (event) => {
  const held = [];
  for (let mb = 0; mb < event.mb; mb++) held.push(Buffer.alloc(1024 * 1024, mb));
  if (event.holdMs) await new Promise((resolve) => setTimeout(resolve, event.holdMs));
  if (event.keep) kept.push(...held);
  return { allocatedMb: held.length, keptMb: kept.length };
};
