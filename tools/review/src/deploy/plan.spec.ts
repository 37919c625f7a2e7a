import type { StackView } from '../assembly';
import type { NxProject, NxView } from '../nx';
import { planDeploys } from './plan';

function stack(id: string, dependencies: string[] = []): StackView {
  const slash = id.lastIndexOf('/');
  return {
    id,
    stackName: id.replace('/', '-'),
    ...(slash > 0 ? { stage: id.slice(0, slash) } : {}),
    template: {},
    dependencies,
  };
}

function project(name: string, deploy: NxProject['targets'][string] | undefined): NxProject {
  return { name, root: `apps/${name}`, tags: [], targets: deploy ? { deploy } : {} };
}

function nx(
  projects: NxProject[],
  affected: string[],
  deployDependencies: Record<string, string[]> = {},
): NxView {
  return {
    projects: new Map(projects.map((p) => [p.name, p])),
    dependencies: new Map(),
    affectedDeploys: affected,
    deployDependencies: new Map(Object.entries(deployDependencies)),
  };
}

const flatStacks = [
  stack('SmPlatform'),
  stack('SmAuth', ['SmPlatform']),
  stack('SmLocation', ['SmAuth']),
  stack('SmProfile', ['SmLocation']),
];
const command = (stackId: string) => ({
  options: { command: `npx cdk deploy ${stackId} --exclusively --require-approval never` },
});

describe('planDeploys', () => {
  it("orders the affected projects' stacks by the assembly's dependencies, whatever order Nx lists them in", () => {
    const view = nx(
      [project('profile', command('SmProfile')), project('location', command('SmLocation'))],
      ['profile', 'location'],
    );

    const plan = planDeploys(view, flatStacks);

    expect(plan.projects).toEqual(['profile', 'location']);
    expect(plan.stages).toEqual([
      {
        configuration: null,
        stacks: [
          { id: 'SmLocation', stackName: 'SmLocation', project: 'location' },
          { id: 'SmProfile', stackName: 'SmProfile', project: 'profile' },
        ],
        problems: [],
      },
    ]);
    expect(plan.orderEnforcedByNx).toBe(false);
  });

  it('says Nx enforces the order when the later deploy target depends on the earlier one', () => {
    const view = nx(
      [project('profile', command('SmProfile')), project('location', command('SmLocation'))],
      ['profile', 'location'],
      { profile: ['location'] },
    );

    expect(planDeploys(view, flatStacks).orderEnforcedByNx).toBe(true);
  });

  it('plans one stage per configuration of the deploy targets, prod first, from the staged assembly', () => {
    const staged = ['Staging', 'Prod'].flatMap((stage) => [
      stack(`${stage}/SmAuth`),
      stack(`${stage}/SmLocation`, [`${stage}/SmAuth`]),
      stack(`${stage}/SmProfile`, [`${stage}/SmLocation`]),
    ]);
    const staging = (s: string) => ({ command: `npx cdk deploy Staging/${s} -e -c stage=staging` });
    const prod = (s: string) => ({ command: `npx cdk deploy Prod/${s} -e -c stage=prod` });
    const view = nx(
      [
        project('location', {
          options: prod('SmLocation'),
          configurations: { staging: staging('SmLocation'), prod: prod('SmLocation') },
        }),
        project('profile', {
          options: prod('SmProfile'),
          configurations: { staging: staging('SmProfile'), prod: prod('SmProfile') },
        }),
      ],
      ['profile', 'location'],
    );

    const plan = planDeploys(view, staged);

    expect(plan.stages.map((s) => [s.configuration, s.stacks.map((p) => p.id)])).toEqual([
      ['prod', ['Prod/SmLocation', 'Prod/SmProfile']],
      ['staging', ['Staging/SmLocation', 'Staging/SmProfile']],
    ]);
    expect(plan.stages[0]?.stacks[0]?.stackName).toBe('Prod-SmLocation');
  });

  it('reports a deploy target that runs no cdk deploy, or names a stack the assembly lacks', () => {
    const view = nx(
      [
        project('location', { options: { command: 'bash deploy.sh location' } }),
        project('profile', command('SmGone')),
      ],
      ['location', 'profile'],
    );

    const [stage] = planDeploys(view, flatStacks).stages;

    expect(stage?.stacks).toEqual([]);
    expect(stage?.problems).toEqual([
      'location: its deploy command runs neither `cdk deploy` nor `npm run deploy:stack` (bash deploy.sh location)',
      "profile: no stack matches 'SmGone'",
    ]);
  });

  it("reads this repository's deploy target: synth, preflight, then npm run deploy:stack for the stage", () => {
    const staged = ['Staging', 'Prod'].flatMap((stage) => [
      stack(`${stage}/SmAuth`),
      stack(`${stage}/SmLocation`, [`${stage}/SmAuth`]),
    ]);
    const commands = (stage: string) => ({
      commands: [
        'npx cdk synth --quiet',
        `npm run --silent preflight -- --stage ${stage}`,
        `npm run --silent deploy:stack -- --stage ${stage} --stack SmLocation`,
      ],
    });
    const view = nx(
      [
        project('location', {
          options: commands('prod'),
          configurations: { staging: commands('staging'), prod: commands('prod') },
        }),
      ],
      ['location'],
    );

    const plan = planDeploys(view, staged);

    expect(
      plan.stages.map((s) => [s.configuration, s.stacks.map((p) => p.id), s.problems]),
    ).toEqual([
      ['prod', ['Prod/SmLocation'], []],
      ['staging', ['Staging/SmLocation'], []],
    ]);
  });

  it('says which stage is unknown to a deploy:stack command', () => {
    const view = nx(
      [
        project('location', {
          options: { command: 'npm run deploy:stack -- --stage qa --stack SmLocation' },
        }),
      ],
      ['location'],
    );

    expect(planDeploys(view, flatStacks).stages[0]?.problems).toEqual([
      expect.stringMatching(/^location: unknown stage 'qa'/),
    ]);
  });

  it('reads run-commands `commands` lists as well as `command`', () => {
    const view = nx(
      [
        project('auth', {
          options: { commands: ['npm run build', { command: 'npx cdk deploy SmAuth -e' }] },
        }),
      ],
      ['auth'],
    );

    expect(planDeploys(view, flatStacks).stages[0]?.stacks.map((s) => s.id)).toEqual(['SmAuth']);
  });

  it('lists projects only when no assembly of the head is at hand', () => {
    const view = nx([project('auth', command('SmAuth'))], ['auth']);

    expect(planDeploys(view, undefined)).toEqual({
      projects: ['auth'],
      resolved: false,
      stages: [],
      orderEnforcedByNx: false,
    });
  });
});
