export { WebAclRateLimiter } from './rate-limiter';
export { readWebAcl } from './read-web-acl';
export { assertSupported, matches } from './statement';
export type { BlockResponse, RateRuleModel, WafRequest, WafStatement, WebAclModel } from './web-acl-model';
