import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@sm/infra';
import { createApp } from '../app';
import { ensureBundles } from '../test-support';
import { startAwsStandIn } from './__fixtures__/aws-stand-in';
import { planDeploy } from './deploy-stack';

const ROOT = workspaceRoot();

describe('planDeploy', () => {
  const base = {
    stage: 'prod' as const,
    stackId: 'SmAuth',
    assemblyDir: 'cdk.out',
    hasTables: true,
  };
  const deploy = [
    'deploy',
    '--app',
    'cdk.out',
    'Prod/SmAuth',
    '--exclusively',
    '--require-approval',
    'never',
  ];

  it('updates an existing stack with one cdk deploy, keeping the tables’ protection as it is', () => {
    expect(planDeploy({ ...base, exists: true })).toEqual({
      stackName: 'Prod-SmAuth',
      commands: [deploy],
    });
  });

  it('creates a new stack with the tables unprotected, then protects them', () => {
    expect(planDeploy({ ...base, exists: false }).commands).toEqual([
      [...deploy, '--parameters', 'Prod-SmAuth:TableDeletionProtection=false'],
      [...deploy, '--parameters', 'Prod-SmAuth:TableDeletionProtection=true'],
    ]);
    expect(planDeploy({ ...base, exists: false, hasTables: false }).commands).toEqual([deploy]);
  });
});

describe('npm run deploy:stack, against a CloudFormation stand-in and a stand-in cdk', () => {
  ensureBundles();
  const assemblyDir = mkdtempSync(join(tmpdir(), 'sm-deploy-'));
  createApp({ outdir: assemblyDir }).app.synth();

  /** A `cdk` that records its arguments, one line per call, and fails on the call numbered `failOn`. */
  function fakeCdk(failOn?: number): { bin: string; calls: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'sm-fake-cdk-'));
    const log = join(dir, 'calls.log');
    const bin = join(dir, 'cdk');
    writeFileSync(log, '');
    writeFileSync(
      bin,
      `#!/usr/bin/env bash\necho "$*" >> ${JSON.stringify(log)}\nn=$(wc -l < ${JSON.stringify(log)})\n[[ "$n" == "${failOn ?? 0}" ]] && exit 7\nexit 0\n`,
    );
    chmodSync(bin, 0o755);
    return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  }

  async function deploy(stacks: Record<string, string>, failOn?: number) {
    const standIn = await startAwsStandIn({
      accountId: '123456789012',
      concurrency: 1000,
      functions: [],
      stacks,
    });
    const cdk = fakeCdk(failOn);
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          join(ROOT, 'node_modules/.bin/tsx'),
          [
            '--tsconfig',
            'tsconfig.base.json',
            'apps/platform/src/deploy/deploy-stack.ts',
            '--stage',
            'prod',
            '--stack',
            'SmAuth',
            '--assembly',
            assemblyDir,
          ],
          {
            cwd: ROOT,
            env: {
              PATH: process.env['PATH'] ?? '',
              HOME: process.env['HOME'] ?? '/tmp',
              ...standIn.environment(),
              SM_CDK_BIN: cdk.bin,
            },
            stdio: 'ignore',
          },
        );
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (exit) => {
          clearTimeout(timer);
          resolve(exit);
        });
      });
      return { code, calls: cdk.calls(), requests: [...standIn.requests] };
    } finally {
      await standIn.close();
    }
  }
  const prefix = `deploy --app ${assemblyDir} Prod/SmAuth --exclusively --require-approval never`;

  it('creates a missing stack in two deploys: unprotected tables, then protected', async () => {
    const result = await deploy({});
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      `${prefix} --parameters Prod-SmAuth:TableDeletionProtection=false`,
      `${prefix} --parameters Prod-SmAuth:TableDeletionProtection=true`,
    ]);
    expect(result.requests).toEqual(['POST /', 'POST /']); // GetCallerIdentity, DescribeStacks
  }, 90_000);

  it('treats the wreck of a failed first create as a first create, and stops at the first failing deploy with its exit code', async () => {
    const result = await deploy({ 'Prod-SmAuth': 'ROLLBACK_COMPLETE' }, 1);
    expect(result.code).toBe(7);
    expect(result.calls).toEqual([
      `${prefix} --parameters Prod-SmAuth:TableDeletionProtection=false`,
    ]);
  }, 90_000);

  it('updates an existing stack in one deploy', async () => {
    const result = await deploy({ 'Prod-SmAuth': 'UPDATE_COMPLETE' });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([prefix]);
  }, 90_000);
});
