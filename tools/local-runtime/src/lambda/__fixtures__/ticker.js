// A timer started at INIT that ticks every 10 ms and logs each tick: in AWS it runs only while the
// environment serves an invocation, since Lambda freezes the environment in between.
let ticks = 0;
setInterval(() => {
  ticks += 1;
  console.log(`tick ${ticks}`);
}, 10);

exports.handler = async (event) => {
  if (event.ms) await new Promise((resolve) => setTimeout(resolve, event.ms));
  return { ticks };
};
