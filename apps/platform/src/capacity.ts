import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate, ServiceLimits, StackTemplate } from '@sm/infra';
import { StackNames } from './app';
import { authLimits, locationLimits, profileLimits } from './services';

/** Which service's limits govern the functions of each stack. */
export const limitsByStack: Record<string, ServiceLimits> = {
  [StackNames.auth]: authLimits,
  [StackNames.profile]: profileLimits,
  [StackNames.location]: locationLimits,
};

/** Every stack template of a synthesized cloud assembly directory (`cdk.out`). */
export function readAssemblyTemplates(assemblyDir: string): StackTemplate[] {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(([stackName, artifact]) => ({
      stackName,
      template: JSON.parse(readFileSync(join(assemblyDir, artifact.properties?.templateFile ?? ''), 'utf8')) as CfnTemplate,
    }));
}
