import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import {
  buildProxyEvent,
  buildTokenAuthorizerEvent,
  createTables,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynalite,
  type Dynalite,
} from '@sm/testing';
import { tables } from '../src/tables';

/**
 * What reaches X-Ray when a request is traced. The real handlers are bundled as the service's build
 * bundles them (esbuild, CommonJS) with the tracer bundle beside them, and run in a fresh Node
 * process set up as Lambda sets one up for a sampled request (`AWS_EXECUTION_ENV`,
 * `LAMBDA_TASK_ROOT`, `_X_AMZN_TRACE_ID` with `Sampled=1`), reporting to a fake X-Ray daemon: a UDP
 * socket on 127.0.0.1 that keeps every datagram. `POWERTOOLS_TRACER_CAPTURE_RESPONSE` is left unset
 * on purpose (Powertools then captures responses): the code itself must never record a result.
 */

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../../..');
const HANDLERS = ['create-user', 'create-token', 'authorize'] as const;

let dir: string;
let dynalite: Dynalite;
let daemon: Socket;
let datagrams: string[] = [];
let tableNames: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'auth-trace-secrecy-'));
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  };
  await build({
    ...common,
    entryPoints: HANDLERS.map((name) => join(ROOT, 'apps/auth/src/handlers', `${name}.ts`)),
    outdir: dir,
    tsconfig: join(ROOT, 'apps/auth/tsconfig.json'),
  });
  await build({ ...common, entryPoints: [join(ROOT, 'libs/observability/src/bundles/tracer.ts')], outfile: join(dir, 'tracer.js') });

  dynalite = await startDynalite();
  tableNames = await createTables(dynalite.endpoint, tables);
  daemon = createSocket('udp4');
  daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((done) => daemon.bind(0, '127.0.0.1', done));
});

afterAll(async () => {
  daemon?.close();
  await dynalite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Step {
  readonly handler: (typeof HANDLERS)[number];
  readonly event: unknown;
}

/** Runs the steps in one Lambda-like process (one cold start), each as its own sampled invocation. */
const runTraced = async (steps: Step[]): Promise<unknown[]> => {
  const script = join(dir, 'invoke.js');
  writeFileSync(
    script,
    `const steps = JSON.parse(process.argv[2]);
     const hex = (n) => require('node:crypto').randomBytes(n).toString('hex');
     (async () => {
       const results = [];
       for (const { handler, event } of steps) {
         // Lambda sets the trace header per invocation; Sampled=1 means this request is traced.
         process.env._X_AMZN_TRACE_ID = 'Root=1-' + hex(4) + '-' + hex(12) + ';Parent=' + hex(8) + ';Sampled=1';
         const fn = require('./' + handler + '.js').handler;
         const context = {
           functionName: 'sm-prod-auth-' + handler, functionVersion: '$LATEST', memoryLimitInMB: '512',
           invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sm-prod-auth-' + handler,
           awsRequestId: require('node:crypto').randomUUID(), logGroupName: '/aws/lambda/x', logStreamName: 'x',
           getRemainingTimeInMillis: () => 10000,
         };
         try { results.push(await fn(event, context)); } catch (error) { results.push({ thrown: String(error) }); }
       }
       // Give the SDK's UDP sends a moment to leave before the process ends.
       setTimeout(() => process.stdout.write(JSON.stringify(results)), 200);
     })();`,
  );
  const { port } = daemon.address();
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: dir,
    AWS_LAMBDA_FUNCTION_NAME: 'sm-prod-auth',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    USERS_TABLE_NAME: tableNames.Users!,
    TOKENS_TABLE_NAME: tableNames.Tokens!,
    SIGN_IN_ATTEMPTS_TABLE_NAME: tableNames.SignInAttempts!,
    POWERTOOLS_SERVICE_NAME: 'auth',
    POWERTOOLS_METRICS_NAMESPACE: 'sm-auth-test',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const stdout = await new Promise<string>((done, fail) =>
    execFile(process.execPath, [script, JSON.stringify(steps)], { cwd: dir, env, timeout: 60_000 }, (error, out, err) =>
      error ? fail(new Error(`${error.message}\n${err}`)) : done(out),
    ),
  );
  // The last datagrams may still be in the socket's queue.
  await new Promise((done) => setTimeout(done, 100));
  return JSON.parse(stdout) as unknown[];
};

describe('what a traced request sends to X-Ray', () => {
  it('has the handlers and their DynamoDB calls, but no password, no token and no body', async () => {
    datagrams = [];
    const username = `trace_${randomBytes(4).toString('hex')}`;
    const password = `secret-${randomBytes(12).toString('base64url')}`;
    const displayName = `Marker ${randomBytes(6).toString('hex')}`;
    const [created, issued] = (await runTraced([
      { handler: 'create-user', event: buildProxyEvent({ method: 'POST', resource: '/users', body: { username, password, displayName } }) },
      { handler: 'create-token', event: buildProxyEvent({ method: 'POST', resource: '/tokens', body: { username, password } }) },
    ])) as { statusCode: number; body: string }[];
    expect(created!.statusCode).toBe(201);
    expect(issued!.statusCode).toBe(201);
    const { token, userId } = JSON.parse(issued!.body) as { token: string; userId: string };
    const [policy] = await runTraced([{ handler: 'authorize', event: buildTokenAuthorizerEvent({ authorizationToken: `Bearer ${token}` }) }]);
    expect(policy).toMatchObject({ principalId: userId });

    // The trace is there: without it this test could not fail.
    const sent = datagrams.join('\n');
    expect(datagrams.length).toBeGreaterThan(0);
    expect(sent).toContain('## sm-prod-auth-create-token');
    expect(sent).toContain('## sm-prod-auth-authorize');
    expect(sent).toContain('DynamoDB');

    for (const secret of [password, token, displayName, created!.body, issued!.body]) expect(sent).not.toContain(secret);
    // Nor in any encoding a segment could carry it in.
    for (const secret of [password, token]) {
      expect(sent).not.toContain(Buffer.from(secret).toString('base64'));
      expect(sent).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  });
});
