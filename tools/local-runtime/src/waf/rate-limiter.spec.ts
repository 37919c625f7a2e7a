import { WebAclRateLimiter } from './rate-limiter';
import { assertSupported, matches } from './statement';
import type { RateRuleModel, WafRequest, WafStatement } from './web-acl-model';

const byteMatch = (field: string, constraint: string, value: string, type = 'NONE'): WafStatement => ({
  ByteMatchStatement: { FieldToMatch: field === 'Method' || field === 'UriPath' ? { [field]: {} } : { SingleHeader: { Name: field } }, PositionalConstraint: constraint, SearchString: value, TextTransformations: [{ Priority: 0, Type: type }] },
});
/** What ApiWebAcl (libs/infra) writes for POST /tokens. */
const signIn: WafStatement = {
  AndStatement: { Statements: [byteMatch('Method', 'EXACTLY', 'POST'), { OrStatement: { Statements: [byteMatch('UriPath', 'ENDS_WITH', '/tokens'), byteMatch('UriPath', 'ENDS_WITH', '/tokens/')] } }] },
};
const request = (method: string, uriPath: string, sourceIp = '203.0.113.7', headers: Record<string, string> = {}): WafRequest => ({ method, uriPath, headers, sourceIp });

describe('WAF statements (the subset evaluated locally)', () => {
  it.each([
    ['POST', '/prod/tokens', true],
    ['POST', '/prod/tokens/', true],
    ['GET', '/prod/tokens', false],
    ['POST', '/prod/tokens/current', false],
    ['POST', '/prod/users', false],
  ])('the sign-in scope-down: %s %s → %p', (method, path, expected) => {
    expect(matches(signIn, request(method, path))).toBe(expected);
  });

  it('matches headers, prefixes, substrings, lower-cased values and Not', () => {
    expect(matches(byteMatch('User-Agent', 'CONTAINS', 'curl', 'LOWERCASE'), request('GET', '/', 'x', { 'user-agent': 'CURL/8.0' }))).toBe(true);
    expect(matches(byteMatch('UriPath', 'STARTS_WITH', '/prod/loc'), request('GET', '/prod/loc/1'))).toBe(true);
    expect(matches({ NotStatement: { Statement: byteMatch('Method', 'EXACTLY', 'GET') } }, request('GET', '/'))).toBe(false);
  });

  it.each([
    [{ GeoMatchStatement: { CountryCodes: ['NL'] } }, /GeoMatchStatement is not evaluated locally/],
    [{ ByteMatchStatement: { FieldToMatch: { Body: {} }, PositionalConstraint: 'EXACTLY', SearchString: 'x' } }, /FieldToMatch Body/],
    [{ ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'CONTAINS_WORD', SearchString: 'x' } }, /CONTAINS_WORD/],
    [{ AndStatement: { Statements: [signIn, byteMatch('UriPath', 'EXACTLY', '/', 'URL_DECODE')] } }, /URL_DECODE/],
  ])('refuses what it cannot evaluate, at read time: %j', (statement, message) => {
    expect(() => assertSupported(statement as WafStatement, 'ScopeDownStatement')).toThrow(message);
  });
});

describe('WebAclRateLimiter', () => {
  const blocked = { status: 429, headers: { 'retry-after': '60' }, body: '{"status":429}' };
  const rule = (overrides: Partial<RateRuleModel> = {}): RateRuleModel => ({ name: 'SignInPerIp', priority: 0, limit: 3, windowSeconds: 60, scopeDown: signIn, response: blocked, ...overrides });

  it('blocks an IP past the limit within the window, and lets it through once the window has slid past', () => {
    const limiter = new WebAclRateLimiter({ name: 'acl', rateRules: [rule()], awsOnly: [] });
    const at = (seconds: number) => limiter.evaluate(request('POST', '/prod/tokens'), seconds * 1000);

    expect([at(0), at(1), at(2)]).toEqual([undefined, undefined, undefined]);
    expect(at(3)).toBe(blocked);
    expect(at(59)).toBe(blocked); // blocked requests count too
    // At 61 s the requests of 0 and 1 s left the window; 2, 3, 59 and this one remain: still over.
    expect(at(61)).toBe(blocked);
    expect(at(125)).toBeUndefined();
  });

  it('counts each IP apart, and only the requests of its scope', () => {
    const limiter = new WebAclRateLimiter({ name: 'acl', rateRules: [rule({ limit: 2 })], awsOnly: [] });
    for (let i = 0; i < 3; i += 1) limiter.evaluate(request('POST', '/prod/tokens', '198.51.100.1'), 1000);

    expect(limiter.evaluate(request('POST', '/prod/tokens', '198.51.100.1'), 1000)).toBe(blocked);
    expect(limiter.evaluate(request('POST', '/prod/tokens', '198.51.100.2'), 1000)).toBeUndefined();
    expect(limiter.evaluate(request('GET', '/prod/loc/1', '198.51.100.1'), 1000)).toBeUndefined();
  });

  it('answers with the first blocking rule by priority, and a rule without scope counts every request', () => {
    const everything = { status: 403, headers: {}, body: 'all' };
    const limiter = new WebAclRateLimiter({ name: 'acl', rateRules: [rule({ limit: 1 }), rule({ name: 'All', priority: 1, limit: 2, scopeDown: undefined as never, response: everything })], awsOnly: [] });

    expect(limiter.evaluate(request('GET', '/prod/a'), 0)).toBeUndefined();
    expect(limiter.evaluate(request('POST', '/prod/tokens'), 0)).toBeUndefined();
    expect(limiter.evaluate(request('POST', '/prod/tokens'), 0)).toBe(blocked);
    expect(limiter.evaluate(request('GET', '/prod/a'), 0)).toBe(everything);
  });
});
