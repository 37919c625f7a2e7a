/**
 * The pipeline's step scripts, run as the pipeline runs them (bash, from the repository root), with
 * the local stand-ins for `aws`, `cdk` and `npx` first on PATH. Each failure a stand-in is told to
 * produce must fail the step and leave the stage's last-deployed commit where it was.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, runStep, scratchWithStandIns, WORKSPACE, type Scratch } from './support';
import type { StandInState } from '../src/stand-ins/install';

const HEAD = git(WORKSPACE, 'rev-parse', 'HEAD');
const LAST_STAGING = '/sm/pipeline/staging/last-deployed-commit';
const LOCATION_URL = '/sm/staging/location/api-url';
const AUTHORIZER = '/sm/staging/auth/authorizer-function-arn';

let scratch: Scratch | undefined;
function withStandIns(state: Partial<StandInState>): Scratch {
  scratch = scratchWithStandIns({ ssm: { [LAST_STAGING]: 'none' }, deployVia: 'nx', ...state });
  return scratch;
}
afterEach(() => scratch?.remove());

const deployCalls = (s: Scratch) => s.calls().filter((call) => /^npx nx run \w+:deploy/.test(call));
const recorded = (s: Scratch) => s.state().ssm[LAST_STAGING];

describe('record.sh', () => {
  it('writes HEAD to the stage’s parameter when the deploy step left its marker for HEAD', () => {
    const s = withStandIns({});
    mkdirSync(join(s.workDir, 'staging'), { recursive: true });
    writeFileSync(join(s.workDir, 'staging/deployed-commit'), `${HEAD}\n`);
    const run = runStep('record.sh', ['staging'], s.env);
    expect(run.status).toBe(0);
    expect(recorded(s)).toBe(HEAD);
    expect(run.stderr).toContain(
      '[stand-in aws] ssm put-parameter /sm/pipeline/staging/last-deployed-commit',
    );
  });

  it.each([
    { marker: undefined, says: 'the deploy step did not finish' },
    {
      marker: '0123456789abcdef0123456789abcdef01234567',
      says: 'the deploy step deployed 0123456789abcdef',
    },
  ])('refuses to record without a marker for HEAD (marker: $marker)', ({ marker, says }) => {
    const s = withStandIns({});
    if (marker) {
      mkdirSync(join(s.workDir, 'staging'), { recursive: true });
      writeFileSync(join(s.workDir, 'staging/deployed-commit'), `${marker}\n`);
    }
    const run = runStep('record.sh', ['staging'], s.env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(says);
    expect(recorded(s)).toBe('none');
  });

  it('fails when SSM refuses the write', () => {
    const s = withStandIns({ fail: ['^aws ssm put-parameter'] });
    mkdirSync(join(s.workDir, 'staging'), { recursive: true });
    writeFileSync(join(s.workDir, 'staging/deployed-commit'), `${HEAD}\n`);
    expect(runStep('record.sh', ['staging'], s.env).status).not.toBe(0);
  });

  it.each([[''], ['Prod'], ['../prod']])('refuses the stage name %j', (stage) => {
    const s = withStandIns({});
    const run = runStep('record.sh', [stage], s.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: record.sh <stage>');
  });
});

describe('deploy.sh', () => {
  it('deploys every service in dependency order on the first run, then leaves the marker for HEAD', () => {
    const s = withStandIns({});
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).toBe(0);
    expect(deployCalls(s)).toEqual([
      'npx nx run auth:deploy:staging --outputStyle=stream',
      'npx nx run location:deploy:staging --outputStyle=stream',
      'npx nx run profile:deploy:staging --outputStyle=stream',
    ]);
    expect(readFileSync(join(s.workDir, 'staging/deployed-commit'), 'utf8').trim()).toBe(HEAD);
    // The deploy step never advances the record itself.
    expect(recorded(s)).toBe('none');
  });

  it.each(['auth', 'location', 'profile'])(
    'fails, stops and leaves no marker when deploying %s fails',
    (failing) => {
      const s = withStandIns({ fail: [`^npx nx run ${failing}:deploy`] });
      const run = runStep('deploy.sh', ['staging'], s.env);
      expect(run.status).not.toBe(0);
      const order = ['auth', 'location', 'profile'];
      const attempted = order
        .slice(0, order.indexOf(failing) + 1)
        .map((svc) => `npx nx run ${svc}:deploy:staging --outputStyle=stream`);
      expect(deployCalls(s)).toEqual(attempted);
      expect(run.stderr).toContain(`command failed (exit 1): npx nx run ${failing}:deploy:staging`);
      expect(() => readFileSync(join(s.workDir, 'staging/deployed-commit'))).toThrow();
    },
  );

  it('fails without deploying anything when the last-deployed record cannot be read', () => {
    const s = withStandIns({ fail: ['^aws ssm get-parameter '] });
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).not.toBe(0);
    expect(deployCalls(s)).toEqual([]);
  });

  it('fails when the published parameters cannot be read around a deploy', () => {
    const s = withStandIns({ fail: ['^aws ssm get-parameters-by-path'] });
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).not.toBe(0);
    expect(deployCalls(s)).toEqual([]);
  });

  it('deploys only what nx says changed since the recorded commit, and the consumers of a parameter that changed', () => {
    const s = withStandIns({
      ssm: {
        [LAST_STAGING]: HEAD,
        [AUTHORIZER]: 'arn:aws:lambda:eu-west-1:111111111111:function:old',
      },
      affected: ['auth'],
      publish: {
        'auth:deploy': { [AUTHORIZER]: 'arn:aws:lambda:eu-west-1:111111111111:function:new' },
      },
    });
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).toBe(0);
    expect(s.calls()).toContain(
      `npx nx show projects --affected -t deploy --base=${HEAD} --head=${HEAD} --json`,
    );
    expect(deployCalls(s)).toEqual(
      ['auth', 'location', 'profile'].map(
        (svc) => `npx nx run ${svc}:deploy:staging --outputStyle=stream`,
      ),
    );
    expect(run.stderr).toContain(
      `${AUTHORIZER} changed: deploying its consumers location, profile too`,
    );
  });

  it('does not deploy profile for a new location URL: profile reads it at run time', () => {
    const s = withStandIns({
      ssm: {
        [LAST_STAGING]: HEAD,
        [LOCATION_URL]: 'https://old.execute-api.eu-west-1.amazonaws.com/staging',
      },
      affected: ['location'],
      publish: {
        'location:deploy': {
          [LOCATION_URL]: 'https://new.execute-api.eu-west-1.amazonaws.com/staging',
        },
      },
    });
    expect(runStep('deploy.sh', ['staging'], s.env).status).toBe(0);
    expect(deployCalls(s)).toEqual(['npx nx run location:deploy:staging --outputStyle=stream']);
  });

  it('deploys the affected service alone when its published parameters did not change', () => {
    const s = withStandIns({
      ssm: {
        [LAST_STAGING]: HEAD,
        [LOCATION_URL]: 'https://same.execute-api.eu-west-1.amazonaws.com/staging',
      },
      affected: ['location'],
      publish: {
        'location:deploy': {
          [LOCATION_URL]: 'https://same.execute-api.eu-west-1.amazonaws.com/staging',
        },
      },
    });
    expect(runStep('deploy.sh', ['staging'], s.env).status).toBe(0);
    expect(deployCalls(s)).toEqual(['npx nx run location:deploy:staging --outputStyle=stream']);
  });

  it('asks the real nx graph what changed and deploys nothing when HEAD is the recorded commit', () => {
    const s = withStandIns({ ssm: { [LAST_STAGING]: HEAD } });
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).toBe(0);
    expect(deployCalls(s)).toEqual([]);
    expect(run.stderr).toContain('nothing to deploy to staging');
    expect(readFileSync(join(s.workDir, 'staging/deployed-commit'), 'utf8').trim()).toBe(HEAD);
  });
});

describe('deploy.sh with deploys stood in from a cloud assembly (as the rehearsal runs it)', () => {
  /** A cloud assembly with a Staging stage whose SmAuth publishes its authorizer's ARN. */
  function assembly(dir: string, authorizerLogicalId: string): string {
    const root = join(dir, 'cdk.out');
    mkdirSync(join(root, 'assembly-Staging'), { recursive: true });
    const stack = (name: string, resources: object) => {
      writeFileSync(
        join(root, 'assembly-Staging', `Staging${name}.template.json`),
        JSON.stringify({ Resources: resources }),
      );
      return [
        `Staging${name}`,
        {
          type: 'aws:cloudformation:stack',
          displayName: `Staging/${name}`,
          properties: { templateFile: `Staging${name}.template.json` },
        },
      ];
    };
    const parameter = (name: string, value: unknown) => ({
      Type: 'AWS::SSM::Parameter',
      Properties: { Type: 'String', Name: name, Value: value },
    });
    const artifacts = Object.fromEntries([
      stack('SmAuth', {
        AuthorizerArn: parameter(AUTHORIZER, { 'Fn::GetAtt': [authorizerLogicalId, 'Arn'] }),
      }),
      stack('SmLocation', { ApiUrl: parameter(LOCATION_URL, 'https://fixed.example/staging') }),
      stack('SmProfile', {}),
    ]);
    writeFileSync(
      join(root, 'assembly-Staging', 'manifest.json'),
      JSON.stringify({ version: '48.0.0', artifacts }),
    );
    writeFileSync(
      join(root, 'manifest.json'),
      JSON.stringify({
        version: '48.0.0',
        artifacts: {
          'assembly-Staging': {
            type: 'cdk:cloud-assembly',
            properties: { directoryName: 'assembly-Staging', displayName: 'Staging' },
          },
        },
      }),
    );
    return root;
  }

  it('publishes what the template declares, so a replaced authorizer function redeploys its consumers', () => {
    const s = withStandIns({ ssm: { [LAST_STAGING]: HEAD }, affected: ['auth'] });
    const previous = `stand-in:${JSON.stringify({ 'Fn::GetAtt': ['AuthorizeFunctionOld', 'Arn'] })}`;
    const state = {
      ...s.state(),
      assembly: assembly(s.dir, 'AuthorizeFunctionNew'),
      ssm: { [LAST_STAGING]: HEAD, [AUTHORIZER]: previous },
    };
    writeFileSync(s.statePath, JSON.stringify(state));
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).toBe(0);
    expect(s.state().ssm[AUTHORIZER]).toBe(
      `stand-in:${JSON.stringify({ 'Fn::GetAtt': ['AuthorizeFunctionNew', 'Arn'] })}`,
    );
    expect(deployCalls(s)).toEqual(
      ['auth', 'location', 'profile'].map(
        (svc) => `npx nx run ${svc}:deploy:staging --outputStyle=stream`,
      ),
    );
    expect(run.stderr).toContain(
      '[stand-in npx] nx run auth:deploy:staging: deploy target not run (synth, preflight, cdk deploy Staging/SmAuth), nothing sent to AWS; published /sm/staging/auth/authorizer-function-arn',
    );
  });

  it('redeploys nobody when the same authorizer is deployed again', () => {
    const s = withStandIns({ ssm: { [LAST_STAGING]: HEAD }, affected: ['auth'] });
    const same = `stand-in:${JSON.stringify({ 'Fn::GetAtt': ['AuthorizeFunctionSame', 'Arn'] })}`;
    writeFileSync(
      s.statePath,
      JSON.stringify({
        ...s.state(),
        assembly: assembly(s.dir, 'AuthorizeFunctionSame'),
        ssm: { [LAST_STAGING]: HEAD, [AUTHORIZER]: same },
      }),
    );
    expect(runStep('deploy.sh', ['staging'], s.env).status).toBe(0);
    expect(deployCalls(s)).toEqual(['npx nx run auth:deploy:staging --outputStyle=stream']);
  });

  it('fails the deploy when the stack is not in the assembly', () => {
    const s = withStandIns({ ssm: { [LAST_STAGING]: HEAD }, affected: ['auth'] });
    const root = assembly(s.dir, 'AuthorizeFunctionNew');
    writeFileSync(
      join(root, 'assembly-Staging', 'manifest.json'),
      JSON.stringify({ version: '48.0.0', artifacts: {} }),
    );
    writeFileSync(s.statePath, JSON.stringify({ ...s.state(), assembly: root }));
    const run = runStep('deploy.sh', ['staging'], s.env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('stack Staging/SmAuth is not in the cloud assembly');
    expect(() => readFileSync(join(s.workDir, 'staging/deployed-commit'))).toThrow();
  });
});

describe('check-gate.sh', () => {
  function verdict(s: Scratch, content: object | undefined): string {
    const dir = join(s.dir, 'gate-artifact');
    mkdirSync(join(dir, 'staging'), { recursive: true });
    if (content) writeFileSync(join(dir, 'staging/verdict.json'), JSON.stringify(content));
    return dir;
  }

  it('lets prod deploy a commit the gate passed on staging', () => {
    const s = withStandIns({});
    const dir = verdict(s, {
      stage: 'staging',
      commit: HEAD,
      load: 'passed',
      fuzz: 'passed',
      passed: true,
    });
    const run = runStep('check-gate.sh', ['staging', dir], s.env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`staging gate passed for ${HEAD}`);
  });

  it.each([
    { name: 'no verdict', content: undefined, says: 'no load gate verdict' },
    {
      name: 'another commit',
      content: {
        stage: 'staging',
        commit: 'f'.repeat(40),
        load: 'passed',
        fuzz: 'passed',
        passed: true,
      },
      says: `it is for commit ${'f'.repeat(40)}`,
    },
    {
      name: 'another stage',
      content: { stage: 'prod', commit: HEAD, load: 'passed', fuzz: 'passed', passed: true },
      says: 'it is for stage prod',
    },
    {
      name: 'a failed load test',
      content: { stage: 'staging', commit: HEAD, load: 'failed', fuzz: 'passed', passed: false },
      says: 'load failed, fuzz passed',
    },
    {
      name: 'a failed fuzz run claimed as passed',
      content: { stage: 'staging', commit: HEAD, load: 'passed', fuzz: 'failed', passed: true },
      says: 'load passed, fuzz failed',
    },
  ])('stops prod on $name', ({ content, says }) => {
    const s = withStandIns({});
    const run = runStep('check-gate.sh', ['staging', verdict(s, content)], s.env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(says);
  });
});

describe('load-gate.sh and preflight.sh', () => {
  /** A test-local `npm` that logs its arguments and AWS key id, failing for the scripts listed. */
  function fakeNpm(s: Scratch, failing: string[]): string {
    const log = join(s.dir, 'npm.log');
    const file = join(s.binDir, 'npm');
    writeFileSync(
      file,
      `#!/bin/bash\necho "npm $* key=\${AWS_ACCESS_KEY_ID:-caller}" >>'${log}'\nfor f in ${failing.join(' ')}; do [[ " $* " == *" $f "* ]] && exit 1; done\nexit 0\n`,
    );
    chmodSync(file, 0o755);
    return log;
  }

  it('runs load and fuzz against the stage with its read-only role, and writes a passing verdict', () => {
    const s = withStandIns({});
    const log = fakeNpm(s, []);
    const env = {
      ...s.env,
      STAGE_READ_ROLE_ARN:
        'arn:aws:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1',
      STAGE_REGION: 'eu-west-1',
    };
    const run = runStep('load-gate.sh', ['staging'], env);
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'npm run -s synth key=caller',
      `npm run -s load -- --stage staging --report-dir ${s.workDir}/gate/staging/load key=ASIASTANDIN0000000000`,
      `npm run -s fuzz -- --stage staging --report-dir ${s.workDir}/gate/staging/fuzz key=ASIASTANDIN0000000000`,
    ]);
    expect(JSON.parse(readFileSync(join(s.workDir, 'gate/staging/verdict.json'), 'utf8'))).toEqual({
      stage: 'staging',
      commit: HEAD,
      load: 'passed',
      fuzz: 'passed',
      passed: true,
    });
  });

  it('still runs the fuzzing after a failed load test, then fails with both verdicts recorded', () => {
    const s = withStandIns({});
    const log = fakeNpm(s, ['load']);
    const run = runStep('load-gate.sh', ['staging', '--quick'], s.env);
    expect(run.status).toBe(1);
    expect(readFileSync(log, 'utf8')).toContain('npm run -s fuzz -- --stage staging --quick');
    expect(
      JSON.parse(readFileSync(join(s.workDir, 'gate/staging/verdict.json'), 'utf8')),
    ).toMatchObject({ load: 'failed', fuzz: 'passed', passed: false });
  });

  it('fails before any test when the stage’s read-only role cannot be assumed', () => {
    const s = withStandIns({ fail: ['^aws sts assume-role'] });
    const log = fakeNpm(s, []);
    const run = runStep('load-gate.sh', ['staging'], {
      ...s.env,
      STAGE_READ_ROLE_ARN:
        'arn:aws:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1',
    });
    expect(run.status).not.toBe(0);
    expect(() => readFileSync(log)).toThrow();
  });

  it('runs the preflight with the build’s own credentials (it assumes the stage’s role itself) and fails when it refuses', () => {
    const s = withStandIns({});
    const log = fakeNpm(s, ['preflight']);
    const run = runStep('preflight.sh', ['prod'], {
      ...s.env,
      STAGE_READ_ROLE_ARN:
        'arn:aws:iam::222222222222:role/cdk-hnb659fds-lookup-role-222222222222-us-east-1',
    });
    expect(run.status).toBe(1);
    expect(readFileSync(log, 'utf8').trim()).toBe(
      'npm run -s preflight -- --stage prod key=caller',
    );
    expect(s.calls()).toEqual([]);
  });
});
