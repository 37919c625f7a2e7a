import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`: requests here reach `upstream` with the same path. */
  origin: string;
  /** `METHOD path` of every request, in arrival order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy on 127.0.0.1 that records each request's method and path, so a test can
 * see which base URL a tool really sent every request to (the local runtime serves the same routes
 * on its root origin too, so an answer alone would not tell).
 */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const seen: string[] = [];
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
