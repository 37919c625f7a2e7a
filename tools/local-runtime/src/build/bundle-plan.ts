/**
 * The Lambda bundles as the Nx build targets (`@nx/esbuild:esbuild`) declare them, turned into the
 * esbuild options that executor would pass. `npm start` and watch mode build with these options
 * directly: the same bundles byte for byte (a test compares them with the executor's output), in
 * one process and without Nx's project graph. An option this translation does not know makes the
 * plan refuse, and `npm start` builds through Nx instead: there is one truth for the bundles.
 */
import { existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { WorkspaceProject } from './workspace-projects';

export const NX_ESBUILD_EXECUTOR = '@nx/esbuild:esbuild';

/** A file copied into the output directory, as the executor's `assets` option declares it. */
export interface AssetSpec {
  /** Directory to copy from, relative to the workspace root. */
  input: string;
  /** Which files under `input` (`*`, `**`, `?`). */
  glob: string;
  /** Directory under the output path to copy to. */
  output: string;
}

export interface BundleProject {
  /** The project, and the target when it is not `build`: `profile`, `profile:bundle-ssm-parameters`. */
  name: string;
  /** `dist/apps/auth`, relative to the workspace root. */
  outputPath: string;
  /** Entry files relative to the workspace root: `main`, then `additionalEntryPoints`. */
  entries: string[];
  /** The options esbuild gets, without the entries and the output location. */
  esbuild: BuildOptions;
  /** Where the output goes: `outfile` for a single entry (as the executor does), else `outdir` + `outbase`. */
  output: { outfile: string } | { outdir: string; outbase: string };
  /** Whether the executor writes `meta.json` (esbuild's metafile) into the output path. */
  metafile: boolean;
  deleteOutputPath: boolean;
  assets: AssetSpec[];
  /** Projects whose output this one copies (an asset's input lies in their output path): built first. */
  dependsOn: string[];
}

/** The build cannot be reproduced without Nx: `npm start` builds through Nx instead. */
export class BuildPlanError extends Error {
  override readonly name = 'BuildPlanError';
}

/** Options of the executor this translation reproduces; anything else set makes the plan refuse. */
const KNOWN = new Set([
  'main',
  'outputPath',
  'tsConfig',
  'additionalEntryPoints',
  'bundle',
  'format',
  'assets',
  'deleteOutputPath',
  'external',
  'excludeFromExternal',
  'metafile',
  'sourcemap',
  'minify',
  'platform',
  'target',
  'skipTypeCheck',
  'generatePackageJson',
  'thirdParty',
  'esbuildOptions',
  'includeIgnoredAssetFiles',
  'declaration',
  'outputHashing',
]);

/** Every project built by the esbuild executor, in an order where a project follows those it copies from. */
export function planBundles(workspaceRoot: string, projects: WorkspaceProject[]): BundleProject[] {
  // Every target the executor runs (`build`, and others such as a bundle one copies as an asset).
  const planned = projects.flatMap((project) =>
    Object.entries(project.targets)
      .filter(([, target]) => target.executor === NX_ESBUILD_EXECUTOR)
      .map(([name]) => planProject(workspaceRoot, project, name)),
  );
  for (const project of planned) {
    project.dependsOn = planned
      .filter((other) => other !== project)
      .filter((other) => project.assets.some((asset) => isWithin(asset.input, other.outputPath)))
      .map((other) => other.name);
  }
  return inDependencyOrder(planned);
}

function planProject(
  workspaceRoot: string,
  project: WorkspaceProject,
  target: string,
): BundleProject {
  const options = (project.targets[target]?.options ?? {}) as Record<string, unknown>;
  const name = target === 'build' ? project.name : `${project.name}:${target}`;
  const refuse = (why: string): never => {
    throw new BuildPlanError(`target ${name}: ${why}`);
  };
  for (const key of Object.keys(options))
    if (!KNOWN.has(key)) refuse(`build option '${key}' is not reproduced`);
  // The executor copies a project's own package.json into its output (when there is one).
  if (existsSync(join(workspaceRoot, project.root, 'package.json')))
    refuse('a package.json in the project is copied by the executor; not reproduced');
  const main = options['main'];
  const outputPath = options['outputPath'];
  const tsConfig = options['tsConfig'];
  if (typeof main !== 'string' || typeof outputPath !== 'string' || typeof tsConfig !== 'string') {
    refuse('build needs main, outputPath and tsConfig');
  }
  if (options['bundle'] === false) refuse('only bundle: true is reproduced');
  if (options['thirdParty'] !== true)
    refuse('only thirdParty: true is reproduced (else Nx adds externals from its graph)');
  if (options['skipTypeCheck'] !== true)
    refuse('only skipTypeCheck: true is reproduced (else the executor type-checks first)');
  if (options['generatePackageJson'] === true) refuse('generatePackageJson is not reproduced');
  if (options['declaration'] === true) refuse('declaration is not reproduced');
  if ((options['outputHashing'] ?? 'none') !== 'none') refuse('outputHashing is not reproduced');
  const formats = (options['format'] as string[] | undefined) ?? ['esm'];
  if (formats.length !== 1) refuse('exactly one format is reproduced');
  const format = formats[0] as 'cjs' | 'esm';
  const user = { ...((options['esbuildOptions'] as BuildOptions | undefined) ?? {}) };
  if (
    'plugins' in user ||
    'outfile' in user ||
    'outdir' in user ||
    'splitting' in user ||
    'entryPoints' in user
  ) {
    refuse('esbuildOptions may not set plugins, outfile, outdir, splitting or entryPoints here');
  }

  // As @nx/esbuild's build-esbuild-options.js computes them (23.2.1).
  const userExt = user.outExtension?.['.js'];
  const ext =
    userExt === '.js' && format === 'cjs'
      ? '.js'
      : userExt === '.mjs' && format === 'esm'
        ? '.mjs'
        : format === 'esm'
          ? '.js'
          : '.cjs';
  const excluded = (options['excludeFromExternal'] as string[] | undefined) ?? [];
  const esbuild: BuildOptions = {
    ...user,
    absWorkingDir: workspaceRoot,
    entryNames: '[dir]/[name]',
    bundle: true,
    external: [
      ...(user.external ?? []),
      ...((options['external'] as string[] | undefined) ?? []),
    ].filter((name) => !excluded.includes(name)),
    minify: (options['minify'] as boolean | undefined) ?? false,
    platform: (options['platform'] as BuildOptions['platform']) ?? 'node',
    target: (options['target'] as string | undefined) ?? 'esnext',
    metafile: (options['metafile'] as boolean | undefined) ?? false,
    tsconfig: join(workspaceRoot, tsConfig as string),
    sourcemap: ((options['sourcemap'] as BuildOptions['sourcemap']) ?? user.sourcemap) || false,
    format,
    outExtension: { '.js': ext },
  };
  if (esbuild.platform === 'browser')
    refuse("platform 'browser' is not reproduced (the executor defines NX_PUBLIC_* variables)");
  const additional = (options['additionalEntryPoints'] as string[] | undefined) ?? [];
  const entries = [main as string, ...additional];
  const output =
    additional.length === 0
      ? { outfile: `${outputPath as string}/${posix.parse(main as string).name}${ext}` }
      : { outdir: outputPath as string, outbase: commonDir(entries) };
  return {
    name,
    outputPath: outputPath as string,
    entries,
    esbuild,
    output,
    metafile: esbuild.metafile === true,
    deleteOutputPath: (options['deleteOutputPath'] as boolean | undefined) ?? true,
    assets: ((options['assets'] as unknown[] | undefined) ?? []).map((asset) => {
      const {
        input,
        glob,
        output: to,
        ignore,
      } = (typeof asset === 'object' ? asset : {}) as Record<string, unknown>;
      if (
        typeof input !== 'string' ||
        typeof glob !== 'string' ||
        typeof to !== 'string' ||
        ignore !== undefined
      )
        return refuse(
          `asset ${JSON.stringify(asset)} is not reproduced (input, glob and output only)`,
        );
      return { input, glob, output: to };
    }),
    dependsOn: [],
  };
}

/** The deepest directory holding every entry: where esbuild's default `outbase` lies for several entries. */
function commonDir(files: string[]): string {
  let dir = dirname(files[0] as string);
  while (!files.every((file) => isWithin(file, dir))) dir = dirname(dir);
  return dir;
}

function isWithin(path: string, dir: string): boolean {
  return dir === '.' || path === dir || path.startsWith(`${dir}/`);
}

function inDependencyOrder(projects: BundleProject[]): BundleProject[] {
  const ordered: BundleProject[] = [];
  const visiting = new Set<string>();
  const visit = (project: BundleProject) => {
    if (ordered.includes(project)) return;
    if (visiting.has(project.name))
      throw new BuildPlanError(`projects copy each other's output: ${[...visiting].join(' → ')}`);
    visiting.add(project.name);
    for (const name of project.dependsOn)
      visit(projects.find((p) => p.name === name) as BundleProject);
    visiting.delete(project.name);
    ordered.push(project);
  };
  for (const project of projects) visit(project);
  return ordered;
}
