import type { APIGatewayAuthorizerResult } from 'aws-lambda';

// arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<resource path>
const METHOD_ARN = /^(arn:[^:/]+:execute-api:[^:/]+:[^:/]+:[^:/]+)\/([^/]+)\/.+$/;

/**
 * `arn:…:<apiId>/<stage>/*` from a method ARN: every method and path of the stage. API Gateway
 * caches the authorizer's result per token, and reuses it for any route the token is sent to; a
 * policy naming only the first route would make the cached result deny every other route.
 */
export const wholeApiArn = (methodArn: string): string => {
  const match = METHOD_ARN.exec(methodArn);
  if (match === null) throw new Error(`Unexpected methodArn shape: ${methodArn}`);
  return `${match[1]}/${match[2]}/*`;
};

export interface AllowedCaller {
  readonly userId: string;
  readonly username: string;
}

/** The Allow result: the user as principal and context (`requestContext.authorizer.*` downstream). */
export const allowWholeApi = (caller: AllowedCaller, methodArn: string): APIGatewayAuthorizerResult => ({
  principalId: caller.userId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiArn(methodArn) }],
  },
  context: { userId: caller.userId, username: caller.username },
});
