import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackTemplate } from '@sm/infra';

interface ManifestArtifact {
  type: string;
  properties?: {
    templateFile?: string;
    stackName?: string;
    directoryName?: string;
    displayName?: string;
  };
}

const manifest = (dir: string): Record<string, ManifestArtifact> =>
  (
    JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      artifacts?: Record<string, ManifestArtifact>;
    }
  ).artifacts ?? {};

/**
 * The stack templates of one stage of a synthesized cloud assembly (`cdk.out/assembly-<Stage>`),
 * or of the assembly's top level when `stage` is undefined: what a review compares, base with head.
 */
export function readAssemblyStage(assemblyDir: string, stage?: string): StackTemplate[] {
  let dir = assemblyDir;
  if (stage !== undefined) {
    const nested = Object.values(manifest(assemblyDir)).find(
      (a) =>
        a.type === 'cdk:cloud-assembly' &&
        a.properties?.displayName?.toLowerCase() === stage.toLowerCase(),
    );
    if (!nested?.properties?.directoryName)
      throw new Error(`no stage '${stage}' in the cloud assembly ${assemblyDir}`);
    dir = join(assemblyDir, nested.properties.directoryName);
  }
  return Object.entries(manifest(dir)).flatMap(([id, a]) => {
    const file = a.type === 'aws:cloudformation:stack' ? a.properties?.templateFile : undefined;
    return file
      ? [
          {
            stackName: a.properties?.stackName ?? id,
            template: JSON.parse(
              readFileSync(join(dir, file), 'utf8'),
            ) as StackTemplate['template'],
          },
        ]
      : [];
  });
}
