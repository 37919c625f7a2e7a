import { App } from 'aws-cdk-lib';
import { notesLimits } from './__fixtures__/notes-stack';
import {
  applyLimitsOverride,
  stageContext,
  stageEnvironment,
  stageLimitsProfile,
  stageNamed,
  STAGES,
  TRAFFIC_SHIFTS,
} from './stages';

describe('stages', () => {
  it('lists staging before prod, each with a CDK Stage id and no overrides by default', () => {
    expect(STAGES.map(({ name, id, overrides }) => ({ name, id, overrides }))).toEqual([
      { name: 'staging', id: 'Staging', overrides: {} },
      { name: 'prod', id: 'Prod', overrides: {} },
    ]);
    expect(stageNamed('prod').id).toBe('Prod');
    expect(() => stageNamed('dev')).toThrow(
      "unknown stage 'dev': the stages are staging, prod (libs/infra/src/stages.ts)",
    );
  });

  it('deploys staging all at once and prod as a 10 % canary for 5 minutes, both behind smoke hooks', () => {
    expect(stageNamed('staging').deployment).toEqual({
      trafficShift: 'AllAtOnce',
      smokeHooks: true,
    });
    expect(stageNamed('prod').deployment).toEqual({
      trafficShift: 'Canary10Percent5Minutes',
      smokeHooks: true,
    });
    for (const stage of STAGES) expect(TRAFFIC_SHIFTS).toContain(stage.deployment.trafficShift);
  });

  it('reads a stage setting from a flat command-line key or from a nested cdk.json object, the flat one first', () => {
    const app = new App({
      context: {
        'stages.prod.region': 'eu-west-1',
        stages: { prod: { region: 'us-east-1', account: '123456789012' } },
      },
    });
    expect(stageContext(app, 'prod', 'region')).toBe('eu-west-1');
    expect(stageContext(app, 'prod', 'account')).toBe('123456789012');
    expect(stageContext(app, 'staging', 'account')).toBeUndefined();
    expect(stageEnvironment(app, 'prod')).toEqual({ account: '123456789012', region: 'eu-west-1' });
    expect(stageEnvironment(app, 'staging')).toBeUndefined();
    expect(() =>
      stageEnvironment(new App({ context: { 'stages.staging.region': 'Frankfurt' } }), 'staging'),
    ).toThrow("context stages.staging.region must be a region like eu-west-1, got 'Frankfurt'");
    expect(
      stageLimitsProfile(
        new App({ context: { 'stages.staging.limitsProfile': 'small-account' } }),
        'staging',
      ),
    ).toBe('small-account');
    expect(stageLimitsProfile(app, 'prod')).toBe('default');
  });

  describe('applyLimitsOverride', () => {
    it('changes only what the override names and keeps the rest', () => {
      const limits = applyLimitsOverride(
        notesLimits,
        { stage: { rateLimit: 5 }, functions: { 'get-note': { reservedConcurrency: 30 } } },
        'staging',
      );
      expect(limits.stage).toEqual({ rateLimit: 5, burstLimit: 10 });
      expect(limits.functions['get-note']).toEqual({
        ...notesLimits.functions['get-note'],
        reservedConcurrency: 30,
      });
      expect(limits.functions['put-note']).toEqual(notesLimits.functions['put-note']);
      expect(applyLimitsOverride(notesLimits, undefined, 'prod')).toBe(notesLimits);
    });

    it('refuses a function the service does not have, and a value the limits rules forbid', () => {
      expect(() =>
        applyLimitsOverride(
          notesLimits,
          { functions: { 'delete-note': { reservedConcurrency: 1 } } },
          'staging',
        ),
      ).toThrow(
        'stage staging: limits override of notes names delete-note, which are not its functions (create-note, get-note, put-note, list-note-versions, authorize)',
      );
      expect(() =>
        applyLimitsOverride(
          notesLimits,
          { functions: { 'get-note': { timeoutSeconds: 30 } } },
          'staging',
        ),
      ).toThrow(/notes\/get-note: timeoutSeconds must be a whole number from 1 to 28/);
    });
  });
});
