import type { Environment } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { InfraConfigError } from './errors';
import {
  defineServiceLimits,
  type FunctionLimits,
  type ServiceLimits,
  type StageThrottle,
} from './limits';

/** The deployment stages, in release order: a change reaches `staging` first, then `prod`. */
export type StageName = 'staging' | 'prod';

/**
 * Changes to one service's limits in one stage. Every field is optional; what is left out keeps
 * the service's own value (`apps/<svc>/src/limits.ts`).
 */
export interface LimitsOverride {
  readonly stage?: Partial<StageThrottle>;
  readonly headroom?: number;
  /** Per function, keyed by bundle name (`create-user`). */
  readonly functions?: { readonly [entry: string]: Partial<FunctionLimits> };
}

/** What a stage may set differently from the others. */
export interface StageOverrides {
  /**
   * Limits per service (`auth`, `location`, `profile`). Empty by default, so the gate on staging
   * tests exactly prod's configuration; an override here is a deliberate, reviewed difference.
   * @default - none
   */
  readonly limits?: { readonly [service: string]: LimitsOverride };
}

/** One deployment stage: a CDK `Stage` holding every stack of the system. */
export interface DeploymentStage {
  /** `staging`: part of every name, SSM parameter and API stage path of the stage. */
  readonly name: StageName;
  /** The CDK `Stage` id (`Staging`): the construct path prefix (`Staging/SmAuth`) and stack names (`Staging-SmAuth`). */
  readonly id: string;
  readonly overrides: StageOverrides;
}

/**
 * The one list of deployment stages. Limits are identical by default; each stage lives in its own
 * account and region (context `stages.<name>.account` / `stages.<name>.region`, see
 * {@link stageEnvironment}), because Lambda concurrency and API Gateway throttling are per account
 * and region: a load test on staging in prod's account would take prod's capacity.
 */
export const STAGES: readonly DeploymentStage[] = [
  { name: 'staging', id: 'Staging', overrides: {} },
  { name: 'prod', id: 'Prod', overrides: {} },
];

/** The stage the local runtime and the tools use when none is named. */
export const DEFAULT_STAGE: StageName = 'prod';

/** The stage called `name`; throws naming the stages there are. */
export function stageNamed(name: string): DeploymentStage {
  const stage = STAGES.find((s) => s.name === name);
  if (!stage)
    throw new InfraConfigError(
      `unknown stage '${name}': the stages are ${STAGES.map((s) => s.name).join(', ')} (libs/infra/src/stages.ts)`,
    );
  return stage;
}

/** Names of the limit profiles a stage can choose with the context value `stages.<name>.limitsProfile`. */
export type LimitsProfileName = 'default' | 'small-account';
export const LIMITS_PROFILES: readonly LimitsProfileName[] = ['default', 'small-account'];

/**
 * A per-stage setting from CDK context, as `-c stages.<stage>.<key>=value` on the command line or
 * `{"stages": {"<stage>": {"<key>": value}}}` in cdk.json / cdk.context.json. Empty strings count
 * as absent.
 */
export function stageContext(scope: IConstruct, stage: StageName, key: string): string | undefined {
  const flat = scope.node.tryGetContext(`stages.${stage}.${key}`);
  const nested = (
    scope.node.tryGetContext('stages') as Record<string, Record<string, unknown>> | undefined
  )?.[stage]?.[key];
  const value = flat ?? nested;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new InfraConfigError(
      `context stages.${stage}.${key} must be a string, got ${JSON.stringify(value)}`,
    );
  }
  return String(value);
}

/**
 * Account and region of a stage from context (`stages.<name>.account`, `stages.<name>.region`).
 * Without either the stage's stacks are environment-agnostic: they synthesize offline and deploy
 * to the account and region of the credentials `cdk deploy` runs with, so pin both for real
 * stages (README, "Deploying").
 */
export function stageEnvironment(scope: IConstruct, stage: StageName): Environment | undefined {
  const account = stageContext(scope, stage, 'account');
  const region = stageContext(scope, stage, 'region');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new InfraConfigError(
      `context stages.${stage}.account must be a 12-digit AWS account id, got '${account}'`,
    );
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new InfraConfigError(
      `context stages.${stage}.region must be a region like eu-west-1, got '${region}'`,
    );
  }
  return account || region ? { account, region } : undefined;
}

/** The limits profile a stage uses: context `stages.<name>.limitsProfile`, else `default`. */
export function stageLimitsProfile(scope: IConstruct, stage: StageName): LimitsProfileName {
  const profile = stageContext(scope, stage, 'limitsProfile') ?? 'default';
  if (!(LIMITS_PROFILES as readonly string[]).includes(profile)) {
    throw new InfraConfigError(
      `context stages.${stage}.limitsProfile must be one of ${LIMITS_PROFILES.join(', ')}, got '${profile}'`,
    );
  }
  return profile as LimitsProfileName;
}

/**
 * A service's limits with a stage's override applied, validated again as a whole (an override
 * that breaks a rule fails here, at synth, naming the stage).
 */
export function applyLimitsOverride<F extends string>(
  limits: ServiceLimits<F>,
  override: LimitsOverride | undefined,
  stage: StageName,
): ServiceLimits<F> {
  if (!override) return limits;
  const unknown = Object.keys(override.functions ?? {}).filter(
    (entry) => !(entry in limits.functions),
  );
  if (unknown.length > 0) {
    throw new InfraConfigError(
      `stage ${stage}: limits override of ${limits.service} names ${unknown.join(', ')}, which are not its functions (${Object.keys(limits.functions).join(', ')})`,
    );
  }
  const functions = Object.fromEntries(
    Object.entries<FunctionLimits>(limits.functions).map(([entry, fn]) => [
      entry,
      { ...fn, ...override.functions?.[entry] },
    ]),
  ) as { [K in F]: FunctionLimits };
  return defineServiceLimits<F>({
    service: limits.service,
    stage: { ...limits.stage, ...override.stage },
    headroom: override.headroom ?? limits.headroom,
    functions,
  });
}
