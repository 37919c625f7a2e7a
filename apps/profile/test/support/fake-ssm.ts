import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for SSM Parameter Store's GetParameter, speaking the AWS JSON 1.1 protocol. */
export interface FakeSsm {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_SSM`. */
  readonly endpoint: string;
  /** Names asked for, in order. */
  readonly reads: string[];
  set(name: string, value: string): void;
  stop(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1 (an OS-chosen port). The real SDK client and Powertools Parameters
 * talk to it as to SSM: `X-Amz-Target: AmazonSSM.GetParameter`, JSON in and out, a missing name
 * answered with `ParameterNotFound`.
 */
export const startFakeSsm = async (): Promise<FakeSsm> => {
  const values = new Map<string, { value: string; version: number }>();
  const reads: string[] = [];
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
      })
      .end(text);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.headers['x-amz-target'] !== 'AmazonSSM.GetParameter') {
        return reply(res, 400, {
          __type: 'UnknownOperationException',
          message: `not faked: ${String(req.headers['x-amz-target'])}`,
        });
      }
      const { Name } = JSON.parse(body) as { Name: string };
      reads.push(Name);
      const found = values.get(Name);
      if (!found)
        return reply(res, 400, {
          __type: 'ParameterNotFound',
          message: `Parameter ${Name} not found.`,
        });
      return reply(res, 200, {
        Parameter: {
          Name,
          Type: 'String',
          Value: found.value,
          Version: found.version,
          DataType: 'text',
          LastModifiedDate: Date.now() / 1000,
          ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${Name}`,
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reads,
    set: (name, value) =>
      values.set(name, { value, version: (values.get(name)?.version ?? 0) + 1 }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
