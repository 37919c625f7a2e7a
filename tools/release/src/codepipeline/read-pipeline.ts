import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildSpec } from '../codebuild/buildspec';

/** One action of the synthesized pipeline, as the rehearsal replays it. */
export type PipelineAction =
  | {
      readonly kind: 'source';
      readonly stage: string;
      readonly name: string;
      readonly provider: string;
    }
  | { readonly kind: 'approval'; readonly stage: string; readonly name: string }
  | {
      readonly kind: 'build';
      readonly stage: string;
      readonly name: string;
      readonly buildSpec: BuildSpec;
      /** The project's environment variables, CloudFormation intrinsics resolved for the rehearsal. */
      readonly variables: Readonly<Record<string, string>>;
      readonly inputs: readonly string[];
      readonly outputs: readonly string[];
    };

/** Values given to CloudFormation's pseudo parameters when a pipeline is replayed locally (no real account). */
export const LOCAL_PSEUDO_PARAMETERS = {
  'AWS::AccountId': '000000000000',
  'AWS::Region': 'eu-west-1',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
} as const;

type Json = Record<string, unknown>;

/**
 * The pipeline's stages and actions, in order, from the synthesized pipeline stack in a cloud
 * assembly (`cdk.out`): the very buildspecs CodeBuild would run.
 */
export function readPipeline(assemblyDir: string, stackName = 'SmPipeline'): PipelineAction[] {
  const template = JSON.parse(readFileSync(templateFile(assemblyDir, stackName), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Json }>;
  };
  const resources = template.Resources;
  const pipeline = Object.values(resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (!pipeline) throw new Error(`${stackName} has no AWS::CodePipeline::Pipeline`);
  const actions: PipelineAction[] = [];
  for (const stage of pipeline.Properties['Stages'] as Json[]) {
    const stageName = stage['Name'] as string;
    const stageActions = [...(stage['Actions'] as Json[])].sort(
      (a, b) => Number(a['RunOrder'] ?? 1) - Number(b['RunOrder'] ?? 1),
    );
    for (const action of stageActions) {
      const type = action['ActionTypeId'] as { Category: string; Provider: string };
      const name = action['Name'] as string;
      if (type.Category === 'Source') {
        actions.push({ kind: 'source', stage: stageName, name, provider: type.Provider });
      } else if (type.Category === 'Approval') {
        actions.push({ kind: 'approval', stage: stageName, name });
      } else if (type.Provider === 'CodeBuild') {
        const projectId = ((action['Configuration'] as Json)['ProjectName'] as { Ref: string }).Ref;
        const project = resources[projectId]?.Properties;
        if (!project)
          throw new Error(`action ${name}: project ${projectId} is not in ${stackName}`);
        const source = project['Source'] as { BuildSpec: string };
        const environment = project['Environment'] as {
          EnvironmentVariables?: { Name: string; Value: unknown }[];
        };
        actions.push({
          kind: 'build',
          stage: stageName,
          name,
          buildSpec: JSON.parse(source.BuildSpec) as BuildSpec,
          variables: Object.fromEntries(
            (environment.EnvironmentVariables ?? []).map((v) => [v.Name, resolve(v.Value)]),
          ),
          inputs: ((action['InputArtifacts'] as { Name: string }[] | undefined) ?? []).map(
            (a) => a.Name,
          ),
          outputs: ((action['OutputArtifacts'] as { Name: string }[] | undefined) ?? []).map(
            (a) => a.Name,
          ),
        });
      } else {
        throw new Error(
          `action ${name}: the rehearsal cannot replay a ${type.Category}/${type.Provider} action`,
        );
      }
    }
  }
  return actions;
}

function templateFile(assemblyDir: string, stackName: string): string {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<
      string,
      {
        type: string;
        displayName?: string;
        properties?: { templateFile?: string; stackName?: string };
      }
    >;
  };
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    if (
      [id, artifact.displayName, artifact.properties?.stackName].includes(stackName) &&
      artifact.properties?.templateFile
    ) {
      const file = join(assemblyDir, artifact.properties.templateFile);
      if (existsSync(file)) return file;
    }
  }
  throw new Error(
    `no stack ${stackName} in the cloud assembly ${assemblyDir}: run \`npm run synth\` first`,
  );
}

/** Resolves the intrinsics the projects' variables use (Ref to pseudo parameters, Fn::Join). */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, arg] = Object.entries(value)[0] ?? [];
    if (key === 'Ref' && typeof arg === 'string' && arg in LOCAL_PSEUDO_PARAMETERS)
      return LOCAL_PSEUDO_PARAMETERS[arg as keyof typeof LOCAL_PSEUDO_PARAMETERS];
    if (key === 'Fn::Join' && Array.isArray(arg))
      return (arg[1] as unknown[]).map(resolve).join(String(arg[0]));
  }
  throw new Error(`the rehearsal cannot resolve the variable value ${JSON.stringify(value)}`);
}
