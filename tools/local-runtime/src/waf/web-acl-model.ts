/**
 * An AWS WAF web ACL as the local runtime applies it: the rate-based rules of the web ACL associated
 * with an API stage (`AWS::WAFv2::WebACLAssociation`), read from the assembly. Rules AWS alone can
 * evaluate (managed rule groups, IP reputation) are listed by name in `awsOnly` and not applied.
 */
export interface WebAclModel {
  name: string;
  /** Rate-based rules, in priority order. */
  rateRules: RateRuleModel[];
  /** Names of the rules that only run in AWS. */
  awsOnly: string[];
}

/** One rate-based rule aggregated by source IP. */
export interface RateRuleModel {
  name: string;
  priority: number;
  /** Requests per IP within the window above which the rule blocks. */
  limit: number;
  windowSeconds: number;
  /** The requests the rule counts (`ScopeDownStatement`, resolved); all when absent. */
  scopeDown?: WafStatement;
  /** What a blocked request is answered. */
  response: BlockResponse;
}

/** A block's answer: WAF's default 403, or the rule's custom response. */
export interface BlockResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A WAF statement as CloudFormation writes it (PascalCase), resolved to plain values. */
export type WafStatement = Record<string, unknown>;

/** A request as a WAF statement sees it. */
export interface WafRequest {
  method: string;
  /** The URI path as sent, stage prefix included (`/prod/tokens`). */
  uriPath: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  sourceIp: string;
}
