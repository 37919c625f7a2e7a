import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { CfnTemplate } from '@sm/template-diff';

/** One stack of a synthesized cloud assembly, nested stages included. */
export interface StackView {
  /** Hierarchical id, what `cdk deploy <pattern>` matches: `SmLocation`, or `Prod/SmLocation` inside a stage. */
  readonly id: string;
  /** The CloudFormation stack name, e.g. `Prod-SmLocation`. */
  readonly stackName: string;
  /** The CDK `Stage` it belongs to (`Prod`), none for a top-level stack. */
  readonly stage?: string;
  readonly template: CfnTemplate;
  /** Hierarchical ids of the stacks it depends on (deployment order). */
  readonly dependencies: readonly string[];
}

/** Every stack of the assembly in `dir` (`cdk.out`), in the assembly's order. */
export function readAssembly(dir: string): StackView[] {
  if (!existsSync(join(dir, 'manifest.json')))
    throw new Error(`${dir} is not a cloud assembly (no manifest.json)`);
  const assembly = new CloudAssembly(dir);
  return assembly.stacksRecursively.map((stack) => {
    const slash = stack.hierarchicalId.lastIndexOf('/');
    return {
      id: stack.hierarchicalId,
      stackName: stack.stackName,
      ...(slash > 0 ? { stage: stack.hierarchicalId.slice(0, slash) } : {}),
      template: stack.template as CfnTemplate,
      dependencies: stack.dependencies
        .filter((d): d is CloudFormationStackArtifact => d instanceof CloudFormationStackArtifact)
        .map((d) => d.hierarchicalId),
    };
  });
}
