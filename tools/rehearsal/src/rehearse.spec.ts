/**
 * The rehearsal's replay rules on a small synthesized-shaped pipeline (manifest + template written
 * here) whose actions run real step scripts: a failed action stops the pipeline, and everything after
 * it is reported as not run, as CodePipeline would leave it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rehearse } from './rehearse';

const root = resolve(__dirname, '../../..');

function pipelineAssembly(dir: string): string {
  const assembly = join(dir, 'cdk.out');
  mkdirSync(assembly, { recursive: true });
  const project = (commands: string[]) => ({
    Type: 'AWS::CodeBuild::Project',
    Properties: {
      Source: {
        BuildSpec: JSON.stringify({
          version: '0.2',
          phases: {
            install: { commands: ['bash tools/release/steps/install.sh'] },
            build: { commands },
          },
        }),
      },
      Environment: { EnvironmentVariables: [] },
    },
  });
  const build = (name: string, projectId: string, inputs: string[]) => ({
    Name: name,
    ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
    Configuration: { ProjectName: { Ref: projectId } },
    InputArtifacts: inputs.map((Name) => ({ Name })),
    RunOrder: 1,
  });
  const template = {
    Resources: {
      CheckGate: project([
        'bash tools/release/steps/check-gate.sh staging "$CODEBUILD_SRC_DIR_GateReports"',
      ]),
      Record: project(['bash tools/release/steps/record.sh prod']),
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: {
          Stages: [
            {
              Name: 'Source',
              Actions: [
                {
                  Name: 'Source',
                  ActionTypeId: {
                    Category: 'Source',
                    Owner: 'AWS',
                    Provider: 'CodeStarSourceConnection',
                    Version: '1',
                  },
                  OutputArtifacts: [{ Name: 'Source' }],
                },
              ],
            },
            { Name: 'DeployProd', Actions: [build('CheckGate', 'CheckGate', ['Source'])] },
            {
              Name: 'ApproveProd',
              Actions: [
                {
                  Name: 'ApproveProd',
                  ActionTypeId: {
                    Category: 'Approval',
                    Owner: 'AWS',
                    Provider: 'Manual',
                    Version: '1',
                  },
                },
              ],
            },
            { Name: 'Record', Actions: [build('Record', 'Record', ['Source'])] },
          ],
        },
      },
    },
  };
  writeFileSync(join(assembly, 'SmPipeline.template.json'), JSON.stringify(template));
  writeFileSync(
    join(assembly, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        SmPipeline: {
          type: 'aws:cloudformation:stack',
          displayName: 'SmPipeline',
          properties: { templateFile: 'SmPipeline.template.json' },
        },
      },
    }),
  );
  return assembly;
}

describe('rehearse', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at the first failed action and reports the rest as not run', async () => {
    const verdicts = await rehearse({
      root,
      assemblyDir: pipelineAssembly(dir),
      workDir: join(dir, 'work'),
      quick: false,
      output: () => undefined,
      log: () => undefined,
    });
    expect(verdicts.map((v) => [v.action, v.step, v.verdict])).toEqual([
      ['Source/Source', 'source', 'stand-in'],
      ['DeployProd/CheckGate', 'install', 'skipped'],
      // No gate ran, so there is no GateReports artifact: prod must not pass.
      ['DeployProd/CheckGate', 'check-gate staging', 'failed'],
      ['ApproveProd/ApproveProd', '(whole action)', 'not run'],
      ['Record/Record', '(whole action)', 'not run'],
    ]);
    expect(verdicts.at(-1)?.note).toBe(
      'the pipeline stopped at DeployProd/CheckGate (build phase)',
    );
  });
});
