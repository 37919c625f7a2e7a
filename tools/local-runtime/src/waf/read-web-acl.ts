import type { StackArtifact } from '../assembly/cloud-assembly';
import { AssemblyError } from '../assembly/errors';
import type { IntrinsicResolver } from '../assembly/intrinsics';
import { assertSupported } from './statement';
import type { BlockResponse, RateRuleModel, WafStatement, WebAclModel } from './web-acl-model';

/** What a WAF block answers without a custom response. */
const DEFAULT_BLOCK: BlockResponse = { status: 403, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>403 Forbidden</h1></body></html>' };

const CONTENT_TYPES: Record<string, string> = { APPLICATION_JSON: 'application/json', TEXT_PLAIN: 'text/plain', TEXT_HTML: 'text/html' };

/**
 * The web ACL associated with an API stage (the `AWS::WAFv2::WebACLAssociation` of the stack whose
 * `ResourceArn` names the stage and whose `WebACLArn` names a web ACL of the same stack), or
 * `undefined` when the stage has none.
 */
export function readWebAcl(resolver: IntrinsicResolver, stack: StackArtifact, stageLogicalId: string): WebAclModel | undefined {
  const resources = Object.entries(stack.template.Resources ?? {});
  const association = resources.find(
    ([, r]) => r.Type === 'AWS::WAFv2::WebACLAssociation' && JSON.stringify(r.Properties?.['ResourceArn'] ?? null).includes(`{"Ref":"${stageLogicalId}"}`),
  );
  if (association === undefined) return undefined;
  const [associationId, { Properties: associationProps = {} }] = association;
  const aclId = (associationProps['WebACLArn'] as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  const acl = aclId === undefined ? undefined : stack.template.Resources?.[aclId];
  if (acl === undefined || acl.Type !== 'AWS::WAFv2::WebACL') {
    throw new AssemblyError(`stack ${stack.stackName}, resource ${associationId}, property WebACLArn: not a web ACL of the same stack`);
  }
  const props = resolver.resolve(acl.Properties ?? {}, { stack, resource: aclId!, property: 'Properties' }) as Record<string, unknown>;
  const bodies = (props['CustomResponseBodies'] ?? {}) as Record<string, { ContentType: string; Content: string }>;
  const rateRules: RateRuleModel[] = [];
  const awsOnly: string[] = [];
  for (const rule of (props['Rules'] ?? []) as Record<string, any>[]) {
    const name = String(rule['Name']);
    const rate = rule['Statement']?.['RateBasedStatement'] as Record<string, unknown> | undefined;
    if (rate === undefined || (rate['AggregateKeyType'] ?? 'IP') !== 'IP') {
      awsOnly.push(name);
      continue;
    }
    const where = `stack ${stack.stackName}, web ACL ${aclId}, rule ${name}`;
    const scopeDown = rate['ScopeDownStatement'] as WafStatement | undefined;
    try {
      if (scopeDown !== undefined) assertSupported(scopeDown, 'ScopeDownStatement');
    } catch (error) {
      throw new AssemblyError(`${where}: ${(error as Error).message}`);
    }
    rateRules.push({
      name,
      priority: Number(rule['Priority']),
      limit: Number(rate['Limit']),
      windowSeconds: Number(rate['EvaluationWindowSec'] ?? 300),
      ...(scopeDown === undefined ? {} : { scopeDown }),
      response: blockResponse(rule['Action']?.['Block'], bodies, where),
    });
  }
  rateRules.sort((a, b) => a.priority - b.priority);
  return { name: String(props['Name'] ?? aclId), rateRules, awsOnly };
}

function blockResponse(block: Record<string, any> | undefined, bodies: Record<string, { ContentType: string; Content: string }>, where: string): BlockResponse {
  if (block === undefined) throw new AssemblyError(`${where}: only rate-based rules that block are applied locally`);
  const custom = block['CustomResponse'] as Record<string, any> | undefined;
  if (custom === undefined) return DEFAULT_BLOCK;
  const headers: Record<string, string> = {};
  const key = custom['CustomResponseBodyKey'] as string | undefined;
  let body = '';
  if (key !== undefined) {
    const found = bodies[key];
    if (found === undefined) throw new AssemblyError(`${where}: custom response body ${key} is not in CustomResponseBodies`);
    headers['content-type'] = CONTENT_TYPES[found.ContentType] ?? 'text/plain';
    body = found.Content;
  }
  for (const { Name, Value } of (custom['ResponseHeaders'] ?? []) as { Name: string; Value: string }[]) headers[Name.toLowerCase()] = Value;
  return { status: Number(custom['ResponseCode']), headers, body };
}
