import type { Exec } from '../exec';
import { changedParameters, DeployPlan, type ParameterValues, type ReleaseTopology } from './plan';

/** One stage deployment, as the deploy step runs it. */
export interface DeployStageOptions {
  readonly stage: string;
  readonly head: string;
  /** The commit last deployed to the stage, usable for a diff; absent: deploy every service. */
  readonly base?: string;
  readonly topology: ReleaseTopology;
  readonly exec: Exec;
  readonly log: (line: string) => void;
}

/** What a stage deployment did, in order. */
export interface DeployStageResult {
  readonly deployed: readonly string[];
  /** Consumers deployed because a parameter they read changed, with that parameter. */
  readonly consumers: readonly { service: string; parameter: string; by: string }[];
}

/**
 * Deploys a stage's affected services one stack at a time (`nx run <svc>:deploy:<stage>`), in
 * dependency order. Around each deploy it reads the stage's published parameters; a value that
 * changed (a replaced API, a new authorizer ARN) queues the services that resolve it at their
 * deployment, which nx's graph cannot know. Any failing command throws: nothing after it runs.
 */
export function deployStage(options: DeployStageOptions): DeployStageResult {
  const { stage, head, base, topology, exec, log } = options;
  checkDeployTargets(topology, exec);
  const initial = base ? affectedServices(exec, base, head) : topology.services;
  log(
    base
      ? `affected since ${base.slice(0, 12)}: ${initial.join(', ') || 'none'}`
      : `every service, in order: ${initial.join(', ')}`,
  );

  const plan = new DeployPlan(topology, initial);
  const consumers: { service: string; parameter: string; by: string }[] = [];
  // A consumer can be queued again only by a producer that deployed after it; with producers first
  // that never happens, so more deploys than this means the declaration has a cycle.
  const maxDeploys = topology.services.length * 2;
  for (let service = plan.next(); service !== undefined; service = plan.next()) {
    if (plan.deployed.length >= maxDeploys)
      throw new Error(
        `more than ${maxDeploys} deploys: the consumers declaration has a cycle (${plan.deployed.join(' → ')})`,
      );
    const before = publishedParameters(exec, stage);
    log(`deploying ${service} to ${stage}`);
    exec('npx', ['nx', 'run', `${service}:deploy:${stage}`, '--outputStyle=stream']);
    const changed = changedParameters(before, publishedParameters(exec, stage));
    if (changed.length > 0) log(`${service} changed ${changed.join(', ')}`);
    for (const added of plan.done(service, changed)) {
      log(`${added.parameter} changed: deploying its consumers ${added.consumers.join(', ')} too`);
      for (const consumer of added.consumers)
        consumers.push({ service: consumer, parameter: added.parameter, by: service });
    }
  }
  log(
    plan.deployed.length > 0
      ? `deployed to ${stage}: ${plan.deployed.join(', ')}`
      : `nothing to deploy to ${stage}`,
  );
  return { deployed: plan.deployed, consumers };
}

/** The services nx says a change between two commits affects (those with a deploy target). */
function affectedServices(exec: Exec, base: string, head: string): string[] {
  return parseNames(
    exec(
      'npx',
      [
        'nx',
        'show',
        'projects',
        '--affected',
        '-t',
        'deploy',
        `--base=${base}`,
        `--head=${head}`,
        '--json',
      ],
      { capture: true },
    ),
  );
}

/** Every project with a deploy target must be in the topology, or a new service would never deploy. */
function checkDeployTargets(topology: ReleaseTopology, exec: Exec): void {
  const deployable = parseNames(
    exec('npx', ['nx', 'show', 'projects', '-t', 'deploy', '--json'], { capture: true }),
  );
  const unknown = deployable.filter((name) => !topology.services.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `${unknown.join(', ')} can deploy but the release topology does not list them: declare them with their place in the deploy order`,
    );
  }
}

function publishedParameters(exec: Exec, stage: string): ParameterValues {
  const output = exec('bash', ['tools/release/steps/published-parameters.sh', stage], {
    capture: true,
  });
  const pairs: unknown = JSON.parse(output.trim() === '' ? '[]' : output);
  if (
    !Array.isArray(pairs) ||
    !pairs.every(
      (pair) =>
        Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string'),
    )
  ) {
    throw new Error(
      `published-parameters.sh printed something other than [name, value] pairs: ${output.slice(0, 200)}`,
    );
  }
  return new Map(pairs as [string, string][]);
}

function parseNames(output: string): string[] {
  const names: unknown = JSON.parse(output);
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw new Error(
      `nx printed something other than a list of project names: ${output.slice(0, 200)}`,
    );
  }
  return names as string[];
}
