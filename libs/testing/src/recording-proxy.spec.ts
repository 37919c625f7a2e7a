import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

let upstream: Server;
let origin: string;
let proxy: RecordingProxy | undefined;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () =>
      res
        .writeHead(201, {
          'x-seen': `${req.method} ${req.url} ${req.headers['authorization']} ${body}`,
        })
        .end('ok'),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterEach(() => proxy?.close());
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

describe('startRecordingProxy', () => {
  it('forwards method, path, query, headers and body, and records each request', async () => {
    proxy = await startRecordingProxy(origin);
    const response = await fetch(`${proxy.origin}/a/b?x=1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer t' },
      body: 'hello',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen')).toBe('PUT /a/b?x=1 Bearer t hello');
    expect(await response.text()).toBe('ok');
    expect(proxy.seen).toEqual(['PUT /a/b?x=1']);
    expect(proxy.refused).toEqual([]);
  });

  it('refuses, and records, the paths `only` does not accept', async () => {
    proxy = await startRecordingProxy(origin, {
      only: (path) => path.startsWith('/_aws/execute-api/'),
    });
    expect((await fetch(`${proxy.origin}/_aws/execute-api/abc/prod/loc/1`)).status).toBe(201);
    expect((await fetch(`${proxy.origin}/loc/1?x=1`)).status).toBe(404);
    expect(proxy.seen).toEqual(['GET /_aws/execute-api/abc/prod/loc/1', 'GET /loc/1?x=1']);
    expect(proxy.refused).toEqual(['GET /loc/1?x=1']);
  });
});
