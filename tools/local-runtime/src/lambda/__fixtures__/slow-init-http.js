// Behind a proxy integration: an INIT that keeps its thread busy 600 ms (as a large bundle's does),
// then each call sleeps `?ms=N` and answers a proxy result.
const INIT_MS = 600;
const until = Date.now() + INIT_MS;
while (Date.now() < until) {
  // loading and compiling a large bundle keeps the thread busy like this
}

exports.handler = async (event) => {
  const ms = Number(event.queryStringParameters?.ms ?? 0);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { statusCode: 200, body: JSON.stringify({ sleptMs: ms }) };
};
