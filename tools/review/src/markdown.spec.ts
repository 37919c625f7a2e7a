import type { Change } from '@sm/contract-diff';
import type { TemplateChanges } from '@sm/template-diff';
import type { StackDiff } from './infra/stack-diffs';
import { MARKER, renderMarkdown } from './markdown';
import type { ReviewResult } from './review';

const removedField: Change = {
  class: 'breaking',
  level: 'error',
  code: 'response-required-property-removed',
  origin: 'oasdiff',
  operation: { method: 'GET', path: '/loc/{userId}', operationId: 'getLocation' },
  location: 'GET /loc/{userId} › response 200 › /updatedAt',
  jsonPath: '/updatedAt',
  message: 'removed the required property `updatedAt` from the response with the `200` status',
  source: { side: 'base', file: 'contracts/location/openapi.yaml', line: 206 },
};

const tableReplaced: TemplateChanges = {
  resources: [
    {
      logicalId: 'LocationsTable',
      type: 'AWS::DynamoDB::Table',
      path: 'Prod/SmLocation/Locations/Table/Resource',
      action: 'replace',
      properties: [{ name: 'KeySchema', impact: 'replace' }],
      stateful: true,
    },
  ],
  parameters: [],
  outputs: [],
  iam: {
    statements: [
      {
        change: 'added',
        effect: 'Allow',
        actions: 'dynamodb:Scan',
        resources: '*',
        principals: 'AWS:${Role}',
        condition: '',
      },
    ],
    managedPolicies: [],
    broadened: true,
  },
  securityGroups: [],
  isEmpty: false,
};

function stackDiff(id: string, changes: TemplateChanges): StackDiff {
  const [stage] = id.split('/');
  return {
    id,
    stackName: id.replace('/', '-'),
    stage: stage ?? '',
    status: 'changed',
    deployedBy: ['location'],
    changes,
  };
}

function result(overrides: Partial<ReviewResult> = {}): ReviewResult {
  return {
    base: { ref: 'origin/main', commit: 'a'.repeat(40) },
    head: { commit: 'b'.repeat(40), dirty: false },
    contracts: {
      base: 'origin/main',
      breaking: 1,
      unmarkedBreaking: 1,
      ok: false,
      contracts: [
        {
          path: 'contracts/location/openapi.yaml',
          status: 'changed',
          baseVersion: '1.0.0',
          headVersion: '1.0.0',
          majorBumped: false,
          changes: [removedField],
          unmarkedBreaking: 1,
        },
      ],
    },
    operations: [
      {
        contract: 'contracts/location/openapi.yaml',
        method: 'GET',
        path: '/loc/{userId}',
        operationId: 'getLocation',
        breaking: true,
        changes: [removedField],
        callers: [
          {
            project: 'profile',
            contract: 'contract-location',
            method: 'GET',
            path: '/loc/{userId}',
            file: 'apps/profile/src/clients/location-lookup.ts',
            line: 68,
          },
        ],
      },
    ],
    consumers: [
      {
        project: 'profile',
        calls: [
          {
            project: 'profile',
            contract: 'contract-location',
            method: 'GET',
            path: '/loc/{userId}',
            file: 'apps/profile/src/clients/location-lookup.ts',
            line: 68,
          },
        ],
        checks: [
          {
            project: 'profile',
            target: 'typecheck',
            status: 'failed',
            ms: 4200,
            output: "error TS2339: Property 'updatedAt' does not exist",
          },
          { project: 'profile', target: 'test', status: 'passed', ms: 20000 },
        ],
      },
    ],
    deployPlan: {
      projects: ['location', 'profile'],
      resolved: true,
      orderEnforcedByNx: false,
      stages: [
        {
          configuration: 'prod',
          problems: [],
          stacks: [
            { id: 'Prod/SmLocation', stackName: 'Prod-SmLocation', project: 'location' },
            { id: 'Prod/SmProfile', stackName: 'Prod-SmProfile', project: 'profile' },
          ],
        },
        {
          configuration: 'staging',
          problems: [],
          stacks: [
            { id: 'Staging/SmLocation', stackName: 'Staging-SmLocation', project: 'location' },
            { id: 'Staging/SmProfile', stackName: 'Staging-SmProfile', project: 'profile' },
          ],
        },
      ],
    },
    infrastructure: {
      base: { ms: 21000, packages: 'shared' },
      head: { ms: 9000, packages: 'own' },
      stranded: [],
      stacks: [
        stackDiff('Staging/SmLocation', tableReplaced),
        stackDiff('Prod/SmLocation', tableReplaced),
      ],
    },
    verdict: {
      ok: false,
      reasons: [
        '1 breaking contract change(s) without a major info.version bump',
        'consumer check(s) failed: profile:typecheck',
      ],
      warnings: [],
    },
    timings: { contracts: 400, nx: 2000 },
    ...overrides,
  };
}

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(result());

  it('opens with the marker the workflow finds its comment by, then the verdict and its reasons', () => {
    expect(markdown.split('\n').slice(0, 2)).toEqual([
      MARKER,
      '## Pull-request review: ❌ 2 problems',
    ]);
    expect(markdown).toContain('- ❌ consumer check(s) failed: profile:typecheck');
  });

  it('puts each change on a row with where it is, the line, and who in this repository it breaks', () => {
    expect(markdown).toContain(
      '| **breaking** | `GET /loc/{userId}` getLocation | `response 200 › /updatedAt` (`contracts/location/openapi.yaml:206`) | removed the required property `updatedAt` from the response with the `200` status `response-required-property-removed` | **breaks profile** |',
    );
  });

  it('shows each consumer check with the end of a failed one in a collapsed block', () => {
    expect(markdown).toContain(
      '| profile | `GET /loc/{userId}` at `apps/profile/src/clients/location-lookup.ts:68` | ❌ failed (4.2 s) | ✅ passed (20.0 s) |',
    );
    expect(markdown).toContain(
      "<details><summary>profile:typecheck failed — the end of its output</summary>\n\n```\nerror TS2339: Property 'updatedAt' does not exist\n```",
    );
  });

  it('lists the deploy plan per stage, prod first, in order', () => {
    expect(markdown).toContain(
      '| `-c prod` | 1. `Prod/SmLocation` (location) → 2. `Prod/SmProfile` (profile) |',
    );
    expect(markdown.indexOf('`-c prod`')).toBeLessThan(markdown.indexOf('`-c staging`'));
  });

  it('details prod, calls out a replaced table and IAM broadening, and folds an identical staging into one line', () => {
    expect(markdown).toContain('#### `Prod/SmLocation` (Prod-SmLocation)');
    expect(markdown).toContain(
      '- ⚠️ **replaced**: `Locations/Table` `AWS::DynamoDB::Table` — **holds data**; because of `KeySchema`',
    );
    expect(markdown).toContain(
      '- 🔐 IAM statement added: Allow `dynamodb:Scan` on `*` for `AWS:${Role}`',
    );
    expect(markdown).toContain('**Staging**: the same changes as Prod (`Staging/SmLocation`).');
    expect(markdown).not.toContain('#### `Staging/SmLocation`');
  });

  it('details a stage whose changes differ from prod', () => {
    const onlyStaging = {
      ...tableReplaced,
      iam: { statements: [], managedPolicies: [], broadened: false },
    };
    const infra = result().infrastructure;
    if (!('stacks' in infra)) throw new Error('fixture');
    const text = renderMarkdown(
      result({
        infrastructure: {
          ...infra,
          stacks: [
            stackDiff('Staging/SmLocation', onlyStaging),
            stackDiff('Prod/SmLocation', tableReplaced),
          ],
        },
      }),
    );

    expect(text).toContain('#### `Staging/SmLocation` (Staging-SmLocation)');
  });

  it('shows why there is no infrastructure diff when a side failed to synthesize', () => {
    const text = renderMarkdown(
      result({
        infrastructure: {
          skipped: 'the base could not be synthesized',
          error:
            '`npm run synth` failed (exit 1) in /tmp/x:\n[cdk-nag Error] AwsSolutions-IAM5 at SmAuth/Role',
        },
      }),
    );

    expect(text).toContain(
      '❌ No diff: the base could not be synthesized.\n\n```\n`npm run synth` failed (exit 1) in /tmp/x:\n[cdk-nag Error] AwsSolutions-IAM5 at SmAuth/Role\n```',
    );
  });

  it('names the readers of a published value whose source the change replaces', () => {
    const infra = result().infrastructure;
    if (!('stacks' in infra)) throw new Error('fixture');
    const text = renderMarkdown(
      result({
        infrastructure: {
          ...infra,
          stranded: [
            {
              stage: 'Prod',
              stackName: 'Prod-SmAuth',
              parameterName: '/sm/prod/auth/authorizer-function-arn',
              resource: 'AuthorizeFunction',
              resourceType: 'AWS::Lambda::Function',
              why: 'the resource is replaced (FunctionName)',
              readAtDeploy: ['location', 'profile'],
              readAtRunTime: [],
            },
          ],
        },
      }),
    );

    expect(text).toContain(
      '- ⚠️ published value `/sm/prod/auth/authorizer-function-arn` (`Prod-SmAuth`): the resource is replaced (FunctionName); **location** reads it at deployment: deploy it again after this; **profile** reads it at deployment: deploy it again after this',
    );
  });

  it('says plainly when nothing changed', () => {
    const text = renderMarkdown(
      result({
        contracts: {
          base: 'origin/main',
          breaking: 0,
          unmarkedBreaking: 0,
          ok: true,
          contracts: [],
        },
        operations: [],
        consumers: [],
        deployPlan: { projects: [], resolved: true, stages: [], orderEnforcedByNx: true },
        infrastructure: { skipped: 'not asked for (--no-infra)' },
        verdict: { ok: true, reasons: [], warnings: [] },
      }),
    );

    expect(text).toContain('## Pull-request review: ✅ passes');
    expect(text).toContain('`nx affected -t deploy` deploys nothing.');
    expect(text).toContain('Skipped: not asked for (--no-infra).');
  });
});
