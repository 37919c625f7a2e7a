import { Aspects, Stack, Validations, type IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
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

/** A kind of IAM wildcard finding that is acceptable, and why. */
export interface WildcardAcknowledgement {
  /** Matches the finding, e.g. `/^Action::s3:GetObject\*$/` or `/^Resource::<Artifacts[0-9A-F]+\.Arn>\/\*$/`. */
  readonly finding: RegExp;
  /** The compensating control: what bounds the wildcard. */
  readonly reason: string;
}

/**
 * Acknowledges `AwsSolutions-IAM5` wildcard findings of one policy (typically a role's
 * `DefaultPolicy` filled by CDK grants), but only those matching the given patterns. The finding
 * ids embed resolved tokens and the stack's region/account (which differ between `cdk synth` and
 * an environment-agnostic test), so they are computed at synthesis from the final policy, exactly
 * as cdk-nag computes them, instead of being spelled out.
 */
export function acknowledgeWildcards(policy: IConstruct, acknowledgements: readonly WildcardAcknowledgement[]): void {
  Aspects.of(policy).add(new AcknowledgeWildcards(acknowledgements));
}

class AcknowledgeWildcards implements IAspect {
  constructor(private readonly acknowledgements: readonly WildcardAcknowledgement[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    const document = Stack.of(node).resolve(node.policyDocument) as { Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> };
    const findings = new Set<string>();
    for (const statement of document.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asArray(statement.Action)) if (String(action).includes('*')) findings.add(`Action::${String(action)}`);
      for (const resource of asArray(statement.Resource)) {
        const flat = flattenCfnReference(resource);
        if (flat.includes('*')) findings.add(`Resource::${flat}`);
      }
    }
    for (const finding of findings) {
      const match = this.acknowledgements.find((a) => a.finding.test(finding));
      if (match) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: match.reason });
    }
  }
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
