import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, runOrThrow } from './exec';

/** A target as Nx resolved it (project.json plus target defaults and inference). */
export interface NxTarget {
  readonly executor?: string;
  readonly options?: Record<string, unknown>;
  readonly configurations?: Record<string, Record<string, unknown>>;
  readonly dependsOn?: unknown[];
}

export interface NxProject {
  readonly name: string;
  /** Repository-relative root, e.g. `apps/profile`. */
  readonly root: string;
  readonly tags: readonly string[];
  readonly targets: Readonly<Record<string, NxTarget>>;
}

/** What Nx says about the change: the project graph and what `nx affected -t deploy` would run. */
export interface NxView {
  readonly projects: ReadonlyMap<string, NxProject>;
  /** Project → the projects it depends on (imports and implicit dependencies). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** Projects whose `deploy` task `nx affected -t deploy --base=<base>` would run, in Nx's task order. */
  readonly affectedDeploys: readonly string[];
  /** Deploy task → the deploy tasks it waits for (`dependsOn` between deploy targets), by project. */
  readonly deployDependencies: ReadonlyMap<string, readonly string[]>;
}

interface GraphFile {
  readonly graph: {
    readonly nodes: Record<
      string,
      {
        readonly name: string;
        readonly data: { root: string; tags?: string[]; targets?: Record<string, NxTarget> };
      }
    >;
    readonly dependencies: Record<string, readonly { readonly target: string }[]>;
  };
  readonly tasks: {
    readonly tasks: Record<
      string,
      { readonly target: { readonly project: string; readonly target: string } }
    >;
    readonly dependencies: Record<string, readonly string[]>;
  };
}

/**
 * Asks Nx once: `nx affected -t deploy --base=<commit> --graph=<file>` writes the project graph
 * and the task graph of exactly the deploy that `nx affected -t deploy` would run, without running
 * it. The head is the working tree: Nx counts uncommitted and untracked files as changed.
 */
export function readNx(root: string, baseCommit: string): NxView {
  const dir = mkdtempSync(join(tmpdir(), 'review-nx-'));
  try {
    const file = join(dir, 'graph.json');
    runOrThrow(
      'npx',
      ['nx', 'affected', '-t', 'deploy', `--base=${baseCommit}`, `--graph=${file}`],
      {
        cwd: root,
        env: childEnv(),
      },
    );
    return toView(JSON.parse(readFileSync(file, 'utf8')) as GraphFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function toView(file: GraphFile): NxView {
  const projects = new Map<string, NxProject>();
  for (const [name, node] of Object.entries(file.graph.nodes)) {
    projects.set(name, {
      name,
      root: node.data.root,
      tags: node.data.tags ?? [],
      targets: node.data.targets ?? {},
    });
  }
  const dependencies = new Map<string, string[]>();
  for (const [name, deps] of Object.entries(file.graph.dependencies)) {
    dependencies.set(name, [...new Set(deps.map((d) => d.target).filter((t) => projects.has(t)))]);
  }
  const deployTasks = Object.entries(file.tasks.tasks)
    .filter(([, task]) => task.target.target === 'deploy')
    .map(([id, task]) => ({ id, project: task.target.project }));
  const projectOfTask = new Map(deployTasks.map((t) => [t.id, t.project]));
  const deployDependencies = new Map<string, string[]>();
  for (const task of deployTasks) {
    const waitsFor = (file.tasks.dependencies[task.id] ?? [])
      .map((dep) => projectOfTask.get(dep))
      .filter((p): p is string => p !== undefined);
    deployDependencies.set(task.project, waitsFor);
  }
  return {
    projects,
    dependencies,
    affectedDeploys: deployTasks.map((t) => t.project),
    deployDependencies,
  };
}
