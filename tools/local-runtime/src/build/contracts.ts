/**
 * The contracts' code generation as their Nx `generate` targets declare it (command, inputs,
 * outputs), run without Nx: which contracts a changed file reaches, whether the generated code of
 * a fresh clone can be trusted, and running a contract's generator.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runCommand } from './run-command';
import type { WorkspaceProject } from './workspace-projects';

export interface ContractProject {
  name: string;
  root: string;
  /** The generate target's shell command, run from the workspace root. */
  command: string;
  /** Workspace-relative directories the generator writes (`{projectRoot}/src/generated`). */
  outputs: string[];
  /** Whether a workspace-relative file is one of the target's inputs. */
  reads(file: string): boolean;
  /** Directories holding every input (the patterns' fixed prefixes). */
  inputDirs: string[];
}

/** The generator failed: its output. */
export class GenerateError extends Error {
  override readonly name = 'GenerateError';
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
  }
}

/** Turns an Nx input path pattern (`{projectRoot}/**\/*.ts`) into a matcher of workspace-relative paths. */
function inputPattern(pattern: string, projectRoot: string): RegExp {
  const path = pattern.replace('{projectRoot}', projectRoot).replace(/^\{workspaceRoot\}\//, '');
  let regex = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (char === '*' && path[i + 1] === '*') {
      regex += '.*';
      i++;
      if (path[i + 1] === '/') i++;
    } else if (char === '*') regex += '[^/]*';
    else regex += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`);
}

/** Every project with an `nx:run-commands` generate target whose inputs are file patterns. */
export function planContracts(projects: WorkspaceProject[]): ContractProject[] {
  return projects.flatMap((project) => {
    const target = project.targets['generate'];
    const command = target?.options?.['command'];
    if (!target || target.executor !== 'nx:run-commands' || typeof command !== 'string') return [];
    const patterns = (target.inputs ?? [`{projectRoot}/**/*`]).filter(
      (input): input is string => typeof input === 'string',
    );
    const include = patterns
      .filter((p) => !p.startsWith('!'))
      .map((p) => inputPattern(p, project.root));
    const exclude = patterns
      .filter((p) => p.startsWith('!'))
      .map((p) => inputPattern(p.slice(1), project.root));
    const inputDirs = [
      ...new Set(
        patterns
          .filter((p) => !p.startsWith('!'))
          .map((p) => p.replace('{projectRoot}', project.root).replace(/^\{workspaceRoot\}\//, ''))
          .map((p) =>
            p
              .split('/')
              .filter((_, i, parts) => !parts.slice(0, i + 1).some((part) => part.includes('*'))),
          )
          .map((parts) =>
            (parts.length > 0 && !parts.at(-1)?.includes('.') ? parts : parts.slice(0, -1)).join(
              '/',
            ),
          ),
      ),
    ].filter((dir) => dir !== '');
    const outputs = (
      (target['outputs'] as string[] | undefined) ?? [`{projectRoot}/src/generated`]
    ).map((output) =>
      output.replace('{projectRoot}', project.root).replace(/^\{workspaceRoot\}\//, ''),
    );
    const isOutput = (file: string) =>
      outputs.some((dir) => file === dir || file.startsWith(`${dir}/`));
    return [
      {
        name: project.name,
        root: project.root,
        command,
        outputs,
        inputDirs,
        reads: (file: string) =>
          !isOutput(file) &&
          include.some((r) => r.test(file)) &&
          !exclude.some((r) => r.test(file)),
      },
    ];
  });
}

/** The contracts whose generation reads any of these workspace-relative files. */
export function contractsReading(contracts: ContractProject[], files: string[]): ContractProject[] {
  return contracts.filter((contract) => files.some((file) => contract.reads(file)));
}

/**
 * Whether the generated code can be used as it is without a stamp of an earlier run: the contracts'
 * inputs and generated files are exactly as committed (CI's `generate:check` proves committed
 * outputs match committed contracts). False outside a git checkout or when git is missing.
 */
export function generatedAsCommitted(workspaceRoot: string, contracts: ContractProject[]): boolean {
  const paths = [...new Set(contracts.flatMap((contract) => [contract.root, ...contract.outputs]))];
  const result = spawnSync(
    'git',
    ['status', '--porcelain', '--untracked-files=all', '--', ...paths, 'tools/codegen'],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
    },
  );
  return result.status === 0 && result.stdout.trim() === '';
}

/** The files `contract`'s generation reads (workspace-relative): what its output depends on. */
export function contractInputs(workspaceRoot: string, contract: ContractProject): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(join(workspaceRoot, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'generated') visit(path);
      } else if (contract.reads(path)) found.push(path);
    }
  };
  for (const dir of contract.inputDirs) {
    if (contract.reads(dir)) found.push(dir);
    else visit(dir);
  }
  return [...new Set(found)].sort();
}

/** The contents of files, for telling an edit from a save that changed nothing. */
export function contentsOf(workspaceRoot: string, files: string[]): string {
  return files.map((file) => `${file}\u0000${safeRead(join(workspaceRoot, file))}`).join('\u0001');
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Runs a contract's generate command (as Nx would, with the workspace's `node_modules/.bin` first). */
export async function generate(workspaceRoot: string, contract: ContractProject): Promise<string> {
  const bin = join(workspaceRoot, 'node_modules', '.bin');
  const { code, output } = await runCommand([contract.command], {
    cwd: workspaceRoot,
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` },
    shell: true,
  });
  if (code === 0) return output;
  throw new GenerateError(
    `generating ${contract.name} failed (\`${contract.command}\` exited with ${code})`,
    output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-30),
  );
}
