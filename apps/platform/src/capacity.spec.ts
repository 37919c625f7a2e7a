import { checkCapacity, formatCapacityReport, type StackTemplate } from '@sm/infra';
import { createApp } from './app';
import { limitsByStack as limitsOfStage } from './capacity';
import { limitsFor } from './limits';
import { profileLimits } from './services';
import { ensureBundles } from './test-support';

/** The templates of the prod stage, as the CDK app synthesizes them. */
const templatesOf = (options: Parameters<typeof createApp>[0] = {}): StackTemplate[] => {
  const { app, stages } = createApp(options);
  app.synth();
  return stages.prod.stage.synth().stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template }));
};
const limitsByStack = limitsOfStage('prod', limitsFor('prod', 'default'));

describe('the soft-limit capacity check on the synthesized system', () => {
  beforeAll(() => ensureBundles());

  it('holds for the declared limits and prints the table it checked', () => {
    const report = checkCapacity({ stacks: templatesOf(), limitsByStack });
    console.log(formatCapacityReport(report));
    expect(report.violations).toEqual([]);
    // Every function of the three services is in the table.
    expect(report.functions.map((f) => `${f.service}/${f.entry}`).sort()).toEqual([
      'auth/authorize',
      'auth/create-token',
      'auth/create-user',
      'auth/revoke-token',
      'location/get-location',
      'location/list-location-history',
      'location/put-location',
      'profile/get-profile',
      'profile/put-profile',
    ]);
    // The authorizer carries every secured method of the three APIs.
    expect(report.functions.find((f) => f.entry === 'authorize')?.routes).toHaveLength(6);
  });

  it('fails on a violating configuration: profile’s stage rate above what get-profile reserves', () => {
    const violating = { ...profileLimits, stage: { rateLimit: 100, burstLimit: 25 } };
    const report = checkCapacity({ stacks: templatesOf({ profile: { limits: violating } }), limitsByStack: { ...limitsByStack, 'Prod-SmProfile': violating } });
    expect(report.violations).toContain('Prod-SmProfile get-profile: rate 100/s × assumed p99 1300 ms = 130 > reserved 60 × headroom 0.8 = 48');
    expect(report.violations).toEqual(expect.arrayContaining([expect.stringMatching(/^Prod-SmAuth authorize: /)]));
  });

  it('fails when the reservations do not fit into a smaller account (500 concurrent executions)', () => {
    const report = checkCapacity({ stacks: templatesOf(), limitsByStack, quotas: { concurrency: 500 } });
    expect(report.violations).toEqual(['account: Σ reserved concurrency 565 > account concurrency 500 − 100 unreserved = 400']);
  });

  it('holds for the small-account profile in an account of 166 concurrent executions, not of 165', () => {
    const stacks = templatesOf({ context: { 'stages.prod.limitsProfile': 'small-account' } });
    const small = limitsOfStage('prod', limitsFor('prod', 'small-account'));
    const fits = checkCapacity({ stacks, limitsByStack: small, quotas: { concurrency: 166 } });
    console.log(formatCapacityReport(fits));
    expect(fits.violations).toEqual([]);
    expect(fits.account.reservedConcurrency).toBe(66);
    expect(checkCapacity({ stacks, limitsByStack: small, quotas: { concurrency: 165 } }).violations).toEqual([
      'account: Σ reserved concurrency 66 > account concurrency 165 − 100 unreserved = 65',
    ]);
  });
});
