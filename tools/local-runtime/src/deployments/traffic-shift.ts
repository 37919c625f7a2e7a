/** One step of a traffic shift: the new version's share of calls, and how long it holds. */
export interface ShiftStep {
  /** From 0 to 1. */
  readonly weight: number;
  /** How long the step lasts before the next one (the last step, weight 1, ends the shift). */
  readonly minutes: number;
}

/**
 * The steps of CodeDeploy's predefined Lambda deployment configurations, from their names (the
 * `DeploymentConfigName` of a deployment group): `CodeDeployDefault.LambdaAllAtOnce`,
 * `…LambdaCanary10Percent5Minutes` (10 % for 5 minutes, then the rest) and
 * `…LambdaLinear10PercentEvery1Minute` (10 % more every minute). Throws on any other name: a custom
 * configuration would need its `AWS::CodeDeploy::DeploymentConfig` read, which the local replay
 * does not do.
 */
export function shiftSteps(deploymentConfigName: string): ShiftStep[] {
  const name = deploymentConfigName.replace(/^CodeDeployDefault\./, '');
  if (name === 'LambdaAllAtOnce') return [{ weight: 1, minutes: 0 }];
  const canary = /^LambdaCanary(\d+)Percent(\d+)Minutes?$/.exec(name);
  if (canary)
    return [
      { weight: Number(canary[1]) / 100, minutes: Number(canary[2]) },
      { weight: 1, minutes: 0 },
    ];
  const linear = /^LambdaLinear(\d+)PercentEvery(\d+)Minutes?$/.exec(name);
  if (linear) {
    const step = Number(linear[1]);
    const steps: ShiftStep[] = [];
    for (let percent = step; percent < 100; percent += step)
      steps.push({ weight: percent / 100, minutes: Number(linear[2]) });
    return [...steps, { weight: 1, minutes: 0 }];
  }
  throw new Error(
    `deployment configuration ${deploymentConfigName} is not one of CodeDeploy's predefined Lambda configurations (AllAtOnce, Canary…Percent…Minutes, Linear…PercentEvery…Minute(s)); the local replay cannot follow it`,
  );
}

/**
 * A canary of `percent` for the first interval of the group's configuration (5 minutes when it
 * has none, as AllAtOnce), then everything: what `--canary <fn>=<percent>` replays.
 */
export function canarySteps(
  percent: number,
  deploymentConfigName: string | undefined,
): ShiftStep[] {
  if (!(percent > 0 && percent < 100))
    throw new Error(`a canary's share must be between 0 and 100 %, got ${percent}`);
  const first = deploymentConfigName ? shiftSteps(deploymentConfigName)[0] : undefined;
  const minutes = first && first.weight < 1 ? first.minutes : 5;
  return [
    { weight: percent / 100, minutes },
    { weight: 1, minutes: 0 },
  ];
}
