import { APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  paginateListFunctions,
  type LambdaClientConfig,
} from '@aws-sdk/client-lambda';

/** A function's reserved concurrency as the account has it now. */
export interface Reservation {
  readonly functionName: string;
  readonly reserved: number;
}

/** What the preflight reads from the account and region a stage deploys to. */
export interface AccountLimits {
  /** Lambda's concurrent executions quota (`AccountLimit.ConcurrentExecutions`). */
  readonly concurrency: number;
  /** What Lambda reports as unreserved now (`AccountLimit.UnreservedConcurrentExecutions`). */
  readonly unreservedNow: number;
  /** Every function with reserved concurrency, with how much. */
  readonly reservations: Reservation[];
  /** How many functions the account has in the region. */
  readonly functionCount: number;
  /** API Gateway's account-level throttle in the region (`GetAccount.throttleSettings`). */
  readonly apiGateway: {
    readonly rateLimit: number;
    readonly burstLimit: number;
    readonly cloudWatchRoleArn: string | undefined;
  };
}

export interface ReadAccountLimitsOptions {
  readonly region: string;
  /** @default - the SDK's default chain (environment, profile, SSO, container or instance role) */
  readonly credentials?: LambdaClientConfig['credentials'];
  /** GetFunctionConcurrency calls in flight at once (Lambda's control plane throttles bursts). @default 5 */
  readonly concurrency?: number;
}

/**
 * Reads the account's Lambda concurrency quota and every reservation (GetAccountSettings,
 * ListFunctions, GetFunctionConcurrency per function) and API Gateway's account throttle
 * (GetAccount), with the caller's credentials. Read-only: the CDK lookup role (ReadOnlyAccess) or
 * any role with `lambda:GetAccountSettings`, `lambda:ListFunctions`, `lambda:GetFunctionConcurrency`
 * and `apigateway:GET` on `/account` suffices. The SDK clients honour `AWS_ENDPOINT_URL_LAMBDA` and
 * `AWS_ENDPOINT_URL_API_GATEWAY`, which is how the tests point them at a stand-in on 127.0.0.1.
 */
export async function readAccountLimits(options: ReadAccountLimitsOptions): Promise<AccountLimits> {
  const config = { region: options.region, credentials: options.credentials, maxAttempts: 5 };
  const lambda = new LambdaClient(config);
  const apigateway = new APIGatewayClient(config);
  try {
    const [settings, gateway] = await Promise.all([
      lambda.send(new GetAccountSettingsCommand({})),
      apigateway.send(new GetAccountCommand({})),
    ]);
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      for (const fn of page.Functions ?? []) if (fn.FunctionName) names.push(fn.FunctionName);
    }
    const reservations: Reservation[] = [];
    const inFlight = Math.max(1, options.concurrency ?? 5);
    for (let i = 0; i < names.length; i += inFlight) {
      const batch = names.slice(i, i + inFlight);
      const answers = await Promise.all(
        batch.map((FunctionName) =>
          lambda.send(new GetFunctionConcurrencyCommand({ FunctionName })),
        ),
      );
      batch.forEach((functionName, j) => {
        const reserved = answers[j]?.ReservedConcurrentExecutions;
        if (reserved !== undefined) reservations.push({ functionName, reserved });
      });
    }
    const limit = settings.AccountLimit;
    if (limit?.ConcurrentExecutions === undefined)
      throw new Error('GetAccountSettings returned no AccountLimit.ConcurrentExecutions');
    return {
      concurrency: limit.ConcurrentExecutions,
      unreservedNow: limit.UnreservedConcurrentExecutions ?? limit.ConcurrentExecutions,
      reservations,
      functionCount: names.length,
      apiGateway: {
        rateLimit: gateway.throttleSettings?.rateLimit ?? 10_000,
        burstLimit: gateway.throttleSettings?.burstLimit ?? 5_000,
        cloudWatchRoleArn: gateway.cloudwatchRoleArn || undefined,
      },
    };
  } finally {
    lambda.destroy();
    apigateway.destroy();
  }
}
