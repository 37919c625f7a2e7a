/**
 * Every price the load report uses, in one place. On-demand list prices of US East (N. Virginia),
 * first pricing tier, as published on the pages below; no free tier applied. Re-check before
 * quoting: prices change (DynamoDB on-demand was halved on 2024-11-01; Lambda bills the INIT phase
 * of on-demand functions since 2025-08-01).
 */
export const PRICES = {
  region: 'us-east-1',
  /** When these figures were taken from the pages below (this repository has no internet access to re-check them). */
  asOf: '2025-08-01',
  lambda: {
    source: 'https://aws.amazon.com/lambda/pricing/',
    perMillionRequests: 0.2,
    /** Per GB-second of billed duration (rounded up to the ms; INIT included since 2025-08-01). */
    perGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 } as Record<string, number>,
  },
  lambdaProvisionedConcurrency: {
    source: 'https://aws.amazon.com/lambda/pricing/#Provisioned_Concurrency_Pricing',
    /** Per GB-second configured (memory × provisioned environments), billed whether used or not (in 5-minute steps). */
    perGbSecond: { arm64: 0.0000033334, x86_64: 0.0000041667 } as Record<string, number>,
    /** Duration of invocations that run on provisioned environments, instead of the on-demand price. */
    durationPerGbSecond: { arm64: 0.0000077778, x86_64: 0.0000097222 } as Record<string, number>,
  },
  apiGatewayRest: {
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    /** REST API requests, first 333 million per month. */
    perMillionRequests: 3.5,
  },
  dynamoDbOnDemand: {
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    /** Since the 2024-11-01 price cut. */
    perMillionWriteRequestUnits: 0.625,
    perMillionReadRequestUnits: 0.125,
  },
  cloudWatchLogs: {
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    /** Standard log class, data ingested. */
    perGbIngested: 0.5,
  },
} as const;

/** Seconds in the month the monthly figures assume (30 days). */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;
