/**
 * `npm start` and watch mode synthesize the CDK app without the CDK CLI (src/build/synth.ts): the
 * assembly must be the one `cdk synth` writes — every template, asset manifest, asset, the
 * manifest and the tree, for both stages — so the runtime runs what would deploy.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { synthSystem } from '../fixtures/system-assembly';
import { workspaceRoot } from '../fixtures/scratch-workspace';
import { CdkApp } from '../src/build/synth';

jest.setTimeout(300_000);

/** Every file of an assembly but the construct metadata (its stack traces name tsx's or the bundle's frames). */
function files(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.metadata.json'))
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), readFileSync(path)];
      }),
  );
}

const outdir = join(workspaceRoot, 'tmp', `local-runtime-synth-test-${process.pid}`);
let app: CdkApp;

beforeAll(() => {
  app = new CdkApp(workspaceRoot);
});

afterAll(async () => {
  await app?.dispose();
  rmSync(outdir, { recursive: true, force: true });
});

it('writes the same cloud assembly as cdk synth, file for file', async () => {
  const byCli = files(synthSystem());

  const result = await app.synth(outdir);

  const ours = files(outdir);
  expect([...ours.keys()].sort()).toEqual([...byCli.keys()].sort());
  const different = [...ours]
    .filter(([file, bytes]) => !bytes.equals(byCli.get(file) as Buffer))
    .map(([file]) => file);
  expect(different).toEqual([]);
  expect(
    [...ours.keys()].filter((file) => file.endsWith('.template.json')).length,
  ).toBeGreaterThanOrEqual(5);
  expect(result.warnings).toEqual([]);
  // What a change to these files means: the app's own sources, not the packages it imports.
  expect(app.inputs()).toEqual(
    expect.arrayContaining(['apps/platform/src/main.ts', 'libs/infra/src/service-function.ts']),
  );
  expect(app.inputs().some((file) => file.startsWith('node_modules/'))).toBe(false);
});
