import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate, ServiceLimits, StageName, StackTemplate } from '@sm/infra';
import { StackIds, stackNameIn } from './app';
import type { SystemLimits } from './limits';

/** Which service's limits govern the functions of each stack of a stage (keys: stack names, `Prod-SmAuth`). */
export function limitsByStack(stage: StageName, limits: SystemLimits): Record<string, ServiceLimits> {
  return {
    [stackNameIn(stage, StackIds.auth)]: limits.auth,
    [stackNameIn(stage, StackIds.profile)]: limits.profile,
    [stackNameIn(stage, StackIds.location)]: limits.location,
  };
}

interface ManifestArtifact {
  type: string;
  displayName?: string;
  /** `aws://<account>/<region>`, `unknown-account`/`unknown-region` when environment-agnostic. */
  environment?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string; displayName?: string };
}

/**
 * Every stack template of one stage of a synthesized cloud assembly (`cdk.out`): the stage's nested
 * assembly (`assembly-Prod`), found by its display name (`Prod`) in the root manifest.
 */
export function readStageTemplates(assemblyDir: string, stage: StageName): StackTemplate[] {
  const stageDir = stageAssemblyDir(assemblyDir, stage);
  return Object.entries(readManifest(stageDir))
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(([artifactId, artifact]) => ({
      stackName: artifact.properties?.stackName ?? artifactId,
      template: JSON.parse(readFileSync(join(stageDir, artifact.properties?.templateFile ?? ''), 'utf8')) as CfnTemplate,
    }));
}

/**
 * Account and region the stage's stacks were synthesized for (context `stages.<name>.account|region`),
 * each `undefined` when the stage is environment-agnostic there.
 */
export function readStageEnvironment(assemblyDir: string, stage: StageName): { account?: string; region?: string } {
  const environments = new Set(
    Object.values(readManifest(stageAssemblyDir(assemblyDir, stage)))
      .filter((artifact) => artifact.type === 'aws:cloudformation:stack')
      .map((artifact) => artifact.environment ?? ''),
  );
  if (environments.size !== 1) throw new Error(`the stacks of stage ${stage} disagree on their environment (${[...environments].join(', ')})`);
  const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec([...environments][0] ?? '') ?? [];
  return {
    account: account && !account.startsWith('unknown-') ? account : undefined,
    region: region && !region.startsWith('unknown-') ? region : undefined,
  };
}

/** The directory of a stage's nested assembly (`cdk.out/assembly-Prod`). */
function stageAssemblyDir(assemblyDir: string, stage: StageName): string {
  const manifest = readManifest(assemblyDir);
  const nested = Object.values(manifest).find(
    (artifact) => artifact.type === 'cdk:cloud-assembly' && stageOf(artifact) === stage && artifact.properties?.directoryName,
  );
  if (!nested?.properties?.directoryName) {
    const stages = Object.values(manifest).filter((a) => a.type === 'cdk:cloud-assembly').map(stageOf);
    throw new Error(`no stage '${stage}' in the cloud assembly ${assemblyDir} (it has: ${stages.join(', ') || 'no stages'}); run \`npm run synth\``);
  }
  return join(assemblyDir, nested.properties.directoryName);
}

/** A nested assembly's stage: its display name (`Prod`, one of the properties as CDK writes it), lower-cased. */
const stageOf = (artifact: ManifestArtifact) => (artifact.properties?.displayName ?? artifact.displayName)?.toLowerCase();

function readManifest(dir: string): Record<string, ManifestArtifact> {
  return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> }).artifacts ?? {};
}
