import { publishedParameters, STAGES, type StackTemplate } from '@sm/infra';
import {
  diffTemplates,
  publishedValueReplacements,
  type PublishedValueReplacement,
  type TemplateChanges,
} from '@sm/template-diff';
import type { StackView } from '../assembly';
import type { DeployPlan } from '../deploy/plan';

export interface StackDiff {
  /** Hierarchical id, e.g. `Prod/SmLocation`. */
  readonly id: string;
  readonly stackName: string;
  readonly stage?: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The projects whose deploy (in some configuration) deploys this stack; empty when none does. */
  readonly deployedBy: readonly string[];
  readonly changes: TemplateChanges;
}

/**
 * Every stack of either assembly, the head's template against the base's: what each stack's
 * next deployment would change. Stacks nothing deploys are kept: a change there (the platform or
 * pipeline stack, deployed by hand) is exactly what a reviewer must not miss.
 */
export function diffStacks(
  base: readonly StackView[],
  head: readonly StackView[],
  plan: DeployPlan,
): StackDiff[] {
  const baseById = new Map(base.map((s) => [s.id, s]));
  const headById = new Map(head.map((s) => [s.id, s]));
  const ids = [
    ...head.map((s) => s.id),
    ...base.map((s) => s.id).filter((id) => !headById.has(id)),
  ];
  return ids.map((id) => {
    const before = baseById.get(id);
    const after = headById.get(id);
    const changes = diffTemplates(before?.template ?? {}, after?.template ?? {});
    const stack = (after ?? before) as StackView;
    const deployedBy = [
      ...new Set(
        plan.stages.flatMap((s) => s.stacks.filter((p) => p.id === id).map((p) => p.project)),
      ),
    ];
    return {
      id,
      stackName: stack.stackName,
      ...(stack.stage ? { stage: stack.stage } : {}),
      status: !before ? 'added' : !after ? 'removed' : changes.isEmpty ? 'unchanged' : 'changed',
      deployedBy,
      changes,
    };
  });
}

/** A value published in SSM whose source the change replaces, in the stage it belongs to. */
export interface StrandedValue extends PublishedValueReplacement {
  /** The CDK stage (`Prod`), none for top-level stacks. */
  readonly stage?: string;
}

/**
 * Per stage, the values stacks publish in SSM whose source resource the change would replace or
 * remove (`publishedValueReplacements`, with `@sm/infra`'s declaration of who reads each value):
 * after this deploys, those readers hold a dead value until they are deployed again.
 */
export function strandedValues(
  base: readonly StackView[],
  head: readonly StackView[],
): StrandedValue[] {
  const stages = [...new Set([...base, ...head].map((s) => s.stage))];
  return stages.flatMap((stage) => {
    const inStage = (stacks: readonly StackView[]): StackTemplate[] =>
      stacks
        .filter((s) => s.stage === stage)
        .map((s) => ({
          stackName: s.stackName,
          template: s.template,
        }));
    const declared = STAGES.find((s) => s.id === stage);
    return publishedValueReplacements(
      inStage(base),
      inStage(head),
      declared ? publishedParameters(declared.name) : [],
    ).map((finding) => ({ ...finding, ...(stage ? { stage } : {}) }));
  });
}
