import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/**
 * Minimal proxy events for this library's own tests. (Services use @sm/testing's complete,
 * documented fixture; a util library may not depend on the testing library.)
 */
export interface EventInput {
  readonly method: string;
  readonly resource: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly principal?: { userId: string; username: string } | null;
}

export const proxyEvent = (input: EventInput): APIGatewayProxyEvent => {
  const path = input.resource.replace(
    /\{(\w+)\}/g,
    (_, name: string) => input.pathParameters?.[name] ?? '',
  );
  const headers = input.headers ?? {};
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: input.query
      ? Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: input.principal
        ? {
            principalId: input.principal.userId,
            userId: input.principal.userId,
            username: input.principal.username,
          }
        : null,
      protocol: 'HTTP/1.1',
      httpMethod: input.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'req-0001',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'res1',
      resourcePath: input.resource,
    },
  };
};

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'widgets-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:widgets-fn',
  memoryLimitInMB: '256',
  awsRequestId: 'lambda-req-0001',
  logGroupName: '/aws/lambda/widgets-fn',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 3000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
