import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssemblyError } from './errors';
import { readAssembly } from './read-assembly';
import { selectStage } from './stage-assembly';

/** One stack with one table, laid out as CDK writes a stack (manifest + template) into `dir`. */
function writeStack(dir: string, stackName: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        ...extra,
        [stackName]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: `${stackName}.template.json`, stackName },
        },
      },
    }),
  );
  const table = {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  };
  writeFileSync(
    join(dir, `${stackName}.template.json`),
    JSON.stringify({ Resources: { Items: table } }),
  );
}

/** An app with two CDK Stages (nested assemblies `assembly-Staging`, `assembly-Prod`) and a top-level pipeline stack. */
function stagedAssembly(): string {
  const root = mkdtempSync(join(tmpdir(), 'local-runtime-stages-'));
  writeStack(root, 'SmPipeline', {
    // As CDK writes them: the display name is one of the properties.
    'assembly-Staging': {
      type: 'cdk:cloud-assembly',
      properties: { directoryName: 'assembly-Staging', displayName: 'Staging' },
    },
    'assembly-Prod': {
      type: 'cdk:cloud-assembly',
      properties: { directoryName: 'assembly-Prod', displayName: 'Prod' },
    },
  });
  writeStack(join(root, 'assembly-Staging'), 'Staging-SmItems');
  writeStack(join(root, 'assembly-Prod'), 'Prod-SmItems');
  return root;
}

describe('selectStage and readAssembly with CDK Stages', () => {
  const root = stagedAssembly();
  const read = (stage?: string) => readAssembly(root, { origin: 'http://127.0.0.1:3000', stage });

  it('runs prod by default: only the Prod stage’s stacks, not the other stage’s nor the top-level ones', () => {
    const system = read();
    expect(system.stage).toBe('prod');
    expect(system.tables.map((t) => t.tableName)).toEqual(['Prod-SmItems-Items']);
  });

  it('runs the stage named, case-insensitively', () => {
    expect(read('staging').tables.map((t) => t.tableName)).toEqual(['Staging-SmItems-Items']);
    expect(selectStage(root, 'Staging')).toEqual({
      assemblyDir: join(root, 'assembly-Staging'),
      stage: 'staging',
      stages: ['staging', 'prod'],
    });
  });

  it('refuses a stage the assembly does not have, naming the ones it has', () => {
    expect(() => read('dev')).toThrow(
      new AssemblyError(
        `no stage 'dev' in the cloud assembly at ${root}: it has staging, prod; choose one with --stage`,
      ),
    );
  });

  it('runs an assembly without stages whole, and refuses a stage for it', () => {
    const flat = mkdtempSync(join(tmpdir(), 'local-runtime-flat-'));
    writeStack(flat, 'SmItems');
    const system = readAssembly(flat, { origin: 'http://127.0.0.1:3000' });
    expect(system.stage).toBeUndefined();
    expect(system.tables.map((t) => t.tableName)).toEqual(['SmItems-Items']);
    expect(() => readAssembly(flat, { origin: 'http://127.0.0.1:3000', stage: 'prod' })).toThrow(
      /has no stages; leave --stage out/,
    );
  });
});
