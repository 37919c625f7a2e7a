/**
 * A reload (what watch mode does after a save) on a system whose functions run behind versions and
 * a live alias, as the real stacks publish them (the canary fixture: one function, version and
 * `live` alias with its CodeDeploy group): the alias keeps pointing at the function's current code,
 * so every call the API admits after the reload runs the new build; and during a canary replay the
 * reload leaves the replay's alias where the replay has moved it (the previous build keeps version
 * 1, the reloaded build becomes version 2), and the shift completes onto the reloaded build. Every
 * answer must carry its own request's id.
 */
import { buildCanaryAssembly } from '../fixtures/canary/build';
import { startRuntime, type RunningRuntime } from '../src';
import { itemTraffic } from './helpers';

jest.setTimeout(120_000);

let a: string;
let b: string;
let c: string;
beforeAll(async () => {
  [a, b, c] = await Promise.all([
    buildCanaryAssembly('a'),
    buildCanaryAssembly('b'),
    buildCanaryAssembly('c'),
  ]);
});

/** Steady traffic from 4 clients, each pausing 10 ms between calls, until `stop()`. */
const traffic = (origin: string) => itemTraffic(origin, 4, 10);

const until = async (what: string, condition: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('a reload behind versions and aliases', () => {
  let runtime: RunningRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it('keeps the live alias on the function’s current code: every call admitted after the reload runs the new build', async () => {
    runtime = await startRuntime({
      assemblyDir: b,
      port: 0,
      inMemory: true,
      quiet: true,
      log: () => undefined,
      monitorLog: () => undefined,
    });
    const fn = runtime.system.functions.find((f) => f.handler.startsWith('index.'))!;
    expect(runtime.aliases.aliasOf(fn.id, 'live')).toEqual({
      version: '1',
      additionalVersionWeights: {},
    });
    const load = traffic(runtime.origin);
    await until('answers of build b', () => load.sent.length > 20);
    const summary = await runtime.reload(c);
    const reloadedAt = Date.now();
    await until(
      'answers after the reload',
      () => load.sent.filter((s) => s.sentAt > reloadedAt).length > 20,
    );
    await load.stop();

    expect(summary.functions.updated).toEqual([fn.id]);
    expect(runtime.aliases.aliasOf(fn.id, 'live')).toEqual({
      version: '1',
      additionalVersionWeights: {},
    });
    expect(load.sent.filter((s) => s.status !== 200 || s.body.id !== s.id)).toEqual([]);
    // Through the alias (the integration calls `…:live`), version 1, before and after.
    expect(load.sent.every((s) => s.body.version === '1')).toBe(true);
    const after = load.sent.filter((s) => s.sentAt > reloadedAt);
    expect(after.every((s) => s.body.build === 'c')).toBe(true);
    expect(load.sent.filter((s) => s.at < reloadedAt - 1).every((s) => s.body.build === 'b')).toBe(
      true,
    );
    expect(runtime.lambda.checkInvariants()).toEqual([]);
  });

  it('leaves a canary replay’s alias where the replay has it; the shift completes onto the reloaded build', async () => {
    const scale = 0.005; // the canary's 5 minutes are 1.5 s
    const lines: string[] = [];
    runtime = await startRuntime({
      assemblyDir: b,
      port: 0,
      inMemory: true,
      quiet: true,
      log: () => undefined,
      alarmPeriodScale: scale,
      monitorLog: (line) => lines.push(line),
      canary: { function: 'Items', previousAssemblyDir: a },
    });
    const { functionId } = runtime.canary!.plan;
    const load = traffic(runtime.origin);
    // The shift has begun: version 2 takes 10 %.
    await until(
      'the canary step',
      () => runtime!.aliases.aliasOf(functionId, 'live')?.additionalVersionWeights?.['2'] === 0.1,
    );
    const summary = await runtime.reload(c);
    const reloadedAt = Date.now();
    expect(summary.functions.updated).toEqual([functionId]);
    // The reload did not reset the alias to the template's routing (version 2, all calls).
    expect(runtime.aliases.aliasOf(functionId, 'live')).toEqual({
      version: '1',
      additionalVersionWeights: { '2': 0.1 },
    });
    const verdict = await runtime.canary!.verdict;
    const completedAt = Date.now();
    await until(
      'answers after the shift',
      () => load.sent.filter((s) => s.sentAt > completedAt).length > 10,
    );
    await load.stop();

    expect(verdict.outcome).toBe('complete');
    expect(load.sent.filter((s) => s.status !== 200 || s.body.id !== s.id)).toEqual([]);
    // Version 1 stays the previous build; version 2 is b until the reload and c for every call after it.
    for (const s of load.sent) {
      if (s.body.version === '1') expect(s.body.build).toBe('a');
      else if (s.sentAt > reloadedAt)
        expect({ version: s.body.version, build: s.body.build }).toEqual({
          version: '2',
          build: 'c',
        });
      else expect(['b', 'c']).toContain(s.body.build);
    }
    const after = load.sent.filter((s) => s.sentAt > completedAt);
    expect(after.every((s) => s.body.version === '2' && s.body.build === 'c')).toBe(true);
    expect(runtime.lambda.checkInvariants()).toEqual([]);
  });
});
