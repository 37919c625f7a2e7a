/**
 * What deploying one CloudFormation template over another would change, offline, as
 * `@aws-cdk/cloudformation-diff` (cdk diff's engine) decides it:
 * - diffTemplates / replacedResources: every resource added, removed, replaced (and whether it
 *   holds data), IAM and security-group changes — the pull-request review's infrastructure diff;
 * - publishedValueReplacements: the values published in SSM whose source a change replaces, and
 *   who holds them — the platform's replacement check, and the review's stranded consumers.
 */
export {
  diffTemplates,
  replacedResources,
  type CfnTemplate,
  type IamStatementChange,
  type ManagedPolicyChange,
  type ResourceAction,
  type ResourceChange,
  type TemplateChanges,
} from './diff-templates';
export {
  publishedValueReplacements,
  type PublishedValueReplacement,
} from './published-value-replacements';
export { readAssemblyStage } from './read-assembly-stage';
