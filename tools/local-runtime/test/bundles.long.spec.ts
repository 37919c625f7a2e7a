/**
 * The bundles `npm start` and watch mode build are the ones `nx run <svc>:build` builds, byte for
 * byte (one truth for what CDK deploys), and a rebuild touches only what a change reaches. Runs in
 * a scratch copy of the workspace, since it edits sources.
 */
import { esbuildExecutor } from '@nx/esbuild/executors';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BundleError, Bundles } from '../src/build/bundler';
import { planBundles, type BundleProject } from '../src/build/bundle-plan';
import { readWorkspaceProjects, type WorkspaceProject } from '../src/build/workspace-projects';
import { scratchWorkspace } from '../fixtures/scratch-workspace';

jest.setTimeout(180_000);

let root: string;
let remove: () => void;
let projects: WorkspaceProject[];
let plan: BundleProject[];
let bundles: Bundles;

beforeAll(() => {
  ({ root, remove } = scratchWorkspace('bundles', ['apps', 'libs', 'contracts']));
  projects = readWorkspaceProjects(root);
  plan = planBundles(root, projects);
  bundles = new Bundles(root, plan);
});

afterAll(async () => {
  await bundles?.dispose();
  remove?.();
});

/** Every file under `dir`, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) =>
    entry.isFile(),
  );
  return new Map(
    files.map((entry) => [
      relative(dir, join(entry.parentPath, entry.name)),
      readFileSync(join(entry.parentPath, entry.name)),
    ]),
  );
}

/** Runs the @nx/esbuild executor itself, in this process, for one target of the scratch workspace. */
async function nxBuild(name: string, target: string): Promise<void> {
  const project = projects.find((p) => p.name === name) as WorkspaceProject;
  // Nx fills in the schema's defaults before it calls an executor.
  const packageDir = dirname(require.resolve('@nx/esbuild/package.json'));
  const executors = JSON.parse(readFileSync(join(packageDir, 'executors.json'), 'utf8')) as {
    executors: { esbuild: { schema: string } };
  };
  const schema = JSON.parse(
    readFileSync(join(packageDir, executors.executors.esbuild.schema), 'utf8'),
  ) as {
    properties: Record<string, { default?: unknown }>;
  };
  const defaults = Object.fromEntries(
    Object.entries(schema.properties).flatMap(([key, property]) =>
      property.default === undefined ? [] : [[key, property.default]],
    ),
  );
  const options = {
    ...defaults,
    ...(project.targets[target]?.options as Record<string, unknown>),
  };
  const context = {
    root,
    cwd: root,
    isVerbose: false,
    projectName: name,
    targetName: target,
    target: { options },
    projectGraph: {
      nodes: { [name]: { name, type: 'app', data: { root: project.root } } },
      externalNodes: {},
      dependencies: {},
    },
    projectsConfigurations: { version: 2, projects: { [name]: { root: project.root } } },
    nxJsonConfiguration: {},
  };
  for await (const result of esbuildExecutor(options as never, context as never)) {
    if (!result.success) throw new Error(`nx build of ${name} failed`);
  }
}

it('plans every esbuild-built project, each after the projects whose output it copies', () => {
  expect(plan.map((project) => [project.name, project.entries.length, project.dependsOn])).toEqual([
    ['observability', 1, []],
    ['auth', 4, ['observability']],
    ['location', 3, ['observability']],
    ['profile:bundle-ssm-parameters', 1, []],
    ['profile', 2, ['profile:bundle-ssm-parameters', 'observability']],
    // The deployment smoke hook every service's stacks ship (libs/deploy-hooks).
    ['deploy-hooks', 1, []],
  ]);
});

it('builds the same bytes as the @nx/esbuild executor: bundles, source maps, meta.json, copied assets', async () => {
  for (const project of plan) {
    const [name, target = 'build'] = project.name.split(':') as [string, string?];
    await nxBuild(name, target);
  }
  const byNx = tree(join(root, 'dist'));
  cpSync(join(root, 'dist'), join(root, 'dist-by-nx'), { recursive: true });

  await bundles.buildAll();

  const byUs = tree(join(root, 'dist'));
  expect([...byUs.keys()].sort()).toEqual([...byNx.keys()].sort());
  const different = [...byUs]
    .filter(([file, bytes]) => !bytes.equals(byNx.get(file) as Buffer))
    .map(([file]) => file);
  expect(different).toEqual([]);
  expect(byUs.size).toBeGreaterThan(20);
});

it('rebuilds only the bundles whose inputs include a changed file, per entry once warmed, with the same bytes', async () => {
  const handler = 'apps/location/src/handlers/get-location.ts';
  const source = readFileSync(join(root, handler), 'utf8');
  writeFileSync(
    join(root, handler),
    source.replace('status: 200,', "status: 200, headers: { 'x-edit': '1' },"),
  );

  // Through the project's context (the entries are not warm yet).
  const first = await bundles.rebuild([handler]);
  expect(first.rebuilt).toEqual([`location#${handler}`]);
  expect(first.changed.sort()).toEqual([
    'dist/apps/location/get-location.js',
    'dist/apps/location/get-location.js.map',
    'dist/apps/location/meta.json',
  ]);
  expect(readFileSync(join(root, 'dist/apps/location/get-location.js'), 'utf8')).toContain(
    'x-edit',
  );
  const afterProject = tree(join(root, 'dist'));

  await bundles.warmEntries();
  writeFileSync(
    join(root, handler),
    source.replace('status: 200,', "status: 200, headers: { 'x-edit': '2' },"),
  );
  const second = await bundles.rebuild([handler]);
  expect(second.changed.sort()).toEqual([
    'dist/apps/location/get-location.js',
    'dist/apps/location/get-location.js.map',
  ]);

  // Back to the first edit through the entry's context: exactly the bytes the project's build wrote.
  writeFileSync(
    join(root, handler),
    source.replace('status: 200,', "status: 200, headers: { 'x-edit': '1' },"),
  );
  await bundles.rebuild([handler]);
  const different = [...tree(join(root, 'dist'))].filter(
    ([file, bytes]) => !bytes.equals(afterProject.get(file) as Buffer),
  );
  expect(different.map(([file]) => file)).toEqual([]);
});

it('rebuilds every bundle of every service for a shared library, and copies a rebuilt tracer into each service', async () => {
  const shared = 'libs/observability/src/create-observability.ts';
  expect(bundles.readersOf(shared)).toHaveLength(9);
  const tracer = 'libs/observability/src/bundles/tracer.ts';
  writeFileSync(
    join(root, tracer),
    `${readFileSync(join(root, tracer), 'utf8')}\nexport const edited = 'tracer';\n`,
  );

  const result = await bundles.rebuild([tracer]);

  expect(result.changed.filter((file) => file.endsWith('tracer.js')).sort()).toEqual([
    'dist/apps/auth/tracer.js',
    'dist/apps/location/tracer.js',
    'dist/apps/profile/tracer.js',
    'dist/libs/observability/tracer.js',
  ]);
});

it('reports a file that does not compile with its file and line, and leaves the built bundles as they were', async () => {
  const handler = 'apps/auth/src/handlers/create-user.ts';
  const before = readFileSync(join(root, 'dist/apps/auth/create-user.js'));
  writeFileSync(
    join(root, handler),
    `${readFileSync(join(root, handler), 'utf8')}\nexport const broken = ;\n`,
  );

  const failure = await bundles.rebuild([handler]).catch((error: unknown) => error);

  expect(failure).toBeInstanceOf(BundleError);
  expect((failure as BundleError).messages).toEqual([
    expect.stringMatching(/^apps\/auth\/src\/handlers\/create-user\.ts:\d+:\d+: Unexpected ";"/),
  ]);
  expect(readFileSync(join(root, 'dist/apps/auth/create-user.js')).equals(before)).toBe(true);
});
