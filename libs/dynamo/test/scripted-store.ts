import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in does with one call. */
export type StoreAnswer =
  { kind: 'item' } | { kind: 'error'; status: number; type: string } | { kind: 'slow'; ms: number };

export interface ScriptedStore {
  endpoint: string;
  /** performance.now() of every call that reached the store. */
  calls: number[];
  close(): Promise<void>;
}

/**
 * A stand-in for DynamoDB on 127.0.0.1 that answers each call as a script says: faults the real
 * store (dynalite) cannot produce — DynamoDB's throttling errors, 500s, a store that stops
 * answering — to see what the real SDK, with this library's configuration, does with them.
 */
export async function startScriptedStore(
  answer: (call: number) => StoreAnswer,
): Promise<ScriptedStore> {
  const calls: number[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push(performance.now());
      const reply = answer(calls.length);
      const send = (status: number, body: unknown) =>
        res
          .writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify(body));
      if (reply.kind === 'item') send(200, { Item: { id: { S: 'a' } } });
      else if (reply.kind === 'error')
        send(reply.status, {
          __type: `com.amazonaws.dynamodb.v20120810#${reply.type}`,
          message: 'scripted',
        });
      else setTimeout(() => send(200, { Item: { id: { S: 'late' } } }), reply.ms).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
