import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StageTargetError } from './errors';

interface Manifest {
  artifacts?: Record<
    string,
    { type?: string; displayName?: string; properties?: { directoryName?: string } }
  >;
}

/**
 * The part of a cloud assembly that holds one deployment stage: the nested assembly of the CDK Stage
 * whose id is the stage's name capitalized (`staging` → `Staging`, `cdk.out/assembly-Staging`). An
 * assembly without CDK Stages is one stage by itself and is returned whole. The limits a tool applies
 * to a stage come from here, never from another stage's templates.
 */
export function stageAssemblyDir(assemblyDir: string, stage: string): string {
  const root = resolve(assemblyDir);
  const manifestPath = join(root, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new StageTargetError(`No cloud assembly at ${root}: run \`npm run synth\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const nested = Object.entries(manifest.artifacts ?? {}).filter(
    ([, artifact]) => artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName,
  );
  if (nested.length === 0) return root;
  const stageId = stage.charAt(0).toUpperCase() + stage.slice(1);
  const match = nested.find(([id, artifact]) => id === stageId || artifact.displayName === stageId);
  if (!match) {
    const known = nested.map(([id]) => id.charAt(0).toLowerCase() + id.slice(1)).join(', ');
    throw new StageTargetError(
      `The cloud assembly at ${root} has no stage ${stage} (stages: ${known})`,
    );
  }
  return join(root, match[1].properties!.directoryName!);
}
