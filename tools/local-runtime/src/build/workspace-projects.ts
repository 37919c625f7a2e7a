/**
 * The workspace's Nx projects as their `project.json` files declare them, read without Nx: `npm
 * start` needs only their build and generate targets, and starting Nx to compute its project graph
 * costs seconds on a first start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface TargetConfig {
  executor?: string;
  options?: Record<string, unknown>;
  inputs?: unknown[];
  [key: string]: unknown;
}

export interface WorkspaceProject {
  name: string;
  /** Relative to the workspace root, `/`-separated: `apps/auth`. */
  root: string;
  targets: Record<string, TargetConfig>;
}

/** Directories that hold no sources and no project: outputs, caches, installed packages, local state. */
export const NOT_SOURCE_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'dist',
  'cdk.out',
  'tmp',
  'coverage',
  '.git',
  '.nx',
  '.local',
  '.venv',
]);

/** Every `project.json` under the workspace root, at most `depth` directories deep. */
export function readWorkspaceProjects(workspaceRoot: string, depth = 4): WorkspaceProject[] {
  const projects: WorkspaceProject[] = [];
  const visit = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name === 'project.json' && dir !== workspaceRoot) {
        const config = JSON.parse(readFileSync(join(dir, entry.name), 'utf8')) as {
          name?: string;
          targets?: Record<string, TargetConfig>;
        };
        const root = relative(workspaceRoot, dir).split(sep).join('/');
        projects.push({ name: config.name ?? root, root, targets: config.targets ?? {} });
      } else if (entry.isDirectory() && !NOT_SOURCE_DIRS.has(entry.name) && level < depth) {
        visit(join(dir, entry.name), level + 1);
      }
    }
  };
  visit(workspaceRoot, 0);
  return projects.sort((a, b) => a.root.localeCompare(b.root));
}
