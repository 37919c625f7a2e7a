/**
 * `npm run deploy:stack -- --stage <staging|prod> --stack <SmAuth|SmLocation|SmProfile> [--assembly cdk.out]`
 *
 * The last step of each service's deploy target, after `cdk synth` and the preflight: deploys one
 * stack of one stage from the synthesized assembly the preflight checked (`cdk deploy --app
 * <assembly> <Stage>/<Stack> --exclusively`). When the stack does not exist yet (or only as the
 * wreck of a failed first create, which cdk deletes and creates again) it creates it with its
 * tables' deletion protection off, so a failed create can roll back completely, then deploys again
 * with it on. Every command it runs is printed; the first failure stops it with that exit code.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  stageNamed,
  TABLE_DELETION_PROTECTION_PARAMETER,
  workspaceRoot,
  type StageName,
} from '@sm/infra';
import { stackNameIn } from '../app';
import { readStageEnvironment, readStageTemplates } from '../capacity';
import { stageAccess } from './stage-credentials';

/** Stack states in which `cdk deploy` creates the stack (anew): nothing usable exists yet. */
const NOT_CREATED = new Set([
  'REVIEW_IN_PROGRESS',
  'ROLLBACK_COMPLETE',
  'ROLLBACK_FAILED',
  'DELETE_COMPLETE',
]);

export interface DeployPlan {
  readonly stackName: string;
  /** Each `cdk` invocation, in order (arguments after `cdk`). */
  readonly commands: string[][];
}

/**
 * The `cdk deploy` commands for one stack: one when the stack exists; two on a first create (tables
 * unprotected while creating, then protected), or one when the stack has no tables.
 */
export function planDeploy(options: {
  stage: StageName;
  stackId: string;
  assemblyDir: string;
  exists: boolean;
  hasTables: boolean;
}): DeployPlan {
  const stackName = stackNameIn(options.stage, options.stackId);
  const deploy = (...extra: string[]) => [
    'deploy',
    '--app',
    options.assemblyDir,
    `${stageNamed(options.stage).id}/${options.stackId}`,
    '--exclusively',
    '--require-approval',
    'never',
    ...extra,
  ];
  const protection = (value: 'true' | 'false') => [
    '--parameters',
    `${stackName}:${TABLE_DELETION_PROTECTION_PARAMETER}=${value}`,
  ];
  if (options.exists || !options.hasTables) return { stackName, commands: [deploy()] };
  return { stackName, commands: [deploy(...protection('false')), deploy(...protection('true'))] };
}

/** Whether CloudFormation has the stack in a state `cdk deploy` updates (not one it creates anew). */
export async function stackExists(
  client: CloudFormationClient,
  stackName: string,
): Promise<boolean> {
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const status = answer.Stacks?.[0]?.StackStatus;
    return status !== undefined && !NOT_CREATED.has(status);
  } catch (error) {
    if (
      (error as { name?: string }).name === 'ValidationError' &&
      /does not exist/.test((error as Error).message)
    )
      return false;
    throw error;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      stack: { type: 'string' },
      assembly: { type: 'string', default: join(workspaceRoot(), 'cdk.out') },
      region: { type: 'string' },
    },
  });
  if (!values.stage || !values.stack) {
    console.error(
      'usage: npm run deploy:stack -- --stage <staging|prod> --stack <SmAuth|SmLocation|SmProfile>',
    );
    return 2;
  }
  const stage = stageNamed(values.stage).name;
  const assemblyDir = values.assembly ?? 'cdk.out';
  const stackName = stackNameIn(stage, values.stack);
  const template = readStageTemplates(assemblyDir, stage).find(
    (t) => t.stackName === stackName,
  )?.template;
  if (!template) throw new Error(`no stack ${stackName} in ${assemblyDir}; run \`npx cdk synth\``);
  const pinned = readStageEnvironment(assemblyDir, stage);
  const region =
    pinned.region ??
    values.region ??
    process.env['AWS_REGION'] ??
    process.env['AWS_DEFAULT_REGION'];
  if (!region)
    throw new Error(
      `no region for stage ${stage}: pin it (context stages.${stage}.region) or set AWS_REGION`,
    );
  const access = await stageAccess({ pinnedAccount: pinned.account, region });
  const cloudformation = new CloudFormationClient({
    region,
    credentials: access.credentials,
    maxAttempts: 5,
  });
  const exists = await stackExists(cloudformation, stackName).finally(() =>
    cloudformation.destroy(),
  );
  const hasTables = Object.values(template.Resources ?? {}).some(
    (r) => r.Type === 'AWS::DynamoDB::Table',
  );
  const plan = planDeploy({ stage, stackId: values.stack, assemblyDir, exists, hasTables });
  if (!exists && hasTables) {
    console.log(
      `deploy: ${stackName} does not exist in ${access.accountId}/${region}: creating it with table deletion protection off, then turning it on`,
    );
  }
  const cdk = process.env['SM_CDK_BIN'] ?? join(workspaceRoot(), 'node_modules', '.bin', 'cdk');
  for (const args of plan.commands) {
    console.log(`deploy: cdk ${args.join(' ')}`);
    const result = spawnSync(cdk, args, {
      stdio: 'inherit',
      env: { CDK_DISABLE_CLI_TELEMETRY: 'true', ...process.env },
    });
    if (result.status !== 0) {
      console.error(
        `deploy: \`cdk ${args.join(' ')}\` failed (${result.status ?? result.signal}); ${stackName} stops here`,
      );
      return result.status ?? 1;
    }
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`deploy: ${(error as Error).message}`);
      process.exitCode = 2;
    },
  );
}
