import { canarySteps, shiftSteps } from './traffic-shift';

describe('shiftSteps: CodeDeploy’s predefined Lambda configurations', () => {
  it.each([
    ['CodeDeployDefault.LambdaAllAtOnce', [{ weight: 1, minutes: 0 }]],
    [
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      [
        { weight: 0.1, minutes: 5 },
        { weight: 1, minutes: 0 },
      ],
    ],
    [
      'CodeDeployDefault.LambdaCanary10Percent30Minutes',
      [
        { weight: 0.1, minutes: 30 },
        { weight: 1, minutes: 0 },
      ],
    ],
  ])('%s', (name, steps) => {
    expect(shiftSteps(name)).toEqual(steps);
  });

  it('adds 10 % every interval for a linear configuration, then the rest', () => {
    const steps = shiftSteps('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    expect(steps.map((s) => Math.round(s.weight * 100))).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
    expect(steps.slice(0, -1).every((s) => s.minutes === 1)).toBe(true);
    expect(shiftSteps('CodeDeployDefault.LambdaLinear10PercentEvery10Minutes')[0]).toEqual({
      weight: 0.1,
      minutes: 10,
    });
  });

  it('refuses a configuration it cannot follow, naming it', () => {
    expect(() => shiftSteps('my-custom-config')).toThrow(
      /my-custom-config is not one of CodeDeploy's predefined Lambda configurations/,
    );
  });
});

describe('canarySteps: --canary <fn>=<percent>', () => {
  it('holds the given share for the group’s first interval, or 5 minutes without one', () => {
    expect(canarySteps(25, 'CodeDeployDefault.LambdaCanary10Percent15Minutes')).toEqual([
      { weight: 0.25, minutes: 15 },
      { weight: 1, minutes: 0 },
    ]);
    expect(canarySteps(10, 'CodeDeployDefault.LambdaAllAtOnce')).toEqual([
      { weight: 0.1, minutes: 5 },
      { weight: 1, minutes: 0 },
    ]);
    expect(canarySteps(10, undefined)).toEqual([
      { weight: 0.1, minutes: 5 },
      { weight: 1, minutes: 0 },
    ]);
    expect(() => canarySteps(100, undefined)).toThrow(
      "a canary's share must be between 0 and 100 %, got 100",
    );
  });
});
