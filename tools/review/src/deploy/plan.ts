import type { StackView } from '../assembly';
import type { NxView } from '../nx';
import { parseCdkDeploys, selectStacks, type CdkDeploy } from './cdk-command';

export interface PlannedStack {
  /** Hierarchical id, e.g. `Prod/SmLocation`. */
  readonly id: string;
  readonly stackName: string;
  /** The Nx project whose deploy target deploys it. */
  readonly project: string;
}

export interface StagePlan {
  /** The deploy target's Nx configuration (`nx affected -t deploy -c prod`), or null for its default options. */
  readonly configuration: string | null;
  /** In deployment order: a stack comes after every stack it depends on. */
  readonly stacks: readonly PlannedStack[];
  /** Projects whose deploy command names no stack this assembly has, with why. */
  readonly problems: readonly string[];
}

export interface DeployPlan {
  /** The projects `nx affected -t deploy` would deploy. */
  readonly projects: readonly string[];
  /** False when no assembly of the head was at hand (`--no-infra`): projects only, no stacks. */
  readonly resolved: boolean;
  /** One plan per configuration of the deploy targets (prod first), or one for their defaults. */
  readonly stages: readonly StagePlan[];
  /**
   * Whether Nx itself runs the deploy targets in that order (`dependsOn` between deploy targets);
   * if not, the order holds only because the pipeline deploys one at a time in this order.
   */
  readonly orderEnforcedByNx: boolean;
}

/**
 * What `nx affected -t deploy` would deploy: the affected projects from Nx, the stacks each one's
 * deploy command selects (per configuration) from the head's cloud assembly, ordered by the
 * assembly's stack dependencies — nothing here names a stack.
 */
export function planDeploys(nx: NxView, stacks: readonly StackView[] | undefined): DeployPlan {
  const projects = nx.affectedDeploys;
  if (!stacks) return { projects, resolved: false, stages: [], orderEnforcedByNx: false };
  const configurations = new Set<string>();
  for (const project of projects) {
    const target = nx.projects.get(project)?.targets['deploy'];
    for (const name of Object.keys(target?.configurations ?? {})) configurations.add(name);
  }
  const names: (string | null)[] =
    configurations.size === 0 ? [null] : [...configurations].sort(prodFirst);
  const stages = names.map((configuration) => planStage(nx, stacks, projects, configuration));
  return {
    projects,
    resolved: true,
    stages,
    orderEnforcedByNx: orderEnforced(nx, stages, upstreamIn(stacks)),
  };
}

function planStage(
  nx: NxView,
  stacks: readonly StackView[],
  projects: readonly string[],
  configuration: string | null,
): StagePlan {
  const chosen = new Map<string, PlannedStack>();
  const problems: string[] = [];
  for (const project of projects) {
    const command = deployCommand(nx, project, configuration);
    let deploys: CdkDeploy[];
    try {
      deploys = command ? parseCdkDeploys(command) : [];
    } catch (error) {
      problems.push(`${project}: ${(error as Error).message}`);
      continue;
    }
    if (deploys.length === 0) {
      problems.push(
        `${project}: its deploy command runs neither \`cdk deploy\` nor \`npm run deploy:stack\` (${command ?? 'no command'})`,
      );
      continue;
    }
    for (const deploy of deploys) {
      const selected = selectStacks(deploy, stacks);
      if ('error' in selected) {
        problems.push(`${project}: ${selected.error}`);
        continue;
      }
      for (const id of selected.ids) {
        const stack = stacks.find((s) => s.id === id);
        if (stack && !chosen.has(id)) chosen.set(id, { id, stackName: stack.stackName, project });
      }
    }
  }
  return { configuration, stacks: inDependencyOrder([...chosen.values()], stacks), problems };
}

/** The command line of `project`'s deploy target for `configuration` (Nx merges it over the options). */
export function deployCommand(
  nx: NxView,
  project: string,
  configuration: string | null,
): string | undefined {
  const target = nx.projects.get(project)?.targets['deploy'];
  if (!target) return undefined;
  const options = {
    ...target.options,
    ...(configuration ? target.configurations?.[configuration] : {}),
  };
  if (typeof options['command'] === 'string') return options['command'];
  const commands = options['commands'];
  if (Array.isArray(commands)) {
    return commands
      .map((c) => (typeof c === 'string' ? c : typeof c?.command === 'string' ? c.command : ''))
      .filter(Boolean)
      .join(' && ');
  }
  return undefined;
}

/** A function giving the hierarchical ids a stack depends on, directly or not. */
function upstreamIn(stacks: readonly StackView[]): (id: string) => Set<string> {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  return (id) => {
    const seen = new Set<string>();
    const pending = [...(byId.get(id)?.dependencies ?? [])];
    while (pending.length > 0) {
      const next = pending.pop() ?? '';
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...(byId.get(next)?.dependencies ?? []));
    }
    return seen;
  };
}

/** Kahn's order over the assembly's (transitive) dependencies; ties keep the assembly's order. */
function inDependencyOrder(planned: PlannedStack[], stacks: readonly StackView[]): PlannedStack[] {
  const index = new Map(stacks.map((s, i) => [s.id, i]));
  const upstream = upstreamIn(stacks);
  const remaining = [...planned].sort((a, b) => (index.get(a.id) ?? 0) - (index.get(b.id) ?? 0));
  const ordered: PlannedStack[] = [];
  while (remaining.length > 0) {
    const at = remaining.findIndex((p) =>
      [...upstream(p.id)].every((d) => !remaining.some((r) => r.id === d)),
    );
    // A cycle cannot come out of a synthesized assembly; keep going rather than loop forever.
    const [next] = remaining.splice(at === -1 ? 0 : at, 1);
    if (next) ordered.push(next);
  }
  return ordered;
}

/**
 * True when Nx itself keeps the order: wherever a planned stack depends on one another project
 * deploys, that project's deploy task waits (through `dependsOn`) for the other's.
 */
function orderEnforced(
  nx: NxView,
  stages: readonly StagePlan[],
  upstream: (id: string) => Set<string>,
): boolean {
  const waitsFor = (project: string, other: string, seen = new Set<string>()): boolean => {
    if (seen.has(project)) return false;
    seen.add(project);
    const direct = nx.deployDependencies.get(project) ?? [];
    return direct.includes(other) || direct.some((d) => waitsFor(d, other, seen));
  };
  return stages.every((stage) =>
    stage.stacks.every((later) =>
      stage.stacks
        .filter(
          (earlier) => earlier.project !== later.project && upstream(later.id).has(earlier.id),
        )
        .every((earlier) => waitsFor(later.project, earlier.project)),
    ),
  );
}

/** `prod` (or `production`) first: the stage a reviewer cares about most; the rest by name. */
function prodFirst(a: string, b: string): number {
  const rank = (name: string) => (/^prod(uction)?$/i.test(name) ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b);
}
