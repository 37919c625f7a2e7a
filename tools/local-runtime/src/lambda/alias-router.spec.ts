/**
 * The alias router's part in a reload (watch mode): `update` moves the function's own versions
 * with it (a renumbered version is re-mapped; an alias still naming the old number runs the
 * function's current code rather than failing), `remove` takes the versions that have builds of
 * their own with it, and a version published with its own build (a canary's previous build) keeps
 * that build through an update of the function.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAliasRouter, type AliasRouter } from './alias-router';
import { createLambdaService } from './lambda-service';
import type { FunctionSpec, InvokeResult } from './types';

jest.setTimeout(30_000);

const fixtures = join(__dirname, '__fixtures__');
let root: string;
let router: AliasRouter | undefined;

/** A code directory whose answers say `code`. */
function codeDir(code: number): string {
  const dir = join(root, `code-${code}`);
  mkdirSync(dir);
  copyFileSync(join(fixtures, 'identity.js'), join(dir, 'identity.js'));
  copyFileSync(join(fixtures, 'versioned.js'), join(dir, 'versioned.js'));
  writeFileSync(join(dir, 'version.json'), JSON.stringify({ version: code }));
  return dir;
}

const spec = (overrides: Partial<FunctionSpec>): FunctionSpec => ({
  id: 'SmTest/Fn',
  functionName: 'SmTest-Fn',
  codeDir: '',
  handler: 'versioned.handler',
  runtime: 'nodejs22.x',
  environment: { CONFIG_VERSION: '0' },
  timeoutSeconds: 5,
  memorySizeMB: 128,
  logGroupName: '/aws/lambda/SmTest-Fn',
  ...overrides,
});

const codeOf = (result: InvokeResult, id: string) => {
  if (result.kind !== 'ok') throw new Error(`expected an answer, got ${JSON.stringify(result)}`);
  const payload = result.payload as { id: string; codeVersion: number };
  expect(payload.id).toBe(id);
  return payload.codeVersion;
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'alias-router-spec-'));
  router = createAliasRouter(createLambdaService({ idleTimeoutMs: 0 }));
});
afterEach(async () => {
  await router?.close();
  router = undefined;
  rmSync(root, { recursive: true, force: true });
});

it('runs the updated code through the alias, re-maps a renumbered version, and keeps a version with a build of its own', async () => {
  const r = router!;
  r.register(spec({ codeDir: codeDir(1), version: '2' }));
  r.publishVersion(
    'SmTest/Fn',
    '1',
    spec({ id: 'SmTest/Fn@1', codeDir: codeDir(0), version: '1' }),
  );
  r.setAlias('SmTest/Fn', 'live', { version: '2' });
  const call = async (id: string, qualifier: string) =>
    r.invokeQualified('SmTest/Fn', { id }, { qualifier });
  expect(codeOf((await call('a', 'live')).result, 'a')).toBe(1);

  // A reload: new code, and the assembly numbers the function's version 3 now.
  expect(r.update(spec({ codeDir: codeDir(2), version: '3' }))).toBe(true);
  expect([r.hasVersion('SmTest/Fn', '2'), r.hasVersion('SmTest/Fn', '3')]).toEqual([false, true]);
  // Before the alias moves, it still reaches the function's current code, not an error.
  const stale = await call('b', 'live');
  expect([stale.version, codeOf(stale.result, 'b')]).toEqual(['2', 2]);
  r.setAlias('SmTest/Fn', 'live', { version: '3' });
  const moved = await call('c', 'live');
  expect([moved.version, codeOf(moved.result, 'c')]).toEqual(['3', 2]);
  // Version 1 has a build of its own: the update left it alone.
  const old = await call('d', '1');
  expect([old.version, codeOf(old.result, 'd')]).toEqual(['1', 0]);
  expect(r.checkInvariants()).toEqual([]);
});

it('takes the versions with builds of their own out with the function, and brings the function back without them', async () => {
  const r = router!;
  r.register(spec({ codeDir: codeDir(1), version: '2' }));
  r.publishVersion(
    'SmTest/Fn',
    '1',
    spec({ id: 'SmTest/Fn@1', codeDir: codeDir(0), version: '1' }),
  );
  r.remove('SmTest/Fn');
  expect(r.hasVersion('SmTest/Fn', '2')).toBe(false);
  // Registering the function again does not bring version 1 back: a reload publishes what the templates say.
  r.register(spec({ codeDir: codeDir(2), version: '2' }));
  expect(r.hasVersion('SmTest/Fn', '1')).toBe(false);
  const { result } = await r.invokeQualified('SmTest/Fn', { id: 'e' }, { qualifier: '2' });
  expect(codeOf(result, 'e')).toBe(2);
  expect(
    (await r.invokeQualified('SmTest/Fn', { id: 'f' }, { qualifier: '1' })).result,
  ).toMatchObject({
    kind: 'error',
    errorType: 'ResourceNotFoundException',
  });
  expect(r.checkInvariants()).toEqual([]);
});
