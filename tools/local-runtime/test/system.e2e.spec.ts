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
import { request } from 'node:http';
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

it('serves every contract operation, and nothing else, on one origin; every other method of a path is API Gateway\'s 405', () => {
  const served = runtime.routes.filter((route) => route.mockStatus === undefined).map((route) => `${route.method} ${route.path}`).sort();
  const declared = [...contracts.values()]
    .flatMap((document) => Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`)))
    .sort();
  expect(served).toEqual(declared);
  const refusing = runtime.routes.filter((route) => route.mockStatus !== undefined).map((route) => `${route.method} ${route.path} ${route.mockStatus}`).sort();
  const paths = [...contracts.values()].flatMap((document) => Object.keys(document.paths));
  expect(refusing).toEqual(paths.map((path) => `ANY ${path} 405`).sort());
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

/** One request with any method (fetch refuses TRACE), its status, headers and body. */
function raw(base: string, path: string, method: string, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // Content-Length by hand: Node's client sends a GET/DELETE/TRACE body without any framing,
    // which leaves the body on the keep-alive socket as the start of a next "request".
    const framing = body === undefined ? {} : { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${base}${path}`, { method, headers: framing }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

describe.each(targets)('what every answer promises, %s', (_where, base) => {
  it.each([
    ['auth', 'TRACE', '/users', 'POST'],
    ['auth', 'GET', '/tokens', 'POST'],
    ['auth', 'PUT', '/tokens/current', 'DELETE'],
    ['location', 'DELETE', `/loc/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10`, 'GET, PUT'],
    ['location', 'POST', `/loc/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10/history`, 'GET'],
    ['profile', 'PATCH', `/profile/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10`, 'GET, PUT'],
  ])('%s answers %s %s with 405, Allow: %s and a problem, whatever the body', async (service, method, path, allow) => {
    const reply = await raw(base(service), path, method, method === 'TRACE' ? undefined : 'not json at all');
    expect({ status: reply.status, allow: reply.headers['allow'] }).toEqual({ status: 405, allow });
    expect(reply.headers).toMatchObject({ 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...SECURITY_HEADERS });
    expect(reply.json).toMatchObject({ type: 'urn:problem-type:method-not-allowed', status: 405, instance: `/prod${path}` });
    expect(reply.json['requestId']).toEqual(reply.headers['x-amzn-requestid']);
  });

  it('answers an unknown path with a 404 that does not talk about authentication tokens', async () => {
    const reply = await raw(base('location'), '/nothing/here', 'GET');
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ type: 'urn:problem-type:route-not-found', detail: 'No resource exists at this path.' });
    expect(JSON.stringify(reply.json)).not.toMatch(/Authentication Token/i);
    expect(reply.headers).toMatchObject({ 'cache-control': 'no-store', ...SECURITY_HEADERS });
  });

  it('sends nosniff and the policy on every answer, no-store on authenticated and error answers, and Location on 201', async () => {
    const json = { 'content-type': 'application/json' };
    const user: Record<string, unknown> = { ...exampleBody('createUser'), username: `hdr_${Date.now().toString(36)}` };
    const created = await call(base('auth'), '/users', { method: 'POST', headers: json, body: JSON.stringify(user) });
    expect(created.status).toBe(201);
    const userId = String(created.json()['userId']);
    expect(Object.fromEntries(created.headers)).toMatchObject(SECURITY_HEADERS);

    const issued = await call(base('auth'), '/tokens', { method: 'POST', headers: json, body: JSON.stringify({ username: user['username'], password: user['password'] }) });
    expect(Object.fromEntries(issued.headers)).toMatchObject({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });
    // Relative references: they resolve against the request's URL, stage path included.
    expect(new URL(issued.headers.get('location')!, `${base('auth')}/tokens`).href).toBe(`${base('auth')}/tokens/current`);
    const auth = { authorization: `Bearer ${String(issued.json()['token'])}` };

    const put = await call(base('profile'), `/profile/${userId}`, { method: 'PUT', headers: { ...auth, ...json }, body: JSON.stringify(exampleBody('putProfile')) });
    expect(put.status).toBe(201);
    expect(Object.fromEntries(put.headers)).toMatchObject({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });
    expect(new URL(put.headers.get('location')!, `${base('profile')}/profile/${userId}`).href).toBe(`${base('profile')}/profile/${userId}`);

    const missing = await call(base('location'), `/loc/${userId}`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(Object.fromEntries(missing.headers)).toMatchObject({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });

    const anonymous = await call(base('location'), `/loc/${userId}`);
    expect(anonymous.status).toBe(401);
    expect(Object.fromEntries(anonymous.headers)).toMatchObject({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });
  });
});

it('shows a location exactly to its owner and coarsely to anyone else, through location and through the profile that embeds it', async () => {
  const json = { 'content-type': 'application/json' };
  const signUp = async (prefix: string) => {
    const user: Record<string, unknown> = { ...exampleBody('createUser'), username: `${prefix}_${Date.now().toString(36)}` };
    const { userId } = (await call(origin, '/users', { method: 'POST', headers: json, body: JSON.stringify(user) })).json() as { userId: string };
    const { token } = (await call(origin, '/tokens', { method: 'POST', headers: json, body: JSON.stringify({ username: user['username'], password: user['password'] }) })).json() as { token: string };
    return { userId, auth: { authorization: `Bearer ${token}` } };
  };
  // Side by side: two registrations and sign-ins are the test's cost (scrypt).
  const [owner, other] = await Promise.all([signUp('exact'), signUp('nosy')]);
  await call(origin, `/profile/${owner.userId}`, { method: 'PUT', headers: { ...owner.auth, ...json }, body: JSON.stringify(exampleBody('putProfile')) });
  await call(origin, `/loc/${owner.userId}`, { method: 'PUT', headers: { ...owner.auth, ...json }, body: JSON.stringify({ latitude: 52.520008123, longitude: 13.404954321, accuracy: 5 }) });

  const exact = { latitude: 52.520008123, longitude: 13.404954321, accuracy: 5 };
  const coarse = { latitude: 52.52, longitude: 13.4, accuracy: 800 };
  expect((await call(origin, `/loc/${owner.userId}`, { headers: owner.auth })).json()).toMatchObject(exact);
  expect((await call(origin, `/loc/${owner.userId}`, { headers: other.auth })).json()).toMatchObject(coarse);
  expect((await call(origin, `/profile/${owner.userId}`, { headers: owner.auth })).json()['location']).toMatchObject(exact);
  expect((await call(origin, `/profile/${owner.userId}`, { headers: other.auth })).json()['location']).toMatchObject(coarse);
});

// Last in the file: it leaves 127.0.0.1 rate-limited on auth's sign-in and registration for a minute.
describe('AWS WAF in front of the auth stage, applied locally from the assembly', () => {
  it('lets one address sign in or register at most 20 times a minute, then answers 429 with Retry-After; other routes and the other APIs go on', async () => {
    const auth = runtime.apis.find((api) => api.service === 'auth')!;
    // Bodies API Gateway refuses without running a function: WAF counts them all the same.
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof raw>> | undefined;
    for (let i = 0; i < 24; i += 1) {
      // Paced under the stage's method throttle (10/s), so every 429 here is WAF's.
      await new Promise((resolve) => setTimeout(resolve, 60));
      const reply = await raw(auth.baseUrl, i % 2 === 0 ? '/tokens' : '/users', 'POST', '{}');
      statuses.push(reply.status);
      if (reply.status === 429) refused ??= reply;
    }

    const firstRefused = statuses.indexOf(429);
    // Earlier tests of this file signed in and registered from this address too: at most 20 in all get through.
    expect(firstRefused).toBeGreaterThan(0);
    expect(firstRefused).toBeLessThanOrEqual(20);
    // Before: API Gateway's own answer to the body (415: raw() sends text/plain); after: WAF's, every time.
    expect({ before: [...new Set(statuses.slice(0, firstRefused))], after: [...new Set(statuses.slice(firstRefused))] }).toEqual({ before: [415], after: [429] });
    expect(refused!.headers).toMatchObject({ 'retry-after': '60', 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    expect(refused!.json).toEqual({ type: 'urn:problem-type:throttled', title: 'Too Many Requests', status: 429, detail: 'Too many requests from this address; retry later.' });

    // Not in the rule's scope: auth's other operation, and location behind its own web ACL.
    expect((await raw(auth.baseUrl, '/tokens/current', 'DELETE')).status).toBe(401);
    expect((await raw(origin, '/loc/3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10', 'GET')).status).toBe(401);
  });
});
