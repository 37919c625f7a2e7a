import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstCallOnce, functionEnvironment } from './first-call';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-first-call-spec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in bundle: one CommonJS file exporting `handler`, as the services' bundles do. */
const bundle = (name: string, source: string): string => {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, source);
  return path;
};

const input = (bundlePath: string) => ({
  bundlePath,
  event: { greeting: 'hello' },
  context: { functionName: 'bench-fn', awsRequestId: 'r-1' },
  timeoutMs: 5_000,
  env: { PATH: process.env.PATH, MARK: 'from-env' },
});

describe('firstCallOnce', () => {
  it('imports the bundle in a fresh process and returns its first result, whatever the function logs', async () => {
    // Prepare: a function that logs to stdout and reads its event, context and environment.
    const path = bundle(
      'echo',
      `console.log('{"level":"INFO","message":"cold start"}');
       exports.handler = async (event, context) => {
         console.log('{"level":"INFO","message":"invoked"}');
         return { statusCode: 200, body: event.greeting, fn: context.functionName, left: context.getRemainingTimeInMillis() > 0, mark: process.env.MARK };
       };`,
    );

    // Act
    const sample = await firstCallOnce(input(path));

    // Assess
    expect(sample.result).toEqual({
      statusCode: 200,
      body: 'hello',
      fn: 'bench-fn',
      left: true,
      mark: 'from-env',
    });
    expect(sample.error).toBeUndefined();
    expect(sample.importMs).toBeGreaterThan(0);
    expect(sample.firstCallMs).toBeGreaterThan(0);
  });

  it('times the first call apart from the import', async () => {
    // Prepare: an import that takes 600 ms and a first call that takes 100 ms.
    const path = bundle(
      'slow',
      `const until = Date.now() + 600; while (Date.now() < until) {}
       exports.handler = () => new Promise((resolve) => setTimeout(() => resolve('done'), 100));`,
    );

    // Act
    const sample = await firstCallOnce(input(path));

    // Assess: each part holds its own work, and the first call none of the import's.
    expect(sample.result).toBe('done');
    expect(sample.importMs).toBeGreaterThanOrEqual(590);
    expect(sample.firstCallMs).toBeGreaterThanOrEqual(95);
    expect(sample.firstCallMs).toBeLessThan(590);
  });

  it('reports a function that throws as an error, not a result', async () => {
    const path = bundle(
      'throws',
      `exports.handler = async () => { throw new Error('Unauthorized'); };`,
    );

    const sample = await firstCallOnce(input(path));

    expect(sample.result).toBeUndefined();
    expect(sample.error).toContain('Error: Unauthorized');
  });

  it('rejects when the bundle cannot even be imported', async () => {
    const path = bundle('broken', `throw new Error('config: PROFILES_TABLE_NAME is missing');`);

    await expect(firstCallOnce(input(path))).rejects.toThrow(
      /gave no result \(exit 1\).*PROFILES_TABLE_NAME is missing/,
    );
  });
});

describe('functionEnvironment', () => {
  it('keeps what the function needs and drops what would turn tracing on or change how Node loads it', () => {
    const env = functionEnvironment({
      PATH: '/bin',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1234',
      USERS_TABLE_NAME: 'bench-users',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _X_AMZN_TRACE_ID: 'Root=1-x',
      NODE_OPTIONS: '--import tsx',
      TSX_TSCONFIG_PATH: 'tools/bench/tsconfig.json',
      JEST_WORKER_ID: '1',
    });

    expect(env).toEqual({
      PATH: '/bin',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1234',
      USERS_TABLE_NAME: 'bench-users',
    });
  });
});
