import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import type { BuildSpec } from '../codebuild/buildspec';
import { PHASES } from '../codebuild/buildspec';
import { STEPS_DIR } from './buildspecs';

/** What the pipeline's commands may call in the workspace. */
export interface Workspace {
  readonly root: string;
  /** package.json `scripts`. */
  readonly scripts: Readonly<Record<string, string>>;
  /** Executables `npx` finds in the workspace (`node_modules/.bin`). */
  readonly bins: readonly string[];
  /** Nx projects by name: their targets and each target's configurations. */
  readonly projects: Readonly<
    Record<
      string,
      {
        readonly targets: Readonly<
          Record<string, { readonly configurations?: Readonly<Record<string, unknown>> }>
        >;
      }
    >
  >;
}

/** A step the deploy driver runs per service: `nx run <service>:deploy:<stage>`. */
export interface DeployTargets {
  readonly services: readonly string[];
  readonly stages: readonly string[];
}

const STEP_COMMAND = new RegExp(
  `^bash (${STEPS_DIR.replace(/\//g, '\\/')}\\/[a-z-]+\\.sh)(?: [^;&|<>\`]*)?$`,
);
const NPM_RUN = /\bnpm run(?: -s| --silent)? ([A-Za-z0-9:_-]+)/g;
const NPX = /^[^#\n]*\bnpx ([a-z][A-Za-z0-9._-]*)/gm;
const STEP_SCRIPT = new RegExp(`(${STEPS_DIR.replace(/\//g, '\\/')}\\/[a-z-]+\\.sh)`, 'g');
const TS_ENTRY = /\b(tools\/release\/src\/[A-Za-z0-9/_-]+\.ts)\b/g;
const RELATIVE_IMPORT = /from '(\.{1,2}\/[^']+)'/g;

/**
 * Everything a set of buildspecs runs must exist in the workspace, or the pipeline fails at run
 * time after a rename. Checks, and returns one line per problem:
 * - every buildspec command is exactly one step script call (`bash tools/release/steps/<step>.sh
 *   <args>`: no shell state shared between commands, no inline logic) and the script exists;
 * - every `npm run <script>` in those scripts, the scripts and TypeScript files they call, and
 *   their relative imports, is a package.json script, and every `npx <bin>` in a script is installed;
 * - every service the deploy step deploys has a `deploy` target with a configuration per stage.
 */
export function checkPipelineCommands(
  buildspecs: Readonly<Record<string, BuildSpec>>,
  workspace: Workspace,
  deploys: DeployTargets,
): string[] {
  const problems: string[] = [];
  const files = new Set<string>();
  for (const [name, spec] of Object.entries(buildspecs)) {
    for (const phase of PHASES) {
      for (const command of spec.phases[phase]?.commands ?? []) {
        const match = STEP_COMMAND.exec(command);
        if (!match?.[1]) {
          problems.push(
            `${name} ${phase}: '${command}' is not a single step script call (bash ${STEPS_DIR}/<step>.sh <args>)`,
          );
          continue;
        }
        files.add(match[1]);
      }
    }
  }
  for (const file of reachableFiles(workspace.root, files, problems)) {
    const text = readFileSync(join(workspace.root, file), 'utf8');
    for (const [, script] of text.matchAll(NPM_RUN)) {
      if (script && !(script in workspace.scripts))
        problems.push(`${file}: 'npm run ${script}' is not a script in package.json`);
    }
    if (file.endsWith('.sh')) {
      for (const [, bin] of text.matchAll(NPX)) {
        if (bin && !workspace.bins.includes(bin))
          problems.push(
            `${file}: 'npx ${bin}' is not installed by package.json (node_modules/.bin)`,
          );
      }
    }
  }
  for (const service of deploys.services) {
    const deploy = workspace.projects[service]?.targets['deploy'];
    if (!deploy) {
      problems.push(`${service}: no deploy target (nx run ${service}:deploy:<stage>)`);
      continue;
    }
    for (const stage of deploys.stages) {
      if (!deploy.configurations?.[stage])
        problems.push(
          `${service}: the deploy target has no '${stage}' configuration (nx run ${service}:deploy:${stage})`,
        );
    }
  }
  return [...new Set(problems)];
}

/** The step scripts and TypeScript files the given ones call, transitively (workspace-relative). */
function reachableFiles(root: string, start: Iterable<string>, problems: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...start, `${STEPS_DIR}/lib.sh`];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(join(root, file))) {
      problems.push(`${file} does not exist`);
      continue;
    }
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, next] of text.matchAll(STEP_SCRIPT)) if (next) queue.push(next);
    for (const [, next] of text.matchAll(TS_ENTRY)) if (next) queue.push(next);
    if (file.endsWith('.ts')) {
      for (const [, specifier] of text.matchAll(RELATIVE_IMPORT)) {
        if (specifier)
          queue.push(relative(root, normalize(join(root, dirname(file), `${specifier}.ts`))));
      }
    }
  }
  return [...seen].filter((file) => existsSync(join(root, file)));
}

/** package.json scripts, installed executables, and every project.json under the workspace's project folders. */
export function readWorkspace(root: string): Workspace {
  const scripts =
    (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      }
    ).scripts ?? {};
  const projects: Record<string, Workspace['projects'][string]> = {};
  const visit = (dir: string, depth: number) => {
    const file = join(dir, 'project.json');
    if (existsSync(file)) {
      const project = JSON.parse(readFileSync(file, 'utf8')) as {
        name: string;
        targets?: Workspace['projects'][string]['targets'];
      };
      projects[project.name] = { targets: project.targets ?? {} };
    }
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (
        entry.isDirectory() &&
        !['node_modules', 'src', 'dist', 'generated'].includes(entry.name) &&
        !entry.name.startsWith('.')
      )
        visit(join(dir, entry.name), depth - 1);
    }
  };
  for (const top of ['apps', 'libs', 'contracts', 'tools', 'load-tests'])
    if (existsSync(join(root, top))) visit(join(root, top), 2);
  const binDir = join(root, 'node_modules', '.bin');
  const bins = existsSync(binDir) ? readdirSync(binDir) : [];
  return { root, scripts, bins, projects };
}
