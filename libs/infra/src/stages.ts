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

/**
 * CodeDeploy's predefined ways to move a Lambda alias to a new version (AWS SAM's
 * `DeploymentPreference` types): all at once; a canary share (10 %) for some minutes, then the
 * rest; or 10 % more every few minutes.
 */
export const TRAFFIC_SHIFTS = [
  'AllAtOnce',
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
] as const;
export type TrafficShift = (typeof TRAFFIC_SHIFTS)[number];

/**
 * How a stage's deployments reach users: each function is published as a new version and its
 * `live` alias moves to it by CodeDeploy, which rolls back by itself when one of the function's
 * alarms (or its API's 5XX alarm) goes to ALARM before the shift completes.
 */
export interface DeploymentPreference {
  /** How traffic moves from the old version to the new one. */
  readonly trafficShift: TrafficShift;
  /**
   * Before a new version takes any traffic, and again once it has all of it, a hook function
   * invokes that version directly with a request built from the contract's examples (one that
   * changes no data) and fails the deployment if the answer is not one the contract allows: a
   * bundle that does not load or crashes never takes a share of traffic.
   */
  readonly smokeHooks: boolean;
}

/** One deployment stage: a CDK `Stage` holding every stack of the system. */
export interface DeploymentStage {
  /** `staging`: part of every name, SSM parameter and API stage path of the stage. */
  readonly name: StageName;
  /** The CDK `Stage` id (`Staging`): the construct path prefix (`Staging/SmAuth`) and stack names (`Staging-SmAuth`). */
  readonly id: string;
  readonly overrides: StageOverrides;
  /** How a deployment of this stage shifts traffic to new versions; the one place to choose it. */
  readonly deployment: DeploymentPreference;
}

/**
 * The one list of deployment stages. Limits are identical by default; each stage lives in its own
 * account and region (context `stages.<name>.account` / `stages.<name>.region`, see
 * {@link stageEnvironment}), because Lambda concurrency and API Gateway throttling are per account
 * and region: a load test on staging in prod's account would take prod's capacity.
 */
export const STAGES: readonly DeploymentStage[] = [
  // Staging: fast feedback; the smoke hooks still keep a broken bundle from taking traffic.
  {
    name: 'staging',
    id: 'Staging',
    overrides: {},
    deployment: { trafficShift: 'AllAtOnce', smokeHooks: true },
  },
  // Prod: 10 % of calls for 5 minutes under the alarms, then the rest (or a rollback).
  {
    name: 'prod',
    id: 'Prod',
    overrides: {},
    deployment: { trafficShift: 'Canary10Percent5Minutes', smokeHooks: true },
  },
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
