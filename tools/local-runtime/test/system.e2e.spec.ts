/**
 * The real system — the services' stacks as `cdk synth` writes them — run by the local runtime, and
 * every contract operation called over HTTP as a client would, each answer checked against the
 * contract's schema for its status. Requests are the contracts' own examples.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findContractSpecs, startRuntime, type RunningRuntime } from '../src';
import { inputsFingerprint } from '../src/freshness';
import { call, type Reply } from './helpers';

jest.setTimeout(300_000);

const workspaceRoot = resolve(__dirname, '../../..');
const specs = new Map(findContractSpecs(workspaceRoot).map((spec) => [spec.name, spec.document as OpenApi]));

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}
interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> };
}

/** `cdk synth` of the workspace into tmp/, once per state of the inputs (the bundles must be built). */
function synthSystem(): string {
  const root = join(workspaceRoot, 'tmp', 'local-runtime-system', inputsFingerprint(workspaceRoot).slice(0, 16));
  const assemblyDir = join(root, 'cdk.out');
  if (existsSync(join(assemblyDir, 'manifest.json'))) return assemblyDir;
  const staging = `${root}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = spawnSync(join(workspaceRoot, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', join(staging, 'cdk.out')], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    timeout: 240_000,
  });
  if (result.status !== 0) throw new Error(`cdk synth failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  mkdirSync(resolve(root, '..'), { recursive: true });
  renameSync(staging, root);
  return assemblyDir;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const [name, document] of specs) ajv.addSchema(document, name);
const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Finds an operation in the contracts by its id. */
function operation(operationId: string): { contract: string; path: string; method: string; op: Operation } {
  for (const [contract, document] of specs) {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op?.operationId === operationId) return { contract, path, method, op };
      }
    }
  }
  throw new Error(`no operation ${operationId} in the contracts`);
}

/** The contract's first example request body of an operation. */
function exampleBody(operationId: string): Record<string, unknown> {
  const media = operation(operationId).op.requestBody?.content['application/json'];
  const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
  if (!example) throw new Error(`${operationId} has no request example in its contract`);
  return structuredClone(example) as Record<string, unknown>;
}

/** Asserts the reply has the expected status and a body the contract declares for it. */
function expectConforms(operationId: string, reply: Reply, status: number): void {
  expect({ operationId, status: reply.status, body: reply.status === status ? undefined : reply.text }).toEqual({ operationId, status, body: undefined });
  if (status === 204) return;
  const { contract, path, method } = operation(operationId);
  const contentType = (reply.headers.get('content-type') ?? '').split(';')[0]!;
  const ref = `${contract}#/${pointer('paths', path, method, 'responses', String(status), 'content', contentType, 'schema')}`;
  const validate: ValidateFunction = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  const valid = validate(reply.json());
  expect({ operationId, errors: valid ? null : validate.errors }).toEqual({ operationId, errors: null });
}

let runtime: RunningRuntime;
let origin: string;

beforeAll(async () => {
  runtime = await startRuntime({ assemblyDir: synthSystem(), port: 0, inMemory: true, quiet: true, log: () => undefined });
  origin = runtime.origin;
});

afterAll(() => runtime?.close());

it('serves every contract operation, and nothing else, on one origin', () => {
  const served = runtime.routes.map((route) => `${route.method} ${route.path}`).sort();
  const declared = [...specs.values()]
    .flatMap((document) => Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`)))
    .sort();
  expect(served).toEqual(declared);
});

it('runs every operation end to end as a client calls it', async () => {
  const json = { 'content-type': 'application/json' };
  const user: Record<string, unknown> = { ...exampleBody('createUser'), username: `e2e_${Date.now().toString(36)}` };

  const created = await call(origin, '/users', { method: 'POST', headers: json, body: JSON.stringify(user) });
  expectConforms('createUser', created, 201);
  const userId = String(created.json()['userId']);

  const signIn = { ...exampleBody('createToken'), username: user['username'], password: user['password'] };
  const issued = await call(origin, '/tokens', { method: 'POST', headers: json, body: JSON.stringify(signIn) });
  expectConforms('createToken', issued, 201);
  const auth = { authorization: `Bearer ${String(issued.json()['token'])}` };

  const anonymous = await call(origin, `/profile/${userId}`);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('content-type')).toBe('application/problem+json');

  const putProfile = await call(origin, `/profile/${userId}`, { method: 'PUT', headers: { ...auth, ...json }, body: JSON.stringify(exampleBody('putProfile')) });
  expectConforms('putProfile', putProfile, 201);

  const putLocation = await call(origin, `/loc/${userId}`, { method: 'PUT', headers: { ...auth, ...json }, body: JSON.stringify(exampleBody('putLocation')) });
  expectConforms('putLocation', putLocation, 200);

  const getLocation = await call(origin, `/loc/${userId}`, { headers: auth });
  expectConforms('getLocation', getLocation, 200);

  const history = await call(origin, `/loc/${userId}/history`, { headers: auth });
  expectConforms('listLocationHistory', history, 200);

  // Profile reads the location through the location API's published URL, i.e. this origin.
  const profile = await call(origin, `/profile/${userId}`, { headers: auth });
  expectConforms('getProfile', profile, 200);
  expect(profile.json()['location']).toMatchObject({ latitude: exampleBody('putLocation')['latitude'] });

  const revoked = await call(origin, '/tokens/current', { method: 'DELETE', headers: auth });
  expectConforms('revokeCurrentToken', revoked, 204);
});
