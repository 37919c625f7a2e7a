/**
 * The deployed-stage mode end to end, on this machine: the local runtime stands in for a deployed
 * stage, and a stand-in for CloudFormation publishes each API's own base URL on it as that stack's
 * `ApiUrl` output. `npm run load -- --stage prod` finds them with the real AWS SDK, as it would find a
 * deployed stage's, and loads each API at its own URL with both engines — loadtest, and Artillery
 * running the generated script with `artillery run` — whose verdicts must agree. A recording proxy in
 * front of the runtime shows where every request went.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startAwsStandIn, STAND_IN_ACCESS_KEY_ID, type AwsStandIn } from '@sm/stage-target';
import { runProcess, startRecordingProxy, type ProcessRun, type RecordingProxy } from '@sm/testing';
import { USERS } from '../src/scenarios';

// Only USERS is read from the scenarios here: their engine (loadtest, an ES module Jest cannot load)
// runs in the CLI's own process.
jest.mock('../src/open-model', () => ({ runOpenModel: jest.fn() }));

jest.setTimeout(240_000);

const workspaceRoot = resolve(__dirname, '../..');
const assemblyDir = join(workspaceRoot, 'cdk.out');

/** The local runtime in a process of its own, as `npm start` runs it: the APIs from its banner. */
interface RuntimeProcess {
  child: ChildProcess;
  origin: string;
  apis: { service: string; baseUrl: string; stackName: string }[];
}

let runtime: RuntimeProcess;
let proxy: RecordingProxy;
let aws: AwsStandIn;
/** Service → the base URL the stand-in publishes: the API's own base URL on the runtime, through the proxy. */
let published: Map<string, string>;

function startRuntimeProcess(): Promise<RuntimeProcess> {
  const child = spawn(
    join(workspaceRoot, 'node_modules/.bin/tsx'),
    [
      'tools/local-runtime/src/cli.ts',
      '--assembly',
      assemblyDir,
      '--stage',
      'prod',
      '--in-memory',
      '--quiet',
      '--port',
      '0',
    ],
    { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolveStart, rejectStart) => {
    let banner = '';
    const timer = setTimeout(
      () => rejectStart(new Error(`no ready banner within 60 s:\n${banner}`)),
      60_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const origin = /docs {2}(http:\/\/127\.0\.0\.1:\d+)\/docs/.exec(banner)?.[1];
      if (!origin) return;
      clearTimeout(timer);
      const apis = [
        ...banner.matchAll(
          /^ {2}(\w+)\s+(http:\/\/\S+\/_aws\/execute-api\/\S+) {2}\((\S+), stage prod\)$/gm,
        ),
      ].map(([, service, baseUrl, stackName]) => ({
        service: service!,
        baseUrl: baseUrl!,
        stackName: stackName!,
      }));
      resolveStart({ child, origin, apis });
    });
    child.once('exit', (code) =>
      rejectStart(new Error(`the local runtime exited with ${code}:\n${banner}`)),
    );
  });
}

beforeAll(async () => {
  if (!existsSync(join(assemblyDir, 'manifest.json')))
    throw new Error(
      `No cloud assembly at ${assemblyDir}: run \`npm run synth\` first (npm test does)`,
    );
  runtime = await startRuntimeProcess();
  expect(runtime.apis.map((api) => api.service).sort()).toEqual(['auth', 'location', 'profile']);
  // Only the APIs' own base URLs get through: a request that lost its stage path fails the test.
  proxy = await startRecordingProxy(runtime.origin, {
    only: (path) => path.startsWith('/_aws/execute-api/'),
  });
  published = new Map(
    runtime.apis.map((api) => [api.service, api.baseUrl.replace(runtime.origin, proxy.origin)]),
  );
  aws = await startAwsStandIn({
    stacks: Object.fromEntries(
      runtime.apis.map((api) => [api.stackName, { ApiUrl: `${published.get(api.service)}/` }]),
    ),
  });
});

afterAll(async () => {
  await aws?.close();
  await proxy?.close();
  const child = runtime?.child;
  if (child && child.exitCode === null) {
    await new Promise<void>((resolveStop) => {
      child.once('exit', () => resolveStop());
      child.kill('SIGTERM');
    });
  }
});

/** Runs `npm run load` as a user would, with the AWS SDK pointed at the stand-in. */
function load(args: string[]): Promise<ProcessRun> {
  return runProcess(
    join(workspaceRoot, 'node_modules/.bin/tsx'),
    ['--tsconfig', 'load-tests/tsconfig.json', 'load-tests/src/cli.ts', ...args],
    {
      cwd: workspaceRoot,
      env: { ...process.env, ...aws.isolatedEnv },
      timeoutMs: 200_000,
    },
  );
}

it('finds the stage through its stacks’ outputs and gets the same verdicts from loadtest and Artillery, each request at its own API’s URL', async () => {
  const { code, output } = await load([
    '--stage',
    'prod',
    '--engine',
    'both',
    '--only',
    'GET /loc/{userId}',
    '--seconds',
    '3',
  ]);
  expect({ code, output }).toEqual({
    code: 0,
    output: expect.stringContaining('2 passed, 0 failed'),
  });

  // The URLs came from CloudFormation, read with the caller's (here: the stand-in's) credentials.
  const describeStacks = aws.calls.filter(
    (call) => call.action === 'cloudformation:DescribeStacks',
  );
  expect(describeStacks.map((call) => call.input['StackName']).sort()).toEqual(
    runtime.apis.map((api) => api.stackName).sort(),
  );
  expect(new Set(describeStacks.map((call) => call.accessKeyId))).toEqual(
    new Set([STAND_IN_ACCESS_KEY_ID]),
  );
  for (const [service, url] of published) expect(output).toContain(`${service.padEnd(9)} ${url}`);

  // Same verdict from both engines, for each scenario.
  for (const scenario of [
    'GET /loc/{userId} below the limit',
    'GET /loc/{userId} above the limit',
  ]) {
    expect(output).toContain(`PASS  ${scenario} [loadtest]`);
    expect(output).toContain(`PASS  ${scenario} [artillery]`);
  }

  expect(proxy.refused).toEqual([]);
  // Every request went to the base URL of the API that serves it: sign-up and sign-in to auth's,
  // the seeding and the load to profile's and location's. None used the runtime's root origin.
  const prefixes = new Map(
    [...published].map(([service, url]) => [service, new URL(url).pathname]),
  );
  const byService = new Map<string, number>();
  for (const entry of proxy.seen) {
    const path = entry.split(' ')[1]!;
    const service = [...prefixes].find(([, prefix]) => path.startsWith(`${prefix}/`))?.[0];
    expect({ entry, service: service ?? 'none' }).toEqual({
      entry,
      service: expect.stringMatching(/^(auth|location|profile)$/),
    });
    byService.set(service!, (byService.get(service!) ?? 0) + 1);
  }
  // Each of the load tests' users signed up and in at auth's base URL, and only there.
  const signUps = proxy.seen.filter((entry) => /^POST \S+\/(users|tokens)$/.test(entry));
  expect(signUps).toHaveLength(2 * USERS);
  for (const entry of signUps) expect(entry.startsWith(`POST ${prefixes.get('auth')}/`)).toBe(true);
  // Four phases of 3 s at 25 and 100 requests/s, with warm-ups: hundreds of requests to location.
  expect(byService.get('location')).toBeGreaterThan(2 * (25 + 100) * 3 * 0.9);

  // Artillery's script targets the location API's own base URL, and its report saw only that path.
  const scriptPath = /script (\S+get-loc-userid-above-the-limit\/script\.yml)/.exec(output)?.[1];
  expect(readFileSync(scriptPath!, 'utf8')).toContain(`target: ${published.get('location')}\n`);
  const report = JSON.parse(readFileSync(join(scriptPath!, '..', 'report.json'), 'utf8')) as {
    aggregate: { counters: Record<string, number> };
  };
  expect(report.aggregate.counters['http.codes.429']).toBeGreaterThan(0);
  expect(report.aggregate.counters['sm.identity.matched']).toBe(
    report.aggregate.counters['http.codes.200'],
  );
});

it('refuses --url and says what to pass instead', async () => {
  const { code, output } = await load(['--url', `${runtime.origin}/`]);
  expect(code).toBe(1);
  expect(output).toContain('--url is gone: a deployed stage is three APIs with three base URLs.');
});
