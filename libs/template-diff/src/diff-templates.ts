import {
  fullDiff,
  ResourceImpact,
  type ResourceDifference,
  type TemplateDiff,
} from '@aws-cdk/cloudformation-diff';

type Statement = TemplateDiff['iamChanges']['statements']['additions'][number];
type ManagedPolicyAttachment = TemplateDiff['iamChanges']['managedPolicies']['additions'][number];

/** A CloudFormation template as JSON (`cdk.out/<stack>.template.json`). */
export type CfnTemplate = { readonly [key: string]: unknown };

/** What a deployment does to one resource, in the words of `cdk diff`. */
export type ResourceAction =
  'add' | 'remove' | 'orphan' | 'update' | 'replace' | 'may-replace' | 'import';

export interface ResourceChange {
  readonly logicalId: string;
  /** The resource type after the change (before it, for a removal). */
  readonly type: string;
  /** Construct path from the template's `aws:cdk:path` metadata, e.g. `SmLocation/Locations/Table/Resource`. */
  readonly path?: string;
  readonly action: ResourceAction;
  /** Changed properties and attributes (`DeletionPolicy`, `DependsOn`, …), with what each causes. */
  readonly properties: readonly { readonly name: string; readonly impact: ResourceAction }[];
  /** The resource holds data (a table, a bucket, a log group, …): replacing or removing it loses or strands it. */
  readonly stateful: boolean;
}

/** One IAM statement added or removed, rendered as `cdk diff` renders it. */
export interface IamStatementChange {
  readonly change: 'added' | 'removed';
  readonly effect: string;
  readonly actions: string;
  readonly resources: string;
  readonly principals: string;
  readonly condition: string;
}

export interface ManagedPolicyChange {
  readonly change: 'added' | 'removed';
  readonly resource: string;
  readonly managedPolicyArn: string;
}

export interface TemplateChanges {
  readonly resources: readonly ResourceChange[];
  /** Template parameters and outputs added, removed or changed, by name. */
  readonly parameters: readonly string[];
  readonly outputs: readonly string[];
  readonly iam: {
    readonly statements: readonly IamStatementChange[];
    readonly managedPolicies: readonly ManagedPolicyChange[];
    /** Some principal may do more than before (a statement or a managed policy added). */
    readonly broadened: boolean;
  };
  /** Security group rules added or removed, as `cdk diff` tabulates them (first row: header). */
  readonly securityGroups: readonly (readonly string[])[];
  readonly isEmpty: boolean;
}

/** Resource types whose replacement or removal loses or strands data. */
const STATEFUL_TYPES = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::Logs::LogGroup',
  'AWS::SQS::Queue',
  'AWS::KMS::Key',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem',
  'AWS::Cognito::UserPool',
  'AWS::SecretsManager::Secret',
]);

const ACTIONS: Record<ResourceImpact, ResourceAction | undefined> = {
  [ResourceImpact.WILL_CREATE]: 'add',
  [ResourceImpact.WILL_DESTROY]: 'remove',
  [ResourceImpact.WILL_ORPHAN]: 'orphan',
  [ResourceImpact.WILL_UPDATE]: 'update',
  [ResourceImpact.WILL_REPLACE]: 'replace',
  [ResourceImpact.MAY_REPLACE]: 'may-replace',
  [ResourceImpact.WILL_IMPORT]: 'import',
  [ResourceImpact.NO_CHANGE]: undefined,
};

/**
 * What deploying `head` over a stack now at `base` would change, offline: the same analysis
 * `cdk diff` prints (the `@aws-cdk/cloudformation-diff` library, with CloudFormation's resource
 * specification for which property changes replace a resource), as data. Without a change set it
 * cannot resolve values known only at deployment (SSM parameters, imports): a property that
 * references one counts as changed when its reference does.
 */
export function diffTemplates(base: CfnTemplate, head: CfnTemplate): TemplateChanges {
  const diff = fullDiff(base as Record<string, unknown>, head as Record<string, unknown>);
  const resources: ResourceChange[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const action = ACTIONS[change.changeImpact];
    if (action) resources.push(resourceChange(logicalId, change, action));
  });
  const names = (collection: { logicalIds: string[] }) => [...collection.logicalIds].sort();
  const iam = diff.iamChanges;
  const statement = (change: 'added' | 'removed') => (s: Statement) => {
    const rendered = s.render();
    return {
      change,
      effect: rendered.effect,
      actions: rendered.action,
      resources: rendered.resource,
      principals: rendered.principal,
      condition: rendered.condition,
    };
  };
  const statements = [
    ...iam.statements.additions.map(statement('added')),
    ...iam.statements.removals.map(statement('removed')),
  ];
  const attachment = (change: 'added' | 'removed') => (a: ManagedPolicyAttachment) => ({
    change,
    resource: a.identityArn,
    managedPolicyArn: a.managedPolicyArn,
  });
  const managedPolicies = [
    ...iam.managedPolicies.additions.map(attachment('added')),
    ...iam.managedPolicies.removals.map(attachment('removed')),
  ];
  return {
    resources: resources.sort((a, b) => a.logicalId.localeCompare(b.logicalId)),
    parameters: names(diff.parameters),
    outputs: names(diff.outputs),
    iam: { statements, managedPolicies, broadened: diff.permissionsBroadened },
    // cdk diff's own table; its cells carry colour codes when the terminal (or CI) supports them.
    securityGroups: diff.securityGroupChanges.hasChanges
      ? diff.securityGroupChanges.summarize().map((row) => row.map(plain))
      : [],
    isEmpty: diff.isEmpty,
  };
}

/** The resources a deployment would replace or remove (orphaning included): what loses identity or data. */
export function replacedResources(base: CfnTemplate, head: CfnTemplate): ResourceChange[] {
  return diffTemplates(base, head).resources.filter((r) =>
    ['replace', 'may-replace', 'remove', 'orphan'].includes(r.action),
  );
}

function resourceChange(
  logicalId: string,
  change: ResourceDifference,
  action: ResourceAction,
): ResourceChange {
  const resource = change.newValue ?? change.oldValue;
  const path = (resource?.['Metadata'] as Record<string, unknown> | undefined)?.['aws:cdk:path'];
  const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
  const properties = [
    ...Object.entries(change.propertyUpdates).map(([name, diff]) => ({
      name,
      impact: (diff.changeImpact && ACTIONS[diff.changeImpact]) ?? 'update',
    })),
    // Resource attributes (DeletionPolicy, DependsOn, …) by their own names.
    ...Object.keys(change.otherChanges).map((name) => ({ name, impact: 'update' as const })),
  ];
  return {
    logicalId,
    type,
    ...(typeof path === 'string' ? { path } : {}),
    action,
    properties,
    stateful: STATEFUL_TYPES.has(type),
  };
}

/** Without ANSI colour codes. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape character is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
