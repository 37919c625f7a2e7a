import { EventEmitter } from 'node:events';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import type { DynamoCall, DynamoProxyLayer, DynamoReply } from './proxy-types';

export interface DynamoProxyOptions {
  /** dynalite's endpoint, `http://127.0.0.1:<port>`. */
  target: string;
  /**
   * dynalite's request handler in this process (`LocalDynamo.handle`): calls go to it directly
   * instead of over a second HTTP connection to `target` (one hop, not two; the functions still
   * talk HTTP to the proxy). @default calls go to `target` over HTTP
   */
  inProcess?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Outermost first. @default none: the proxy forwards every call unchanged */
  layers?: DynamoProxyLayer[];
  /** @default '127.0.0.1' */
  host?: string;
}

export interface DynamoProxy {
  /** What functions get as `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  /** Adds a layer inside the existing ones (closest to the store), e.g. a fault injector. */
  use(layer: DynamoProxyLayer): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * The one component between the functions and dynalite: a DynamoDB endpoint over real HTTP that
 * passes every call through its layers (metrics first; faults, latency or throttling for tests) and
 * on to the store. The SDK in the functions talks to it exactly as it would to DynamoDB.
 */
export async function startDynamoProxy(options: DynamoProxyOptions): Promise<DynamoProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const layers = [...(options.layers ?? [])];

  const forward = (call: DynamoCall): Promise<DynamoReply> =>
    new Promise((resolve, reject) => {
      const body = call.changed ? Buffer.from(JSON.stringify(call.request)) : call.rawBody;
      const headers: Record<string, string> = {
        ...call.headers,
        'content-length': String(body.length),
        host: target.host,
      };
      const outgoing = httpRequest(
        { host: target.hostname, port: target.port, method: 'POST', path: '/', headers, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              kind: 'response',
              status: response.statusCode ?? 500,
              headers: flatHeaders(response),
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const handler = options.inProcess;
  // A call a layer held back (a fault's latency) may come out after close(), when the store is
  // gone: it gets a cut connection, as from a DynamoDB endpoint going away, not the closed store.
  let closed = false;
  // Calls handed to the store and not yet answered: close() lets them finish before the store closes.
  const atStore = new Set<Promise<unknown>>();
  const toStore = (call: DynamoCall): Promise<DynamoReply> => {
    if (closed) return Promise.resolve({ kind: 'reset' });
    const reply = handler ? forwardInProcess(handler, call) : forward(call);
    const settled = reply.then(
      () => undefined,
      () => undefined,
    );
    atStore.add(settled);
    void settled.then(() => atStore.delete(settled));
    return reply;
  };
  const run = (call: DynamoCall, index: number): Promise<DynamoReply> => {
    const layer = layers[index];
    return layer ? layer.handle(call, (next) => run(next, index + 1)) : toStore(call);
  };

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const headers = lowerHeaders(req);
      const targetHeader = headers['x-amz-target'] ?? '';
      // Anything that is not a DynamoDB JSON call (or not parseable) goes to the store untouched:
      // dynalite answers it as DynamoDB would.
      let request: Record<string, unknown> = {};
      let parsed = targetHeader.startsWith(TARGET_PREFIX);
      if (parsed) {
        try {
          request = JSON.parse(rawBody.toString('utf8') || '{}') as Record<string, unknown>;
          parsed = typeof request === 'object' && request !== null && !Array.isArray(request);
        } catch {
          parsed = false;
        }
      }
      const call: DynamoCall = {
        operation: parsed ? targetHeader.slice(TARGET_PREFIX.length) : '',
        request: parsed ? request : {},
        changed: false,
        rawBody,
        headers,
        receivedAt: performance.now(),
      };
      (parsed ? run(call, 0) : toStore(call)).then(
        (reply) => send(res, reply),
        (error: unknown) => {
          // The store itself failed (not a layer's decision): DynamoDB's answer would be a 500.
          send(res, {
            kind: 'response',
            status: 500,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Buffer.from(
              JSON.stringify({
                __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
                message: `local store unreachable: ${(error as Error).message}`,
              }),
            ),
          });
        },
      );
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, host, () => {
      server.removeListener('error', rejectListen);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    use(layer) {
      layers.push(layer);
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        closed = true;
        const force = setTimeout(() => server.closeAllConnections(), 2_000).unref();
        server.close(() => {
          clearTimeout(force);
          // The store's answers to calls still inside it, at most 2 s more.
          const drained = Promise.all([...atStore]);
          const limit = new Promise<void>((resolveLimit) => setTimeout(resolveLimit, 2_000).unref());
          void Promise.race([drained, limit]).then(() => {
            agent.destroy();
            resolveClose();
          });
        });
        server.closeIdleConnections();
      }),
  };
}

/**
 * Hands a call to dynalite's request handler in this process: a request carrying the call's headers
 * and body, and a response that collects what dynalite sets and ends with (its handler uses
 * `statusCode`, `setHeader` and `end` only).
 */
function forwardInProcess(handler: (req: IncomingMessage, res: ServerResponse) => void, call: DynamoCall): Promise<DynamoReply> {
  return new Promise((resolve, reject) => {
    const body = call.changed ? Buffer.from(JSON.stringify(call.request)) : call.rawBody;
    const req = Object.assign(new EventEmitter(), {
      method: 'POST',
      url: '/',
      headers: { ...call.headers, 'content-length': String(body.length) },
    });
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      contentType: undefined as string | undefined,
      setHeader(name: string, value: number | string) {
        headers[name.toLowerCase()] = String(value);
      },
      getHeader(name: string) {
        return headers[name.toLowerCase()];
      },
      end(data?: string | Buffer) {
        resolve({ kind: 'response', status: res.statusCode, headers, body: data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data) });
      },
    };
    try {
      handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
      if (body.length > 0) req.emit('data', body);
      req.emit('end');
    } catch (error) {
      reject(error);
    }
  });
}

/** Writes a reply; a changed body gets its length and DynamoDB's CRC32 header recomputed. */
function send(res: ServerResponse, reply: DynamoReply): void {
  if (reply.kind === 'reset') {
    res.socket?.destroy();
    return;
  }
  const headers = { ...reply.headers };
  delete headers['transfer-encoding'];
  headers['content-length'] = String(reply.body.length);
  if (headers['x-amz-crc32'] !== undefined) headers['x-amz-crc32'] = String(crc32(reply.body));
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'connection' || name === 'keep-alive') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || name === 'connection' || name === 'keep-alive') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
