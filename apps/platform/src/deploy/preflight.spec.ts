import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@sm/infra';
import { createApp } from '../app';
import { readStageTemplates } from '../capacity';
import { ensureBundles } from '../test-support';
import { startAwsStandIn, type AwsStandIn, type StandInAccount } from './__fixtures__/aws-stand-in';
import { readAccountLimits } from './account-limits';
import { evaluatePreflight, isStageFunction } from './preflight';
import { lookupRoleArn } from './stage-credentials';

const ROOT = workspaceRoot();
const ACCOUNT = '123456789012';

/** The system synthesized once into a temporary cloud assembly, as `npm run synth` writes cdk.out. */
ensureBundles();
const assemblyDir = mkdtempSync(join(tmpdir(), 'sm-preflight-'));
createApp({ outdir: assemblyDir }).app.synth();
const prodTemplates = readStageTemplates(assemblyDir, 'prod');

/** Runs `npm run preflight`'s script in its own process, its SDK clients pointed at the stand-in. */
function runPreflight(
  standIn: AwsStandIn,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        '--tsconfig',
        'tsconfig.base.json',
        'apps/platform/src/deploy/preflight-cli.ts',
        '--assembly',
        assemblyDir,
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          ...standIn.environment(),
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function withStandIn<T>(
  account: StandInAccount,
  use: (standIn: AwsStandIn) => Promise<T>,
): Promise<T> {
  const standIn = await startAwsStandIn(account);
  try {
    return await use(standIn);
  } finally {
    await standIn.close();
  }
}

describe('npm run preflight, against a stand-in for Lambda, API Gateway and STS on 127.0.0.1', () => {
  it('refuses a 10-concurrency account before CloudFormation, naming the quota to raise and that the small profile does not fit', async () => {
    const result = await withStandIn(
      { accountId: ACCOUNT, concurrency: 10, functions: [] },
      (standIn) => runPreflight(standIn, ['--stage', 'prod']),
    );
    console.log(
      `preflight output for a 10-concurrency account (exit ${result.code}):\n${result.stdout}${result.stderr}`,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `preflight: reading ${ACCOUNT}/eu-west-1 with the caller's credentials`,
    );
    expect(result.stderr).toContain('Lambda: concurrent executions quota 10');
    expect(result.stderr).toContain(
      'this stage reserves 565: it needs a quota of at least 565 + 0 + 100 unreserved = 665',
    );
    expect(result.stderr).toContain(
      `preflight REFUSED: stage prod does not fit ${ACCOUNT}/eu-west-1`,
    );
    expect(result.stderr).toContain(
      'quota code L-B99A9384) in 123456789012/eu-west-1 to at least 665',
    );
    expect(result.stderr).toContain(
      '--quota-code L-B99A9384 --desired-value 665 --region eu-west-1',
    );
    expect(result.stderr).toContain(
      'the small-account profile (context stages.prod.limitsProfile=small-account, 66 reserved) does not fit either: it needs a quota of at least 166',
    );
  }, 90_000);

  it('lets a 1,000-concurrency account proceed, reading every page of functions and each one’s reservation', async () => {
    const functions = [
      { name: 'billing-worker' },
      { name: 'Prod-SmAuth-AuthorizeFunction3C1A-Xk2lP0qRsTuV', reserved: 240 }, // this stage's, deployed before: replaced, not added
      { name: 'reports-nightly', reserved: 20 },
      { name: 'Staging-SmAuth-AuthorizeFunction3C1A-Ab9cD8eF7gH6', reserved: 240 }, // the other stage shares the account here
      { name: 'image-resize' },
    ];
    const result = await withStandIn(
      { accountId: ACCOUNT, concurrency: 1000, functions },
      async (standIn) => {
        const run = await runPreflight(standIn, ['--stage', 'prod']);
        return { ...run, requests: [...standIn.requests] };
      },
    );
    console.log(
      `preflight output for a 1,000-concurrency account (exit ${result.code}):\n${result.stdout}${result.stderr}`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('reserved by functions outside this stage: 260 (2 functions)');
    expect(result.stdout).toContain(
      'it needs a quota of at least 565 + 260 + 100 unreserved = 925',
    );
    expect(result.stdout).toContain(
      `preflight PASSED: stage prod fits ${ACCOUNT}/eu-west-1 (925 of 1000 concurrent executions needed).`,
    );
    expect(result.requests.filter((r) => r.startsWith('GET /2015-03-31/functions')).length).toBe(3);
    expect(
      result.requests
        .filter((r) => r.endsWith('/concurrency'))
        .map((r) => decodeURIComponent(r.split('/')[3]!))
        .sort(),
    ).toEqual(functions.map((f) => f.name).sort());
  }, 90_000);
});

describe('evaluatePreflight, with the account read through the real SDK clients', () => {
  const saved = { ...process.env };
  const started: AwsStandIn[] = [];
  const read = async (account: StandInAccount) => {
    const standIn = await startAwsStandIn(account);
    started.push(standIn);
    Object.assign(process.env, standIn.environment());
    return readAccountLimits({ region: 'eu-west-1' });
  };
  afterEach(async () => {
    process.env = { ...saved };
    await Promise.all(started.splice(0).map((standIn) => standIn.close()));
  });
  const evaluate = async (account: StandInAccount) =>
    evaluatePreflight({
      stage: 'prod',
      templates: prodTemplates,
      profile: 'default',
      account: await read(account),
      accountId: ACCOUNT,
      region: 'eu-west-1',
    });

  it('suggests the small-account profile when it fits and the default limits do not', async () => {
    const result = await evaluate({ accountId: ACCOUNT, concurrency: 200, functions: [] });
    expect(result.proceed).toBe(false);
    expect(result.lines.join('\n')).toContain(
      'or deploy the small-account profile, which reserves 66 and fits now: context stages.prod.limitsProfile=small-account',
    );
  });

  it('counts what other functions reserve and names the largest', async () => {
    const result = await evaluate({
      accountId: ACCOUNT,
      concurrency: 1000,
      functions: [
        { name: 'etl', reserved: 300 },
        { name: 'search', reserved: 100 },
        { name: 'idle' },
      ],
    });
    expect(result.proceed).toBe(false);
    expect(result.reservedByOthers).toEqual([
      { functionName: 'etl', reserved: 300 },
      { functionName: 'search', reserved: 100 },
    ]);
    const text = result.lines.join('\n');
    expect(text).toContain('to at least 1065');
    expect(text).toContain(
      'or lower what other functions reserve (400 in all; the largest: etl 300, search 100)',
    );
  });

  it('notes a foreign API Gateway CloudWatch role the platform stack would refuse to replace, and says how to adopt it', async () => {
    const foreign = 'arn:aws:iam::123456789012:role/org-baseline-apigateway-logs';
    const result = await evaluate({
      accountId: ACCOUNT,
      concurrency: 1000,
      functions: [],
      apiGateway: { rateLimit: 10_000, burstLimit: 5_000, cloudWatchRoleArn: foreign },
    });
    expect(result.proceed).toBe(true);
    expect(result.lines.join('\n')).toContain(
      `Adopt it: context stages.prod.apiGatewayCloudWatchRoleArn=${foreign}`,
    );
    const ours = await evaluate({
      accountId: ACCOUNT,
      concurrency: 1000,
      functions: [],
      apiGateway: {
        rateLimit: 10_000,
        burstLimit: 5_000,
        cloudWatchRoleArn:
          'arn:aws:iam::123456789012:role/Prod-SmPlatform-ApiGatewayAccountRole4C1B2A-Zq1',
      },
    });
    expect(ours.lines.join('\n')).not.toContain('Adopt it');
  });

  it('refuses when the stage’s method rates exceed API Gateway’s account throttle', async () => {
    const result = await evaluate({
      accountId: ACCOUNT,
      concurrency: 1000,
      functions: [],
      apiGateway: { rateLimit: 100, burstLimit: 5000 },
    });
    expect(result.proceed).toBe(false);
    expect(result.lines).toContain('  - account: Σ method rate limits 230/s > account quota 100/s');
    expect(result.lines.join('\n')).not.toContain('L-B99A9384');
  });
});

describe('whose functions are the stage’s', () => {
  it('are named in its templates or generated from its stack names', () => {
    expect(isStageFunction('Prod-SmProfile-GetProfileFunctionA6-1a2B3c4D5e6F', prodTemplates)).toBe(
      true,
    );
    expect(
      isStageFunction('Staging-SmProfile-GetProfileFunctionA6-1a2B3c4D5e6F', prodTemplates),
    ).toBe(false);
    expect(isStageFunction('Prod-SmProfileX', prodTemplates)).toBe(false);
  });

  it('reads a pinned stage account through its CDK lookup role', () => {
    expect(lookupRoleArn('222222222222', 'eu-central-1')).toBe(
      'arn:aws:iam::222222222222:role/cdk-hnb659fds-lookup-role-222222222222-eu-central-1',
    );
  });
});
