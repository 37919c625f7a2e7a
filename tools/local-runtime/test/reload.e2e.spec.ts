/**
 * `RunningRuntime.reload`: a newly synthesized assembly swapped into a running runtime while
 * clients keep calling it, over real HTTP. Stored data stays, new tables and functions appear,
 * routes and throttling follow the new templates, removed tables keep their data, and a reload the
 * new assembly cannot support changes nothing.
 */
import { buildFixtureAssembly } from '../fixtures/build';
import { startRuntime, type RunningRuntime } from '../src';
import { call, TEST_LIMITS } from './helpers';

jest.setTimeout(120_000);

const headers = { authorization: 'Bearer allow-ivy', 'content-type': 'application/json' };
let runtime: RunningRuntime;
const logLines: string[] = [];
let base: string;
let withExtra: string;
let extraRekeyed: string;

beforeAll(async () => {
  // The same system; then with a stack of its own (table, function, API) and a looser stage limit;
  // then that stack's table keyed differently (DynamoDB cannot change a key schema in place).
  base = await buildFixtureAssembly(TEST_LIMITS);
  withExtra = await buildFixtureAssembly({
    ...TEST_LIMITS,
    stageRateLimit: 1000,
    stageBurstLimit: 1000,
    extraTableKey: 'id',
  });
  extraRekeyed = await buildFixtureAssembly({
    ...TEST_LIMITS,
    stageRateLimit: 1000,
    stageBurstLimit: 1000,
    extraTableKey: 'pk',
  });
  runtime = await startRuntime({
    assemblyDir: base,
    port: 0,
    inMemory: true,
    quiet: true,
    log: (line) => logLines.push(line),
  });
});

afterAll(() => runtime?.close());

/**
 * Clients calling `GET /items/<n>` while `during` runs: every request must be answered with its own
 * id; a 429 is the stage throttle doing its job, anything else is a dropped request.
 */
async function keepCalling(
  during: () => Promise<void>,
): Promise<{ answered: number; wrong: string[] }> {
  let stop = false;
  let answered = 0;
  const wrong: string[] = [];
  let n = 0;
  const client = async () => {
    while (!stop) {
      const id = `r${n++}`;
      const reply = await call(runtime.origin, `/items/${id}?ms=20`);
      if (reply.status === 429) continue;
      answered++;
      if (reply.status !== 200 || reply.json()['id'] !== id)
        wrong.push(`${id}: ${reply.status} ${reply.text}`);
    }
  };
  const clients = Array.from({ length: 4 }, client);
  await during();
  stop = true;
  await Promise.all(clients);
  return { answered, wrong };
}

it('swaps in a new stack, table, function and routes while requests are in flight, keeping stored data', async () => {
  const put = await call(runtime.origin, '/notes/kept', {
    method: 'PUT',
    headers,
    body: JSON.stringify({ text: 'still here' }),
  });
  expect(put.status).toBe(201);
  expect((await call(runtime.origin, '/extra/a')).status).toBe(404);

  let summary: Awaited<ReturnType<RunningRuntime['reload']>> | undefined;
  const calls = await keepCalling(async () => {
    summary = await runtime.reload(withExtra);
  });

  expect(calls.wrong).toEqual([]);
  expect(calls.answered).toBeGreaterThan(0);
  expect(summary).toEqual({
    functions: { added: [expect.stringMatching(/^FxExtra\/ExtraFn/)], updated: [], removed: [] },
    tables: { created: [expect.stringMatching(/^FxExtra-Extra/)], leftAlone: [] },
    apis: { changed: true, routesAdded: ['GET /extra/{id}', 'PUT /extra/{id}'], routesRemoved: [] },
  });
  expect((await call(runtime.origin, '/notes/kept', { headers })).json()).toEqual({
    id: 'kept',
    text: 'still here',
  });
  const extraPut = await call(runtime.origin, '/extra/a', {
    method: 'PUT',
    headers,
    body: JSON.stringify({ text: 'new table' }),
  });
  expect(extraPut.status).toBe(201);
  expect((await call(runtime.origin, '/extra/a')).json()).toEqual({ id: 'a', text: 'new table' });
  expect(runtime.routes.map((route) => route.path)).toContain('/extra/{id}');
});

it('refuses an assembly whose table changed its key, and keeps serving the old system unchanged', async () => {
  await expect(runtime.reload(extraRekeyed)).rejects.toThrow(
    /Table FxExtra-Extra\S* in the local store differs from its template: key schema is id:HASH, template says pk:HASH/,
  );
  expect((await call(runtime.origin, '/extra/a')).json()).toEqual({ id: 'a', text: 'new table' });
  await expect(runtime.reload('/nowhere/cdk.out')).rejects.toThrow(
    /No cloud assembly at \/nowhere\/cdk.out/,
  );
  expect((await call(runtime.origin, '/items/still')).status).toBe(200);
});

it('takes a stack away again: its routes go, its table is left alone with its data and a warning', async () => {
  const summary = await runtime.reload(base);

  expect(summary.functions.removed).toEqual([expect.stringMatching(/^FxExtra\/ExtraFn/)]);
  expect(summary.tables.leftAlone).toEqual([expect.stringMatching(/^FxExtra-Extra/)]);
  expect(summary.apis.routesRemoved).toEqual(['GET /extra/{id}', 'PUT /extra/{id}']);
  expect(
    logLines.some((line) =>
      /table FxExtra-Extra\S* .* is no longer in the templates: left alone/.test(line),
    ),
  ).toBe(true);
  expect((await call(runtime.origin, '/extra/a')).status).toBe(404);
  // The stage limit is the base one again (rate 20, burst 10): a burst beyond it is throttled.
  const statuses = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      call(runtime.origin, `/items/t${i}`).then((r) => r.status),
    ),
  );
  expect(statuses).toContain(429);

  // Added back, the table is the one left alone: its data is still there.
  await runtime.reload(withExtra);
  expect((await call(runtime.origin, '/extra/a')).json()).toEqual({ id: 'a', text: 'new table' });
});

it('keeps warm environments of functions whose code and configuration did not change', async () => {
  const coldStarts = () => {
    const items = runtime.system.functions.find((fn) => fn.id.startsWith('FxItems/Items'));
    return runtime.lambda.stats(items?.id ?? 'missing').coldStarts;
  };
  await call(runtime.origin, '/items/warm');
  const before = coldStarts();
  const summary = await runtime.reload(withExtra);
  expect(summary).toEqual({
    functions: { added: [], updated: [], removed: [] },
    tables: { created: [], leftAlone: [] },
    apis: { changed: false, routesAdded: [], routesRemoved: [] },
  });
  await call(runtime.origin, '/items/warm');
  expect(coldStarts()).toBe(before);
});
