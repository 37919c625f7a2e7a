import { matchesPattern, parseCdkDeploys, selectStacks, shellWords } from './cdk-command';

const flat = [
  { id: 'SmPlatform', dependencies: [] },
  { id: 'SmAuth', dependencies: ['SmPlatform'] },
  { id: 'SmLocation', dependencies: ['SmAuth'] },
  { id: 'SmProfile', dependencies: ['SmLocation'] },
  { id: 'SmPipeline', dependencies: [] },
];
const staged = ['Staging', 'Prod'].flatMap((stage) =>
  ['SmPlatform', 'SmAuth', 'SmLocation', 'SmProfile'].map((name, i, all) => ({
    id: `${stage}/${name}`,
    stage,
    dependencies: i === 0 ? [] : [`${stage}/${all[i - 1]}`],
  })),
);
const withPipeline = [...staged, { id: 'SmPipeline', dependencies: [] }];

describe('parseCdkDeploys', () => {
  it.each([
    ['npx cdk deploy SmLocation --exclusively --require-approval never', ['SmLocation'], true, {}],
    [
      "npx cdk deploy 'Prod/SmLocation' -e -c stage=prod --require-approval=never",
      ['Prod/SmLocation'],
      true,
      { stage: 'prod' },
    ],
    [
      'cdk deploy --app cdk.out "Staging/*" --context env=staging',
      ['Staging/*'],
      false,
      { env: 'staging' },
    ],
    [
      './node_modules/.bin/cdk deploy SmAuth SmProfile --parameters SmAuth:X=1',
      ['SmAuth', 'SmProfile'],
      false,
      {},
    ],
  ])('%s → patterns %j', (command, patterns, exclusively, context) => {
    expect(parseCdkDeploys(command)).toEqual([{ all: false, patterns, exclusively, context }]);
  });

  it('finds every cdk deploy in a chain and ignores the other commands', () => {
    const deploys = parseCdkDeploys(
      'npm run build && npx cdk deploy A --exclusively; echo done && npx cdk deploy --all',
    );
    expect(deploys.map((d) => [d.all, d.patterns])).toEqual([
      [false, ['A']],
      [true, []],
    ]);
  });

  it("reads this repository's npm run deploy:stack as the cdk deploy it runs", () => {
    expect(
      parseCdkDeploys('npm run --silent deploy:stack -- --stage staging --stack SmProfile'),
    ).toEqual([{ all: false, patterns: ['Staging/SmProfile'], exclusively: true, context: {} }]);
    expect(parseCdkDeploys('npm run deploy:stack -- --stack=SmAuth --stage=prod')).toEqual([
      { all: false, patterns: ['Prod/SmAuth'], exclusively: true, context: {} },
    ]);
  });

  it('returns nothing for a command that deploys no CDK stack', () => {
    expect(parseCdkDeploys('bash tools/deploy.sh location')).toEqual([]);
    expect(parseCdkDeploys('npx cdk synth SmLocation')).toEqual([]);
    expect(parseCdkDeploys('npm run --silent preflight -- --stage prod')).toEqual([]);
  });
});

describe('selectStacks, as cdk deploy selects', () => {
  const select = (command: string, stacks = flat) => {
    const [deploy] = parseCdkDeploys(command);
    if (!deploy) throw new Error('no deploy');
    return selectStacks(deploy, stacks);
  };

  it('deploys exactly the named stack with --exclusively', () => {
    expect(select('cdk deploy SmProfile --exclusively')).toEqual({ ids: ['SmProfile'] });
  });

  it('adds every stack the named one depends on without --exclusively, in assembly order', () => {
    expect(select('cdk deploy SmProfile')).toEqual({
      ids: ['SmPlatform', 'SmAuth', 'SmLocation', 'SmProfile'],
    });
  });

  it('matches hierarchical ids inside stages: `*` stays within a segment', () => {
    expect(select('cdk deploy "Prod/*" -e', withPipeline)).toEqual({
      ids: ['Prod/SmPlatform', 'Prod/SmAuth', 'Prod/SmLocation', 'Prod/SmProfile'],
    });
    expect(select('cdk deploy "*" -e', withPipeline)).toEqual({ ids: ['SmPipeline'] });
    expect(select('cdk deploy "**/SmLocation" -e', withPipeline)).toEqual({
      ids: ['Staging/SmLocation', 'Prod/SmLocation'],
    });
  });

  it('takes --all as every top-level stack, not those inside a stage', () => {
    expect(select('cdk deploy --all', withPipeline)).toEqual({ ids: ['SmPipeline'] });
  });

  it('excludes with a negated pattern', () => {
    expect(select("cdk deploy 'Prod/*' '!Prod/SmPlatform' -e", withPipeline)).toEqual({
      ids: ['Prod/SmAuth', 'Prod/SmLocation', 'Prod/SmProfile'],
    });
  });

  it('says why when nothing matches, or no stack is named in a multi-stack app', () => {
    expect(select('cdk deploy SmLocation -e', withPipeline)).toEqual({
      error: "no stack matches 'SmLocation'",
    });
    expect(select('cdk deploy --require-approval never')).toEqual({
      error: 'no stack named and the app has more than one: cdk deploy would refuse',
    });
  });
});

describe('matchesPattern', () => {
  it.each([
    ['SmAuth', 'SmAuth', true],
    ['SmAuth', 'Prod/SmAuth', false],
    ['Prod/Sm?uth', 'Prod/SmAuth', true],
    ['Sm.Auth', 'SmXAuth', false],
  ])('%s matches %s: %s', (pattern, id, want) => {
    expect(matchesPattern(pattern, id)).toBe(want);
  });
});

describe('shellWords', () => {
  it('splits on spaces and keeps quoted text together, quotes removed', () => {
    expect(shellWords(`a "b c" 'd e' f\\ g ""`)).toEqual(['a', 'b c', 'd e', 'f g', '']);
  });
});
