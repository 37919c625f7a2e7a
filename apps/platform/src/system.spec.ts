import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { CfnResource, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as authContract from '@sm/contract-auth';
import * as locationContract from '@sm/contract-location';
import * as profileContract from '@sm/contract-profile';
import { GATEWAY_PROBLEMS, GATEWAY_RESPONSE_TYPES, nagAcknowledgements, nagFindings, type ContractOperation } from '@sm/infra';
import { createApp } from './app';
import { ensureBundles } from './test-support';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Resources = Record<string, Resource>;

ensureBundles();
const { app, stages } = createApp();
app.synth();
// Every stage has the same stacks; prod's are checked in full here, the differences in stages.spec.ts.
const stacks = stages.prod;
const templateOf = (stack: Stack) => Template.fromStack(stack);
const resourcesOf = (stack: Stack) => templateOf(stack).toJSON().Resources as Resources;
const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The deployment smoke hooks are functions too, but no client calls them: CodeDeploy does, during a deployment. */
const isSmokeHook = (fn: Resource) => fn.Properties['Handler'] === 'smoke-hook.handler';
const serviceFunctions = (resources: Resources) => ofType(resources, 'AWS::Lambda::Function').filter(([, fn]) => !isSmokeHook(fn));

const services = [
  { name: 'auth', stack: stacks.auth, contract: authContract },
  { name: 'profile', stack: stacks.profile, contract: profileContract },
  { name: 'location', stack: stacks.location, contract: locationContract },
] as const;

describe.each(services)('the $name stack', ({ stack, contract }) => {
  const resources = resourcesOf(stack);
  const methods = ofType(resources, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties);
  const operations = Object.values(contract.operationManifest) as ContractOperation[];
  const methodOf = (operation: ContractOperation) => {
    const found = methods.find((m) => m['OperationName'] === operation.operationId);
    if (!found) throw new Error(`no method for ${operation.operationId}`);
    return found;
  };

  it('has a method for every operation of its contract', () => {
    expect(methods.map((m) => m['OperationName']).sort()).toEqual(operations.map((o) => o.operationId).sort());
  });

  it('gives every request body its model and a validator', () => {
    const validators = Object.fromEntries(ofType(resources, 'AWS::ApiGateway::RequestValidator'));
    for (const operation of operations.filter((o) => o.requestBody)) {
      const method = methodOf(operation);
      const modelId = method['RequestModels']?.['application/json']?.Ref;
      expect(resources[modelId]?.Properties).toMatchObject({ Name: operation.requestBody?.model, ContentType: 'application/json' });
      expect(validators[method['RequestValidatorId']?.Ref]?.Properties).toMatchObject({ ValidateRequestBody: true, ValidateRequestParameters: true });
    }
  });

  it('requires and validates every required parameter of the contract', () => {
    for (const operation of operations) {
      const required = contract.apiGatewayModels.operations[operation.operationId as never] as { requiredParameters: Record<string, boolean> };
      const method = methodOf(operation);
      expect(method['RequestParameters'] ?? {}).toEqual(required.requiredParameters);
      if (Object.values(required.requiredParameters).some(Boolean)) expect(method['RequestValidatorId']).toBeDefined();
    }
  });

  it('puts the TOKEN authorizer on every secured method', () => {
    const authorizers = Object.fromEntries(ofType(resources, 'AWS::ApiGateway::Authorizer'));
    for (const operation of operations) {
      const method = methodOf(operation);
      if (operation.secured) {
        expect(method['AuthorizationType']).toBe('CUSTOM');
        expect(authorizers[method['AuthorizerId']?.Ref]?.Properties).toMatchObject({
          Type: 'TOKEN',
          IdentitySource: 'method.request.header.Authorization',
          IdentityValidationExpression: '^Bearer [A-Za-z0-9_-]{43}$',
          AuthorizerResultTtlInSeconds: 30,
        });
      } else {
        expect(method['AuthorizationType']).toBe('NONE');
      }
    }
  });

  it('reserves concurrency for every function, as its limits declare', () => {
    const functions = serviceFunctions(resources);
    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      expect(fn.Properties['ReservedConcurrentExecutions']).toBeGreaterThan(0);
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(fn.Properties['Timeout']).toBeLessThan(29);
    }
  });

  it('sends every alarm, and its return to OK, to the alert topic', () => {
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties['AlarmActions']).toHaveLength(1);
      expect(alarm.Properties['OKActions']).toEqual(alarm.Properties['AlarmActions']);
    }
  });

  it('keeps its tables: point-in-time recovery, deletion protection, retained except after a failed first create', () => {
    const tables = ofType(resources, 'AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: { Ref: 'TableDeletionProtection' },
      });
      expect(table).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
    expect(templateOf(stack).toJSON().Parameters['TableDeletionProtection']).toMatchObject({ Default: 'true', AllowedValues: ['true', 'false'] });
  });

  it('retains no log group after a failed first create: access logs RetainExceptOnCreate, function logs deleted with the stack', () => {
    for (const [, group] of ofType(resourcesOf(stack), 'AWS::Logs::LogGroup')) {
      expect(['RetainExceptOnCreate', 'Delete']).toContain(group.DeletionPolicy);
    }
  });

  it('renders every gateway error as a problem body the contract accepts', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(contract.openApiDocument as object, 'contract');
    const problem = ajv.getSchema('contract#/components/schemas/Problem');
    const validationProblem = ajv.getSchema('contract#/components/schemas/ValidationProblem');
    const responses = ofType(resources, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);
    expect(responses.map((r) => r['ResponseType']).sort()).toEqual([...GATEWAY_RESPONSE_TYPES].sort());
    for (const response of responses) {
      // What API Gateway substitutes: messageString is already a quoted, escaped JSON string.
      const body = JSON.parse(
        String(response['ResponseTemplates']['application/json'])
          .replaceAll('$context.error.messageString', JSON.stringify('Invalid request body: "x" is \\ odd'))
          .replaceAll('$context.path', '/loc/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10')
          .replaceAll('$context.requestId', 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'),
      );
      const validate = body.type === 'urn:problem-type:validation-error' ? validationProblem : problem;
      expect({ type: response['ResponseType'], valid: validate?.(body), errors: validate?.errors ?? null }).toEqual({ type: response['ResponseType'], valid: true, errors: null });
      // DEFAULT_5XX keeps API Gateway's own status (500 or 502), so neither template nor body names one.
      expect(body.status === undefined ? undefined : String(body.status)).toBe(response['StatusCode']);
      expect(response['ResponseParameters']['gatewayresponse.header.Content-Type']).toBe("'application/problem+json'");
      expect(body.status).toBe(GATEWAY_PROBLEMS[response['ResponseType'] as keyof typeof GATEWAY_PROBLEMS].status);
    }
  });

  it('shares nothing through CloudFormation exports', () => {
    const template = templateOf(stack).toJSON();
    expect(JSON.stringify(template)).not.toContain('Fn::ImportValue');
    expect(Object.values(template.Outputs ?? {}).filter((o: any) => o.Export)).toEqual([]);
  });
});

describe('function assets (what deploys, and what the local runtime loads from cdk.out)', () => {
  const functions = services.flatMap(({ name, stack }) =>
    serviceFunctions(resourcesOf(stack)).map(([, fn]) => ({
      service: name,
      entry: String(fn.Properties['Handler']).replace(/\.handler$/, ''),
      assetDir: join(app.outdir, `asset.${String(fn.Properties['Code']['S3Key']).replace(/\.zip$/, '')}`),
      variables: (fn.Properties['Environment']?.['Variables'] ?? {}) as Record<string, unknown>,
    })),
  );

  /** Requires the asset's bundle in a fresh process, as Lambda does; reports whether tracer.js was loaded. */
  const importBundle = ({ entry, assetDir, variables }: (typeof functions)[number], env: Record<string, string>) => {
    // Table names and the location URL are CloudFormation references until deployment.
    const placeholders = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : name.endsWith('_URL') ? 'https://api.example.invalid/prod' : 'placeholder']),
    );
    const child = spawnSync(
      process.execPath,
      ['-e', "require(process.argv[1]); process.stdout.write(JSON.stringify(Object.keys(require.cache).map((f) => require('node:path').basename(f)).sort()))", join(assetDir, `${entry}.js`)],
      { env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...placeholders, ...env }, encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as string[];
  };

  it.each(functions)('$service $entry ships the tracer bundle beside its own bundle (and get-profile the SSM parameters bundle)', ({ entry, assetDir }) => {
    const extra = entry === 'get-profile' ? ['ssm-parameters.js', 'ssm-parameters.js.map'] : [];
    expect(readdirSync(assetDir).sort()).toEqual([`${entry}.js`, `${entry}.js.map`, ...extra, 'tracer.js', 'tracer.js.map'].sort());
  });

  it('keeps Powertools Parameters and the SSM client out of get-profile’s bundle, in ssm-parameters.js beside it', () => {
    const getProfile = functions.find((fn) => fn.entry === 'get-profile')!;
    expect(readFileSync(join(getProfile.assetDir, 'get-profile.js'), 'utf8')).not.toContain('AmazonSSM');
    const child = spawnSync(process.execPath, ['-e', "process.stdout.write(typeof require(process.argv[1]).getParameter)", join(getProfile.assetDir, 'ssm-parameters.js')], {
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stdout).toBe('function');
  });

  it.each(functions)('$service $entry loads the tracer from its asset when tracing is on (in Lambda), never when off', (fn) => {
    const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' };
    expect(importBundle(fn, lambda)).toEqual([`${fn.entry}.js`, 'tracer.js']);
    expect(importBundle(fn, {})).toEqual([`${fn.entry}.js`]);
  });
});

describe('permissions', () => {
  const DATA_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  const DATA_READS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'];

  /** Table logical ids each DynamoDB action of a function's role applies to. */
  function tableAccess(stack: Stack, handler: string): Record<string, string[]> {
    const resources = resourcesOf(stack);
    const [, fn] = ofType(resources, 'AWS::Lambda::Function').find(([, f]) => f.Properties['Handler'] === `${handler}.handler`) ?? [];
    const roleId = fn?.Properties['Role']?.['Fn::GetAtt']?.[0];
    const access: Record<string, string[]> = {};
    for (const [, policy] of ofType(resources, 'AWS::IAM::Policy')) {
      if (!policy.Properties['Roles'].some((r: { Ref: string }) => r.Ref === roleId)) continue;
      for (const statement of policy.Properties['PolicyDocument'].Statement) {
        const actions: string[] = [statement.Action].flat().filter((a: string) => a.startsWith('dynamodb:'));
        const tables = [statement.Resource].flat().map((r: any) => r?.['Fn::GetAtt']?.[0]).filter(Boolean);
        for (const action of actions) access[action] = [...new Set([...(access[action] ?? []), ...tables])].sort();
      }
    }
    return access;
  }
  const tableId = (stack: Stack, prefix: string) => ofType(resourcesOf(stack), 'AWS::DynamoDB::Table').find(([id]) => id.startsWith(prefix))![0];

  it.each([
    ['profile', 'get-profile'],
    ['location', 'get-location'],
    ['location', 'list-location-history'],
    ['auth', 'authorize'],
  ] as const)('lets %s %s only read', (service, handler) => {
    const access = tableAccess(stacks[service], handler);
    expect(Object.keys(access)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const write of DATA_WRITES) expect(access[write]).toBeUndefined();
  });

  it.each([
    ['profile', 'put-profile'],
    ['location', 'put-location'],
    ['auth', 'create-user'],
    ['auth', 'revoke-token'],
  ] as const)('lets %s %s only write', (service, handler) => {
    const access = tableAccess(stacks[service], handler);
    expect(Object.keys(access)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    for (const read of DATA_READS) expect(access[read]).toBeUndefined();
  });

  it('gives each auth function exactly the table it needs', () => {
    const users = tableId(stacks.auth, 'UsersTable');
    const tokens = tableId(stacks.auth, 'TokensTable');
    expect(tableAccess(stacks.auth, 'create-user')['dynamodb:PutItem']).toEqual([users]);
    expect(tableAccess(stacks.auth, 'create-token')['dynamodb:GetItem']).toEqual([users]);
    expect(tableAccess(stacks.auth, 'create-token')['dynamodb:PutItem']).toEqual([tokens]);
    expect(tableAccess(stacks.auth, 'revoke-token')['dynamodb:DeleteItem']).toEqual([tokens]);
    expect(tableAccess(stacks.auth, 'authorize')['dynamodb:GetItem']).toEqual([tokens]);
  });
});

describe('wiring between stacks through SSM', () => {
  const parameterNames = (stack: Stack) =>
    Object.values(templateOf(stack).toJSON().Parameters ?? {}).map((p: any) => p.Default).filter((d: unknown) => typeof d === 'string' && d.startsWith('/sm/'));

  it('publishes the authorizer ARN, the location API URL and the alert topic ARN', () => {
    templateOf(stacks.auth).hasResourceProperties('AWS::SSM::Parameter', { Name: '/sm/prod/auth/authorizer-function-arn' });
    templateOf(stacks.location).hasResourceProperties('AWS::SSM::Parameter', { Name: '/sm/prod/location/api-url' });
    templateOf(stacks.platform).hasResourceProperties('AWS::SSM::Parameter', { Name: '/sm/prod/platform/alert-topic-arn' });
  });

  it('reads them where they are needed, at each deployment', () => {
    expect(parameterNames(stacks.profile).sort()).toEqual(['/sm/prod/auth/authorizer-function-arn', '/sm/prod/platform/alert-topic-arn']);
    expect(parameterNames(stacks.location).sort()).toEqual(['/sm/prod/auth/authorizer-function-arn', '/sm/prod/platform/alert-topic-arn']);
    expect(parameterNames(stacks.auth)).toEqual(['/sm/prod/platform/alert-topic-arn']);
  });

  it('gives get-profile the name of the location API URL parameter, read at run time, never the URL itself', () => {
    templateOf(stacks.profile).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'get-profile.handler',
      Environment: { Variables: { LOCATION_API_URL_PARAMETER: '/sm/prod/location/api-url', LOCATION_API_URL_MAX_AGE_SECONDS: '60', LOCATION_LOOKUP_TIMEOUT_MS: '1000' } },
    });
    expect(JSON.stringify(templateOf(stacks.profile).toJSON())).not.toContain('LOCATION_API_URL"');
  });
});

describe('cdk-nag (AwsSolutions and Serverless) on every stack', () => {
  it('leaves no finding unacknowledged, warnings included', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  it('acknowledges each finding on the CloudFormation resource itself, with a reason', () => {
    const acknowledgements = nagAcknowledgements(app);
    const byPath = new Map(app.node.findAll().map((construct) => [construct.node.path, construct]));
    const byRule = new Map<string, number>();
    for (const { rule, constructPath, reason } of acknowledgements) {
      expect({ rule, constructPath, isResource: CfnResource.isCfnResource(byPath.get(constructPath)) }).toEqual({ rule, constructPath, isResource: true });
      expect(reason.length).toBeGreaterThan(60);
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    }
    console.log(
      `cdk-nag acknowledgements (${acknowledgements.length}):\n` +
        [...byRule].map(([rule, count]) => `  ${count}× ${rule}`).join('\n'),
    );
  });
});
