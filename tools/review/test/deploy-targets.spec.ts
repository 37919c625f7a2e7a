import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { STAGES } from '@sm/infra';
import { parseCdkDeploys } from '../src/deploy/cdk-command';
import { deployCommand } from '../src/deploy/plan';
import type { NxProject, NxView } from '../src/nx';
import { WORKSPACE } from './scratch-repo';

/**
 * The review reads deploy targets' commands instead of running them. This holds every real deploy
 * target to a form it understands, so a change to how services deploy fails here, by name, rather
 * than leaving pull requests with a deploy plan that names no stack.
 */
const projects: NxProject[] = ['apps', 'tools', 'libs', 'contracts']
  .flatMap((dir) => readdirSync(join(WORKSPACE, dir)).map((name) => join(dir, name)))
  .filter((root) => existsSync(join(WORKSPACE, root, 'project.json')))
  .map((root) => {
    const json = JSON.parse(readFileSync(join(WORKSPACE, root, 'project.json'), 'utf8')) as {
      name: string;
      targets?: NxProject['targets'];
    };
    return { name: json.name, root, tags: [], targets: json.targets ?? {} };
  })
  .filter((p) => p.targets['deploy']);

const view: NxView = {
  projects: new Map(projects.map((p) => [p.name, p])),
  dependencies: new Map(),
  affectedDeploys: [],
  deployDependencies: new Map(),
};

describe("every project's deploy target names its stack the way the review reads it", () => {
  it('finds the deployable services', () => {
    expect(projects.map((p) => p.name).sort()).toEqual(['auth', 'location', 'profile']);
  });

  const configurations = (p: NxProject) => [
    null,
    ...Object.keys(p.targets['deploy']?.configurations ?? {}),
  ];
  it.each(projects.flatMap((p) => configurations(p).map((c) => [p.name, c] as const)))(
    '%s:deploy (configuration %s) deploys exactly one stack of a known stage, exclusively',
    (name, configuration) => {
      const command = deployCommand(view, name, configuration);
      const deploys = parseCdkDeploys(command ?? '');

      expect(deploys).toHaveLength(1);
      const [deploy] = deploys;
      expect(deploy?.exclusively).toBe(true);
      expect(deploy?.patterns).toHaveLength(1);
      const [stage] = (deploy?.patterns[0] ?? '').split('/');
      expect(STAGES.map((s) => s.id)).toContain(stage);
    },
  );
});
