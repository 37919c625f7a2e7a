import { selectStage, serviceOfStack, type LocalSystem } from '@sm/local-runtime';
import { resolveDeployedStage, type AwsClients, type StageStack } from './deployed-stage';
import { requireServices, type ServiceUrls, type TargetChoice } from './target-choice';

/**
 * The stage to read from an assembly: `stage` when the assembly holds CDK Stages
 * (`cdk.out/assembly-<Stage>`, one of them read), `undefined` for an assembly without stages, which
 * is one stage by itself (a fixture, an older synth).
 */
export function assemblyStage(assemblyDir: string, stage: string): string | undefined {
  return selectStage(assemblyDir).stages.length > 0 ? stage : undefined;
}

/** The service stacks of a stage as its templates describe them: service, stack name, region. */
export function stageStacks(system: Pick<LocalSystem, 'apis'>): StageStack[] {
  return system.apis.map((api) => ({
    service: serviceOfStack(api.stackId),
    stackName: api.stackName,
    region: api.environment.region,
  }));
}

export interface RemoteTarget {
  apis: ServiceUrls;
  /** One line for the tool's log: the stage and where each URL came from. */
  describe: string;
}

/**
 * The base URLs of a target that is not started here: a deployed stage's, from its stacks' outputs
 * (or SSM), or the ones given with `--api`, checked to cover exactly the services the stage's
 * templates (`system`, read from cdk.out for that stage) hold.
 */
export async function resolveRemoteTarget(
  choice: Exclude<TargetChoice, { kind: 'local' }>,
  system: Pick<LocalSystem, 'apis'>,
  clients?: AwsClients,
): Promise<RemoteTarget> {
  const stacks = stageStacks(system);
  if (choice.kind === 'explicit') {
    requireServices(
      choice.apis,
      stacks.map((stack) => stack.service),
      '--api',
    );
    return { apis: choice.apis, describe: `stage ${choice.stage} at the URLs given (--api)` };
  }
  const resolved = await resolveDeployedStage({ stage: choice.stage, stacks, region: choice.region, clients });
  const from = [...resolved.sources].map(([service, source]) => `${service} from ${source}`).join('; ');
  return { apis: resolved.apis, describe: `deployed stage ${choice.stage} (${from})` };
}
