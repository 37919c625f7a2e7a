/**
 * The document client against a stand-in store over real HTTP (the real SDK, this library's
 * configuration): retries in standard mode bounded by the invocation's deadline. The stand-in is
 * the only way to get DynamoDB's throttling errors and a store that stops answering.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { newBudget, runWithBudget } from '@sm/deadline';
import { startScriptedStore, type ScriptedStore, type StoreAnswer } from '../test/scripted-store';
import { createDocumentClient } from './create-document-client';
import { MIN_ATTEMPT_MS } from './deadline-client-config';

jest.setTimeout(20_000);

const ENV = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_DYNAMODB',
] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

let store: ScriptedStore | undefined;
afterEach(() => store?.close());

/** A client of a stand-in that answers as `script` says. */
async function clientOf(script: (call: number) => StoreAnswer) {
  store = await startScriptedStore(script);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
  });
  return createDocumentClient();
}

const get = new GetCommand({ TableName: 'T', Key: { id: 'a' } });
/** A fresh invocation budget of `ms` of waiting. */
const within = (ms: number) => newBudget(ms, Date.now() + 60_000);
const timed = async <T>(act: () => Promise<T>) => {
  const started = performance.now();
  const outcome = await act().then(
    (value) => ({ value, error: undefined as unknown }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, ms: performance.now() - started };
};

it('retries a transient failure within the deadline and returns the answer', async () => {
  const client = await clientOf((call) =>
    call === 1 ? { kind: 'error', status: 500, type: 'InternalServerError' } : { kind: 'item' },
  );
  const { value, ms } = await timed(() => runWithBudget(within(2_000), () => client.send(get)));
  expect(value?.Item).toEqual({ id: 'a' });
  expect(value?.$metadata.attempts).toBe(2);
  expect(store!.calls).toHaveLength(2);
  expect(ms).toBeLessThan(2_000);
});

it('without a deadline, is standard mode: 3 attempts, then the last error', async () => {
  const client = await clientOf(() => ({
    kind: 'error',
    status: 500,
    type: 'InternalServerError',
  }));
  const { error } = await timed(() => client.send(get));
  expect(error).toMatchObject({ name: 'InternalServerError', $metadata: { attempts: 3 } });
  expect(store!.calls).toHaveLength(3);
});

it('never waits past the deadline to retry a throttle: the throttle itself ends the call, in time', async () => {
  // A throttle's backoff base is 1 s (full jitter up to 1 s, then 2 s): with 300 ms left most
  // retries cannot fit, and the ones that could would still end by the deadline.
  const client = await clientOf(() => ({
    kind: 'error',
    status: 400,
    type: 'ThrottlingException',
  }));
  for (let round = 0; round < 5; round += 1) {
    store!.calls.length = 0;
    const { error, ms } = await timed(() => runWithBudget(within(300), () => client.send(get)));
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect((error as { $metadata: { attempts: number } }).$metadata.attempts).toBe(
      store!.calls.length,
    );
    expect(ms).toBeLessThan(300 + 100);
    // Every attempt started with at least MIN_ATTEMPT_MS left.
    const first = store!.calls[0]!;
    for (const at of store!.calls)
      expect(at - first).toBeLessThanOrEqual(300 - MIN_ATTEMPT_MS + 25);
  }
});

it('aborts an attempt the store does not answer at the deadline, not at the store’s pace', async () => {
  const client = await clientOf(() => ({ kind: 'slow', ms: 3_000 }));
  const { error, ms } = await timed(() => runWithBudget(within(400), () => client.send(get)));
  expect(error).toMatchObject({ name: 'AbortError' });
  expect((error as Error).cause).toMatchObject({ name: 'DeadlineExceededError' });
  expect(ms).toBeGreaterThanOrEqual(390);
  expect(ms).toBeLessThan(400 + 200);
  expect(store!.calls).toHaveLength(1);
});

it('makes no call at all once the deadline has passed', async () => {
  const client = await clientOf(() => ({ kind: 'item' }));
  const { error } = await timed(() =>
    runWithBudget(newBudget(0, Date.now()), () => client.send(get)),
  );
  expect(error).toMatchObject({ name: 'AbortError' });
  expect(store!.calls).toHaveLength(0);
});

it('gives a second call only what the first left of the budget', async () => {
  const client = await clientOf((call) =>
    call === 1 ? { kind: 'slow', ms: 250 } : { kind: 'slow', ms: 3_000 },
  );
  const { value, error, ms } = await timed(() =>
    runWithBudget(within(400), async () => {
      const first = await client.send(get);
      const second = await client.send(get).catch((thrown: unknown) => thrown);
      return { first, second };
    }),
  );
  expect(error).toBeUndefined();
  expect(value?.first.Item).toEqual({ id: 'late' });
  expect(value?.second).toMatchObject({ name: 'AbortError' });
  // 250 ms for the first, the remaining ~150 ms for the second: about the budget in all.
  expect(ms).toBeGreaterThanOrEqual(390);
  expect(ms).toBeLessThan(400 + 200);
});
