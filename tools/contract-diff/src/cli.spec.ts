import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { at, FIXTURE_ROOT, PETS, PROBLEM } from './__fixtures__/fixtures';
import { run } from './run';
import type { JsonObject } from './types';

/**
 * End to end against a throwaway git repository with two commits:
 *   1. the fixture contract and its shared problem file;
 *   2. a breaking change to the shared file only (Problem.detail removed) and a new contract.
 * So `--base HEAD~1` can only find the break if it bundles the base side from git.
 */
const workspace = resolve(__dirname, '../../..');
const tsxCli = join(workspace, 'node_modules/tsx/dist/cli.mjs');
const cliEntry = join(__dirname, 'cli.ts');
const EXTRA = 'contracts/extra/openapi.yaml';

let repo: string;

function git(...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=contract-diff test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'core.hooksPath=/dev/null',
      ...args,
    ],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function editYaml(path: string, edit: (doc: JsonObject) => void): void {
  const file = join(repo, path);
  const doc = parse(readFileSync(file, 'utf8')) as JsonObject;
  edit(doc);
  writeFileSync(file, stringify(doc));
}

/** 1-based line of the first line of the base fixture `path` that contains `text`. */
function lineOf(path: string, text: string): number {
  return (
    readFileSync(join(FIXTURE_ROOT, path), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

/** The real CLI, in its own process, as `npm run contracts:diff` runs it. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, cliEntry, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same CLI in-process: quicker for the cases that only vary the working tree. */
function runInProcess(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, { cwd: repo, write: (t) => (stdout += t), error: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'contract-diff-'));
  git('init', '-q', '-b', 'main');
  cpSync(join(FIXTURE_ROOT, 'contracts'), join(repo, 'contracts'), { recursive: true });
  git('add', '.');
  git('commit', '-q', '-m', 'base contracts');

  editYaml(
    PROBLEM,
    (doc) => delete at(doc, 'components', 'schemas', 'Problem', 'properties')['detail'],
  );
  cpSync(join(repo, 'contracts/pets'), join(repo, 'contracts/extra'), { recursive: true });
  git('add', '.');
  git('commit', '-q', '-m', 'drop Problem.detail, add a contract');
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
});

afterEach(() => {
  // Each test may edit the working tree; put it back to HEAD.
  git('checkout', '-q', '--', '.');
  git('clean', '-q', '-fd');
});

describe('npm run contracts:diff -- --base <ref>', () => {
  it('says "no changes" and exits 0 when the working tree matches the base', () => {
    const result = cli('--base', 'HEAD');

    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('contracts/pets/openapi.yaml: no changes');
    expect(result.stdout).toContain('Result: no changes.');
    expect(result.code).toBe(0);
  });

  it('finds a breaking change made in a shared $ref file at an older commit, and exits non-zero', () => {
    const result = cli('--base', 'HEAD~1');

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/breaking\s+GET \/loc\/\{userId\} › response 404 › \/detail/);
    expect(result.stdout).toContain('[response-optional-property-removed]');
    expect(result.stdout).toContain(`${EXTRA}: added`);
    expect(result.stdout).toContain('FAILED');
  });

  it('reports breaking-but-allowed and exits 0 when the major version was bumped', () => {
    editYaml(PETS, (doc) => (at(doc, 'info')['version'] = '2.0.0'));

    const result = runInProcess('--base', 'HEAD~1');

    expect(result.stdout).toContain('version 1.2.0 → 2.0.0, major bump');
    expect(result.stdout).toMatch(/breaking \(allowed\)\s+GET \/loc\/\{userId\} › response 404/);
    expect(result.code).toBe(0);
  });

  it('exits 0 for an uncommitted compatible change and labels it non-breaking', () => {
    editYaml(PETS, (doc) => {
      at(doc, 'components', 'schemas', 'PutLocationRequest', 'properties')['altitude'] = {
        type: 'number',
      };
    });

    const result = runInProcess('--base', 'HEAD');

    expect(result.stdout).toMatch(
      /non-breaking\s+PUT \/loc\/\{userId\} › request body › \/altitude/,
    );
    expect(result.stdout).toContain('Result: OK — all changes are compatible.');
    expect(result.code).toBe(0);
  });

  it('treats a contract deleted from the working tree as breaking', () => {
    rmSync(join(repo, 'contracts/extra'), { recursive: true });

    const result = runInProcess('--base', 'HEAD');

    expect(result.stdout).toContain(`${EXTRA}: removed`);
    expect(result.stdout).toContain('[contract-removed]');
    expect(result.code).toBe(1);
  });

  it('prints machine-readable JSON with --json', () => {
    const result = runInProcess('--base', 'HEAD~1', '--json');
    const summary = JSON.parse(result.stdout) as {
      ok: boolean;
      unmarkedBreaking: number;
      contracts: {
        path: string;
        status: string;
        changes: { class: string; code: string; location: string }[];
      }[];
    };

    expect(summary.ok).toBe(false);
    expect(summary.unmarkedBreaking).toBeGreaterThan(0);
    expect(summary.contracts.map((c) => [c.path, c.status])).toEqual([
      [EXTRA, 'added'],
      [PETS, 'changed'],
    ]);
    expect(summary.contracts[1]?.changes).toContainEqual({
      class: 'breaking',
      level: 'error',
      code: 'response-optional-property-removed',
      origin: 'oasdiff',
      operation: { method: 'POST', path: '/users', operationId: 'createUser' },
      location: 'POST /users › response 409 › /detail',
      jsonPath: '/detail',
      message: 'removed the optional property `detail` from the response with the `409` status',
      // The line in the shared file as it was: the property is gone from the head.
      source: { side: 'base', file: PROBLEM, line: lineOf(PROBLEM, 'detail:') },
    });
    expect(result.code).toBe(1);
  });

  it('exits 2 with a clear message for a ref that does not exist', () => {
    const result = runInProcess('--base', 'no-such-branch');

    expect(result.stderr).toContain('--base no-such-branch: not a commit');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  it('exits 2 naming the reference when a $ref cannot be resolved', () => {
    editYaml(PETS, (doc) => {
      at(doc, 'paths', '/users', 'post', 'responses', '409')['$ref'] = '../common/missing.yaml#/x';
    });

    const result = runInProcess('--base', 'HEAD');

    expect(result.stderr).toContain('contracts/common/missing.yaml not found in working tree');
    expect(result.code).toBe(2);
  });

  it('exits 2 with usage when --base is missing', () => {
    const result = runInProcess('--json');

    expect(result.stderr).toContain('--base <git-ref> is required');
    expect(result.code).toBe(2);
  });
});
