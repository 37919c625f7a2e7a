/**
 * `npm start`'s way to a current cloud assembly: nothing when no input changed since the last
 * start; otherwise the generated code of the contracts that changed, every bundle, and a
 * synthesis — each phase one progress line. See tools/local-runtime/README.md, "First start".
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inputsFingerprint, readStamp, writeStamp, type Stamp } from '../freshness';
import { replaceAssembly } from './assembly-files';
import { keepPreviousAssembly } from './previous-assembly';
import { BuildPlanError, planBundles } from './bundle-plan';
import { BundleError, Bundles } from './bundler';
import {
  contentsOf,
  contractInputs,
  generate,
  generatedAsCommitted,
  GenerateError,
  planContracts,
  type ContractProject,
} from './contracts';
import type { Progress } from './progress';
import { runCommand } from './run-command';
import { CdkApp, stateDir, SynthError } from './synth';
import { readWorkspaceProjects } from './workspace-projects';

/** What the dev loop knows about the workspace, kept for watch mode's rebuilds. */
export interface DevWorkspace {
  root: string;
  contracts: ContractProject[];
  /** The bundles, or undefined when the build targets use options only Nx reproduces. */
  bundles: Bundles | undefined;
  /** Why the bundles are built through Nx, when they are. */
  bundlesThroughNx?: string;
  app: CdkApp;
  dispose(): Promise<void>;
}

/** A phase failed; its details were printed. */
export class PrepareError extends Error {
  override readonly name = 'PrepareError';
}

export function openWorkspace(root: string): DevWorkspace {
  const projects = readWorkspaceProjects(root);
  let bundles: Bundles | undefined;
  let bundlesThroughNx: string | undefined;
  try {
    bundles = new Bundles(root, planBundles(root, projects));
  } catch (error) {
    if (!(error instanceof BuildPlanError)) throw error;
    bundlesThroughNx = error.message;
  }
  const app = new CdkApp(root);
  return {
    root,
    contracts: planContracts(projects),
    bundles,
    bundlesThroughNx,
    app,
    async dispose() {
      await bundles?.dispose();
      await app.dispose();
    },
  };
}

/** The stamp kept beside the assembly: what it was built from. */
export function stampFile(assemblyDir: string): string {
  return join(assemblyDir, '.local-runtime-inputs.json');
}

/** A hash of what each contract's generation reads. */
export function generationHashes(workspace: DevWorkspace): Record<string, string> {
  return Object.fromEntries(
    workspace.contracts.map((contract) => [
      contract.name,
      createHash('sha256')
        .update(contentsOf(workspace.root, contractInputs(workspace.root, contract)))
        .digest('hex'),
    ]),
  );
}

export type PreparedPath =
  | { kind: 'unchanged' }
  | { kind: 'built'; reason: string; phases: Array<{ name: string; ms: number }> };

/**
 * Makes `assemblyDir` current: reused when its stamp matches the inputs, else generated code,
 * bundles and synthesis redone. Throws a {@link PrepareError} after printing what failed.
 */
export interface PrepareOptions {
  /**
   * Where the assembly being replaced is kept, as the previous build for `--canary`
   * (`.local/assemblies/previous`); undefined: not kept (`--in-memory`).
   */
  keepPreviousIn?: string;
}

export async function prepareAssembly(
  workspace: DevWorkspace,
  assemblyDir: string,
  progress: Progress,
  options: PrepareOptions = {},
): Promise<PreparedPath> {
  const { root } = workspace;
  const started = performance.now();
  const stamp = readStamp(stampFile(assemblyDir));
  if (
    stamp !== undefined &&
    stamp.fingerprint === inputsFingerprint(root, stamp.appInputs) &&
    existsSync(join(assemblyDir, 'manifest.json'))
  ) {
    progress.phase(
      'build and synth',
      'skipped: no input changed since the last start',
      performance.now() - started,
    );
    return { kind: 'unchanged' };
  }
  const reason = stamp ? 'inputs changed since the last start' : 'first start: no earlier build';
  const phases: Array<{ name: string; ms: number }> = [];
  const timed = async <T>(name: string, work: () => Promise<[T, string]>): Promise<T> => {
    const t0 = performance.now();
    const [value, detail] = await work();
    const ms = performance.now() - t0;
    phases.push({ name, ms });
    progress.phase(name, detail, ms);
    return value;
  };

  // The synthesis's process loads aws-cdk-lib meanwhile (it needs the bundles only to run the app).
  const warming = workspace.app.warm();
  // What this build is made from, recorded for the next start: the app's sources included (known
  // once the app is bundled, a fraction of a second).
  await workspace.app.prepare().catch(() => undefined);
  const appInputs = workspace.app.inputs();
  const fingerprint = inputsFingerprint(root, appInputs);
  const generated = await timed('generated code', () => regenerate(workspace, stamp, progress));
  await timed('build', () => build(workspace, progress));
  await warming;
  await timed('synthesize', () =>
    synthesize(workspace, assemblyDir, progress, options.keepPreviousIn),
  );
  writeStamp(stampFile(assemblyDir), { fingerprint, generated, appInputs } satisfies Stamp);
  return { kind: 'built', reason, phases };
}

/** Regenerates the contracts whose inputs changed; returns the hashes to record. */
async function regenerate(
  workspace: DevWorkspace,
  stamp: Stamp | undefined,
  progress: Progress,
): Promise<[Record<string, string>, string]> {
  const hashes = generationHashes(workspace);
  let stale: ContractProject[];
  let why: string;
  if (stamp?.generated) {
    stale = workspace.contracts.filter(
      (contract) => stamp.generated?.[contract.name] !== hashes[contract.name],
    );
    why = 'unchanged since the last start';
  } else if (generatedAsCommitted(workspace.root, workspace.contracts)) {
    stale = [];
    why = 'contracts and generated code as committed';
  } else {
    stale = workspace.contracts;
    why = '';
  }
  if (stale.length === 0) return [hashes, `current (${why})`];
  try {
    const outputs = await Promise.all(stale.map((contract) => generate(workspace.root, contract)));
    for (const output of outputs) progress.verbose(output);
  } catch (error) {
    if (error instanceof GenerateError) {
      progress.fail(error.message, error.details);
      throw new PrepareError(error.message);
    }
    throw error;
  }
  return [hashes, `${stale.map((contract) => contract.name).join(', ')} regenerated`];
}

async function build(workspace: DevWorkspace, progress: Progress): Promise<[void, string]> {
  const { bundles } = workspace;
  if (!bundles) {
    progress.warn(`building through Nx: ${workspace.bundlesThroughNx}`);
    await runNx(workspace.root, progress);
    return [undefined, 'every project, through Nx (nx run-many -t build)'];
  }
  try {
    await bundles.buildAll();
  } catch (error) {
    if (error instanceof BundleError) {
      progress.fail('build failed:', error.messages);
      throw new PrepareError('build failed');
    }
    throw error;
  }
  const entries = bundles.plan.reduce((sum, project) => sum + project.entries.length, 0);
  return [undefined, `${entries} bundles in ${bundles.plan.length} projects (esbuild)`];
}

async function synthesize(
  workspace: DevWorkspace,
  assemblyDir: string,
  progress: Progress,
  keepPreviousIn: string | undefined,
): Promise<[number, string]> {
  // In the git-ignored tmp/ (the same file system as the workspace, so it renames into place).
  const staging = join(stateDir(workspace.root), 'assemblies', `start-${process.pid}`);
  try {
    const result = await workspace.app.synth(staging);
    progress.verbose(result.output);
    for (const warning of result.warnings) progress.warn(warning);
    // What ran until now becomes the previous build (only once this one synthesized).
    const kept = keepPreviousIn !== undefined && keepPreviousAssembly(assemblyDir, keepPreviousIn);
    replaceAssembly(staging, assemblyDir);
    const stacks = countStacks(assemblyDir);
    return [
      stacks,
      `${stacks} stacks${result.warnings.length > 0 ? `, ${result.warnings.length} warnings` : ''}, cdk-nag clean${kept ? '; the last one kept for --canary' : ''}`,
    ];
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof SynthError) {
      progress.fail(`synthesis failed: ${error.message}`, error.details);
      throw new PrepareError('synthesis failed');
    }
    throw error;
  }
}

/** CloudFormation stacks in an assembly, nested assemblies (stages) included. */
export function countStacks(assemblyDir: string): number {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { directoryName?: string } }>;
  };
  let count = 0;
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') count++;
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      count += countStacks(join(assemblyDir, artifact.properties.directoryName));
    }
  }
  return count;
}

/** `nx run-many -t build`, its output kept for a failure or `--verbose`. */
async function runNx(root: string, progress: Progress): Promise<void> {
  const { code, output } = await runCommand(
    [
      process.execPath,
      join(root, 'node_modules', 'nx', 'bin', 'nx.js'),
      'run-many',
      '-t',
      'build',
      '--outputStyle=static',
    ],
    { cwd: root, env: { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', ...process.env } },
  );
  if (code === 0) {
    progress.verbose(output);
    return;
  }
  progress.fail(`nx run-many -t build failed (exit ${code}):`, output.split('\n').slice(-40));
  throw new PrepareError('build failed');
}
