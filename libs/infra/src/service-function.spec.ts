import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NOTES_BUNDLES, testApp } from './__fixtures__/notes-stack';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';

const limits = { reservedConcurrency: 7, memoryMb: 768, timeoutSeconds: 6, assumedP99Ms: 150, deadlineMs: 900, overheadMs: 100 };

function synth(bundleDir: string, entries: string[], outdir?: string) {
  const app = testApp(outdir ? { outdir } : {});
  const stack = new Stack(app, 'Fn');
  const functions = entries.map(
    (entry) => new ServiceFunction(stack, entry, { service: 'notes', entry, limits, bundleDir, environment: { NOTES_TABLE_NAME: 'notes' } }),
  );
  return { app, stack, functions, template: Template.fromStack(stack) };
}

/** Object key of each function's code asset, by bundle name. */
function assetKeys(template: Template): Record<string, string> {
  const functions = template.findResources('AWS::Lambda::Function');
  return Object.fromEntries(
    Object.values(functions).map((fn) => [String(fn['Properties'].Handler).replace('.handler', ''), String(fn['Properties'].Code.S3Key)]),
  );
}

describe('ServiceFunction', () => {
  const { template } = synth(NOTES_BUNDLES, ['get-note']);

  it('runs the Nx bundle on Node.js 22, arm64, with the limits, tracing and Powertools settings', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'get-note.handler',
      MemorySize: 768,
      Timeout: 6,
      ReservedConcurrentExecutions: 7,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^getnoteLogGroup') } },
      Environment: {
        Variables: {
          NOTES_TABLE_NAME: 'notes',
          POWERTOOLS_SERVICE_NAME: 'notes',
          POWERTOOLS_METRICS_NAMESPACE: 'ServerlessMicroservices',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
          NODE_OPTIONS: '--enable-source-maps',
          SM_DEADLINE_MS: '900',
        },
      },
    });
  });

  it('writes to its own log group with a retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('has its own role with no managed policies', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  it('may write only to its own log group', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^getnoteLogGroup'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  describe('its code asset', () => {
    let work: string;
    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'service-function-'));
      cpSync(NOTES_BUNDLES, join(work, 'bundles'), { recursive: true });
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    it('holds only the function’s bundle and the tracer bundle, with their source maps', () => {
      const outdir = join(work, 'cdk.out');
      const { template } = synth(join(work, 'bundles'), ['get-note'], outdir);
      const hash = assetKeys(template)['get-note']!.replace(/\.zip$/, '');
      expect(readdirSync(join(outdir, `asset.${hash}`)).sort()).toEqual(['get-note.js', 'get-note.js.map', 'tracer.js', 'tracer.js.map']);
    });

    it('also holds the extra files it names, and fails at synth when one is not built', () => {
      const outdir = join(work, 'cdk.out');
      const stack = new Stack(testApp({ outdir }), 'Fn');
      new ServiceFunction(stack, 'get-note', { service: 'notes', entry: 'get-note', limits, bundleDir: join(work, 'bundles'), extraFiles: ['put-note.js'] });
      const hash = assetKeys(Template.fromStack(stack))['get-note']!.replace(/\.zip$/, '');
      expect(readdirSync(join(outdir, `asset.${hash}`)).sort()).toEqual(['get-note.js', 'get-note.js.map', 'put-note.js', 'put-note.js.map', 'tracer.js', 'tracer.js.map']);
      const missing = () =>
        new ServiceFunction(new Stack(testApp(), 'Bad'), 'get-note', { service: 'notes', entry: 'get-note', limits, bundleDir: join(work, 'bundles'), extraFiles: ['ssm-parameters.js'] });
      expect(missing).toThrow(/extra file .*ssm-parameters\.js must be a \.js file of the bundle directory, built by npx nx run notes:build/);
    });

    it('changes only when the function’s own bundle changes', () => {
      const bundles = join(work, 'bundles');
      const before = assetKeys(synth(bundles, ['get-note', 'put-note']).template);
      writeFileSync(join(bundles, 'get-note.js'), 'exports.handler=async()=>({statusCode:204});\n');
      writeFileSync(join(bundles, 'meta.json'), '{"changed":true}');
      const after = assetKeys(synth(bundles, ['get-note', 'put-note']).template);
      expect(after['get-note']).not.toEqual(before['get-note']);
      expect(after['put-note']).toEqual(before['put-note']);
    });

    it('changes for every function when the tracer bundle changes', () => {
      const bundles = join(work, 'bundles');
      const before = assetKeys(synth(bundles, ['get-note', 'put-note']).template);
      writeFileSync(join(bundles, 'tracer.js'), '"use strict";exports.Tracer=class Tracer{};\n');
      const after = assetKeys(synth(bundles, ['get-note', 'put-note']).template);
      expect(after['get-note']).not.toEqual(before['get-note']);
      expect(after['put-note']).not.toEqual(before['put-note']);
    });

    it('fails early, telling the user to build, when the tracer bundle is missing', () => {
      const bundles = join(work, 'bundles');
      rmSync(join(bundles, 'tracer.js'));
      expect(() => synth(bundles, ['get-note'])).toThrow(/the tracer bundle .*tracer\.js does not exist\. .*npx nx run notes:build/);
    });
  });

  describe('fails early', () => {
    const attempt = (props: Partial<ServiceFunctionProps>) => () =>
      new ServiceFunction(new Stack(testApp(), 'Bad'), 'Fn', { service: 'notes', entry: 'get-note', limits, bundleDir: NOTES_BUNDLES, ...props });

    it('telling the user to build when the bundle is missing', () => {
      expect(attempt({ entry: 'no-such-handler' })).toThrow(/no-such-handler\.js does not exist\. Build it first: npx nx run notes:build/);
    });

    it('when the timeout is not under API Gateway’s 29 s', () => {
      expect(attempt({ limits: { ...limits, timeoutSeconds: 30 } })).toThrow(/timeoutSeconds must be .* got 30/);
    });

    it('when the environment tries to replace a variable the construct owns', () => {
      expect(attempt({ environment: { NODE_OPTIONS: '--inspect' } })).toThrow(/NODE_OPTIONS is set by ServiceFunction/);
      expect(attempt({ environment: { SM_DEADLINE_MS: '10000' } })).toThrow(/SM_DEADLINE_MS is set by ServiceFunction/);
    });

    it('when a stack tries to record handler results in X-Ray again', () => {
      expect(attempt({ environment: { POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'true' } })).toThrow(
        /POWERTOOLS_TRACER_CAPTURE_RESPONSE is set by ServiceFunction/,
      );
    });

    it('when the bundle name is not a file name', () => {
      expect(attempt({ entry: '../get-note' })).toThrow(/entry must be a bundle name .* got '..\/get-note'/);
    });
  });
});
