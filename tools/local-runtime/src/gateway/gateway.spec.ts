import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ApiModel } from '../assembly';
import { createLambdaService } from '../lambda';
import type { FunctionSpec, LambdaService } from '../lambda/types';
import { Gateway } from './gateway';

jest.setTimeout(20_000);

/** INIT keeps its thread busy 600 ms; each call then sleeps `?ms=N` (__fixtures__/slow-init-http.js). */
const slowInit: FunctionSpec = {
  id: 'SmTest/SlowInitFunction',
  functionName: 'SmTest-SlowInit',
  codeDir: join(__dirname, '../lambda/__fixtures__'),
  handler: 'slow-init-http.handler',
  runtime: 'nodejs22.x',
  environment: {},
  timeoutSeconds: 0.5,
  memorySizeMB: 128,
  logGroupName: '/aws/lambda/SmTest-SlowInit',
};

/** One API, `GET /slow` → the slow-init function through a proxy integration with `timeoutMs`. */
function api(timeoutMs: number): ApiModel {
  return {
    id: 'SmTest/Api',
    stackName: 'SmTest',
    stackId: 'SmTest',
    name: 'test',
    apiId: 'abcdefghij',
    region: 'us-east-1',
    accountId: '123456789012',
    environment: {},
    stageName: 'prod',
    stageVariables: null,
    authorizers: new Map(),
    gatewayResponses: new Map(),
    throttling: { perMethod: new Map() },
    methods: [
      {
        apiId: 'abcdefghij',
        resourceId: 'slow',
        resourcePath: '/slow',
        httpMethod: 'GET',
        authorizationType: 'NONE',
        requestModels: new Map(),
        validateBody: false,
        validateParameters: false,
        requestParameters: {},
        integration: { type: 'AWS_PROXY', functionId: slowInit.id, timeoutMs },
      },
    ],
  };
}

describe('the Lambda proxy integration timeout', () => {
  let lambda: LambdaService;
  let server: Server;
  let origin: string;

  beforeEach(async () => {
    lambda = createLambdaService();
    lambda.register(slowInit);
    const gateway = new Gateway({ apis: [api(800)], lambda });
    server = createServer((req, res) => gateway.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await lambda.close();
  });

  it('answers 504 when INIT plus the call outlast TimeoutInMillis, though the function timeout is shorter', async () => {
    // INIT 600 ms + 400 ms of work = 1 s: within the function's 0.5 s timeout (INIT is outside it),
    // past the integration's 0.8 s. AWS answers 504 at 0.8 s, never 200 after 1 s.
    const started = performance.now();
    const response = await fetch(`${origin}/slow?ms=400`);
    const elapsedMs = performance.now() - started;

    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(elapsedMs).toBeGreaterThanOrEqual(790);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('answers 200 once the environment is warm and the call fits both timeouts', async () => {
    const cold = await fetch(`${origin}/slow?ms=0`);
    await cold.text();
    const warm = await fetch(`${origin}/slow?ms=100`);

    expect(cold.status).toBe(200);
    expect(warm.status).toBe(200);
    expect(await warm.json()).toEqual({ sleptMs: 100 });
  });
});
