import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { SmokeRequest } from '@sm/deploy-hooks';
import { readTemplates, STAGES, stageNamed, type StageName } from '@sm/infra';
import { createApp, type StageStacks } from './app';
import { ensureBundles } from './test-support';

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  UpdatePolicy?: Record<string, any>;
}; // eslint-disable-line @typescript-eslint/no-explicit-any -- template JSON
type Resources = Record<string, Resource>;

ensureBundles();
const { app, stages } = createApp();
app.synth();
const resourcesOf = (stack: Stack) => Template.fromStack(stack).toJSON().Resources as Resources;
const ofType = (resources: Resources, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const serviceStacks = (s: StageStacks) => [s.auth, s.location, s.profile];
const isSmokeHook = (fn: Resource) => fn.Properties['Handler'] === 'smoke-hook.handler';

describe.each(STAGES.map((s) => s.name))('safe deployments in %s', (stage: StageName) => {
  const stacks = stages[stage];
  const preference = stageNamed(stage).deployment;

  it('points no API integration and no authorizer at $LATEST or a bare version: every one calls a live alias', () => {
    const model = readTemplates(
      serviceStacks(stacks).map((stack) => ({
        stackName: stack.stackName,
        template: Template.fromStack(stack).toJSON(),
      })),
    );
    expect(model.methods.length).toBe(8);
    for (const method of model.methods) {
      expect({
        method: `${method.stackName} ${method.route}`,
        integration: method.integrationQualifier,
      }).toEqual({
        method: `${method.stackName} ${method.route}`,
        integration: { kind: 'alias', name: 'live' },
      });
      if (method.authorizer) {
        expect(method.authorizer.entry).toBe('authorize');
        expect(method.authorizerQualifier).toEqual({ kind: 'alias', name: 'live' });
      }
    }
    // Every secured method of the two consumers reaches the authorizer through the SSM parameter.
    expect(
      model.methods.filter((m) => m.authorizer && m.stackName !== stacks.auth.stackName),
    ).toHaveLength(5);
  });

  it.each(['auth', 'location', 'profile'] as const)(
    'shifts every %s function with its own deployment group, as the stage prefers, rolled back by its alarms',
    (service) => {
      const resources = resourcesOf(stacks[service]);
      const functions = ofType(resources, 'AWS::Lambda::Function').filter(
        ([, fn]) => !isSmokeHook(fn),
      );
      const groups = ofType(resources, 'AWS::CodeDeploy::DeploymentGroup');
      const aliases = ofType(resources, 'AWS::Lambda::Alias');
      expect(aliases).toHaveLength(functions.length);
      expect(groups).toHaveLength(functions.length);
      const api5xx = ofType(resources, 'AWS::CloudWatch::Alarm').find(
        ([, a]) => a.Properties['AlarmName'] === `sm-${stage}-${service}-api5xx`,
      )![0];
      for (const [fnId, fn] of functions) {
        const [, alias] = aliases.find(([, a]) => a.Properties['FunctionName'].Ref === fnId)!;
        expect(alias.Properties['Name']).toBe('live');
        const groupId = alias.UpdatePolicy!['CodeDeployLambdaAliasUpdate'].DeploymentGroupName
          .Ref as string;
        const group = resources[groupId]!.Properties;
        const entry = String(fn.Properties['Handler']).replace(/\.handler$/, '');
        expect(group).toMatchObject({
          DeploymentGroupName: `sm-${stage}-${service}-${entry}`,
          DeploymentConfigName: `CodeDeployDefault.Lambda${preference.trafficShift}`,
          AutoRollbackConfiguration: {
            Enabled: true,
            Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
          },
        });
        const alarmNames = (group['AlarmConfiguration'].Alarms as { Name: { Ref: string } }[]).map(
          (a) => resources[a.Name.Ref]!.Properties['AlarmName'],
        );
        expect(alarmNames.sort()).toEqual(
          [
            `sm-${stage}-${service}-api5xx`,
            ...['errors', 'throttles', 'concurrency', 'duration-p99', 'error-logs'].map(
              (kind) => `sm-${stage}-${service}-${entry}-${kind}`,
            ),
          ].sort(),
        );
        expect(group['AlarmConfiguration'].Alarms).toContainEqual({ Name: { Ref: api5xx } });
        expect(group['AlarmConfiguration'].Enabled).toBe(true);
      }
    },
  );

  it('smoke-tests every service function with a request from its contract’s examples before and after the shift', () => {
    const byEntry: Record<string, SmokeRequest[]> = {};
    for (const stack of serviceStacks(stacks)) {
      const resources = resourcesOf(stack);
      for (const [, alias] of ofType(resources, 'AWS::Lambda::Alias')) {
        const update = alias.UpdatePolicy!['CodeDeployLambdaAliasUpdate'];
        expect(update.BeforeAllowTrafficHook).toEqual(update.AfterAllowTrafficHook);
        const hook = resources[update.BeforeAllowTrafficHook.Ref]!;
        expect(isSmokeHook(hook)).toBe(preference.smokeHooks);
        const fn = resources[alias.Properties['FunctionName'].Ref]!;
        const variables = hook.Properties['Environment'].Variables;
        expect(resources[variables['SMOKE_TARGET_VERSION_ARN'].Ref]).toMatchObject({
          Type: 'AWS::Lambda::Version',
          Properties: { FunctionName: alias.Properties['FunctionName'] },
        });
        byEntry[String(fn.Properties['Handler']).replace(/\.handler$/, '')] = JSON.parse(
          variables['SMOKE_REQUESTS'],
        );
        // A hook draws from the unreserved pool: at most two run per function and deployment.
        expect(hook.Properties['ReservedConcurrentExecutions']).toBeUndefined();
      }
    }
    const only = (entry: string) => {
      expect(byEntry[entry]).toHaveLength(1);
      return byEntry[entry]![0]!;
    };
    const body = (request: SmokeRequest) =>
      JSON.parse((request.event as { body: string }).body) as unknown;
    expect(Object.keys(byEntry).sort()).toEqual([
      'authorize',
      'create-token',
      'create-user',
      'get-location',
      'get-profile',
      'list-location-history',
      'put-location',
      'put-profile',
      'revoke-token',
    ]);
    // Writes are refused by the contract's own validation: nothing is created, in any stage.
    expect(body(only('create-user'))).toEqual({});
    expect(body(only('create-token'))).toEqual({});
    expect(body(only('put-location'))).toEqual({ accuracy: 12.5 });
    expect(body(only('put-profile'))).toEqual({ bio: 'Cyclist and map nerd.' });
    for (const entry of ['create-user', 'create-token', 'put-location', 'put-profile'])
      expect(only(entry).expect).toEqual({ kind: 'proxy', statuses: [400] });
    expect(only('revoke-token').expect).toEqual({ kind: 'proxy', statuses: [401] });
    expect(only('get-location').expect).toEqual({
      kind: 'proxy',
      statuses: [200, 400, 401, 403, 404, 429],
    });
    expect(only('authorize').expect).toEqual({ kind: 'unauthorized' });
  });
});

describe('the smoke hook as deployed', () => {
  const hooks = serviceStacks(stages.prod).flatMap((stack) =>
    ofType(resourcesOf(stack), 'AWS::Lambda::Function').filter(([, fn]) => isSmokeHook(fn)),
  );

  it('ships only the hook bundle and its source map, shared by every hook (one asset)', () => {
    const keys = new Set(hooks.map(([, hook]) => String(hook.Properties['Code'].S3Key)));
    expect(keys.size).toBe(1);
    const assetDir = join(app.outdir, `asset.${[...keys][0]!.replace(/\.zip$/, '')}`);
    expect(readdirSync(assetDir).sort()).toEqual(['smoke-hook.js', 'smoke-hook.js.map']);
    // It loads with nothing but its own asset (the SDK clients are inside), as Lambda would load it.
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        'process.stdout.write(typeof require(process.argv[1]).handler)',
        join(assetDir, 'smoke-hook.js'),
      ],
      {
        env: { PATH: process.env['PATH'], AWS_REGION: 'eu-west-1' },
        encoding: 'utf8',
        cwd: assetDir,
        timeout: 30_000,
      },
    );
    expect({ stdout: child.stdout, stderr: child.stderr }).toEqual({
      stdout: 'function',
      stderr: '',
    });
  });
});
