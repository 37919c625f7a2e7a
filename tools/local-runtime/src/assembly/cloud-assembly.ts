import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssemblyError } from './errors';

/** A CloudFormation template as CDK writes it (only what the runtime reads). */
export interface Template {
  Parameters?: Record<string, { Type: string; Default?: string }>;
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; UpdatePolicy?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export interface StackArtifact {
  /** The CloudFormation stack name (`properties.stackName`, else the artifact id). */
  stackName: string;
  /**
   * The stack's construct id: the last part of its display name (`SmAuth`, also for
   * `Staging/SmAuth` inside a CDK Stage), else the artifact id.
   */
  stackId: string;
  artifactId: string;
  template: Template;
  /** Directory the template and its assets sit in (nested assemblies have their own). */
  assemblyDir: string;
  /** `aws://account/region` resolved, or `undefined` parts for environment-agnostic stacks. */
  account?: string;
  region?: string;
  /** S3 object key → absolute asset directory, from the stack's asset manifest. */
  assetDirsByObjectKey: Map<string, string>;
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  displayName?: string;
  properties?: { templateFile?: string; stackName?: string; file?: string; directoryName?: string };
  dependencies?: string[];
}

interface AssetManifest {
  files?: Record<string, { source: { path?: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }>;
}

/**
 * Reads `manifest.json` and every stack's template and asset manifest, following nested assemblies
 * (CDK Stages) so that stacks inside stages are found too.
 */
export function readCloudAssembly(assemblyDir: string): StackArtifact[] {
  const dir = resolve(assemblyDir);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new AssemblyError(`No cloud assembly at ${dir}: manifest.json is missing (run \`npm run synth\` first)`);
  }
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(manifestPath);
  const artifacts = manifest.artifacts ?? {};
  const stacks: StackArtifact[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readCloudAssembly(join(dir, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const assetDirsByObjectKey = new Map<string, string>();
    for (const dependency of artifact.dependencies ?? []) {
      const assets = artifacts[dependency];
      if (assets?.type !== 'cdk:asset-manifest' || !assets.properties?.file) continue;
      const assetManifest = readJson<AssetManifest>(join(dir, assets.properties.file));
      for (const file of Object.values(assetManifest.files ?? {})) {
        if (!file.source.path) continue;
        for (const destination of Object.values(file.destinations)) {
          assetDirsByObjectKey.set(destination.objectKey, join(dir, file.source.path));
        }
      }
    }
    const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
    stacks.push({
      stackName: artifact.properties.stackName ?? artifact.displayName ?? artifactId,
      stackId: artifact.displayName?.split('/').pop() || artifactId,
      artifactId,
      template: readJson<Template>(join(dir, artifact.properties.templateFile)),
      assemblyDir: dir,
      account: account && !account.startsWith('unknown-') ? account : undefined,
      region: region && !region.startsWith('unknown-') ? region : undefined,
      assetDirsByObjectKey,
    });
  }
  return stacks;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new AssemblyError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
