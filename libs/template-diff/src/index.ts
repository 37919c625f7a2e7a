/**
 * What deploying one CloudFormation template over another would change, offline: resources added,
 * removed, replaced (and whether they hold data), IAM and security-group changes. Used by the
 * pull-request review (tools/review) on the base and head cloud assemblies, and by any test that
 * must fail when a change would replace a resource.
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
