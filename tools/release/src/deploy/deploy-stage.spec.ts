/**
 * The deploy driver's own rules, with a scripted command runner: what nx and SSM answer is given,
 * the commands the driver runs are recorded. (The step scripts run it for real with stand-ins in
 * test/steps.long.spec.ts.)
 */
import type { Exec } from '../exec';
import { deployStage } from './deploy-stage';
import type { ReleaseTopology } from './plan';

/** Answers nx's project lists, and SSM snapshots that each deploy of a service in `changes` alters. */
function scripted(deployable: string[], changes: Record<string, string> = {}) {
  const ran: string[] = [];
  const ssm = new Map<string, string>();
  let version = 0;
  const exec: Exec = (command, args) => {
    const line = [command, ...args].join(' ');
    ran.push(line);
    if (line === 'npx nx show projects -t deploy --json') return JSON.stringify(deployable);
    if (line.startsWith('bash tools/release/steps/published-parameters.sh'))
      return JSON.stringify([...ssm]);
    const deploy = /^npx nx run (\w+):deploy:/.exec(line)?.[1];
    if (deploy && changes[deploy]) ssm.set(changes[deploy], `v${++version}`);
    return '';
  };
  return { exec, ran, deploys: () => ran.filter((l) => l.startsWith('npx nx run ')) };
}

const log = () => undefined;

describe('deployStage', () => {
  it('refuses to deploy when a project can deploy but the topology does not list it', () => {
    const topology: ReleaseTopology = { services: ['auth'], consumersOf: () => [] };
    const { exec, deploys } = scripted(['auth', 'billing']);
    expect(() => deployStage({ stage: 'staging', head: 'h', topology, exec, log })).toThrow(
      'billing can deploy but the release topology does not list them',
    );
    expect(deploys()).toEqual([]);
  });

  it('stops a consumer cycle instead of deploying forever', () => {
    const topology: ReleaseTopology = {
      services: ['a', 'b'],
      consumersOf: (name) => ({ '/a': ['b'], '/b': ['a'] })[name] ?? [],
    };
    const { exec, deploys } = scripted(['a', 'b'], { a: '/a', b: '/b' });
    expect(() => deployStage({ stage: 'staging', head: 'h', topology, exec, log })).toThrow(
      'more than 4 deploys: the consumers declaration has a cycle (a → b → a → b)',
    );
    expect(deploys()).toHaveLength(4);
  });

  it('reads the published parameters before and after every deploy, in the stage given', () => {
    const topology: ReleaseTopology = { services: ['a', 'b'], consumersOf: () => [] };
    const { exec, ran } = scripted(['a', 'b']);
    const result = deployStage({ stage: 'prod', head: 'h', topology, exec, log });
    expect(result).toEqual({ deployed: ['a', 'b'], consumers: [] });
    expect(ran.slice(1)).toEqual([
      'bash tools/release/steps/published-parameters.sh prod',
      'npx nx run a:deploy:prod --outputStyle=stream',
      'bash tools/release/steps/published-parameters.sh prod',
      'bash tools/release/steps/published-parameters.sh prod',
      'npx nx run b:deploy:prod --outputStyle=stream',
      'bash tools/release/steps/published-parameters.sh prod',
    ]);
  });
});
