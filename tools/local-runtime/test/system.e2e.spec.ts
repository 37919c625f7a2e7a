/**
 * The real system — the services' stacks as `cdk synth` writes them — run by the local runtime, and
 * every contract operation called over HTTP as a client would, each answer checked against the
 * contract's schema for its status. Requests are the contracts' own examples.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { contracts, exampleBody, findOperation } from '../fixtures/contract-examples';
import { synthSystem } from '../fixtures/system-assembly';
import { startRuntime, type RunningRuntime } from '../src';
import { call, type Reply } from './helpers';

jest.setTimeout(300_000);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const [name, document] of contracts) ajv.addSchema(document, name);
const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Asserts the reply has the expected status and a body the contract declares for it. */
function expectConforms(operationId: string, reply: Reply, status: number): void {
  expect({ operationId, status: reply.status, body: reply.status === status ? undefined : reply.text }).toEqual({ operationId, status, body: undefined });
  if (status === 204) return;
  const { contract, path, method } = findOperation(operationId);
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
  const declared = [...contracts.values()]
    .flatMap((document) => Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`)))
    .sort();
  expect(served).toEqual(declared);
});

/** Where a client sends each service's requests: the one origin, or each API's own base URL. */
const targets: [string, (service: string) => string][] = [
  ['on the root origin', () => origin],
  ["on each API's own base URL, as against a deployed stage", (service) => apiBase(service)],
];

function apiBase(service: string): string {
  const api = runtime.apis.find((candidate) => candidate.service === service);
  if (!api) throw new Error(`no API of service ${service}: ${JSON.stringify(runtime.apis)}`);
  return api.baseUrl;
}

it('lists the three APIs with deployed-shaped base URLs, and publishes the location API\'s own to profile', () => {
  expect(runtime.apis.map((api) => [api.service, api.stackName, api.stage])).toEqual([
    ['auth', 'Prod-SmAuth', 'prod'],
    ['location', 'Prod-SmLocation', 'prod'],
    ['profile', 'Prod-SmProfile', 'prod'],
  ]);
  // get-profile reads location's URL at run time from the SSM parameter it is told the name of.
  const getProfile = runtime.system.functions.find((fn) => fn.environment['LOCATION_API_URL_PARAMETER'] !== undefined);
  const name = getProfile?.environment['LOCATION_API_URL_PARAMETER'];
  expect(name).toBe('/sm/prod/location/api-url');
  expect(runtime.system.parameters.find((parameter) => parameter.name === name)?.value).toBe(apiBase('location'));
});

it('calls every function through its live alias, as deployed: API integrations and the authorizer name it, each alias points at the published version', () => {
  const integrations = runtime.system.apis.flatMap((api) => api.methods.map((method) => method.integration)).filter((integration) => integration.type === 'AWS_PROXY');
  const authorizers = runtime.system.apis.flatMap((api) => [...api.authorizers.values()]);
  expect(integrations).toHaveLength(8);
  expect(authorizers).toHaveLength(3);
  for (const target of [...integrations, ...authorizers]) expect(target).toMatchObject({ qualifier: 'live' });
  const aliases = runtime.system.lambdaVersions.aliases;
  expect(aliases.map((alias) => [alias.name, alias.version])).toEqual(Array(9).fill(['live', '1']));
  // Each one moved by a CodeDeploy group of its stack, watched by six alarms (its own five and its API's 5XX).
  for (const alias of aliases) expect(alias.deployment?.group).toMatchObject({ deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes', alarmsEnabled: true });
  for (const alias of aliases) expect(alias.deployment!.group.alarmNames).toHaveLength(6);
  const served = runtime.system.functions.filter((fn) => fn.invokedQualifier === 'live');
  expect(served.map((fn) => fn.version)).toEqual(Array(9).fill('1'));
});

it.each(targets)('runs every operation end to end as a client calls it, %s', async (_where, base) => {
  const json = { 'content-type': 'application/json' };
  const user: Record<string, unknown> = { ...exampleBody('createUser'), username: `e2e_${Date.now().toString(36)}` };

  const created = await call(base('auth'), '/users', { method: 'POST', headers: json, body: JSON.stringify(user) });
  expectConforms('createUser', created, 201);
  const userId = String(created.json()['userId']);

  const signIn = { ...exampleBody('createToken'), username: user['username'], password: user['password'] };
  const issued = await call(base('auth'), '/tokens', { method: 'POST', headers: json, body: JSON.stringify(signIn) });
  expectConforms('createToken', issued, 201);
  const auth = { authorization: `Bearer ${String(issued.json()['token'])}` };

  const anonymous = await call(base('profile'), `/profile/${userId}`);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('content-type')).toBe('application/problem+json');

  const putProfile = await call(base('profile'), `/profile/${userId}`, { method: 'PUT', headers: { ...auth, ...json }, body: JSON.stringify(exampleBody('putProfile')) });
  expectConforms('putProfile', putProfile, 201);

  const putLocation = await call(base('location'), `/loc/${userId}`, { method: 'PUT', headers: { ...auth, ...json }, body: JSON.stringify(exampleBody('putLocation')) });
  expectConforms('putLocation', putLocation, 200);

  const getLocation = await call(base('location'), `/loc/${userId}`, { headers: auth });
  expectConforms('getLocation', getLocation, 200);

  const history = await call(base('location'), `/loc/${userId}/history`, { headers: auth });
  expectConforms('listLocationHistory', history, 200);

  // Profile reads the location through the location API's published URL: its local base URL.
  const profile = await call(base('profile'), `/profile/${userId}`, { headers: auth });
  expectConforms('getProfile', profile, 200);
  expect(profile.json()['location']).toMatchObject({ latitude: exampleBody('putLocation')['latitude'] });

  const revoked = await call(base('auth'), '/tokens/current', { method: 'DELETE', headers: auth });
  expectConforms('revokeCurrentToken', revoked, 204);
});
