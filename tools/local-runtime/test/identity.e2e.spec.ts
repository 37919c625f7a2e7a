/**
 * Every answer belongs to its request, checked from outside as the defect was found: many HTTP
 * clients at once against `GET /items/{id}` (the function answers the id it was given), limits far
 * above the load, each answer's id compared with its request's. Most calls are instant and some
 * last milliseconds (`?ms=N`), so calls queue on busy environments and are taken back.
 */
import { Agent, request } from 'node:http';
import { startRuntime, type RunningRuntime } from '../src';
import { buildFixtureAssembly } from '../fixtures/build';

jest.setTimeout(120_000);

/** As the benchmark runs it: throttling on, far above what this machine can send. */
const LIMITS = { stageRateLimit: 100_000, stageBurstLimit: 50_000 } as const;
const CLIENTS = 64;
const DURATION_MS = 3_000;

let runtime: RunningRuntime;
beforeAll(async () => {
  runtime = await startRuntime({
    assemblyDir: await buildFixtureAssembly(LIMITS),
    port: 0,
    inMemory: true,
    quiet: true,
  });
});
afterAll(() => runtime?.close());

function get(
  agent: Agent,
  origin: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

it(`gives each of ${CLIENTS} concurrent clients the answer to its own request, for ${DURATION_MS / 1000} s`, async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const until = performance.now() + DURATION_MS;
  let sent = 0;
  const statuses = new Map<number, number>();
  const crossed: string[] = [];
  const client = async (index: number) => {
    for (let n = 0; performance.now() < until; n++) {
      const id = `c${index}-${n}`;
      sent++;
      // A fixed mix, different per client and call: 85 % instant, 10 % 1–3 ms, 5 % 20–40 ms.
      const roll = (index * 7919 + n * 104729) % 100;
      const ms = roll < 85 ? 0 : roll < 95 ? 1 + (roll % 3) : 20 + (roll % 21);
      const reply = await get(agent, runtime.origin, `/items/${id}?ms=${ms}`);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status !== 200) continue;
      const answered = (JSON.parse(reply.body) as { id: string }).id;
      if (answered !== id) crossed.push(`${id} got ${answered}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  } finally {
    agent.destroy();
  }

  const items = runtime.system.functions.find((fn) => fn.id.startsWith('FxItems/Items'));
  if (!items) throw new Error('the fixture assembly has no items function');
  const stats = runtime.lambda.stats(items.id);
  // Printed: how much the run exercised the hand-over (queued calls and take-backs).
  console.log(
    `${sent} requests from ${CLIENTS} clients: statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${crossed.length} crossed, hand-overs ${JSON.stringify(stats.handOvers)}`,
  );
  expect({ crossed: crossed.slice(0, 5), count: crossed.length }).toEqual({
    crossed: [],
    count: 0,
  });
  expect(Object.fromEntries(statuses)).toEqual({ 200: sent });
  expect(sent).toBeGreaterThan(CLIENTS * 10);
  expect(stats.internalErrors).toBe(0);
  expect(runtime.lambda.checkInvariants()).toEqual([]);
});
