import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  authorizerSmokeRequest,
  operationSmokeRequest,
  SMOKE_HOOK_BUNDLE_FILE,
  SMOKE_HOOK_ENVIRONMENT,
  type SmokeRequest,
} from '../src';

/**
 * The hook bundle as `nx run deploy-hooks:build` builds it (esbuild, CommonJS, the AWS SDK inside),
 * run in a fresh Node process as Lambda runs it, its SDK clients pointed at a stand-in of the two
 * AWS APIs it calls on 127.0.0.1 (AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_CODEDEPLOY): Lambda's
 * Invoke (REST-JSON) and CodeDeploy's PutLifecycleEventHookExecutionStatus (JSON 1.1).
 */
let dir: string;
let bundle: string;
let server: Server;
let endpoint: string;

interface Recorded {
  invocations: { functionName: string; payload: unknown }[];
  reports: { target: string; body: Record<string, unknown> }[];
}
let recorded: Recorded;
/** What the stand-in's Invoke answers with. */
let invokeAnswer: (payload: unknown) => {
  status: number;
  headers: Record<string, string>;
  body: string;
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-hooks-bundle-'));
  bundle = join(dir, SMOKE_HOOK_BUNDLE_FILE);
  await build({
    entryPoints: [join(__dirname, '..', 'src', 'bundles', 'smoke-hook.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
    outfile: bundle,
    logLevel: 'silent',
  });
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
    if (req.method === 'POST' && invoke) {
      const payload = JSON.parse(body) as unknown;
      recorded.invocations.push({ functionName: decodeURIComponent(invoke[1]!), payload });
      const answer = invokeAnswer(payload);
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(answer.body);
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method === 'POST' && target.startsWith('CodeDeploy_20141006.')) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      recorded.reports.push({ target, body: parsed });
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(
          JSON.stringify({
            lifecycleEventHookExecutionId: parsed['lifecycleEventHookExecutionId'],
          }),
        );
      return;
    }
    res.writeHead(400, { 'x-amzn-errortype': 'UnknownOperationException' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  recorded = { invocations: [], reports: [] };
});

const versionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:sm-prod-location-get:7';
const getLocation = operationSmokeRequest(
  {
    operationId: 'getLocation',
    method: 'GET',
    path: '/loc/{userId}',
    secured: true,
    requestBody: null,
    responses: {
      '200': 'application/json',
      '404': 'application/problem+json',
      '500': 'application/problem+json',
    },
  },
  {
    pathParameters: { userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10' },
    queryStringParameters: {},
    headers: {},
    body: null,
    missing: [],
  },
);

/** Runs the bundle's handler once in a fresh process, as Lambda would invoke it for CodeDeploy. */
function runHook(
  requests: readonly SmokeRequest[],
  target = versionArn,
): Promise<{ status: string; results: { ok: boolean; detail: string }[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require(process.argv[1]).handler({ DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'hook-42' }).then((r) => process.stdout.write('\\n' + JSON.stringify(r)), (e) => { console.error(e); process.exit(1); })`,
        bundle,
      ],
      {
        env: {
          PATH: process.env['PATH'],
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
          AWS_SECRET_ACCESS_KEY: 'stand-in',
          AWS_ENDPOINT_URL_LAMBDA: endpoint,
          AWS_ENDPOINT_URL_CODEDEPLOY: endpoint,
          AWS_MAX_ATTEMPTS: '1',
          [SMOKE_HOOK_ENVIRONMENT.target]: target,
          [SMOKE_HOOK_ENVIRONMENT.requests]: JSON.stringify(requests),
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`hook exited ${code}: ${err}`));
      resolve(JSON.parse(out.slice(out.lastIndexOf('\n') + 1)));
    });
  });
}

const proxyAnswer = (statusCode: number) => () => ({
  status: 200,
  headers: { 'x-amz-executed-version': '7' },
  body: JSON.stringify({ statusCode, body: '{}' }),
});

describe('the smoke hook bundle against stand-ins of Lambda and CodeDeploy', () => {
  it('invokes exactly the new version with a fresh token and reports Succeeded once', async () => {
    invokeAnswer = proxyAnswer(404);

    const outcome = await runHook([getLocation]);

    expect(outcome.status).toBe('Succeeded');
    expect(recorded.invocations.map((i) => i.functionName)).toEqual([versionArn]);
    const sent = recorded.invocations[0]!.payload as { headers: Record<string, string> };
    expect(sent.headers['Authorization']).toMatch(/^Bearer [A-Za-z0-9_-]{43}$/);
    expect(recorded.reports).toEqual([
      {
        target: 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus',
        body: {
          deploymentId: 'd-ABC123',
          lifecycleEventHookExecutionId: 'hook-42',
          status: 'Succeeded',
        },
      },
    ]);
  }, 30_000);

  it('reports Failed when the new version crashes, with the error in the result', async () => {
    invokeAnswer = () => ({
      status: 200,
      headers: { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '7' },
      body: JSON.stringify({
        errorType: 'Runtime.ImportModuleError',
        errorMessage: "Cannot find module './tracer.js'",
      }),
    });

    const outcome = await runHook([getLocation]);

    expect(outcome.status).toBe('Failed');
    expect(outcome.results[0]!.detail).toContain('Runtime.ImportModuleError');
    expect(recorded.reports.map((r) => r.body['status'])).toEqual(['Failed']);
  }, 30_000);

  it('reports Failed (still exactly once) when the Lambda API refuses the invocation', async () => {
    invokeAnswer = () => ({
      status: 403,
      headers: { 'x-amzn-errortype': 'AccessDeniedException' },
      body: JSON.stringify({ Message: 'not authorized to perform lambda:InvokeFunction' }),
    });

    const outcome = await runHook([getLocation, authorizerSmokeRequest()]);

    expect(outcome.status).toBe('Failed');
    expect(outcome.results.map((r) => r.ok)).toEqual([false, false]);
    expect(recorded.reports.map((r) => r.body['status'])).toEqual(['Failed']);
  }, 30_000);

  it('reports Failed when another version answered than the one under test', async () => {
    invokeAnswer = () => ({
      status: 200,
      headers: { 'x-amz-executed-version': '6' },
      body: JSON.stringify({ statusCode: 200, body: '{}' }),
    });

    const outcome = await runHook([getLocation]);

    expect(outcome.results[0]!.detail).toBe(
      'could not invoke the new version: version 6 answered, not the new version 7',
    );
    expect(recorded.reports.map((r) => r.body['status'])).toEqual(['Failed']);
  }, 30_000);

  it('reports Failed without invoking anything when its configuration names no version', async () => {
    invokeAnswer = proxyAnswer(200);

    const outcome = await runHook(
      [getLocation],
      'arn:aws:lambda:eu-west-1:123456789012:function:sm-prod-location-get',
    );

    expect(outcome.status).toBe('Failed');
    expect(recorded.invocations).toEqual([]);
    expect(recorded.reports).toHaveLength(1);
  }, 30_000);
});
