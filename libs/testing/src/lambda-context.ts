import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** Options of {@link buildLambdaContext}. */
export interface LambdaContextInput extends Partial<Omit<Context, 'getRemainingTimeInMillis'>> {
  /** Function timeout; `getRemainingTimeInMillis()` counts down from it. @default 3000 */
  readonly timeoutMs?: number;
}

/** A Lambda `Context` as the Node.js runtime passes it. */
export const buildLambdaContext = (input: LambdaContextInput = {}): Context => {
  const { timeoutMs = 3000, ...overrides } = input;
  const functionName = overrides.functionName ?? 'sm-test-function';
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef',
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
};
