/**
 * Randomized concurrency test of the Lambda service's hand-over to execution environments: many
 * callers at once, each calling again as soon as it is answered, with durations drawn from a mix of
 * sub-millisecond and multi-millisecond work, environments that die, calls queued on busy
 * environments and taken back, and timeouts. Every answer must belong to its call (the function
 * echoes the id it was given and the request id it ran as) and every call must be answered exactly
 * once, with the outcome its behaviour implies.
 *
 * The seed is printed; `HANDOVER_SEED=<n>` replays a run, `HANDOVER_CALLS=<n>` makes it longer.
 */
import { join } from 'node:path';
import { checkAnswer, drawBehaviour, random, type Call } from './__fixtures__/random-calls';
import { createLambdaService } from './lambda-service';
import type { FunctionSpec, InvokeResult, LambdaService } from './types';

jest.setTimeout(120_000);

interface Outcome {
  call: Call;
  result: InvokeResult;
  answers: number;
}

const TIMEOUT_SECONDS = 0.4;

function check(outcome: Outcome): string | undefined {
  return checkAnswer(outcome.call, outcome.result, outcome.answers, TIMEOUT_SECONDS);
}

async function runClients(
  lambda: LambdaService,
  fn: FunctionSpec,
  options: { clients: number; calls: number; seed: number },
): Promise<{ outcomes: Outcome[]; violations: string[] }> {
  const next = random(options.seed);
  const outcomes: Outcome[] = [];
  const violations: string[] = [];
  let issued = 0;
  const client = async (clientIndex: number): Promise<void> => {
    while (issued < options.calls) {
      const n = issued++;
      const call: Call = {
        id: `c${clientIndex}-${n}`,
        requestId: `req-${n}`,
        behaviour: drawBehaviour(next, TIMEOUT_SECONDS),
      };
      const outcome: Outcome = { call, result: undefined as unknown as InvokeResult, answers: 0 };
      outcomes.push(outcome);
      // A promise settles once: a second answer to the same call is caught where answers are
      // delivered (counted in stats().internalErrors); here we check the one the caller sees.
      outcome.result = await lambda.invoke(
        fn.id,
        { id: call.id, ...call.behaviour },
        { requestId: call.requestId },
      );
      outcome.answers++;
      // The invariants (hand-over.ts) hold between any two events, not only at the end.
      if (next() < 0.2) violations.push(...lambda.checkInvariants());
      // Sometimes a caller pauses, so environments go idle and the pool shrinks and grows.
      if (next() < 0.05)
        await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 5)));
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return { outcomes, violations };
}

describe('hand-over of invocations to execution environments, randomized', () => {
  let lambda: LambdaService | undefined;
  afterEach(async () => {
    await lambda?.close();
    lambda = undefined;
  });

  it('answers every call exactly once, with its own answer, under concurrency, deaths, take-backs and timeouts', async () => {
    const seed = Number(process.env['HANDOVER_SEED'] ?? Date.now() % 2 ** 31);
    const calls = Number(process.env['HANDOVER_CALLS'] ?? 3000);
    const clients = 24;
    // Printed so a failure can be replayed with HANDOVER_SEED.
    console.log(`hand-over randomized test: seed ${seed}, ${calls} calls from ${clients} clients`);
    lambda = createLambdaService({ idleTimeoutMs: 0 });
    const fn: FunctionSpec = {
      id: 'SmTest/IdentityFunction',
      functionName: 'SmTest-Identity',
      codeDir: join(__dirname, '__fixtures__'),
      handler: 'identity.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: TIMEOUT_SECONDS,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmTest-Identity',
    };
    lambda.register(fn);

    const { outcomes, violations } = await runClients(lambda, fn, { clients, calls, seed });

    const failures = outcomes
      .map(check)
      .filter((failure): failure is string => failure !== undefined);
    const stats = lambda.stats(fn.id);
    console.log(
      `hand-over randomized test: ${failures.length} wrong answers, ${stats.coldStarts} cold starts, hand-overs ${JSON.stringify(stats.handOvers)}`,
    );
    expect({
      seed,
      calls: outcomes.length,
      failures: failures.slice(0, 10),
      failed: failures.length,
    }).toEqual({
      seed,
      calls,
      failures: [],
      failed: 0,
    });
    expect(violations.slice(0, 10)).toEqual([]);
    expect(lambda.checkInvariants()).toEqual([]);
    expect(stats).toMatchObject({ busy: 0, waiting: 0, initializing: 0, internalErrors: 0 });
    // The run exercised what it is about: calls queued on busy environments, and taken back.
    expect(stats.handOvers.queued).toBeGreaterThan(0);
    expect(stats.handOvers.takenBack).toBeGreaterThan(0);
  });
});
