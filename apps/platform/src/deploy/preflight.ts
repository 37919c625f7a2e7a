import {
  checkCapacity,
  formatCapacityReport,
  type CfnTemplate,
  type LimitsProfileName,
  type StackTemplate,
  type StageName,
} from '@sm/infra';
import { limitsByStack } from '../capacity';
import { limitsFor } from '../limits';
import type { AccountLimits, Reservation } from './account-limits';

/** AWS keeps this much of an account's concurrency unreserved; a reservation that would go below fails. */
export const UNRESERVED_MINIMUM = 100;
/** Service Quotas code of Lambda's "Concurrent executions" quota. */
export const LAMBDA_CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

export interface PreflightInput {
  readonly stage: StageName;
  /** The stage's synthesized templates (cdk.out/assembly-<Stage>). */
  readonly templates: readonly StackTemplate[];
  /** The limits profile the templates were built with. */
  readonly profile: LimitsProfileName;
  readonly account: AccountLimits;
  /** Where the stage deploys, for the messages. */
  readonly accountId: string;
  readonly region: string;
}

export interface PreflightResult {
  /** `true`: the deployment may go ahead. */
  readonly proceed: boolean;
  /** What was read and checked, then the verdict and what to do: the lines to print. */
  readonly lines: string[];
  /** Σ reserved concurrency of the stage's templates. */
  readonly stageReserved: number;
  /** Reservations of functions outside the stage's stacks (those stay as they are). */
  readonly reservedByOthers: Reservation[];
}

/** Functions that belong to the stage's stacks: named in a template, or generated as `<stack name>-…`. */
export function isStageFunction(
  functionName: string,
  templates: readonly StackTemplate[],
): boolean {
  const explicit = templates.flatMap(({ template }) =>
    Object.values(template.Resources ?? {})
      .filter(
        (r) =>
          r.Type === 'AWS::Lambda::Function' && typeof r.Properties?.['FunctionName'] === 'string',
      )
      .map((r) => r.Properties?.['FunctionName'] as string),
  );
  // CloudFormation names a function it names itself `<stack name>-<logical id>-<suffix>`.
  return (
    explicit.includes(functionName) ||
    templates.some(({ stackName }) => functionName.startsWith(`${stackName}-`))
  );
}

const reservedIn = (template: CfnTemplate) =>
  Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .reduce((sum, r) => sum + Number(r.Properties?.['ReservedConcurrentExecutions'] ?? 0), 0);

const sumReserved = (profile: LimitsProfileName, stage: StageName) =>
  Object.values(limitsFor(stage, profile)).reduce(
    (sum, limits) =>
      sum +
      Object.values<{ reservedConcurrency: number }>(limits.functions).reduce(
        (s, fn) => s + fn.reservedConcurrency,
        0,
      ),
    0,
  );

/**
 * The capacity check of DESIGN.md run with the account's real numbers, before CloudFormation is
 * asked for anything: Lambda's concurrency quota minus what functions outside the stage already
 * reserve must leave AWS's 100 unreserved after the stage's reservations, and the stage's method
 * rates and bursts must fit API Gateway's account throttle. The stage's own functions that exist
 * already are not counted twice: the deployment replaces their reservations with the templates'.
 *
 * A refusal says what would make it pass: the quota to request (with its Service Quotas code),
 * the small-account profile (context `stages.<stage>.limitsProfile=small-account`) when it fits,
 * and the largest reservations outside the stage.
 */
export function evaluatePreflight(input: PreflightInput): PreflightResult {
  const { stage, templates, profile, account, accountId, region } = input;
  const reservedByOthers = account.reservations
    .filter((r) => !isStageFunction(r.functionName, templates))
    .sort((a, b) => b.reserved - a.reserved);
  const others = reservedByOthers.reduce((sum, r) => sum + r.reserved, 0);
  const stageReserved = templates.reduce((sum, { template }) => sum + reservedIn(template), 0);
  const report = checkCapacity({
    stacks: templates,
    limitsByStack: limitsByStack(stage, limitsFor(stage, profile)),
    quotas: {
      concurrency: account.concurrency - others,
      unreservedMinimum: UNRESERVED_MINIMUM,
      requestsPerSecond: account.apiGateway.rateLimit,
      burst: account.apiGateway.burstLimit,
    },
  });
  const needed = (reserved: number) => reserved + others + UNRESERVED_MINIMUM;
  const where = `${accountId}/${region}`;
  const lines = [
    `preflight: stage ${stage} in ${where}, limits profile ${profile}`,
    `  Lambda: concurrent executions quota ${account.concurrency} (${account.unreservedNow} unreserved now, ${account.functionCount} functions in the region)`,
    `  reserved by functions outside this stage: ${others}${reservedByOthers.length ? ` (${reservedByOthers.length} functions)` : ''}`,
    `  this stage reserves ${stageReserved}: it needs a quota of at least ${stageReserved} + ${others} + ${UNRESERVED_MINIMUM} unreserved = ${needed(stageReserved)}`,
    `  API Gateway: account throttle ${account.apiGateway.rateLimit}/s, burst ${account.apiGateway.burstLimit}; this stage's methods: ${report.account.rateLimit}/s, burst ${report.account.burstLimit}`,
    ...apiGatewayRoleNote(input),
    '',
    formatCapacityReport(report),
    '',
  ];
  if (report.violations.length === 0) {
    lines.push(
      `preflight PASSED: stage ${stage} fits ${where} (${needed(stageReserved)} of ${account.concurrency} concurrent executions needed).`,
    );
    return { proceed: true, lines, stageReserved, reservedByOthers };
  }

  lines.push(
    `preflight REFUSED: stage ${stage} does not fit ${where}; CloudFormation would fail (or, behind API Gateway, Lambda would throttle into 500s).`,
  );
  lines.push('What makes it pass:');
  const concurrencyShort = report.violations.some((v) =>
    v.startsWith('account: Σ reserved concurrency'),
  );
  if (concurrencyShort) {
    lines.push(
      `  - raise Lambda's "Concurrent executions" quota (Service Quotas, service Lambda, quota code ${LAMBDA_CONCURRENCY_QUOTA_CODE}) in ${where} to at least ${needed(stageReserved)}:`,
      `      aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA_CODE} --desired-value ${needed(stageReserved)} --region ${region}`,
    );
    if (profile !== 'small-account') {
      const small = sumReserved('small-account', stage);
      const fits = needed(small) <= account.concurrency;
      lines.push(
        fits
          ? `  - or deploy the small-account profile, which reserves ${small} and fits now: context stages.${stage}.limitsProfile=small-account (cdk.json or cdk.context.json: {"stages": {"${stage}": {"limitsProfile": "small-account"}}}), at a fraction of the traffic (README, "Deploying")`
          : `  - the small-account profile (context stages.${stage}.limitsProfile=small-account, ${small} reserved) does not fit either: it needs a quota of at least ${needed(small)}`,
      );
    }
    if (reservedByOthers.length > 0) {
      const top = reservedByOthers
        .slice(0, 5)
        .map((r) => `${r.functionName} ${r.reserved}`)
        .join(', ');
      lines.push(
        `  - or lower what other functions reserve (${others} in all; the largest: ${top})`,
      );
    }
    if (account.concurrency < 1000) {
      lines.push(
        `  New accounts start with a low quota (often 10 or 50) that AWS raises with use or on request; 1,000 is the usual default.`,
      );
    }
  }
  for (const violation of report.violations.filter(
    (v) => !v.startsWith('account: Σ reserved concurrency'),
  )) {
    lines.push(`  - ${violation}`);
  }
  return { proceed: false, lines, stageReserved, reservedByOthers };
}

/**
 * API Gateway's CloudWatch role is one setting per account and region. When the stage's platform
 * stack sets it (ApiGatewayAccountSetting) and someone else's role is there already, deploying the
 * platform would fail (it never replaces a role it did not set): say so ahead, with how to adopt it.
 * A note, not a refusal: the service stacks do not touch the setting.
 */
function apiGatewayRoleNote({ stage, templates, account }: PreflightInput): string[] {
  const current = account.apiGateway.cloudWatchRoleArn;
  const platform = templates.find(({ template }) =>
    Object.values(template.Resources ?? {}).some(
      (r) => r.Type === 'Custom::ApiGatewayAccountCloudWatchRole',
    ),
  );
  if (!current || !platform || current.includes(`:role/${platform.stackName}-`)) return [];
  return [
    `  note: API Gateway here already writes logs through ${current}, which ${platform.stackName} did not set; deploying ${platform.stackName} would fail rather than replace it.`,
    `        Adopt it: context stages.${stage}.apiGatewayCloudWatchRoleArn=${current}`,
  ];
}
