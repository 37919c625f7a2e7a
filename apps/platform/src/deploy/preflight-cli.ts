/**
 * `npm run preflight -- --stage <staging|prod> [--assembly cdk.out] [--region <region>]`
 *
 * Before a stage is deployed: reads the account's Lambda concurrency quota, every reservation in
 * it and API Gateway's account throttle (the caller's credentials, or the stage account's CDK lookup
 * role), runs the capacity check of the stage's synthesized templates with those numbers, and
 * exits 1 with what to raise or which context value scales the reservations down when they do not
 * fit. Needs `npm run synth` (the deploy targets synthesize first). Exit 2: it could not check.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STAGE, stageNamed, workspaceRoot } from '@sm/infra';
import { readStageEnvironment, readStageTemplates } from '../capacity';
import { templatesLimitsProfile } from '../limits';
import { readAccountLimits } from './account-limits';
import { evaluatePreflight } from './preflight';
import { stageAccess } from './stage-credentials';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: DEFAULT_STAGE },
      assembly: { type: 'string', default: join(workspaceRoot(), 'cdk.out') },
      region: { type: 'string' },
      qualifier: { type: 'string' },
    },
  });
  const stage = stageNamed(values.stage ?? DEFAULT_STAGE).name;
  const assembly = values.assembly ?? 'cdk.out';
  const templates = readStageTemplates(assembly, stage);
  const pinned = readStageEnvironment(assembly, stage);
  const region =
    pinned.region ??
    values.region ??
    process.env['AWS_REGION'] ??
    process.env['AWS_DEFAULT_REGION'];
  if (!region) {
    console.error(
      `preflight: no region for stage ${stage}: pin it (context stages.${stage}.region) or set AWS_REGION`,
    );
    return 2;
  }
  const access = await stageAccess({
    pinnedAccount: pinned.account,
    region,
    qualifier: values.qualifier,
  });
  console.log(`preflight: reading ${access.accountId}/${region} with ${access.via}`);
  const account = await readAccountLimits({ region, credentials: access.credentials });
  const result = evaluatePreflight({
    stage,
    templates,
    profile: templatesLimitsProfile(templates),
    account,
    accountId: access.accountId,
    region,
  });
  for (const line of result.lines) (result.proceed ? console.log : console.error)(line);
  return result.proceed ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`preflight: could not check the account: ${(error as Error).message}`);
    process.exitCode = 2;
  },
);
