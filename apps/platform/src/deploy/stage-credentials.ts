import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';
import { DefaultStackSynthesizer } from 'aws-cdk-lib';

/** Where a stage deploys and with which credentials the preflight reads it. */
export interface StageAccess {
  readonly accountId: string;
  readonly region: string;
  /** `undefined`: the caller's own credentials (the SDK's default chain). */
  readonly credentials: LambdaClientConfig['credentials'];
  /** How the account is reached, for the report. */
  readonly via: string;
}

/**
 * The CDK bootstrap "lookup" role of an account and region: read-only (`ReadOnlyAccess`), and the
 * role `cdk bootstrap --trust <pipeline account>` lets the pipeline assume, so the preflight reads
 * a stage's account with what the deployment itself may use.
 */
export function lookupRoleArn(
  accountId: string,
  region: string,
  qualifier: string = DefaultStackSynthesizer.DEFAULT_QUALIFIER,
  partition = 'aws',
): string {
  return `arn:${partition}:iam::${accountId}:role/cdk-${qualifier}-lookup-role-${accountId}-${region}`;
}

/**
 * Credentials for reading a stage's account: the caller's own when it is that account (or the
 * stage pins none: environment-agnostic stages deploy wherever the credentials point), else the
 * stage account's CDK lookup role, assumed from the caller (cross-account: a pipeline account
 * deploying to trusting stage accounts).
 */
export async function stageAccess(options: {
  pinnedAccount?: string;
  region: string;
  qualifier?: string;
}): Promise<StageAccess> {
  const sts = new STSClient({ region: options.region, maxAttempts: 3 });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const caller = identity.Account;
    if (!caller) throw new Error('sts:GetCallerIdentity returned no account');
    const partition = identity.Arn?.split(':')[1] ?? 'aws';
    if (!options.pinnedAccount || options.pinnedAccount === caller) {
      return {
        accountId: caller,
        region: options.region,
        credentials: undefined,
        via: options.pinnedAccount
          ? `the caller's credentials (${identity.Arn})`
          : `the caller's credentials (${identity.Arn}; the stage pins no account)`,
      };
    }
    const roleArn = lookupRoleArn(
      options.pinnedAccount,
      options.region,
      options.qualifier,
      partition,
    );
    return {
      accountId: options.pinnedAccount,
      region: options.region,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: 'sm-preflight', DurationSeconds: 900 },
        clientConfig: { region: options.region },
      }),
      via: `${roleArn}, assumed from ${identity.Arn}`,
    };
  } finally {
    sts.destroy();
  }
}
