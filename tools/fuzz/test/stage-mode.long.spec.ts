/**
 * Fuzzing a deployed stage, end to end on this machine: the local runtime stands in for the stage,
 * a stand-in for CloudFormation publishes each API's own base URL on it as that stack's `ApiUrl`
 * output, and `npm run fuzz -- --stage prod` finds them with the real AWS SDK, seeds its user and
 * runs schemathesis against the location contract at the location API's own URL. A proxy in front
 * of the runtime lets only the APIs' own base URLs through, so a request that lost its stage path
 * (or went to another API) fails the run instead of passing on the root origin. Kept small (one
 * contract, the examples phase): the full fuzzing is `npm run fuzz`.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRuntime, type RunningRuntime } from '@sm/local-runtime';
import { startAwsStandIn, STAND_IN_ACCESS_KEY_ID, type AwsStandIn } from '@sm/stage-target';
import { runProcess, startRecordingProxy, type ProcessRun, type RecordingProxy } from '@sm/testing';

jest.setTimeout(240_000);

const workspaceRoot = resolve(__dirname, '../../..');
const assemblyDir = join(workspaceRoot, 'cdk.out');

let runtime: RunningRuntime;
let proxy: RecordingProxy;
let aws: AwsStandIn;
/** Service → the API's own base URL on the runtime, through the proxy: what the stand-in publishes. */
let published: Map<string, string>;

beforeAll(async () => {
  if (!existsSync(join(assemblyDir, 'manifest.json')))
    throw new Error(
      `No cloud assembly at ${assemblyDir}: run \`npm run synth\` first (npm test does)`,
    );
  runtime = await startRuntime({
    assemblyDir,
    stage: 'prod',
    port: 0,
    inMemory: true,
    quiet: true,
    log: () => undefined,
  });
  proxy = await startRecordingProxy(runtime.origin, {
    only: (path) => path.startsWith('/_aws/execute-api/'),
  });
  published = new Map(
    runtime.apis.map((api) => [api.service, api.baseUrl.replace(runtime.origin, proxy.origin)]),
  );
  aws = await startAwsStandIn({
    stacks: Object.fromEntries(
      runtime.apis.map((api) => [api.stackName, { ApiUrl: published.get(api.service)! }]),
    ),
  });
});

afterAll(async () => {
  await aws?.close();
  await proxy?.close();
  await runtime?.close();
});

/** Runs `npm run fuzz` as a user would, with the AWS SDK pointed at the stand-in. */
function fuzz(args: string[]): Promise<ProcessRun> {
  return runProcess(
    join(workspaceRoot, 'node_modules/.bin/tsx'),
    ['--tsconfig', 'tools/fuzz/tsconfig.json', 'tools/fuzz/src/cli.ts', ...args],
    {
      cwd: workspaceRoot,
      env: { ...process.env, ...aws.isolatedEnv },
      timeoutMs: 200_000,
    },
  );
}

it("fuzzes a stage found through its stacks' outputs, each request at its own API's base URL", async () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'fuzz-e2e-report-'));
  const { code, output } = await fuzz([
    '--stage',
    'prod',
    '--contract',
    'location',
    '--phases',
    'examples',
    '--max-examples',
    '2',
    '--seed',
    '1',
    '--report-dir',
    reportDir,
  ]);
  expect({ code, output }).toEqual({
    code: 0,
    output: expect.stringMatching(/location +3\/3 .* pass/),
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
  expect(output).toContain(`location: 3 operations at ${published.get('location')}`);

  // Seeding at each API's own base URL, then schemathesis at location's; nothing anywhere else.
  expect(proxy.refused).toEqual([]);
  const at = (service: string) => new URL(published.get(service)!).pathname;
  expect(
    proxy.seen.slice(0, 4).map((entry) => entry.replace(/\/[0-9a-f-]{36}$/, '/{userId}')),
  ).toEqual([
    `POST ${at('auth')}/users`,
    `POST ${at('auth')}/tokens`,
    `PUT ${at('profile')}/profile/{userId}`,
    `PUT ${at('location')}/loc/{userId}`,
  ]);
  // schemathesis' requests (its capability probe included) all under the location API's base URL.
  const fuzzed = proxy.seen.slice(4);
  for (const entry of fuzzed) expect(entry).toMatch(new RegExp(`^[A-Z]+ ${at('location')}/`));
  expect(
    fuzzed.filter((entry) => new RegExp(`^(GET|PUT) ${at('location')}/loc/`).test(entry)).length,
  ).toBeGreaterThan(3);

  // schemathesis' own report: every check passed for every location operation.
  const report = readFileSync(join(reportDir, 'location', 'junit.xml'), 'utf8');
  expect(report).toMatch(/failures="0"/);
});
