import { buildLambdaContext } from './lambda-context';
import { buildTokenAuthorizerEvent } from './token-authorizer-event';

describe('buildTokenAuthorizerEvent', () => {
  it('sends the token as a bearer Authorization value with the method ARN of the request', () => {
    // Act
    const event = buildTokenAuthorizerEvent({ token: 'abc', method: 'put', path: '/loc/u-1' });

    // Assess
    expect(event).toEqual({
      type: 'TOKEN',
      authorizationToken: 'Bearer abc',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod/PUT/loc/u-1',
    });
  });

  it('passes a raw header value through for malformed-header cases', () => {
    expect(
      buildTokenAuthorizerEvent({ authorizationToken: 'Basic dXNlcg==' }).authorizationToken,
    ).toBe('Basic dXNlcg==');
  });
});

describe('buildLambdaContext', () => {
  it('describes the named function and counts the remaining time down from its timeout', () => {
    // Act
    const context = buildLambdaContext({ functionName: 'sm-auth-create-user', timeoutMs: 5000 });

    // Assess
    expect(context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:sm-auth-create-user',
    );
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(4000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(5000);
  });

  it('gives each invocation its own request id unless one is given', () => {
    expect(buildLambdaContext().awsRequestId).not.toBe(buildLambdaContext().awsRequestId);
    expect(buildLambdaContext({ awsRequestId: 'r-1' }).awsRequestId).toBe('r-1');
  });
});
