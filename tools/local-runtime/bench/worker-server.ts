/**
 * The floor of the runtime's architecture, for the benchmark: a plain node:http server that hands
 * each request to a worker thread running the same handler bundle, and the answer back, the way the
 * runtime hands an invocation to an execution environment (the event as JSON text in a
 * `postMessage`, the result as JSON text back) — and nothing else: no gateway, no throttling, no
 * concurrency accounting, no logs, no freeze between invocations. What the runtime costs beyond
 * this is its emulation. `node worker-server.ts <asset dir> [workers]` prints `listening <port>`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const [codeDir, workerCount = '1'] = process.argv.slice(2);
if (!codeDir)
  throw new Error('usage: worker-server.ts <asset dir of the items function> [workers]');

/** The worker: loads the bundle once, then answers `[id, eventJson]` with `[id, resultJson]`. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { handler } = require(workerData.bundle);
parentPort.on('message', ([id, event]) => {
  handler(JSON.parse(event)).then(
    (result) => parentPort.postMessage([id, JSON.stringify(result)]),
    () => parentPort.postMessage([id, null]),
  );
});`;

const waiting = new Map<number, ServerResponse>();
const workers = Array.from({ length: Math.max(1, Number(workerCount)) }, () => {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { bundle: join(codeDir, 'index.js') },
  });
  worker.on('message', ([id, result]: [number, string | null]) => {
    const res = waiting.get(id);
    waiting.delete(id);
    if (!res) return;
    if (result === null) {
      res.writeHead(500).end();
      return;
    }
    const { statusCode, headers, body } = JSON.parse(result) as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
    };
    res.writeHead(statusCode, headers);
    res.end(body);
  });
  return worker;
});

let next = 0;
const server = createServer((req, res) => {
  const id = next++;
  const itemId = decodeURIComponent((req.url ?? '').split('?')[0]!.split('/')[2] ?? '');
  waiting.set(id, res);
  // The same small event as the in-thread server's, as JSON text (what the runtime posts).
  const event = JSON.stringify({
    httpMethod: req.method,
    path: req.url,
    pathParameters: { id: itemId },
    headers: req.headers,
    body: null,
  });
  (workers[id % workers.length] as Worker).postMessage([id, event]);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () =>
  console.log(`listening ${(server.address() as AddressInfo).port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
