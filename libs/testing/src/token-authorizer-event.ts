import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

/** Options of {@link buildTokenAuthorizerEvent}. */
export interface TokenAuthorizerEventInput {
  /** The bearer token; sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The raw header value, to test malformed ones (`Basic …`, empty). Wins over `token`. */
  readonly authorizationToken?: string;
  /** @default 'GET' */
  readonly method?: string;
  /** Request path without the stage. @default '/profile/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10' */
  readonly path?: string;
  /** @default 'prod' */
  readonly stage?: string;
  /** @default 'abc123defg' */
  readonly apiId?: string;
}

/**
 * A TOKEN authorizer event as API Gateway sends it: `{ type: 'TOKEN', authorizationToken, methodArn }`,
 * `methodArn` being `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`.
 */
export const buildTokenAuthorizerEvent = (
  input: TokenAuthorizerEventInput = {},
): APIGatewayTokenAuthorizerEvent => {
  const method = (input.method ?? 'GET').toUpperCase();
  const path = (input.path ?? '/profile/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10').replace(/^\//, '');
  return {
    type: 'TOKEN',
    authorizationToken:
      input.authorizationToken ?? (input.token === undefined ? '' : `Bearer ${input.token}`),
    methodArn: `arn:aws:execute-api:us-east-1:123456789012:${input.apiId ?? 'abc123defg'}/${input.stage ?? 'prod'}/${method}/${path}`,
  };
};
