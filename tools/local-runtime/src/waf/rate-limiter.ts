import { matches } from './statement';
import type { BlockResponse, RateRuleModel, WafRequest, WebAclModel } from './web-acl-model';

/**
 * Applies a web ACL's rate-based rules, each per source IP over a sliding window of its
 * `windowSeconds`: a request the rule's scope-down statement matches is counted (blocked ones too,
 * as AWS WAF counts them), and once an IP has more than `limit` counted requests in the window the
 * rule blocks it with its response until the count falls back. AWS WAF checks rates every few
 * seconds, so in AWS a client may get somewhat past the limit before the block starts; locally it
 * starts at the first request over it. Memory: one timestamp per counted request in the window.
 */
export class WebAclRateLimiter {
  private readonly counters: { rule: RateRuleModel; byIp: Map<string, number[]> }[];

  constructor(readonly webAcl: WebAclModel) {
    this.counters = webAcl.rateRules.map((rule) => ({ rule, byIp: new Map() }));
  }

  /** The block response of the first rule (by priority) that blocks the request, or `undefined`. */
  evaluate(request: WafRequest, nowMs: number): BlockResponse | undefined {
    for (const { rule, byIp } of this.counters) {
      if (rule.scopeDown !== undefined && !matches(rule.scopeDown, request)) continue;
      const since = nowMs - rule.windowSeconds * 1000;
      const times = (byIp.get(request.sourceIp) ?? []).filter((time) => time > since);
      times.push(nowMs);
      byIp.set(request.sourceIp, times);
      // Block is a terminating action: the first blocking rule answers, later rules do not see the request.
      if (times.length > rule.limit) return rule.response;
    }
    return undefined;
  }
}
