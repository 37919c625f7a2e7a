/**
 * Randomized test of a weighted alias over two builds of one function (a canary): many callers at
 * once through the alias `live`, 10 % of calls to version 2, the function's reservation shared by
 * both versions. Every answer must belong to its call (the function echoes the id it was given and
 * the request id it ran as) and come from the build of the version the router says ran it; every
 * call must be answered exactly once; the calls in flight never exceed the reservation; and the
 * share of calls routed to version 2 must be what its weight says, within a binomial bound.
 *
 * The seed is printed; `ALIAS_SEED=<n>` replays a run, `ALIAS_CALLS=<n>` makes it longer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAliasRouter, type AliasRouter, type RoutedInvocation } from './alias-router';
import { random } from './__fixtures__/random-calls';
import { createLambdaService } from './lambda-service';
import type { FunctionSpec, InvokeResult } from './types';

jest.setTimeout(120_000);


type Behaviour = { do: 'spin'; us: number } | { do: 'sleep'; ms: number } | { do: 'throw' };

interface Call {
  id: string;
  requestId: string;
  behaviour: Behaviour;
  /** Issued after the alias moved wholly to version 2. */
  afterShift: boolean;
  result?: InvokeResult;
  version?: string;
  answers: number;
}

function drawBehaviour(next: () => number): Behaviour {
  const roll = next();
  if (roll < 0.6) return { do: 'spin', us: Math.floor(next() * 500) };
  if (roll < 0.9) return { do: 'sleep', ms: Math.floor(next() * 4) };
  if (roll < 0.97) return { do: 'sleep', ms: 4 + Math.floor(next() * 20) };
  return { do: 'throw' };
}

const RESERVED = 12;
const WEIGHT = 0.1;

describe('a weighted alias over two builds, randomized', () => {
  let router: AliasRouter | undefined;
  let dir: string;
  beforeAll(() => {
    // Version 2 is another build: the same handler, changed so its answers say so.
    dir = mkdtempSync(join(tmpdir(), 'alias-router-'));
    const code = readFileSync(join(__dirname, '__fixtures__', 'identity.js'), 'utf8');
    writeFileSync(
      join(dir, 'identity.js'),
      code.replace('return { id: event.id', "return { build: 'next', id: event.id"),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await router?.close();
    router = undefined;
  });

  it('answers every call exactly once, with its own answer from the build that ran it, in the proportion of the weight, within the reservation', async () => {
    const seed = Number(process.env['ALIAS_SEED'] ?? Date.now() % 2 ** 31);
    const calls = Number(process.env['ALIAS_CALLS'] ?? 2000);
    const clients = 16;
    console.log(`alias randomized test: seed ${seed}, ${calls} calls from ${clients} clients`);
    const next = random(seed);
    router = createAliasRouter(createLambdaService({ idleTimeoutMs: 0 }), {
      random: random(seed ^ 0x5bd1e995),
    });
    const base: Omit<FunctionSpec, 'id' | 'codeDir'> = {
      functionName: 'SmTest-Identity',
      handler: 'identity.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: 5,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmTest-Identity',
      invokedQualifier: 'live',
    };
    // The current build is the function ($LATEST = version 2); the previous build is version 1.
    const fnId = 'SmTest/IdentityFunction';
    router.register({
      ...base,
      id: fnId,
      codeDir: dir,
      version: '2',
      reservedConcurrency: RESERVED,
    });
    router.publishVersion(fnId, '1', {
      ...base,
      id: `${fnId}@1`,
      codeDir: join(__dirname, '__fixtures__'),
    });
    router.setAlias(fnId, 'live', { version: '1', additionalVersionWeights: { '2': WEIGHT } });

    const routed: RoutedInvocation[] = [];
    router.onInvoked((invocation) => routed.push(invocation));
    const all: Call[] = [];
    const violations: string[] = [];
    let issued = 0;
    let shifted = false;
    const client = async (index: number): Promise<void> => {
      while (issued < calls) {
        const n = issued++;
        // Two thirds through, the shift completes: the alias moves wholly to version 2.
        if (n === Math.floor((calls * 2) / 3) && !shifted) {
          router!.setAlias(fnId, 'live', { version: '2' });
          shifted = true;
        }
        const call: Call = {
          id: `c${index}-${n}`,
          requestId: `req-${n}`,
          behaviour: drawBehaviour(next),
          afterShift: shifted,
          answers: 0,
        };
        all.push(call);
        const { result, version } = await router!.invokeQualified(
          fnId,
          { id: call.id, ...call.behaviour },
          { requestId: call.requestId, qualifier: 'live' },
        );
        call.result = result;
        call.version = version;
        call.answers++;
        if (next() < 0.2) violations.push(...router!.checkInvariants());
        // A throttled client backs off before its next call, as the SDK's retry strategy would.
        if (result.kind === 'throttled')
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(next() * 20)));
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));

    const wrong: string[] = [];
    for (const call of all) {
      const { result, version } = call;
      if (call.answers !== 1 || !result) {
        wrong.push(`${call.id}: answered ${call.answers} times`);
        continue;
      }
      if (call.afterShift && version !== '2')
        wrong.push(`${call.id}: issued after the shift, ran on version ${version}`);
      if (result.kind === 'throttled') continue;
      if (call.behaviour.do === 'throw') {
        if (result.kind !== 'error' || !result.errorMessage.endsWith(call.id))
          wrong.push(`${call.id}: expected its own error, got ${JSON.stringify(result)}`);
        continue;
      }
      if (result.kind !== 'ok') {
        wrong.push(`${call.id}: ${JSON.stringify(result)}`);
        continue;
      }
      const payload = result.payload as { id: string; requestId: string; build?: string };
      if (payload.id !== call.id || payload.requestId !== call.requestId)
        wrong.push(
          `${call.id} (${call.requestId}) got the answer of ${payload.id} (${payload.requestId})`,
        );
      const build = payload.build === 'next' ? '2' : '1';
      if (build !== version)
        wrong.push(
          `${call.id}: the router says version ${version} ran it, the answer came from version ${build}'s build`,
        );
    }
    // Every answer was reported once, to the listener, with the version the caller was told.
    expect(routed).toHaveLength(calls);
    expect(new Set(routed.map((r) => r.requestId)).size).toBe(calls);

    const canary = all.filter((c) => !c.afterShift);
    const toVersion2 = canary.filter((c) => c.version === '2').length;
    const expected = canary.length * WEIGHT;
    const sd = Math.sqrt(canary.length * WEIGHT * (1 - WEIGHT));
    const throttled = all.filter((c) => c.result?.kind === 'throttled').length;
    console.log(
      `alias randomized test: ${canary.length} calls during the canary, ${toVersion2} to version 2 (expected ${expected.toFixed(0)} ± ${(5 * sd).toFixed(1)}), ${throttled} throttled at the shared reservation of ${RESERVED}, ${wrong.length} wrong answers`,
    );
    expect({ seed, wrong: wrong.slice(0, 10), count: wrong.length }).toEqual({
      seed,
      wrong: [],
      count: 0,
    });
    expect(violations.slice(0, 10)).toEqual([]);
    expect(router.checkInvariants()).toEqual([]);
    // Binomial: a deviation beyond 5 standard deviations has a probability below 1e-6.
    expect(Math.abs(toVersion2 - expected)).toBeLessThanOrEqual(5 * sd);
    // 16 callers against a reservation of 12: the shared cap was reached, and it held; most calls ran.
    expect(throttled).toBeGreaterThan(0);
    expect(throttled).toBeLessThan(calls * 0.8);
  });

  it('throttles at the function’s reservation across both versions, not per version', async () => {
    router = createAliasRouter(createLambdaService({ idleTimeoutMs: 0 }), { random: () => 0.99 });
    const fnId = 'SmTest/Sleeper';
    const base = {
      functionName: 'SmTest-Sleeper',
      handler: 'identity.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: 5,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmTest-Sleeper',
    };
    router.register({ ...base, id: fnId, codeDir: dir, version: '2', reservedConcurrency: 2 });
    router.publishVersion(fnId, '1', {
      ...base,
      id: `${fnId}@1`,
      codeDir: join(__dirname, '__fixtures__'),
    });
    router.setAlias(fnId, 'live', { version: '1', additionalVersionWeights: { '2': 0.5 } });
    const sleep = (id: string, qualifier: string) =>
      router!.invokeQualified(fnId, { id, do: 'sleep', ms: 300 }, { qualifier });

    // One call on each version fills the reservation of 2; a third, on either, is throttled.
    const running = [sleep('a', '1'), sleep('b', '2')];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await sleep('c', 'live');
    const answered = await Promise.all(running);

    expect(third.result).toEqual({
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(answered.map((a) => [a.version, a.result.kind])).toEqual([
      ['1', 'ok'],
      ['2', 'ok'],
    ]);
    expect((await sleep('d', 'live')).result.kind).toBe('ok');
  });

  it('refuses an alias that names a version the function does not have, and answers an unknown qualifier as Lambda does', async () => {
    router = createAliasRouter(createLambdaService({ idleTimeoutMs: 0 }));
    const fnId = 'SmTest/One';
    router.register({
      id: fnId,
      functionName: 'SmTest-One',
      codeDir: join(__dirname, '__fixtures__'),
      handler: 'identity.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: 5,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmTest-One',
      version: '1',
    });
    expect(() => router!.setAlias(fnId, 'live', { version: '3' })).toThrow(
      'alias router: SmTest/One has no version 3 for alias live (versions: $LATEST, 1)',
    );
    expect(() =>
      router!.setAlias(fnId, 'live', { version: '1', additionalVersionWeights: { $LATEST: 1.5 } }),
    ).toThrow(/weights .* must be in \[0, 1\]/);
    expect(
      (await router.invokeQualified(fnId, { id: 'x' }, { qualifier: 'blue' })).result,
    ).toMatchObject({ kind: 'error', errorType: 'ResourceNotFoundException' });
    router.setAlias(fnId, 'live', { version: '1' });
    const { result, version } = await router.invokeQualified(
      fnId,
      { id: 'y' },
      { qualifier: 'live' },
    );
    expect({ kind: result.kind, version }).toEqual({ kind: 'ok', version: '1' });
  });
});
