/**
 * The benchmark's baseline: the same handler bundle the fixture deploys, called directly from a
 * plain node:http server with the smallest event it needs. Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

type Handler = (event: unknown) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;

const codeDir = process.argv[2];
if (!codeDir) throw new Error('usage: plain-server.ts <asset dir of the items function>');
const { handler } = require(join(codeDir, 'index.js')) as { handler: Handler };

const server = createServer((req, res) => {
  const id = decodeURIComponent((req.url ?? '').split('?')[0]!.split('/')[2] ?? '');
  handler({ httpMethod: req.method, path: req.url, pathParameters: { id }, headers: req.headers, body: null }).then(
    (result) => {
      res.writeHead(result.statusCode, result.headers);
      res.end(result.body);
    },
    () => {
      res.writeHead(500).end();
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
