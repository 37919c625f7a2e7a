import { Template } from 'aws-cdk-lib/assertions';
import type { SmokeRequest } from '@sm/deploy-hooks';
import { notesContract } from './__fixtures__/notes-contract';
import { NOTES_BUNDLES, notesLimits, NotesStack, testApp } from './__fixtures__/notes-stack';
import { readTemplates } from './capacity';
import { InfraConfigError } from './errors';
import { TRAFFIC_SHIFTS } from './stages';
import { DEPLOYMENT_CONFIGS } from './safe-deployment';

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  UpdatePolicy?: Record<string, any>;
  DeletionPolicy?: string;
}; // eslint-disable-line @typescript-eslint/no-explicit-any -- template JSON

const synth = (
  options: ConstructorParameters<typeof NotesStack>[2] = {},
  context: Record<string, unknown> = {},
) => {
  const stack = new NotesStack(testApp({ context }), 'Notes', { stage: 'prod', ...options });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource> };
};
const logicalIdOf = (stack: NotesStack, construct: { node: { defaultChild?: unknown } } | object) =>
  stack.getLogicalId(
    ((construct as { node: { defaultChild?: unknown } }).node.defaultChild ?? construct) as never,
  );
const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
/** A version's logical id carries a hash of the function's configuration, added when the template is written. */
const versionIdOf = (stack: NotesStack, fn: { function: object }) => {
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  const fnId = logicalIdOf(stack, fn.function);
  const [id] =
    Object.entries(template.Resources).find(
      ([, r]) => r.Type === 'AWS::Lambda::Version' && r.Properties['FunctionName']?.Ref === fnId,
    ) ?? [];
  if (!id) throw new Error(`no version of ${fnId}`);
  return id;
};
const ENTRIES = ['get-note', 'list-note-versions', 'put-note', 'create-note', 'authorize'] as const;

describe('SafeDeployment (prod: 10 % canary for 5 minutes)', () => {
  const { stack, template, resources } = synth();

  it('publishes every function as a version behind a live alias, provisioned concurrency off, reservation on the function', () => {
    for (const entry of ENTRIES) {
      const fn = stack.functions[entry] ?? stack.authorize!;
      const alias = resources[logicalIdOf(stack, fn.alias)]!;
      expect(alias.Properties).toMatchObject({
        Name: 'live',
        FunctionName: { Ref: logicalIdOf(stack, fn.function) },
        FunctionVersion: { 'Fn::GetAtt': [versionIdOf(stack, fn), 'Version'] },
      });
      expect(alias.Properties['ProvisionedConcurrencyConfig']).toBeUndefined();
      expect(
        resources[logicalIdOf(stack, fn.function)]!.Properties['ReservedConcurrentExecutions'],
      ).toBe(notesLimits.functions[entry].reservedConcurrency);
      // An old version goes once a deployment succeeds; CodeDeploy only needs it during the shift.
      expect(resources[versionIdOf(stack, fn)]!.DeletionPolicy).toBeUndefined();
    }
    expect(ofType(resources, 'AWS::Lambda::Alias')).toHaveLength(ENTRIES.length);
  });

  it('gives each function a deployment group that shifts its alias as the stage chose, under its alarms and its API’s 5XX alarm', () => {
    for (const entry of ENTRIES) {
      const fn = stack.functions[entry] ?? stack.authorize!;
      const groupId = logicalIdOf(stack, stack.deployment.groups[entry]!);
      const expectedAlarms = stack.monitoring
        .rollbackAlarms(fn)
        .map((alarm) => ({ Name: { Ref: logicalIdOf(stack, alarm) } }));
      expect(expectedAlarms).toHaveLength(6);
      expect(expectedAlarms).toContainEqual({
        Name: { Ref: logicalIdOf(stack, stack.monitoring.api5xxAlarm) },
      });
      expect(resources[groupId]!.Properties).toMatchObject({
        DeploymentGroupName: `sm-prod-notes-${entry}`,
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
        AlarmConfiguration: { Enabled: true, Alarms: expectedAlarms },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
      });
      // CloudFormation hands the alias update to that group (and its hooks) instead of moving it at once.
      const hookId = logicalIdOf(stack, stack.deployment.smokeHooks[entry]!);
      expect(resources[logicalIdOf(stack, fn.alias)]!.UpdatePolicy).toEqual({
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: logicalIdOf(stack, stack.deployment.application) },
          DeploymentGroupName: { Ref: groupId },
          BeforeAllowTrafficHook: { Ref: hookId },
          AfterAllowTrafficHook: { Ref: hookId },
        },
      });
    }
    template.hasResourceProperties('AWS::CodeDeploy::Application', {
      ApplicationName: 'sm-prod-notes',
      ComputePlatform: 'Lambda',
    });
  });

  it('deploys with a role that may move exactly these aliases, read exactly these alarms and run exactly these hooks', () => {
    const roleId = logicalIdOf(stack, stack.deployment.role);
    expect(resources[roleId]!.Properties['ManagedPolicyArns']).toBeUndefined();
    const statements = ofType(resources, 'AWS::IAM::Policy')
      .filter(
        ([, p]) => JSON.stringify(p.Properties['Roles']) === JSON.stringify([{ Ref: roleId }]),
      )
      .flatMap(
        ([, p]) =>
          p.Properties['PolicyDocument'].Statement as {
            Action: string | string[];
            Resource: unknown;
          }[],
      );
    const actions = new Set(statements.flatMap((s) => [s.Action].flat()));
    expect([...actions].sort()).toEqual([
      'cloudwatch:DescribeAlarms',
      'lambda:GetAlias',
      'lambda:GetProvisionedConcurrencyConfig',
      'lambda:InvokeFunction',
      'lambda:UpdateAlias',
    ]);
    expect(JSON.stringify(statements)).not.toContain('"*"');
    const getNote = stack.functions['get-note']!;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
        Resource: [
          { 'Fn::GetAtt': [logicalIdOf(stack, getNote.function), 'Arn'] },
          { Ref: logicalIdOf(stack, getNote.alias) },
        ],
      }),
    );
  });

  it('lets each smoke hook invoke only its function’s new version and report only to its own group', () => {
    for (const entry of ENTRIES) {
      const fn = stack.functions[entry] ?? stack.authorize!;
      const hook = stack.deployment.smokeHooks[entry]!;
      const hookRoleId = logicalIdOf(stack, hook.role!);
      const statements = ofType(resources, 'AWS::IAM::Policy')
        .filter(
          ([, p]) =>
            JSON.stringify(p.Properties['Roles']) === JSON.stringify([{ Ref: hookRoleId }]),
        )
        .flatMap(
          ([, p]) =>
            p.Properties['PolicyDocument'].Statement as {
              Action: string | string[];
              Resource: unknown;
            }[],
        );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: { Ref: versionIdOf(stack, fn) },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
          Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }),
        }),
      );
      expect(
        JSON.stringify(
          statements.filter((s) =>
            [s.Action].flat().includes('codedeploy:PutLifecycleEventHookExecutionStatus'),
          ),
        ),
      ).toContain(logicalIdOf(stack, stack.deployment.groups[entry]!));
      const invokes = statements.filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('lambda:')),
      );
      expect(invokes).toHaveLength(1);
    }
  });

  it('configures each hook with the new version’s ARN and smoke requests from the contract’s examples that change no data', () => {
    const requestsOf = (entry: string) => {
      const hookId = logicalIdOf(stack, stack.deployment.smokeHooks[entry]!);
      const variables = resources[hookId]!.Properties['Environment'].Variables as Record<
        string,
        unknown
      >;
      const fn = stack.functions[entry] ?? stack.authorize!;
      expect(variables['SMOKE_TARGET_VERSION_ARN']).toEqual({ Ref: versionIdOf(stack, fn) });
      return JSON.parse(variables['SMOKE_REQUESTS'] as string) as SmokeRequest[];
    };
    const [getNote] = requestsOf('get-note');
    expect(getNote!.expect).toEqual({ kind: 'proxy', statuses: [200, 401, 404] });
    expect(getNote!.event).toMatchObject({
      httpMethod: 'GET',
      path: '/notes/n-1',
      pathParameters: { noteId: 'n-1' },
    });

    const [putNote] = requestsOf('put-note');
    expect(putNote!.expect).toEqual({ kind: 'proxy', statuses: [400] });
    expect(JSON.parse((putNote!.event as { body: string }).body)).toEqual({ pinned: true });

    const [createNote] = requestsOf('create-note');
    expect(JSON.parse((createNote!.event as { body: string }).body)).toEqual({});
    expect(requestsOf('authorize')).toEqual([
      expect.objectContaining({ expect: { kind: 'unauthorized' } }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'smoke-hook.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });

  it('leaves no integration and no authorizer pointing at $LATEST or a bare version', () => {
    const model = readTemplates([{ stackName: stack.stackName, template: template.toJSON() }]);
    expect(model.methods).toHaveLength(4);
    for (const method of model.methods) {
      expect({ route: method.route, integration: method.integrationQualifier }).toEqual({
        route: method.route,
        integration: { kind: 'alias', name: 'live' },
      });
      if (method.authorizer)
        expect(method.authorizerQualifier).toEqual({ kind: 'alias', name: 'live' });
    }
  });
});

/** A cycle among the template's resources (Ref, GetAtt, Sub, DependsOn, UpdatePolicy), or undefined. */
function dependencyCycle(
  resources: Record<string, Resource & { DependsOn?: string | string[] }>,
): string[] | undefined {
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>([resource.DependsOn ?? []].flat());
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (typeof record['Ref'] === 'string' && resources[record['Ref']]) targets.add(record['Ref']);
      const getAtt = record['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && resources[getAtt[0]])
        targets.add(getAtt[0]);
      Object.values(record).forEach(visit);
    };
    visit(resource.Properties);
    visit(resource.UpdatePolicy);
    edges.set(id, targets);
  }
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const dfs = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = dfs(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = dfs(id);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('SafeDeployment and the dependency graph', () => {
  it('closes no loop between the live aliases, their deployment groups, the API 5XX alarm and the API', () => {
    const { resources } = synth();
    // The alias's update depends on the group, the group on the 5XX alarm; the API's stage depends on
    // the methods, which call the alias. The alarm must not depend on the stage.
    expect(dependencyCycle(resources)).toBeUndefined();
  });
});

describe('SafeDeployment options', () => {
  it('maps every traffic shift a stage may choose to CodeDeploy’s configuration of that name', () => {
    expect(Object.keys(DEPLOYMENT_CONFIGS).sort()).toEqual([...TRAFFIC_SHIFTS].sort());
    for (const shift of TRAFFIC_SHIFTS) {
      const { resources } = synth({ deployment: { trafficShift: shift, smokeHooks: false } });
      const names = new Set(
        ofType(resources, 'AWS::CodeDeploy::DeploymentGroup').map(
          ([, g]) => g.Properties['DeploymentConfigName'],
        ),
      );
      expect([...names]).toEqual([`CodeDeployDefault.Lambda${shift}`]);
    }
  });

  it('deploys staging all at once by default', () => {
    const stack = new NotesStack(testApp(), 'Notes', { stage: 'staging' });
    Template.fromStack(stack).allResourcesProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
    });
  });

  it('adds no hook functions when the stage turns smoke hooks off', () => {
    const { stack, resources } = synth({
      deployment: { trafficShift: 'Linear10PercentEvery1Minute', smokeHooks: false },
    });
    expect(Object.keys(stack.deployment.smokeHooks)).toEqual([]);
    for (const [, alias] of ofType(resources, 'AWS::Lambda::Alias')) {
      expect(Object.keys(alias.UpdatePolicy!['CodeDeployLambdaAliasUpdate']).sort()).toEqual([
        'ApplicationName',
        'DeploymentGroupName',
      ]);
    }
  });

  it('puts provisioned concurrency from the limits on the alias and keeps the reservation on the function', () => {
    const limits = {
      ...notesLimits,
      functions: {
        ...notesLimits.functions,
        'get-note': { ...notesLimits.functions['get-note'], provisionedConcurrency: 3 },
      },
    };
    const { stack, resources, template } = synth({ limits });
    expect(
      resources[logicalIdOf(stack, stack.functions['get-note']!.alias)]!.Properties[
        'ProvisionedConcurrencyConfig'
      ],
    ).toEqual({ ProvisionedConcurrentExecutions: 3 });
    const fn = readTemplates([
      { stackName: stack.stackName, template: template.toJSON() },
    ]).functions.find((f) => f.entry === 'get-note')!;
    expect(fn).toMatchObject({ reservedConcurrency: 15, provisionedConcurrency: 3 });
  });

  it('publishes a new version exactly when the code or configuration changes', () => {
    const versionId = (stack: NotesStack) => versionIdOf(stack, stack.functions['get-note']!);
    const base = synth().stack;
    const again = synth().stack;
    const moreMemory = synth({
      limits: {
        ...notesLimits,
        functions: {
          ...notesLimits.functions,
          'get-note': { ...notesLimits.functions['get-note'], memoryMb: 1024 },
        },
      },
    }).stack;
    expect(versionId(again)).toBe(versionId(base));
    expect(versionId(moreMemory)).not.toBe(versionId(base));
    // The alias keeps its logical id, and with it its ARN: callers never notice a new version.
    expect(logicalIdOf(moreMemory, moreMemory.functions['get-note']!.alias)).toBe(
      logicalIdOf(base, base.functions['get-note']!.alias),
    );
  });

  it('ignores the alarms only when the stage’s break-glass context says so', () => {
    const { resources } = synth({}, { 'stages.prod.ignoreDeploymentAlarms': 'true' });
    for (const [, group] of ofType(resources, 'AWS::CodeDeploy::DeploymentGroup')) {
      expect(group.Properties['AlarmConfiguration']).toMatchObject({ Enabled: false });
    }
    expect(() => synth({}, { 'stages.prod.ignoreDeploymentAlarms': 'yes' })).toThrow(
      "context stages.prod.ignoreDeploymentAlarms must be true or false, got 'yes'",
    );
  });

  it('refuses at synth a contract without the examples a smoke request needs, naming the operation', () => {
    const contract = {
      ...notesContract,
      operationExamples: {
        ...notesContract.operationExamples,
        getNote: {
          ...notesContract.operationExamples.getNote,
          pathParameters: {},
          missing: ['path noteId'],
        },
      },
    };
    const build = () => {
      const stack = new NotesStack(testApp(), 'Notes', { stage: 'prod', contract });
      return stack;
    };
    expect(build).toThrow(InfraConfigError);
    expect(build).toThrow(
      /smoke requests of get-note: getNote: the contract gives no example for path noteId/,
    );
  });

  it('refuses at synth when the hook bundle was not built, with the command that builds it', () => {
    expect(() => synth({ hookBundleDir: `${NOTES_BUNDLES}-missing` })).toThrow(
      /smoke hook bundle .* does not exist\. Build it first: npx nx run deploy-hooks:build/,
    );
  });
});
