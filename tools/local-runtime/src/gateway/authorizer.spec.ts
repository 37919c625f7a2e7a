import { evaluate, parseVerdict } from './authorizer';

const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/loc/u1';
const policy = (statements: object[]) => ({ principalId: 'u1', policyDocument: { Version: '2012-10-17', Statement: statements }, context: { userId: 'u1', n: 1, ok: true } });

describe('authorizer policies', () => {
  it('allows what an Allow statement covers, with IAM wildcards', () => {
    const verdict = parseVerdict(policy([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/*' }]))!;
    expect(evaluate(verdict.statements, arn)).toBe('Allow');
    expect(evaluate(verdict.statements, arn.replace('/prod/', '/beta/'))).toBeUndefined();
  });

  it('lets an explicit Deny win over an Allow', () => {
    const verdict = parseVerdict(
      policy([
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'execute-api:*', Resource: ['arn:aws:execute-api:*:*:abc/prod/GET/loc/*'] },
      ]),
    )!;
    expect(evaluate(verdict.statements, arn)).toBe('Deny');
  });

  it('stringifies context values as API Gateway passes them on', () => {
    expect(parseVerdict(policy([]))?.context).toEqual({ userId: 'u1', n: '1', ok: 'true' });
  });

  it('rejects results API Gateway would call malformed', () => {
    expect(parseVerdict({ policyDocument: { Statement: [] } })).toBeUndefined();
    expect(parseVerdict({ principalId: 'u1' })).toBeUndefined();
    expect(parseVerdict({ ...policy([]), context: { nested: { a: 1 } } })).toBeUndefined();
    expect(parseVerdict(policy([{ Effect: 'Maybe', Action: '*', Resource: '*' }]))).toBeUndefined();
  });
});
