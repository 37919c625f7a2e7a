/**
 * Issue 11 §4 on this machine: location deploys alone with its API replaced (a renamed construct:
 * a new logical id, so a new API id and URL), and profile, not deployed again, keeps finding the
 * location, because get-profile reads location's published URL from SSM at run time. The "deploy"
 * is a restart of the local runtime with the new cloud assembly, the data kept on disk.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleBody } from '../fixtures/contract-examples';
import { synthSystem } from '../fixtures/system-assembly';
import { startRuntime, type RunningRuntime } from '../src';
import { call, tempDir } from './helpers';

jest.setTimeout(300_000);

const LOCATION_URL = '/sm/prod/location/api-url';

/** A copy of the assembly whose prod location stack has its RestApi under another logical id. */
function withLocationApiRenamed(assemblyDir: string): {
  assemblyDir: string;
  from: string;
  to: string;
} {
  const copy = join(tempDir('sm-renamed-'), 'cdk.out');
  cpSync(assemblyDir, copy, { recursive: true });
  const stageDir = join(copy, 'assembly-Prod');
  const file = join(
    stageDir,
    readdirSync(stageDir).find((f) => /^ProdSmLocation.*\.template\.json$/.test(f))!,
  );
  const template = JSON.parse(readFileSync(file, 'utf8')) as {
    Resources: Record<string, { Type: string }>;
  };
  const from = Object.keys(template.Resources).find(
    (id) => template.Resources[id]!.Type === 'AWS::ApiGateway::RestApi',
  )!;
  const to = from.replace(/^Api/, 'LocationApi');
  // What renaming the construct does to the template: every reference follows the new logical id.
  writeFileSync(file, readFileSync(file, 'utf8').replace(new RegExp(`"${from}"`, 'g'), `"${to}"`));
  return { assemblyDir: copy, from, to };
}

const json = { 'content-type': 'application/json' };
const start = (assemblyDir: string, stateDir: string) =>
  startRuntime({ assemblyDir, stateDir, port: 0, quiet: true, log: () => undefined });
const locationApiOf = (runtime: RunningRuntime) =>
  runtime.system.apis.find((api) => api.stackName === 'Prod-SmLocation')!;

let runtime: RunningRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

it('keeps answering profiles with a location after location alone is deployed with its API replaced', async () => {
  const original = synthSystem();
  const renamed = withLocationApiRenamed(original);
  const stateDir = tempDir('sm-published-');

  // Before: a user with a profile and a location, through the system as synthesized.
  runtime = await start(original, stateDir);
  const before = {
    apiId: locationApiOf(runtime).apiId,
    url: runtime.ssm.parameters().find((p) => p.name === LOCATION_URL)?.value,
  };
  const getProfile = runtime.system.functions.find((fn) => fn.handler === 'get-profile.handler')!;
  // Deployed profile holds the parameter's name, never location's URL.
  expect(getProfile.environment).toMatchObject({
    LOCATION_API_URL_PARAMETER: LOCATION_URL,
    AWS_ENDPOINT_URL_SSM: runtime.ssm.endpoint,
  });
  expect(getProfile.environment['LOCATION_API_URL']).toBeUndefined();
  let origin = runtime.origin;
  const user: Record<string, unknown> = {
    ...exampleBody('createUser'),
    username: `renamed_${Date.now().toString(36)}`,
  };
  const created = await call(origin, '/users', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(user),
  });
  expect(created.status).toBe(201);
  const userId = String(created.json()['userId']);
  const issued = await call(origin, '/tokens', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      ...exampleBody('createToken'),
      username: user['username'],
      password: user['password'],
    }),
  });
  const auth = { authorization: `Bearer ${String(issued.json()['token'])}` };
  expect(
    (
      await call(origin, `/profile/${userId}`, {
        method: 'PUT',
        headers: { ...auth, ...json },
        body: JSON.stringify(exampleBody('putProfile')),
      })
    ).status,
  ).toBe(201);
  const reported = exampleBody('putLocation') as { latitude: number; longitude: number };
  expect(
    (
      await call(origin, `/loc/${userId}`, {
        method: 'PUT',
        headers: { ...auth, ...json },
        body: JSON.stringify(reported),
      })
    ).status,
  ).toBe(200);
  // Warm location's path (authorizer, get-location) first: on a loaded machine their cold starts
  // alone can exceed get-profile's 1 s lookup budget, which would answer location: null for a
  // reason this test is not about.
  expect((await call(origin, `/loc/${userId}`, { headers: auth })).status).toBe(200);
  const first = await call(origin, `/profile/${userId}`, { headers: auth });
  expect(first.status).toBe(200);
  expect(first.json()['location']).toMatchObject({
    latitude: reported.latitude,
    longitude: reported.longitude,
  });
  await runtime.close();

  // Location alone is deployed again, its API replaced: restart with the new assembly, data kept.
  runtime = await start(renamed.assemblyDir, stateDir);
  origin = runtime.origin;
  const after = {
    apiId: locationApiOf(runtime).apiId,
    url: runtime.ssm.parameters().find((p) => p.name === LOCATION_URL)?.value,
  };
  expect(runtime.system.apis.map((api) => api.id)).toContain(`Prod-SmLocation/${renamed.to}`);
  expect(after.apiId).not.toBe(before.apiId);
  expect(after.url).toBeDefined();
  expect(after.url).not.toBe(before.url);

  expect((await call(origin, `/loc/${userId}`, { headers: auth })).status).toBe(200);
  const second = await call(origin, `/profile/${userId}`, { headers: auth });
  expect(second.status).toBe(200);
  expect(second.json()['location']).toMatchObject({
    latitude: reported.latitude,
    longitude: reported.longitude,
  });
});
