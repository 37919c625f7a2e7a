import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Contracts live at exactly this depth: `contracts/<svc>/openapi.yaml`. */
export const CONTRACT_PATH = /^contracts\/[^/]+\/openapi\.yaml$/;

/**
 * One side of the comparison: the working tree, or the repository at a git ref. Paths are
 * repository-relative and POSIX-style on both sides so `$ref`s resolve identically.
 */
export interface ContractSource {
  /** For messages, e.g. `working tree` or `origin/main`. */
  readonly label: string;
  /** Repository-relative paths of every `contracts/<svc>/openapi.yaml`, sorted. */
  listContracts(): string[];
  /** File text, or `undefined` when the file does not exist on this side. */
  read(path: string): string | undefined;
}

export class WorkingTreeSource implements ContractSource {
  readonly label = 'working tree';

  constructor(private readonly root: string) {}

  listContracts(): string[] {
    const dir = join(this.root, 'contracts');
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `contracts/${entry.name}/openapi.yaml`)
      .filter((path) => existsSync(join(this.root, path)))
      .sort();
  }

  read(path: string): string | undefined {
    const file = join(this.root, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }
}

/** Reads files as they were at `ref`, with `git show`, never from the working tree. */
export class GitRefSource implements ContractSource {
  readonly label: string;
  private readonly files: Set<string>;

  constructor(
    private readonly root: string,
    private readonly ref: string,
  ) {
    this.label = ref;
    // Resolve once up front so a typo in --base fails with git's own message, not later.
    const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
    if (!commit) throw new Error(`--base ${ref}: not a commit in ${root}`);
    this.ref = commit;
    this.files = new Set(
      git(root, ['ls-tree', '-r', '--name-only', '--full-tree', commit, '--', 'contracts'])
        .split('\n')
        .filter(Boolean),
    );
  }

  listContracts(): string[] {
    return [...this.files].filter((path) => CONTRACT_PATH.test(path)).sort();
  }

  read(path: string): string | undefined {
    if (!this.files.has(path)) {
      // Files outside contracts/ are not pre-listed; ask git directly.
      if (path.startsWith('contracts/')) return undefined;
      try {
        return git(this.root, ['show', `${this.ref}:${path}`]);
      } catch {
        return undefined;
      }
    }
    return git(this.root, ['show', `${this.ref}:${path}`]);
  }
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    const status = (error as { status?: number }).status;
    // rev-parse --quiet exits 1 with no output for an unknown ref: let the caller word that.
    if (args[0] === 'rev-parse' && status === 1 && !stderr) return '';
    throw new Error(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

/** The repository root containing `cwd`. */
export function repositoryRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']).trim();
}
