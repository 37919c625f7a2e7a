import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { ContractOperation } from './contract';
import { InfraConfigError } from './errors';

/** The evaluation windows AWS WAF offers for a rate-based rule, in seconds. */
export type RateWindowSeconds = 60 | 120 | 300 | 600;

/**
 * A per-IP rate limit on some operations of the API: a client (source IP) that sends more than
 * `limit` of those requests within `windowSeconds` is answered 429 by AWS WAF until its rate drops.
 */
export interface PerIpRateLimit {
  /** The rule's name (also its metric's): letters, digits, `-`, `_`. */
  readonly name: string;
  /** The operations whose requests are counted (static paths only). */
  readonly operations: readonly ContractOperation[];
  /** Requests per IP within the window; AWS WAF's minimum is 10. */
  readonly limit: number;
  readonly windowSeconds: RateWindowSeconds;
}

/** Properties of an {@link ApiWebAcl}. */
export interface ApiWebAclProps {
  /** The API stage the web ACL protects. */
  readonly stage: apigw.Stage;
  /** Web ACL name and metric prefix, e.g. `sm-prod-auth`. */
  readonly name: string;
  /** @default - none: only the managed rule groups */
  readonly perIpRateLimits?: readonly PerIpRateLimit[];
}

/**
 * The managed rule groups every API gets: requests from addresses Amazon's threat intelligence
 * lists, and request patterns of known exploits (Log4j, Java deserialization, localhost Host
 * header …). Both are free of false positives on a JSON API like these. The Core rule set is left
 * out: its body and User-Agent rules would refuse requests the contract allows.
 */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

/** The key of the 429 body in the web ACL's custom response bodies. */
const THROTTLED_BODY = 'PerIpThrottled';

/** The body AWS WAF answers a rate-limited request with: the contract's problem (WAF cannot fill `instance`). */
export const WAF_THROTTLED_PROBLEM = {
  type: 'urn:problem-type:throttled',
  title: 'Too Many Requests',
  status: 429,
  detail: 'Too many requests from this address; retry later.',
} as const;

/**
 * An AWS WAF web ACL (regional) associated with one API stage: the managed rule groups of
 * {@link MANAGED_RULE_GROUPS} and per-IP rate-based rules on chosen operations (sign-in and
 * registration: the method throttle alone is shared by every caller, so one client could deny
 * them to everyone). A rate-limited client gets 429 problem+json with `Retry-After` (the window).
 *
 * The local runtime applies the rate-based rules of the assembly per source IP
 * (tools/local-runtime/src/waf/); the managed groups exist only in AWS.
 */
export class ApiWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    const rateRules = (props.perIpRateLimits ?? []).map((limit, index) => rateRule(limit, index, `${this.node.path}: rate limit '${limit.name}'`));
    const managedRules = MANAGED_RULE_GROUPS.map((group, index): wafv2.CfnWebACL.RuleProperty => ({
      name: group,
      priority: rateRules.length + index,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
      visibilityConfig: visibility(`${props.name}-${group}`),
    }));

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: [...rateRules, ...managedRules],
      visibilityConfig: visibility(props.name),
      ...(rateRules.length === 0
        ? {}
        : {
            customResponseBodies: {
              [THROTTLED_BODY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify(WAF_THROTTLED_PROBLEM) },
            },
          }),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName: metricName.replace(/[^A-Za-z0-9_-]/g, '_'),
});

const byteMatch = (
  fieldToMatch: wafv2.CfnWebACL.FieldToMatchProperty,
  positionalConstraint: 'EXACTLY' | 'ENDS_WITH',
  searchString: string,
): wafv2.CfnWebACL.StatementProperty => ({
  byteMatchStatement: { fieldToMatch, positionalConstraint, searchString, textTransformations: [{ priority: 0, type: 'NONE' }] },
});

/**
 * The requests of one operation: its method, and a URI path ending with its path (with or without
 * a trailing slash): under the stage prefix (`/prod/tokens`) as under a custom domain's base path.
 */
const operationStatement = (operation: ContractOperation, where: string): wafv2.CfnWebACL.StatementProperty => {
  if (operation.path.includes('{')) throw new InfraConfigError(`${where}: ${operation.operationId} has a templated path (${operation.path}); only static paths can be rate-limited`);
  return {
    andStatement: {
      statements: [
        byteMatch({ method: {} }, 'EXACTLY', operation.method.toUpperCase()),
        { orStatement: { statements: [byteMatch({ uriPath: {} }, 'ENDS_WITH', operation.path), byteMatch({ uriPath: {} }, 'ENDS_WITH', `${operation.path}/`)] } },
      ],
    },
  };
};

function rateRule(limit: PerIpRateLimit, priority: number, where: string): wafv2.CfnWebACL.RuleProperty {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(limit.name)) throw new InfraConfigError(`${where}: the name may hold letters, digits, '-' and '_' only`);
  if (!Number.isInteger(limit.limit) || limit.limit < 10) throw new InfraConfigError(`${where}: limit must be a whole number of at least 10 (AWS WAF's minimum), got ${limit.limit}`);
  if (limit.operations.length === 0) throw new InfraConfigError(`${where}: name at least one operation`);
  const statements = limit.operations.map((operation) => operationStatement(operation, where));
  return {
    name: limit.name,
    priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: THROTTLED_BODY,
          // The window is the longest a client may have to wait for its rate to drop below the limit.
          responseHeaders: [
            { name: 'Retry-After', value: String(limit.windowSeconds) },
            { name: 'Cache-Control', value: 'no-store' },
            { name: 'X-Content-Type-Options', value: 'nosniff' },
          ],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        limit: limit.limit,
        evaluationWindowSec: limit.windowSeconds,
        scopeDownStatement: statements.length === 1 ? statements[0]! : { orStatement: { statements } },
      },
    },
    visibilityConfig: visibility(limit.name),
  };
}

/**
 * The media type a client sees on a WAF 429: AWS WAF's `APPLICATION_JSON` (its custom response
 * bodies know no `application/problem+json`); the body is the contract's problem all the same.
 */
export const WAF_THROTTLED_CONTENT_TYPE = 'application/json';
