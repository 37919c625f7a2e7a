import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord, LogSink } from '../logs/types';
import { ExecutionEnvironment } from './execution-environment';
import { createLambdaService } from './lambda-service';
import type { FunctionSpec, InvokeResult, LambdaService, LambdaServiceOptions } from './types';

jest.setTimeout(20_000);

const fixtures = join(__dirname, '__fixtures__');

function spec(name: string, handler: string, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    id: `SmTest/${name}Function`,
    functionName: `SmTest-${name}`,
    codeDir: fixtures,
    handler,
    runtime: 'nodejs22.x',
    environment: {},
    timeoutSeconds: 3,
    memorySizeMB: 128,
    logGroupName: `/aws/lambda/SmTest-${name}`,
    ...extra,
  };
}

/** Keeps records in memory so tests can read what the platform and the function wrote. */
function memorySink(): LogSink & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    write: (record) => void records.push(record),
    flush: async () => undefined,
    close: async () => undefined,
  };
}

function expectKind<K extends InvokeResult['kind']>(
  result: InvokeResult,
  kind: K,
): Extract<InvokeResult, { kind: K }> {
  if (result.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(result)}`);
  return result as Extract<InvokeResult, { kind: K }>;
}

let services: LambdaService[] = [];
function service(opts: LambdaServiceOptions = {}): LambdaService {
  const created = createLambdaService(opts);
  services.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(services.map((s) => s.close()));
  services = [];
});

describe('execution environments', () => {
  it('starts cold once, then reuses the same warm environment', async () => {
    const lambda = service();
    const fn = spec('Echo', 'echo.handler');
    lambda.register(fn);

    const first = expectKind(await lambda.invoke(fn.id, { n: 1 }), 'ok');
    const second = expectKind(await lambda.invoke(fn.id, { n: 2 }), 'ok');

    expect(first.coldStart).toBe(true);
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(second.coldStart).toBe(false);
    expect(second.initDurationMs).toBeUndefined();
    const [p1, p2] = [first.payload, second.payload] as Array<{
      threadId: number;
      invocations: number;
      event: unknown;
    }>;
    expect(p2?.threadId).toBe(p1?.threadId);
    expect(p2?.invocations).toBe(2);
    expect(p2?.event).toEqual({ n: 2 });
    expect(lambda.stats(fn.id)).toEqual({
      warm: 1,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 1,
      internalErrors: 0,
      handOvers: { queued: 0, takenBack: 0 },
      lastInit: { durationMs: first.initDurationMs, cpuMs: expect.any(Number) },
    });
  });

  it('reclaims an environment left idle past the idle timeout; the next call is cold', async () => {
    const lambda = service({ idleTimeoutMs: 150 });
    const fn = spec('Echo', 'echo.handler');
    lambda.register(fn);
    await lambda.invoke(fn.id, {});
    expect(lambda.stats(fn.id).warm).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(lambda.stats(fn.id).warm).toBe(0);
    expect(expectKind(await lambda.invoke(fn.id, {}), 'ok').coldStart).toBe(true);
    expect(lambda.stats(fn.id)).toMatchObject({
      warm: 1,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 2,
    });
  });

  it('logs the cold start with its Init Duration and START/END/REPORT per invocation', async () => {
    const sink = memorySink();
    const lambda = service({ logSink: sink });
    const fn = spec('Echo', 'echo.handler', { memorySizeMB: 256 });
    lambda.register(fn);

    await lambda.invoke(fn.id, {}, { requestId: 'req-cold' });
    await lambda.invoke(fn.id, {}, { requestId: 'req-warm' });

    const platform = sink.records.filter((r) => r.origin === 'platform').map((r) => r.message);
    expect(platform[0]).toMatch(/^INIT_START /);
    expect(platform).toContain('START RequestId: req-cold Version: $LATEST');
    expect(platform).toContain('END RequestId: req-warm');
    const reports = platform.filter((m) => m.startsWith('REPORT'));
    expect(reports[0]).toMatch(
      /^REPORT RequestId: req-cold\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/,
    );
    expect(reports[1]).not.toContain('Init Duration');
    expect(
      sink.records.every(
        (r) => r.logGroup === '/aws/lambda/SmTest-Echo' && r.source === 'test:echo',
      ),
    ).toBe(true);
  });

  it('throttles the call beyond reserved concurrency at once, and none when calls are sequential', async () => {
    const lambda = service();
    const fn = spec('Sleep', 'sleep.handler', { reservedConcurrency: 2 });
    lambda.register(fn);

    const parallel = await Promise.all([0, 1, 2].map(() => lambda.invoke(fn.id, { ms: 300 })));
    const throttled = parallel.filter((r) => r.kind === 'throttled');
    expect(throttled).toEqual([
      { kind: 'throttled', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    ]);
    expect(parallel.filter((r) => r.kind === 'ok')).toHaveLength(2);

    for (let i = 0; i < 4; i++) expectKind(await lambda.invoke(fn.id, { ms: 1 }), 'ok');
    expect(lambda.stats(fn.id)).toMatchObject({
      warm: 2,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 2,
    });
  });

  it('throttles every call of a function reserved at zero', async () => {
    const lambda = service();
    const fn = spec('Disabled', 'echo.handler', { reservedConcurrency: 0 });
    lambda.register(fn);
    expect(await lambda.invoke(fn.id, {})).toEqual({
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  it('bounds unreserved functions together by the concurrency the account has left', async () => {
    const lambda = service({ accountConcurrency: 3, unreservedMinimum: 0 });
    const reserved = spec('Reserved', 'sleep.handler', { reservedConcurrency: 1 });
    const a = spec('A', 'sleep.handler');
    const b = spec('B', 'sleep.handler');
    [reserved, a, b].forEach((f) => lambda.register(f));

    // 3 - 1 reserved = 2 for A and B together.
    const results = await Promise.all([
      lambda.invoke(a.id, { ms: 300 }),
      lambda.invoke(b.id, { ms: 300 }),
      lambda.invoke(a.id, { ms: 300 }),
      lambda.invoke(reserved.id, { ms: 300 }),
    ]);
    expect(results.map((r) => r.kind)).toEqual(['ok', 'ok', 'throttled', 'ok']);
    expect(results[2]).toEqual({ kind: 'throttled', reason: 'ConcurrentInvocationLimitExceeded' });
  });

  it('refuses a reservation that leaves less than the unreserved minimum', () => {
    const lambda = service({ accountConcurrency: 1000 });
    lambda.register(spec('Big', 'echo.handler', { reservedConcurrency: 850 }));
    expect(() =>
      lambda.register(spec('Bigger', 'echo.handler', { reservedConcurrency: 100 })),
    ).toThrow(/leaving 50 of the account's 1000 unreserved; Lambda requires at least 100/);
  });

  it('refuses a spec AWS would refuse, naming the value', () => {
    const lambda = service();
    expect(() => lambda.register(spec('Tiny', 'echo.handler', { memorySizeMB: 64 }))).toThrow(
      'Function SmTest/TinyFunction: memorySizeMB 64 is outside 128..10240',
    );
    expect(() => lambda.register(spec('Py', 'echo.handler', { runtime: 'python3.12' }))).toThrow(
      /not a Node.js runtime/,
    );
  });
});

describe('starting environments on shared cores', () => {
  /** Samples stats every 5 ms while `work` runs: the most environments seen in INIT at once. */
  async function peakInitializing(
    lambda: LambdaService,
    ids: string[],
    work: Promise<unknown>,
  ): Promise<number> {
    let peak = 0;
    const sample = () => {
      const now = ids.reduce((sum, id) => sum + lambda.stats(id).initializing, 0);
      peak = Math.max(peak, now);
    };
    sample();
    const timer = setInterval(sample, 5);
    try {
      await work;
    } finally {
      clearInterval(timer);
    }
    return peak;
  }

  it('runs at most maxConcurrentInits INITs at once across functions, and still answers every call', async () => {
    const lambda = service({ maxConcurrentInits: 2 });
    const a = spec('SlowA', 'slow-init.handler', { reservedConcurrency: 10 });
    const b = spec('SlowB', 'slow-init.handler');
    lambda.register(a);
    lambda.register(b);

    const calls = Promise.all([
      ...Array.from({ length: 6 }, () => lambda.invoke(a.id, { ms: 200 })),
      ...Array.from({ length: 3 }, () => lambda.invoke(b.id, { ms: 200 })),
    ]);
    expect(lambda.stats(a.id)).toMatchObject({ initializing: 2, waiting: 6, busy: 0 });
    expect(lambda.stats(b.id)).toMatchObject({ initializing: 0, waiting: 3 });
    const peak = await peakInitializing(lambda, [a.id, b.id], calls);

    expect(peak).toBe(2);
    expect((await calls).map((r) => r.kind)).toEqual(Array(9).fill('ok'));
    // Never more environments than calls, and b got its own although a asked first.
    expect(lambda.stats(a.id).coldStarts).toBeLessThanOrEqual(6);
    expect(lambda.stats(b.id).coldStarts).toBeGreaterThanOrEqual(1);
  });

  it('lets a call wait for a busy environment rather than start an INIT it would wait longer for', async () => {
    const lambda = service({ maxConcurrentInits: 1 });
    const fn = spec('Slow', 'slow-init.handler');
    lambda.register(fn);
    const warm = expectKind(await lambda.invoke(fn.id, { ms: 0 }), 'ok');
    expect(warm.coldStart).toBe(true);

    const busy = lambda.invoke(fn.id, { ms: 100 });
    // No idle environment, but the busy one frees in ~100 ms, sooner than an INIT (600 ms) would.
    const waiting = lambda.invoke(fn.id, { ms: 0 });
    expect(lambda.stats(fn.id)).toMatchObject({ busy: 1, waiting: 1, initializing: 0 });
    const served = expectKind(await waiting, 'ok');

    expect(served.coldStart).toBe(false);
    expect((served.payload as { threadId: number }).threadId).toBe(
      (warm.payload as { threadId: number }).threadId,
    );
    expectKind(await busy, 'ok');
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 1, coldStarts: 1 });
  });

  it('starts an INIT for a call that has waited as long as the last INIT took, served by whichever frees first', async () => {
    const lambda = service({ maxConcurrentInits: 1 });
    const fn = spec('Slow', 'slow-init.handler', { timeoutSeconds: 600 });
    lambda.register(fn);
    const warm = expectKind(await lambda.invoke(fn.id, { ms: 0 }), 'ok');
    const initMs = warm.initDurationMs as number;

    // Busy far longer than two INITs take even on a loaded CI machine (an INIT there can take
    // seconds); the test ends with close() long before this call would.
    const busy = lambda.invoke(fn.id, { ms: 300_000 });
    const started = performance.now();
    const waiting = lambda.invoke(fn.id, { ms: 0 });
    const served = expectKind(await waiting, 'ok');
    const waitedMs = performance.now() - started;

    // It waited for the busy environment for about one INIT, then ran on a new one.
    expect(served.coldStart).toBe(true);
    expect(waitedMs).toBeGreaterThanOrEqual(initMs);
    expect(waitedMs).toBeLessThan(60_000);
    expect((served.payload as { threadId: number }).threadId).not.toBe(
      (warm.payload as { threadId: number }).threadId,
    );
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 2, busy: 1, coldStarts: 2 });
    await lambda.close();
    expect(await busy).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
  }, 90_000);

  it('counts a waiting call toward reserved concurrency: one more is throttled at once', async () => {
    const lambda = service({ maxConcurrentInits: 1 });
    const fn = spec('Slow', 'slow-init.handler', { reservedConcurrency: 2 });
    lambda.register(fn);

    const first = lambda.invoke(fn.id, { ms: 0 });
    const second = lambda.invoke(fn.id, { ms: 0 });
    expect(lambda.stats(fn.id)).toMatchObject({ waiting: 2, initializing: 1 });
    const started = performance.now();
    const third = await lambda.invoke(fn.id, { ms: 0 });

    expect(performance.now() - started).toBeLessThan(50);
    expect(third).toEqual({
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect((await Promise.all([first, second])).map((r) => r.kind)).toEqual(['ok', 'ok']);
  });

  it('does not count an invocation whose environment has answered, unread by a busy main thread, toward the limit', async () => {
    const lambda = service();
    const fn = spec('Sleep', 'sleep.handler', { reservedConcurrency: 1 });
    lambda.register(fn);
    await lambda.invoke(fn.id, { ms: 0 }); // warm

    const first = lambda.invoke(fn.id, { ms: 0 });
    // This thread stays busy (as under load) while the environment answers.
    const until = Date.now() + 500;
    while (Date.now() < until) {
      // the answer waits in the port
    }
    const second = lambda.invoke(fn.id, { ms: 0 });

    expect((await Promise.all([first, second])).map((r) => r.kind)).toEqual(['ok', 'ok']);
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 1, coldStarts: 1 });
    // Without the answer, the limit holds.
    const running = lambda.invoke(fn.id, { ms: 300 });
    expect(await lambda.invoke(fn.id, { ms: 0 })).toEqual({
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expectKind(await running, 'ok');
  });

  it('gives a failed INIT to the call it started for, each in turn', async () => {
    const sink = memorySink();
    const lambda = service({ maxConcurrentInits: 1, logSink: sink });
    const fn = spec('Missing', 'missing.handler');
    lambda.register(fn);

    const results = await Promise.all(
      ['req-1', 'req-2', 'req-3'].map((requestId) => lambda.invoke(fn.id, {}, { requestId })),
    );

    expect(results.map((r) => (r.kind === 'error' ? r.errorType : r.kind))).toEqual(
      Array(3).fill('Runtime.ImportModuleError'),
    );
    expect(lambda.stats(fn.id)).toEqual({
      warm: 0,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 3,
      internalErrors: 0,
      handOvers: { queued: 0, takenBack: 0 },
    });
    const reports = sink.records.filter((r) => r.message.startsWith('REPORT'));
    expect(reports.map((r) => r.requestId)).toEqual(['req-1', 'req-2', 'req-3']);
    expect(reports[0]?.message).toMatch(/\tStatus: error\tError Type: Runtime.ImportModuleError$/);
  });

  it('answers calls still waiting at close() with Runtime.ExitError', async () => {
    const lambda = createLambdaService({ maxConcurrentInits: 1 });
    const fn = spec('Slow', 'slow-init.handler');
    lambda.register(fn);
    const calls = Promise.all([lambda.invoke(fn.id, {}), lambda.invoke(fn.id, {})]);

    await lambda.close();

    expect(await calls).toEqual([
      expect.objectContaining({ kind: 'error', errorType: 'Runtime.ExitError' }),
      expect.objectContaining({ kind: 'error', errorType: 'Runtime.ExitError' }),
    ]);
  });
});

describe('invocations queued on a busy environment', () => {
  interface Echoed {
    event: { i: number };
    requestId: string;
    threadId: number;
    invocations: number;
  }

  it('runs a burst of short calls on the warm environment one after another, each exactly once', async () => {
    const lambda = service();
    const fn = spec('Echo', 'echo.handler');
    lambda.register(fn);
    const warm = expectKind(await lambda.invoke(fn.id, { i: -1 }), 'ok').payload as Echoed;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => lambda.invoke(fn.id, { i }, { requestId: `req-${i}` })),
    );

    const echoed = results.map((result) => expectKind(result, 'ok').payload as Echoed);
    // Every call got its own answer…
    expect(echoed.map((e) => [e.event.i, e.requestId])).toEqual(
      Array.from({ length: 50 }, (_, i) => [i, `req-${i}`]),
    );
    // …and ran once, one at a time per environment: the per-environment counters never repeat.
    const runs = echoed.map((e) => `${e.threadId}:${e.invocations}`);
    expect(new Set(runs).size).toBe(50);
    expect(echoed.filter((e) => e.threadId === warm.threadId).length).toBeGreaterThan(0);
    expect(lambda.stats(fn.id)).toMatchObject({ busy: 0, waiting: 0 });
  });

  it('takes a queued call back when the one ahead runs long: it waits about one INIT, then runs elsewhere', async () => {
    const lambda = service();
    const fn = spec('Sleep', 'sleep.handler', { timeoutSeconds: 60 });
    lambda.register(fn);
    const warm = expectKind(await lambda.invoke(fn.id, { ms: 0 }), 'ok');
    expectKind(await lambda.invoke(fn.id, { ms: 0 }), 'ok');
    const initMs = warm.initDurationMs as number;

    const long = lambda.invoke(fn.id, { ms: 30_000 });
    const started = performance.now();
    const queued = lambda.invoke(fn.id, { ms: 0 });
    expect(lambda.stats(fn.id)).toMatchObject({ busy: 1, waiting: 1 });
    const served = expectKind(await queued, 'ok');
    const waitedMs = performance.now() - started;

    expect(served.coldStart).toBe(true);
    expect((served.payload as { threadId: number }).threadId).not.toBe(
      (warm.payload as { threadId: number }).threadId,
    );
    expect(waitedMs).toBeGreaterThanOrEqual(initMs);
    expect(waitedMs).toBeLessThan(15_000);
    await lambda.close();
    expect(await long).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
  }, 30_000);

  it('gives a queued call its environment never started to another one when that environment dies', async () => {
    const lambda = service();
    const fn = spec('Throws', 'throws.handler');
    lambda.register(fn);
    const warm = expectKind(await lambda.invoke(fn.id, { mode: 'ok' }), 'ok');

    const exiting = lambda.invoke(fn.id, { mode: 'exit' });
    const queued = lambda.invoke(fn.id, { mode: 'ok' });
    expect(lambda.stats(fn.id)).toMatchObject({ busy: 1, waiting: 1 });

    expect(await exiting).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
    const served = expectKind(await queued, 'ok');
    expect(served.coldStart).toBe(true);
    expect((served.payload as { threadId: number }).threadId).not.toBe(
      (warm.payload as { threadId: number }).threadId,
    );
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 1, busy: 0, waiting: 0, coldStarts: 2 });
  });

  it('hands a queued call to the environment that frees first', async () => {
    const lambda = service();
    const fn = spec('Sleep', 'sleep.handler', { timeoutSeconds: 60 });
    lambda.register(fn);
    // Two warm environments, both last used for short calls.
    await Promise.all([lambda.invoke(fn.id, { ms: 300 }), lambda.invoke(fn.id, { ms: 300 })]);
    expectKind(await lambda.invoke(fn.id, { ms: 0 }), 'ok');
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 2, coldStarts: 2 });

    const long = lambda.invoke(fn.id, { ms: 30_000 });
    const short = lambda.invoke(fn.id, { ms: 20 });
    // Both environments busy; this one is queued on one of them.
    const queued = lambda.invoke(fn.id, { ms: 0 });
    expect(lambda.stats(fn.id)).toMatchObject({ busy: 2, waiting: 1 });

    const shortThread = (expectKind(await short, 'ok').payload as { threadId: number }).threadId;
    const served = expectKind(await queued, 'ok');
    expect(served.coldStart).toBe(false);
    expect((served.payload as { threadId: number }).threadId).toBe(shortThread);
    await lambda.close();
    expect(await long).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
  }, 30_000);
});

describe('timeouts', () => {
  it.each([
    ['waiting on a timer', false],
    ['blocking its thread', true],
  ])('destroys an environment %s past its timeout; the next call is cold', async (_, busy) => {
    const sink = memorySink();
    const lambda = service({ logSink: sink });
    const fn = spec('Sleep', 'sleep.handler', { timeoutSeconds: 0.5 });
    lambda.register(fn);
    const warm = expectKind(await lambda.invoke(fn.id, { ms: 1 }), 'ok');

    const started = Date.now();
    const result = expectKind(
      await lambda.invoke(fn.id, { ms: 5000, busy }, { requestId: 'req-slow' }),
      'timeout',
    );

    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.durationMs).toBeGreaterThanOrEqual(495);
    expect(lambda.stats(fn.id)).toMatchObject({
      warm: 0,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 1,
    });
    const next = expectKind(await lambda.invoke(fn.id, { ms: 1 }), 'ok');
    expect(next.coldStart).toBe(true);
    expect((next.payload as { threadId: number }).threadId).not.toBe(
      (warm.payload as { threadId: number }).threadId,
    );
    const messages = sink.records.map((r) => r.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/ req-slow Task timed out after 0\.50 seconds$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^REPORT RequestId: req-slow\t.*\tStatus: timeout$/),
    );
  });

  it('delivers an answer given within the timeout though this thread reads it only after the timeout', async () => {
    const lambda = service();
    const fn = spec('Sleep', 'sleep.handler', { timeoutSeconds: 0.5 });
    lambda.register(fn);
    expectKind(await lambda.invoke(fn.id, { ms: 1 }), 'ok');

    const answer = lambda.invoke(fn.id, { ms: 200 }, { requestId: 'req-in-time' });
    // This thread stays busy past the timeout: the answer (after ~200 ms) waits unread while the
    // 500 ms timer becomes due, as when the runtime's main thread is loaded.
    const until = Date.now() + 800;
    while (Date.now() < until) {
      // busy
    }

    const result = expectKind(await answer, 'ok');
    expect(result.payload).toMatchObject({ slept: 200 });
    expect(result.durationMs).toBeLessThan(500);
    // The environment was not destroyed as timed out: the next call is warm.
    expect(expectKind(await lambda.invoke(fn.id, { ms: 1 }), 'ok').coldStart).toBe(false);
  });

  it('gives the handler its remaining time through the context', async () => {
    const lambda = service();
    const fn = spec('Env', 'env.handler', { timeoutSeconds: 2 });
    lambda.register(fn);
    const { payload } = expectKind(await lambda.invoke(fn.id, {}), 'ok');
    const remaining = (payload as { context: { remainingMs: number } }).context.remainingMs;
    expect(remaining).toBeGreaterThan(1500);
    expect(remaining).toBeLessThanOrEqual(2000);
  });
});

describe('errors', () => {
  it('returns a thrown error as Lambda error payload and keeps the environment', async () => {
    const lambda = service();
    const fn = spec('Throws', 'throws.handler');
    lambda.register(fn);

    const result = expectKind(await lambda.invoke(fn.id, { mode: 'throw' }), 'error');

    expect(result.errorType).toBe('ValidationError');
    expect(result.errorMessage).toBe('username is required');
    expect(result.stackTrace?.[0]).toBe('ValidationError: username is required');
    expect(result.stackTrace?.[1]).toContain('throws.js');
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 1, coldStarts: 1 });
    expectKind(await lambda.invoke(fn.id, { mode: 'ok' }), 'ok');
    expect(lambda.stats(fn.id).coldStarts).toBe(1);
  });

  it('reports a non-Error rejection by its type, as the runtime does', async () => {
    const lambda = service();
    const fn = spec('Throws', 'throws.handler');
    lambda.register(fn);
    expect(await lambda.invoke(fn.id, { mode: 'string' })).toMatchObject({
      kind: 'error',
      errorType: 'string',
      errorMessage: 'plain string',
      stackTrace: [],
    });
  });

  it('handles a synchronous throw', async () => {
    const lambda = service();
    const fn = spec('SyncThrow', 'throws.syncThrow');
    lambda.register(fn);
    expect(await lambda.invoke(fn.id, {})).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'thrown synchronously',
    });
  });

  it.each([
    ['exit', 'Runtime.ExitError', /Runtime exited with error: exit status 2$/],
    ['uncaught', 'TypeError', /^thrown from a timer$/],
    ['unhandled', 'Runtime.UnhandledPromiseRejection', /^RangeError: nobody handles me$/],
  ])('destroys the environment on %s', async (mode, errorType, message) => {
    const lambda = service();
    const fn = spec('Throws', 'throws.handler');
    lambda.register(fn);

    const result = expectKind(
      await lambda.invoke(fn.id, { mode }, { requestId: 'req-crash' }),
      'error',
    );

    expect(result.errorType).toBe(errorType);
    expect(result.errorMessage).toMatch(message);
    expect(lambda.stats(fn.id)).toMatchObject({
      warm: 0,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 1,
    });
    expect(expectKind(await lambda.invoke(fn.id, { mode: 'ok' }), 'ok').coldStart).toBe(true);
  });

  it('fails INIT with Runtime.ImportModuleError for a missing bundle and retries INIT next time', async () => {
    const sink = memorySink();
    const lambda = service({ logSink: sink });
    const fn = spec('Missing', 'missing.handler');
    lambda.register(fn);

    const result = expectKind(await lambda.invoke(fn.id, {}), 'error');
    expect(result.errorType).toBe('Runtime.ImportModuleError');
    expect(result.errorMessage).toContain("Cannot find module 'missing'");
    expect(sink.records.map((r) => r.message)).toContainEqual(
      expect.stringMatching(
        /^INIT_REPORT Init Duration: .*\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError$/,
      ),
    );
    await lambda.invoke(fn.id, {});
    expect(lambda.stats(fn.id)).toEqual({
      warm: 0,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 2,
      internalErrors: 0,
      handOvers: { queued: 0, takenBack: 0 },
    });
  });

  it('reports an error thrown while loading the module, and a handler that is not exported', async () => {
    const lambda = service();
    lambda.register(spec('InitError', 'init-error.handler'));
    lambda.register(spec('NoExport', 'echo.nothing'));
    expect(await lambda.invoke('SmTest/InitErrorFunction', {})).toMatchObject({
      kind: 'error',
      errorType: 'Error',
      errorMessage: 'config: USERS_TABLE_NAME is not set',
    });
    expect(await lambda.invoke('SmTest/NoExportFunction', {})).toMatchObject({
      kind: 'error',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'echo.nothing is undefined or not exported',
    });
  });

  it('ends an environment that exceeds its memory with Runtime.OutOfMemory', async () => {
    const lambda = service();
    const fn = spec('Oom', 'oom.handler', { memorySizeMB: 128 });
    lambda.register(fn);

    // Control: well inside the limit the same code succeeds.
    expect(expectKind(await lambda.invoke(fn.id, { mb: 16 }), 'ok').payload).toMatchObject({
      allocatedMb: 16,
    });
    const result = expectKind(await lambda.invoke(fn.id, {}, { requestId: 'req-oom' }), 'error');

    expect(result.errorType).toBe('Runtime.OutOfMemory');
    expect(result.errorMessage).toBe(
      'RequestId: req-oom Error: Runtime exited with error: signal: killed',
    );
    expect(lambda.stats(fn.id)).toMatchObject({
      warm: 0,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 1,
    });
  });
});

describe('memory outside the heap', () => {
  it('ends an environment whose Buffers outgrow its memory with Runtime.OutOfMemory', async () => {
    const lambda = service();
    const fn = spec('Buffers', 'buffers.handler', { memorySizeMB: 128 });
    lambda.register(fn);

    // Control: well inside the limit the same code succeeds, and the environment stays.
    expect(expectKind(await lambda.invoke(fn.id, { mb: 32 }), 'ok').payload).toEqual({
      allocatedMb: 32,
      keptMb: 0,
    });
    const kept = expectKind(
      await lambda.invoke(fn.id, { mb: 300, keep: true }, { requestId: 'req-buffers' }),
      'error',
    );

    expect(kept.errorType).toBe('Runtime.OutOfMemory');
    expect(kept.errorMessage).toBe(
      'RequestId: req-buffers Error: Runtime exited with error: signal: killed',
    );
    expect(lambda.stats(fn.id)).toMatchObject({ warm: 0, busy: 0, coldStarts: 1 });
  });

  it('ends it while the invocation still runs, not only when it returns', async () => {
    const lambda = service();
    // The handler would hold the Buffers far past the function's timeout: only a check while it
    // runs can end it with Runtime.OutOfMemory; without one the call times out after 10 s.
    const fn = spec('Buffers', 'buffers.handler', { memorySizeMB: 128, timeoutSeconds: 10 });
    lambda.register(fn);

    const result = expectKind(await lambda.invoke(fn.id, { mb: 300, holdMs: 60_000 }), 'error');

    expect(result.errorType).toBe('Runtime.OutOfMemory');
  });
});

describe('freezing between invocations', () => {
  it("runs a function's timers only while it serves an invocation, as Lambda freezes the environment in between", async () => {
    const sink = memorySink();
    const lambda = service({ logSink: sink });
    const fn = spec('Ticker', 'ticker.handler');
    lambda.register(fn);

    const first = expectKind(await lambda.invoke(fn.id, { ms: 100 }, { requestId: 'req-1' }), 'ok');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = expectKind(await lambda.invoke(fn.id, {}, { requestId: 'req-2' }), 'ok');

    // Ticks during the first call's 100 ms (about 10 on a quiet machine, fewer on a loaded one);
    // none in the 400 ms between the calls (about 40 if it were not frozen) but the one overdue when
    // the environment thaws, and perhaps one during the second call.
    const { ticks: before } = first.payload as { ticks: number };
    const { ticks: after } = second.payload as { ticks: number };
    expect(before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThanOrEqual(2);
    // No line was written while frozen: every tick belongs to the invocation it ran in.
    const messages = sink.records.map(
      (r) => `${r.requestId ?? '-'} ${r.message.split('\t').pop()}`,
    );
    const endOfFirst = messages.findIndex((m) => m.startsWith('req-1 END'));
    const startOfSecond = messages.findIndex((m) => m.startsWith('req-2 START'));
    expect(endOfFirst).toBeGreaterThan(0);
    expect(messages.slice(endOfFirst + 1, startOfSecond).filter((m) => m.includes('tick'))).toEqual(
      [],
    );
    for (const record of sink.records.filter((r) => r.message.includes('\ttick '))) {
      expect(['req-1', 'req-2']).toContain(record.requestId);
    }
  });
});

describe('an environment that cannot be started', () => {
  it('answers the call it was for and counts nothing, so the next call starts one', async () => {
    // The one fault the real environment cannot be made to show here: `new Worker` throwing
    // synchronously (e.g. the process is out of threads). Injected through the factory option.
    let failures = 1;
    const lambda = service({
      createEnvironment: (host) => {
        if (failures-- > 0) throw new Error('no threads left');
        return new ExecutionEnvironment(host);
      },
    });
    const fn = spec('Echo', 'echo.handler', { reservedConcurrency: 1 });
    lambda.register(fn);

    const failed = expectKind(
      await lambda.invoke(fn.id, { n: 1 }, { requestId: 'req-1' }),
      'error',
    );

    expect(failed.errorType).toBe('Runtime.ExitError');
    expect(failed.errorMessage).toBe(
      'RequestId: req-1 Error: Runtime exited: could not start an execution environment: no threads left',
    );
    expect(lambda.stats(fn.id)).toMatchObject({
      warm: 0,
      busy: 0,
      waiting: 0,
      initializing: 0,
      coldStarts: 0,
    });
    expect(lambda.checkInvariants()).toEqual([]);
    // Nothing stayed counted: with reserved concurrency 1, the next call is admitted and served.
    const next = expectKind(await lambda.invoke(fn.id, { n: 2 }), 'ok');
    expect(next.coldStart).toBe(true);
  });
});

describe('handler styles', () => {
  it('waits for the event loop to empty after a callback unless told not to', async () => {
    const lambda = service();
    const fn = spec('Callback', 'callback.handler');
    lambda.register(fn);

    const waited = expectKind(await lambda.invoke(fn.id, { pendingMs: 200 }), 'ok');
    const notWaited = expectKind(await lambda.invoke(fn.id, { pendingMs: 200, wait: false }), 'ok');

    expect(waited.payload).toEqual({ via: 'callback' });
    expect(waited.durationMs).toBeGreaterThanOrEqual(190);
    expect(notWaited.durationMs).toBeLessThan(150);
    expect(await lambda.invoke(fn.id, { fail: true })).toMatchObject({
      kind: 'error',
      errorMessage: 'callback failure',
    });
  });

  it('answers null for a handler that returns a value without a promise or callback', async () => {
    const lambda = service();
    const fn = spec('SyncReturn', 'callback.syncReturn');
    lambda.register(fn);
    expect(expectKind(await lambda.invoke(fn.id, { x: 1 }), 'ok').payload).toBeNull();
  });
});

describe('environment variables and context', () => {
  it('gives each function its own environment with the variables Lambda sets', async () => {
    process.env.LEAK_CHECK = 'parent-process-value';
    const lambda = service({ region: 'eu-west-1', accountId: '111122223333' });
    const one = spec('One', 'env.handler', {
      environment: {
        TABLE_NAME: 'one-table',
        INIT_MARK: 'one',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      },
    });
    const two = spec('Two', 'env.handler', {
      environment: { TABLE_NAME: 'two-table', INIT_MARK: 'two' },
      memorySizeMB: 512,
    });
    lambda.register(one);
    lambda.register(two);

    type EnvPayload = {
      env: Record<string, string>;
      seenAtInit: string;
      context: Record<string, unknown>;
    };
    const a = expectKind(await lambda.invoke(one.id, {}, { requestId: 'req-a' }), 'ok')
      .payload as EnvPayload;
    const b = expectKind(await lambda.invoke(two.id, {}, { requestId: 'req-b' }), 'ok')
      .payload as EnvPayload;
    delete process.env.LEAK_CHECK;

    expect(a.env.TABLE_NAME).toBe('one-table');
    expect(b.env.TABLE_NAME).toBe('two-table');
    // A write to process.env in one environment is invisible to the other and to this process.
    expect(a.seenAtInit).toBe('one');
    expect(b.seenAtInit).toBe('two');
    expect(a.env.INIT_MARK).toBe('changed-by-SmTest-One');
    expect(process.env.INIT_MARK).toBeUndefined();
    expect(a.env.LEAK_CHECK).toBeUndefined();
    expect(a.env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_LAMBDA_FUNCTION_NAME: 'SmTest-One',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/SmTest-One',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: fixtures,
      _HANDLER: 'env.handler',
      TZ: ':UTC',
    });
    expect(b.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('512');
    expect(a.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(
      /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/,
    );
    expect(a.env._X_AMZN_TRACE_ID).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      expect(a.env[key]).toBeTruthy();
    expect(a.context).toEqual({
      functionName: 'SmTest-One',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:SmTest-One',
      memoryLimitInMB: '128',
      awsRequestId: 'req-a',
      logGroupName: '/aws/lambda/SmTest-One',
      logStreamName: a.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      remainingMs: expect.any(Number),
    });
  });

  it('sets a fresh trace id per invocation, or the one given', async () => {
    const lambda = service();
    const fn = spec('Env', 'env.handler');
    lambda.register(fn);
    const traceOf = async (traceId?: string): Promise<string | undefined> =>
      (
        expectKind(await lambda.invoke(fn.id, {}, { traceId }), 'ok').payload as {
          env: Record<string, string>;
        }
      ).env._X_AMZN_TRACE_ID;
    const [t1, t2, given] = [
      await traceOf(),
      await traceOf(),
      await traceOf('Root=1-5759e988-bd862e3fe1be46a994272793'),
    ];
    expect(t1).not.toBe(t2);
    expect(given).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
  });
});

describe('modules a bundle can load, as on Lambda', () => {
  // A bundle outside the repository, and one inside it as cdk.out's assets are: from there Node
  // would find the workspace's node_modules in a parent directory, which Lambda does not have.
  const places = [
    ['outside the workspace', () => tmpdir()],
    ['inside the workspace', () => join(__dirname, '../../../../tmp')],
  ] as const;
  const created: string[] = [];
  afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each(places)(
    'resolves @aws-sdk/* left external by a bundle %s, and nothing else',
    async (_, parent) => {
      mkdirSync(parent(), { recursive: true });
      const base = mkdtempSync(join(parent(), 'lambda-external-sdk-'));
      created.push(base);
      const codeDir = join(base, 'asset');
      mkdirSync(codeDir);
      writeFileSync(
        join(codeDir, 'external.js'),
        "exports.sdk = async () => typeof require('@aws-sdk/client-dynamodb').DynamoDBClient;\n" +
          "exports.other = async () => typeof require('openapi-fetch');\n" +
          "exports.parent = async () => typeof require('../package.json');\n",
      );
      writeFileSync(join(codeDir, '..', 'package.json'), '{}');
      const lambda = service();
      lambda.register(spec('Sdk', 'external.sdk', { codeDir }));
      lambda.register(spec('Other', 'external.other', { codeDir }));
      lambda.register(spec('Parent', 'external.parent', { codeDir }));

      expect(await lambda.invoke('SmTest/SdkFunction', {})).toMatchObject({
        kind: 'ok',
        payload: 'function',
      });
      expect(await lambda.invoke('SmTest/OtherFunction', {})).toMatchObject({
        kind: 'error',
        errorType: 'Error',
        errorMessage: expect.stringContaining("Cannot find module 'openapi-fetch'"),
      });
      // Nothing outside the asset directory exists on Lambda, relative paths included.
      expect(await lambda.invoke('SmTest/ParentFunction', {})).toMatchObject({
        kind: 'error',
        errorMessage: expect.stringContaining("Cannot find module '../package.json'"),
      });
    },
  );
});

describe('events', () => {
  it('refuses an event that cannot be sent as JSON, keeping the environment usable', async () => {
    const lambda = service();
    const fn = spec('Echo', 'echo.handler');
    lambda.register(fn);

    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const event of [{ count: 1n }, cyclic]) {
      expect(await lambda.invoke(fn.id, event)).toMatchObject({
        kind: 'error',
        errorType: 'InvalidRequestContentException',
      });
    }
    // Refused before it reached Lambda: nothing started, nothing counted against concurrency.
    expect(lambda.stats(fn.id)).toMatchObject({ busy: 0, waiting: 0, coldStarts: 0 });
    expect(await lambda.invoke(fn.id, { fine: true })).toMatchObject({
      kind: 'ok',
      payload: { event: { fine: true } },
    });
  });

  it('passes the event and answers with what survives JSON, as Lambda and its runtime serialize both', async () => {
    const lambda = service();
    const fn = spec('Echo', 'echo.handler');
    lambda.register(fn);
    const { payload } = expectKind(
      await lambda.invoke(fn.id, { at: new Date(0), gone: undefined, callback: () => undefined }),
      'ok',
    );
    expect((payload as { event: unknown }).event).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });
});

describe('close', () => {
  it('ends running invocations and refuses new ones', async () => {
    const lambda = createLambdaService();
    const fn = spec('Sleep', 'sleep.handler');
    lambda.register(fn);
    const running = lambda.invoke(fn.id, { ms: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));

    await lambda.close();

    expect(await running).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
    await expect(lambda.invoke(fn.id, {})).rejects.toThrow('closed');
  });

  it('rejects an unknown function id with the registered ones', async () => {
    const lambda = service();
    lambda.register(spec('Echo', 'echo.handler'));
    await expect(lambda.invoke('SmTest/Nope', {})).rejects.toThrow(
      'No function SmTest/Nope; registered: SmTest/EchoFunction',
    );
  });
});
