import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** One rule finding that no acknowledgement covers. */
export interface NagFinding {
  readonly pack: string;
  /** `AwsSolutions-IAM5[Resource::*]`, … */
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
  readonly description: string;
}

/** One acknowledged rule: where, which rule, and why that is acceptable. */
export interface NagAcknowledgement {
  readonly constructPath: string;
  readonly rule: string;
  readonly reason: string;
}

const packs = (scope?: IConstruct): NagPack[] => [
  new AwsSolutionsChecks(scope, { verbose: true }),
  new ServerlessChecks(scope, { verbose: true }),
];

/**
 * Registers the AwsSolutions and Serverless packs of cdk-nag 3 as validation plugins of the app:
 * `app.synth()` (and so `cdk synth`) then fails on every finding no acknowledgement covers.
 */
export function addNagChecks(app: IConstruct): void {
  Validations.of(app).addPlugins(...packs(app));
}

/**
 * Runs both packs over a construct tree directly and returns what no acknowledgement covers,
 * warnings included. Call it after `app.synth()` so aspects have run and the tree is final.
 */
export function nagFindings(scope: IConstruct): NagFinding[] {
  return packs().flatMap((pack) =>
    pack.validateScope(scope).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        pack: pack.name,
        rule: violation.ruleName,
        severity: violation.severity ?? 'error',
        constructPath: resource.constructPath ?? resource.resourceLogicalId ?? '?',
        description: violation.description,
      })),
    ),
  );
}

/** Every acknowledgement recorded with `Validations.of(x).acknowledge(…)` in a construct tree. */
export function nagAcknowledgements(scope: IConstruct): NagAcknowledgement[] {
  const found: NagAcknowledgement[] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ constructPath: construct.node.path, rule: rule.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}
