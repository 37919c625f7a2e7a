import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { PublishedParameter, StackTemplate } from '@sm/infra';

/** A value published in SSM that a change would alter, because the resource it comes from goes. */
export interface PublishedValueReplacement {
  /** The stack that publishes it (`Prod-SmAuth`). */
  readonly stackName: string;
  /** `/sm/prod/auth/authorizer-function-arn`. */
  readonly parameterName: string;
  /** The resource the value comes from in the base template, and its type. */
  readonly resource: string;
  readonly resourceType: string;
  /** What happens to it, in CloudFormation's terms. */
  readonly why: string;
  /** Who holds the old value (from the one declaration in `@sm/infra`, when given). */
  readonly readAtDeploy: readonly string[];
  readonly readAtRunTime: readonly string[];
}

type Template = StackTemplate['template'] & {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

/** Logical ids of the template's resources a value refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`). */
function referencedResources(value: unknown, template: Template): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const ref = record['Ref'];
    if (typeof ref === 'string' && template.Resources?.[ref]) found.add(ref);
    const getAtt = record['Fn::GetAtt'];
    const target = Array.isArray(getAtt)
      ? getAtt[0]
      : typeof getAtt === 'string'
        ? getAtt.split('.')[0]
        : undefined;
    if (typeof target === 'string' && template.Resources?.[target]) found.add(target);
    const sub = record['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') {
      for (const [, name] of text.matchAll(/\$\{([^}.!]+)(?:\.[^}]*)?\}/g))
        if (name && template.Resources?.[name]) found.add(name);
    }
    Object.values(record).forEach(visit);
  };
  visit(value);
  return [...found].sort();
}

/** Every `AWS::SSM::Parameter` with a literal name: name → its value's source resources. */
function publishedValues(
  template: Template,
): Map<string, { logicalId: string; sources: string[] }> {
  const values = new Map<string, { logicalId: string; sources: string[] }>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const name = resource.Properties?.['Name'];
    if (resource.Type !== 'AWS::SSM::Parameter' || typeof name !== 'string') continue;
    values.set(name, {
      logicalId,
      sources: referencedResources(resource.Properties?.['Value'], template),
    });
  }
  return values;
}

const REPLACING: ReadonlySet<ResourceImpact> = new Set([
  ResourceImpact.WILL_REPLACE,
  ResourceImpact.MAY_REPLACE,
  ResourceImpact.WILL_DESTROY,
  ResourceImpact.WILL_ORPHAN,
]);

/**
 * Compares a change's synthesized templates (head) with the deployed ones (base) and lists every
 * value published in SSM whose source resource the change would replace or remove: a renamed
 * construct (new logical id), a property CloudFormation can only change by replacement (a
 * function's name, a topic's name), a removed resource or parameter. Such a change gives every
 * consumer that read the value at its own deployment a dead reference (an authorizer ARN that no
 * longer exists: 500s on every secured route) until each is deployed again. Replacement is decided
 * by `@aws-cdk/cloudformation-diff`, the engine of `cdk diff`, from CloudFormation's resource
 * specification; stacks are matched by name.
 *
 * Values that merely change without a replacement (an update in place) keep their identity and
 * are not listed. Give `published` (`publishedParameters(stage)` of `@sm/infra`) to name the
 * consumers of each value.
 */
export function publishedValueReplacements(
  base: readonly StackTemplate[],
  head: readonly StackTemplate[],
  published: readonly PublishedParameter[] = [],
): PublishedValueReplacement[] {
  const findings: PublishedValueReplacement[] = [];
  for (const { stackName, template } of base) {
    const before = template as Template;
    const after = (head.find((s) => s.stackName === stackName)?.template ?? {
      Resources: {},
    }) as Template;
    const diff = fullDiff(before, after);
    const afterValues = publishedValues(after);
    for (const [parameterName, { sources }] of publishedValues(before)) {
      const consumers = published.find((p) => p.name === parameterName);
      const finding = (resource: string, why: string): PublishedValueReplacement => ({
        stackName,
        parameterName,
        resource,
        resourceType:
          before.Resources?.[resource]?.Type ??
          after.Resources?.[resource]?.Type ??
          'AWS::SSM::Parameter',
        why,
        readAtDeploy: consumers?.readAtDeploy ?? [],
        readAtRunTime: consumers?.readAtRunTime ?? [],
      });
      const now = afterValues.get(parameterName);
      if (!now) {
        findings.push(
          finding(
            sources[0] ?? parameterName,
            `the parameter is no longer published by ${stackName}`,
          ),
        );
        continue;
      }
      for (const source of sources) {
        const change = diff.resources.has(source) ? diff.resources.get(source) : undefined;
        if (!after.Resources?.[source]) {
          const instead = now.sources.filter((s) => !sources.includes(s));
          findings.push(
            finding(
              source,
              `the resource is removed${instead.length ? ` and the value now comes from ${instead.join(', ')} (a renamed construct: a new resource, a new value)` : ''}`,
            ),
          );
        } else if (change && REPLACING.has(change.changeImpact)) {
          const properties = Object.entries(change.propertyUpdates)
            .filter(([, update]) => update.changeImpact && REPLACING.has(update.changeImpact))
            .map(([property]) => property);
          findings.push(
            finding(
              source,
              `CloudFormation ${change.changeImpact === ResourceImpact.MAY_REPLACE ? 'may replace' : 'will replace'} it${properties.length ? ` (${properties.join(', ')} changes)` : ''}`,
            ),
          );
        }
      }
    }
  }
  return findings;
}
