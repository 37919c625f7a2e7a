import { allowWholeApi, wholeApiArn } from './authorizer-policy';

describe('wholeApiArn', () => {
  it.each([
    ['arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/profile/abc', 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/*'],
    ['arn:aws:execute-api:us-east-1:123456789012:xyz/prod/DELETE/tokens/current', 'arn:aws:execute-api:us-east-1:123456789012:xyz/prod/*'],
    ['arn:aws-cn:execute-api:cn-north-1:123456789012:api/beta/PUT/loc/u/x', 'arn:aws-cn:execute-api:cn-north-1:123456789012:api/beta/*'],
  ])('widens %s to the whole stage', (methodArn, expected) => {
    expect(wholeApiArn(methodArn)).toBe(expected);
  });

  it.each(['', 'not-an-arn', 'arn:aws:lambda:eu-west-1:123456789012:function:f', 'arn:aws:execute-api:eu-west-1:123456789012:api/prod'])(
    'refuses %p rather than guess a resource',
    (methodArn) => {
      expect(() => wholeApiArn(methodArn)).toThrow('methodArn');
    },
  );
});

describe('allowWholeApi', () => {
  it('allows execute-api:Invoke on the whole API with the user as principal and context', () => {
    const result = allowWholeApi(
      { userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10', username: 'alice_01' },
      'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/loc/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
    );

    expect(result).toEqual({
      principalId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/*' }],
      },
      context: { userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10', username: 'alice_01' },
    });
  });
});
