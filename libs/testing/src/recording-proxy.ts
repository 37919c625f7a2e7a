import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`: requests here reach the upstream with the same method, path and headers. */
  origin: string;
  /** `METHOD path` of every request, in arrival order, forwarded or not. */
  seen: string[];
  /** `METHOD path` of the requests `only` refused (answered 404, never forwarded). */
  refused: string[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Forwards only the paths this accepts; the rest get 404 and land in `refused`. @default every path */
  only?: (path: string) => boolean;
}

/**
 * A pass-through HTTP proxy on 127.0.0.1 that records each request's method and path, so a test can
 * see which base URL a tool really sent every request to. The local runtime serves the same routes
 * on its root origin and under each API's base URL, so an answer alone would not tell; with `only`
 * the proxy refuses any other path, and a tool that dropped a base URL's stage path fails loudly.
 */
export async function startRecordingProxy(
  upstream: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const seen: string[] = [];
  const refused: string[] = [];
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const entry = `${req.method} ${req.url}`;
    seen.push(entry);
    if (options.only && !options.only((req.url ?? '/').split('?')[0]!)) {
      refused.push(entry);
      req.resume();
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"message":"refused by the recording proxy"}');
      return;
    }
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
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
