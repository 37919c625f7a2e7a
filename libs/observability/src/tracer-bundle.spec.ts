import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { TRACER_BUNDLE_FILE } from './create-observability';

/**
 * A function bundle as the services build it (esbuild, CommonJS, `module` first) and the tracer
 * bundle as `nx run observability:build` builds it, side by side in a temporary directory, loaded
 * in fresh Node processes as Lambda loads a function.
 */
let dir: string;
let functionCode: string;

const esbuildOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  mainFields: ['module', 'main'],
  logLevel: 'silent',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'observability-tracer-bundle-'));
  await build({
    ...esbuildOptions,
    stdin: {
      contents: `import { createObservability } from './create-observability';
        const observability = createObservability({ serviceName: 'notes' });
        export const tracingEnabled = observability.tracingEnabled;
        export const tracerClass = tracingEnabled ? observability.tracer.constructor.name : undefined;`,
      resolveDir: __dirname,
      loader: 'ts',
    },
    outfile: join(dir, 'fn', 'get-note.js'),
  });
  await build({
    ...esbuildOptions,
    entryPoints: [join(__dirname, 'bundles', 'tracer.ts')],
    outfile: join(dir, 'fn', TRACER_BUNDLE_FILE),
  });
  // The same function bundle, without the tracer bundle beside it.
  mkdirSync(join(dir, 'alone'));
  copyFileSync(join(dir, 'fn', 'get-note.js'), join(dir, 'alone', 'get-note.js'));
  functionCode = readFileSync(join(dir, 'fn', 'get-note.js'), 'utf8');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Requires a bundle in a fresh process; reports its exports and whether tracer.js was loaded. */
const load = (bundle: string, env: Record<string, string>) => {
  const child = spawnSync(
    process.execPath,
    [
      '-e',
      `const fn = require(process.argv[1]);
       const tracerLoaded = Object.keys(require.cache).some((file) => file.endsWith('/${TRACER_BUNDLE_FILE}'));
       process.stdout.write(JSON.stringify({ tracingEnabled: fn.tracingEnabled, tracerClass: fn.tracerClass, tracerLoaded }));`,
      bundle,
    ],
    {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return {
    status: child.status,
    stderr: child.stderr,
    result: child.status === 0 ? JSON.parse(child.stdout) : undefined,
  };
};

describe('the tracer bundle', () => {
  it('is not part of a function bundle: the X-Ray SDK and the Tracer stay out of it', () => {
    expect(functionCode).not.toContain('node_modules/aws-xray-sdk-core');
    expect(functionCode).not.toContain('node_modules/@aws-lambda-powertools/tracer');
    expect(functionCode).toContain('node_modules/@aws-lambda-powertools/logger');
  });

  it('is loaded from beside the function bundle with tracing on (in Lambda), and creates the tracer', () => {
    const { result, stderr } = load(join(dir, 'fn', 'get-note.js'), {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    });

    expect(stderr).toBe('');
    expect(result).toEqual({ tracingEnabled: true, tracerClass: 'Tracer', tracerLoaded: true });
  });

  it('is never loaded with tracing off', () => {
    expect(load(join(dir, 'fn', 'get-note.js'), {}).result).toEqual({
      tracingEnabled: false,
      tracerLoaded: false,
    });
    expect(
      load(join(dir, 'fn', 'get-note.js'), {
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        POWERTOOLS_TRACE_ENABLED: 'false',
      }).result,
    ).toEqual({ tracingEnabled: false, tracerLoaded: false });
  });

  it('when missing beside a function traced in Lambda, fails its cold start saying what to ship', () => {
    const { status, stderr } = load(join(dir, 'alone', 'get-note.js'), {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    });

    expect(status).not.toBe(0);
    expect(stderr).toContain(
      `Tracing is on, but the tracer cannot be loaded from ${join(dir, 'alone', TRACER_BUNDLE_FILE)}`,
    );
    expect(stderr).toContain('npx nx run observability:build');
  });
});
