/**
 * The real system on the local runtime while its store fails, through the DynamoDB proxy's fault
 * layer (`runtime.faults`, what `npm start -- --faults` sets): the real bundles, the real SDK with
 * its retries bounded by each invocation's deadline, the real gateway responses. What a client sees:
 *
 * - a throttling, failing or too slow store is a 503 `application/problem+json` with `Retry-After`,
 *   answered within the function's deadline (never a 500, never the 5 s timeout);
 * - the authorizer fails closed (503, nothing cached: the same token works once the store is back);
 * - profile answers with `location: null` when location's store is away;
 * - a write that got a 503 was not half-made, and the service recovers on the next request.
 *
 * Every answer is checked to be about its own request's user.
 */
import { synthSystem } from '../fixtures/system-assembly';
import { parseFaultSpec, startRuntime, type RunningRuntime } from '../src';
import { call, type Reply } from './helpers';

jest.setTimeout(120_000);

let runtime: RunningRuntime;
let origin: string;
const json = { 'content-type': 'application/json' };

interface User {
  userId: string;
  username: string;
  authorization: string;
}

async function newUser(name: string): Promise<User> {
  const user = {
    username: `faults_${name}_${Date.now().toString(36)}`,
    password: 'correct horse battery staple',
    displayName: name,
  };
  const created = await call(origin, '/users', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(user),
  });
  expect(created.status).toBe(201);
  return {
    userId: String(created.json()['userId']),
    username: user.username,
    authorization: await newToken(user.username),
  };
}

async function newToken(username: string): Promise<string> {
  const token = await call(origin, '/tokens', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username, password: 'correct horse battery staple' }),
  });
  expect(token.status).toBe(201);
  return `Bearer ${String(token.json()['token'])}`;
}

const putLocation = (user: User, latitude: number) =>
  call(origin, `/loc/${user.userId}`, {
    method: 'PUT',
    headers: { ...json, authorization: user.authorization },
    body: JSON.stringify({ latitude, longitude: 13.4 }),
  });
const getLocation = (user: User, caller = user) =>
  call(origin, `/loc/${user.userId}`, { headers: { authorization: caller.authorization } });

/** Times a request. */
async function timed(request: () => Promise<Reply>): Promise<{ reply: Reply; ms: number }> {
  const started = performance.now();
  const reply = await request();
  return { reply, ms: performance.now() - started };
}

/** The 503 every service answers when a dependency is throttling, failing or too slow. */
function expectServiceUnavailable(reply: Reply): void {
  expect({
    status: reply.status,
    contentType: reply.headers.get('content-type'),
    retryAfter: reply.headers.get('retry-after'),
  }).toEqual({
    status: 503,
    contentType: 'application/problem+json',
    retryAfter: '1',
  });
  expect(reply.json()).toMatchObject({
    type: 'urn:problem-type:service-unavailable',
    status: 503,
    title: 'Service Unavailable',
  });
}

let alice: User;

beforeAll(async () => {
  runtime = await startRuntime({
    assemblyDir: synthSystem(),
    port: 0,
    inMemory: true,
    quiet: true,
    log: () => undefined,
    monitorLog: () => undefined,
  });
  origin = runtime.origin;
  alice = await newUser('alice');
  expect((await putLocation(alice, 52.5)).status).toBe(200);
});

afterAll(async () => {
  await runtime?.close();
});

afterEach(() => runtime.faults!.set(undefined));

it('answers 503 + Retry-After within the deadline when the store throttles, and writes nothing half-way', async () => {
  runtime.faults!.set(parseFaultSpec('throttle=100%,tables=Locations'));
  const read = await timed(() => getLocation(alice));
  expectServiceUnavailable(read.reply);
  // get-location's budget is 800 ms (SM_DEADLINE_MS): the SDK's retries stop within it.
  expect(read.ms).toBeLessThan(2_000);
  const write = await putLocation(alice, 48.1);
  expectServiceUnavailable(write);
  expect(runtime.faults!.counts().throttle).toBeGreaterThanOrEqual(2);

  runtime.faults!.set(undefined);
  // Back at once, and the refused write is nowhere: current and history still hold only 52.5.
  const after = await getLocation(alice);
  expect(after.status).toBe(200);
  expect(after.json()).toMatchObject({ userId: alice.userId, latitude: 52.5 });
  const history = await call(origin, `/loc/${alice.userId}/history`, {
    headers: { authorization: alice.authorization },
  });
  expect((history.json()['items'] as { latitude: number }[]).map((item) => item.latitude)).toEqual([
    52.5,
  ]);
});

it('answers 503 within the deadline, not after the store, when every store call takes 2 s more', async () => {
  runtime.faults!.set(parseFaultSpec('latency=2s,tables=Locations'));
  const { reply, ms } = await timed(() => getLocation(alice));
  expectServiceUnavailable(reply);
  expect(ms).toBeLessThan(1_800);
  // A handled 503, not a Lambda error: the function did not run into its timeout.
  const fn = runtime.system.functions.find((f) => f.functionName.includes('GetLocation'))!;
  const errors = runtime.metrics!.find({
    namespace: 'AWS/Lambda',
    name: 'Errors',
    dimensions: { FunctionName: fn.functionName },
  });
  expect(errors?.aggregate(0, Date.now() + 60_000)?.sum ?? 0).toBe(0);
});

it("answers the profile with location: null when location's store fails", async () => {
  expect(
    (
      await call(origin, `/profile/${alice.userId}`, {
        method: 'PUT',
        headers: { ...json, authorization: alice.authorization },
        body: JSON.stringify({ displayName: 'Alice' }),
      })
    ).status,
  ).toBe(201);
  const healthy = await call(origin, `/profile/${alice.userId}`, {
    headers: { authorization: alice.authorization },
  });
  expect(healthy.json()).toMatchObject({
    userId: alice.userId,
    displayName: 'Alice',
    location: { latitude: 52.5 },
  });

  runtime.faults!.set(parseFaultSpec('error=100%,tables=Locations'));
  const { reply, ms } = await timed(() =>
    call(origin, `/profile/${alice.userId}`, { headers: { authorization: alice.authorization } }),
  );
  expect(reply.status).toBe(200);
  expect(reply.json()).toMatchObject({
    userId: alice.userId,
    displayName: 'Alice',
    location: null,
  });
  // Within profile's 1 s lookup budget (location answered 503 well before it).
  expect(ms).toBeLessThan(1_500);
});

it('fails closed when the token store fails: 503 + Retry-After, no access, nothing cached', async () => {
  // A token the authorizer has not decided on yet (its decisions are cached per token).
  const fresh: User = { ...alice, authorization: await newToken(alice.username) };
  runtime.faults!.set(parseFaultSpec('throttle=100%,tables=Tokens'));
  const { reply, ms } = await timed(() => getLocation(alice, fresh));
  expectServiceUnavailable(reply);
  // The authorizer's budget is 600 ms.
  expect(ms).toBeLessThan(1_800);
  // A token it had already allowed is still served from the authorizer's cache meanwhile.
  expect((await getLocation(alice)).status).toBe(200);

  runtime.faults!.set(undefined);
  // No Deny was cached for the fresh token: it works as soon as the store is back.
  const after = await getLocation(alice, fresh);
  expect(after.status).toBe(200);
  expect(after.json()).toMatchObject({ userId: alice.userId });
});
