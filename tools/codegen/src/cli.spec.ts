import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contracts } from './manifest';
import { toolWorkspaceRoot } from './workspace';

/**
 * The CLI runs in a child process, as Nx and CI run it (openapi-typescript needs Node's
 * require(esm), which Jest's module system lacks). Each case works on a temporary copy of the
 * contracts and their committed output, so the real tree is never touched.
 */
function runCli(args: string[]) {
  const result = spawnSync(
    process.execPath,
    [
      path.join(toolWorkspaceRoot, 'node_modules/tsx/dist/cli.mjs'),
      path.join(__dirname, 'cli.ts'),
      ...args,
    ],
    { cwd: toolWorkspaceRoot, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'codegen-cli-'));
  for (const contract of contracts) {
    for (const file of [contract.source, ...contract.references]) {
      cpSync(path.join(toolWorkspaceRoot, file), path.join(root, file));
    }
    cpSync(path.join(toolWorkspaceRoot, contract.outDir), path.join(root, contract.outDir), {
      recursive: true,
    });
  }
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const location = 'contracts/location/src/generated';

describe('codegen CLI', () => {
  it('--check passes on the committed output regenerated from another directory (reproducible)', () => {
    const result = runCli(['--all', '--check', '--root', root]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const contract of contracts)
      expect(result.stdout).toContain(`contract-${contract.name}: 7 generated files up to date`);
  }, 120_000);

  it('--check names an edited, a missing and an unexpected file, exits 1 and writes nothing', () => {
    const edited = path.join(root, location, 'operations.ts');
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}// hand edit\n`);
    unlinkSync(path.join(root, location, 'client.ts'));
    writeFileSync(path.join(root, location, 'leftover.ts'), 'export {};\n');

    const result = runCli(['--contract', 'location', '--check', '--root', root]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`contract-location: stale ${location}/operations.ts (differs)`);
    expect(result.stderr).toContain(`contract-location: stale ${location}/client.ts (missing)`);
    expect(result.stderr).toContain(
      `contract-location: stale ${location}/leftover.ts (unexpected)`,
    );
    expect(result.stderr).toContain('run `npx nx run contract-location:generate`');
    expect(readFileSync(edited, 'utf8')).toContain('// hand edit');
  }, 120_000);

  it('--check finds the outputs a contract change makes stale; generating fixes them', () => {
    const yaml = path.join(root, 'contracts/location/openapi.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('maximum: 100000', 'maximum: 50000'));
    writeFileSync(path.join(root, location, 'leftover.ts'), 'export {};\n');

    const stale = runCli(['--contract', 'location', '--check', '--root', root]);

    expect(stale.status).toBe(1);
    // Bounds live in the validators, the models and the bundled document; the types do not change.
    for (const file of ['validators.ts', 'apigw-models.json', 'openapi.json']) {
      expect(stale.stderr).toContain(`${location}/${file} (differs)`);
    }
    expect(stale.stderr).not.toContain(`${location}/types.ts`);
    expect(stale.stderr).not.toContain('validator-types.ts');

    const generate = runCli(['--contract', 'location', '--root', root]);

    expect(generate.status).toBe(0);
    expect(generate.stdout).toContain('contract-location: 3 files written, 4 unchanged, 1 removed');
    expect(generate.stdout).toContain('PutLocationRequest /properties/latitude/example [example]');
    expect(existsSync(path.join(root, location, 'leftover.ts'))).toBe(false);
    expect(readFileSync(path.join(root, location, 'apigw-models.json'), 'utf8')).toContain(
      '"maximum": 50000',
    );
    expect(runCli(['--contract', 'location', '--check', '--root', root]).status).toBe(0);
  }, 120_000);

  it.each([
    { name: 'no contract chosen', args: [], want: 'Usage:' },
    {
      name: 'an unknown contract',
      args: ['--contract', 'billing'],
      want: 'Unknown contract "billing". Known contracts: auth, location, profile.',
    },
  ])(
    'fails with a clear message on $name',
    ({ args, want }) => {
      const result = runCli([...args, '--root', root]);

      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(want);
    },
    60_000,
  );
});
