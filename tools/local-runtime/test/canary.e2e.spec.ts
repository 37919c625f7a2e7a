/**
 * The local replay of a safe deployment, end to end over HTTP: the previous build of a function
 * serves as version 1, the new build as version 2, and the `live` alias the API calls shifts to it
 * as its CodeDeploy deployment group says, 10 % first, watched by the group's alarms as the runtime
 * evaluates them (periods scaled down), with the deployment smoke hook (libs/deploy-hooks' real
 * bundle, through stand-ins of Lambda's Invoke and CodeDeploy's hook status) before and after. A
 * build that throws on half of its calls is rolled back while it has its 10 %; a build that cannot
 * load is stopped by the pre-traffic hook before it takes any traffic; a healthy build completes
 * its shift. Every answer must carry its own
 * request's id, and come from the build of the version it should.
 */
import { buildCanaryAssembly } from '../fixtures/canary/build';
import { API_5XX_ALARM, ERRORS_ALARM } from '../fixtures/canary/app';
import { startRuntime, type CanaryVerdict, type RunningRuntime } from '../src';
import { fixtureAssembly, itemTraffic, type SentItem } from './helpers';

jest.setTimeout(180_000);

let previous: string;
let faulty: string;
let healthy: string;
let broken: string;
beforeAll(async () => {
  [previous, faulty, healthy, broken] = await Promise.all([
    buildCanaryAssembly('a'),
    buildCanaryAssembly('faulty'),
    buildCanaryAssembly('b'),
    buildCanaryAssembly('broken'),
  ]);
});

/** Steady traffic from 4 clients, each pausing 20 ms between calls, until `stop()`. */
const traffic = (origin: string) => itemTraffic(origin, 4, 20);

/** Every 200 carries its own request's id; anything else is a wrong answer. */
function wrongAnswers(sent: SentItem[]): SentItem[] {
  return sent.filter((s) => s.status === 200 && s.body.id !== s.id);
}

const describeTimeline = (verdict: CanaryVerdict) => {
  const t0 = verdict.timeline.shiftStartedAt;
  const at = (ms: number | undefined) =>
    ms === undefined ? '-' : `${ms < t0 ? '-' : '+'}${(Math.abs(ms - t0) / 1000).toFixed(2)} s`;
  return `shift start +0.00 s, first failed call of version 2 ${at(verdict.timeline.firstFailureAt)}, first breaching period from ${at(verdict.timeline.firstBreachingPeriodAt)}, alarm ${at(verdict.timeline.alarmAt)}, verdict ${at(verdict.timeline.verdictAt)}`;
};

describe('a canary replay', () => {
  let runtime: RunningRuntime | undefined;
  const lines: string[] = [];
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    lines.length = 0;
  });

  it('rolls back a build that throws on half of its calls while it has 10 % of the traffic, within the scaled alarm period', async () => {
    const scale = 0.02; // a 1-minute alarm period is 1.2 s; the canary's 5 minutes are 6 s
    runtime = await startRuntime({
      assemblyDir: faulty,
      port: 0,
      inMemory: true,
      quiet: true,
      log: () => undefined,
      alarmPeriodScale: scale,
      monitorLog: (line) => lines.push(line),
      canary: { function: 'Items', percent: 10, previousAssemblyDir: previous },
    });
    const load = traffic(runtime.origin);
    const verdict = await runtime.canary!.verdict;
    // A little more traffic after the verdict: it must all reach the previous build again.
    const afterVerdict = Date.now() + 100;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await load.stop();

    console.log(
      `canary rollback timeline: ${describeTimeline(verdict)}; calls ${JSON.stringify(verdict.calls)}\n${lines.filter((l) => l.includes('canary')).join('\n')}`,
    );
    expect(verdict.outcome).toBe('rollback');
    expect([ERRORS_ALARM, API_5XX_ALARM]).toContain(verdict.alarm!.name);
    expect(verdict.alarm!.datapoints.some((d) => d.breaching && (d.value ?? 0) >= 1)).toBe(true);
    const { shiftStartedAt, firstFailureAt, firstBreachingPeriodAt, alarmAt, verdictAt } =
      verdict.timeline;
    const periodMs = 60_000 * scale;
    // In order: the failure, the period it falls in, the alarm that evaluated it, the verdict.
    expect(firstFailureAt).toBeGreaterThanOrEqual(shiftStartedAt);
    expect(firstBreachingPeriodAt! + periodMs).toBeGreaterThan(firstFailureAt!);
    expect(alarmAt!).toBeGreaterThanOrEqual(firstBreachingPeriodAt! + periodMs);
    expect(verdictAt).toBeGreaterThanOrEqual(alarmAt!);
    // Within the scaled alarm period: the period of the first failure ends, the next evaluation
    // (every scaled minute) sees it, the replay checks every quarter of that; 1 s for a busy machine.
    expect(verdictAt - firstFailureAt!).toBeLessThanOrEqual(2 * periodMs + periodMs / 4 + 1_000);
    // …and long before the canary's 5 (scaled) minutes were over.
    expect(verdictAt - shiftStartedAt).toBeLessThan(5 * periodMs * 5);

    expect(verdict.calls['2']!.errors).toBeGreaterThan(0);
    expect(verdict.calls['1']!.errors).toBe(0);
    expect(wrongAnswers(load.sent)).toEqual([]);
    const served = load.sent.filter((s) => s.status === 200);
    for (const answer of served)
      expect({ version: answer.body.version, build: answer.body.build }).toEqual(
        answer.body.version === '2'
          ? { version: '2', build: 'faulty' }
          : { version: '1', build: 'a' },
      );
    const late = load.sent.filter((s) => s.at > afterVerdict);
    expect(late.length).toBeGreaterThan(10);
    expect(late.every((s) => s.status === 200 && s.body.version === '1')).toBe(true);
    expect(runtime.aliases.aliasOf(runtime.canary!.plan.functionId, 'live')).toEqual({
      version: '1',
      additionalVersionWeights: {},
    });
    expect(lines.some((l) => l.includes('WOULD ROLL BACK'))).toBe(true);
  });

  it('completes the shift of a healthy build: 10 % for the scaled 5 minutes, then every call', async () => {
    const scale = 0.01; // the canary's 5 minutes are 3 s
    runtime = await startRuntime({
      assemblyDir: healthy,
      port: 0,
      inMemory: true,
      quiet: true,
      log: () => undefined,
      alarmPeriodScale: scale,
      monitorLog: (line) => lines.push(line),
      canary: { function: 'shop:index', previousAssemblyDir: previous },
    });
    expect(runtime.canary!.plan).toMatchObject({
      alias: 'live',
      oldVersion: '1',
      newVersion: '2',
      alarmNames: [ERRORS_ALARM, API_5XX_ALARM],
    });
    expect(runtime.canary!.plan.steps).toEqual([
      { weight: 0.1, minutes: 5 },
      { weight: 1, minutes: 0 },
    ]);
    const load = traffic(runtime.origin);
    const verdict = await runtime.canary!.verdict;
    const completedAt = Date.now() + 100;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await load.stop();

    console.log(
      `canary completion: ${describeTimeline(verdict)}; calls ${JSON.stringify(verdict.calls)}`,
    );
    expect(verdict.outcome).toBe('complete');
    // Both hooks ran the real smoke hook against version 2 and reported Succeeded.
    expect(
      lines.filter((l) =>
        /(pre|post)-traffic hook Succeeded: getItem: the contract's example: ok, answered 200/.test(
          l,
        ),
      ),
    ).toHaveLength(2);
    const duration = verdict.timeline.verdictAt - verdict.timeline.shiftStartedAt;
    expect(duration).toBeGreaterThanOrEqual(5 * 60_000 * scale);
    expect(duration).toBeLessThan(5 * 60_000 * scale + 2_000);
    expect(wrongAnswers(load.sent)).toEqual([]);
    expect(load.sent.every((s) => s.status === 200)).toBe(true);
    // During the canary about 10 % went to version 2 (binomial, 5 standard deviations).
    const during = load.sent.filter((s) => s.at <= verdict.timeline.verdictAt);
    const toNew = during.filter((s) => s.body.version === '2').length;
    const sd = Math.sqrt(during.length * 0.1 * 0.9);
    expect(Math.abs(toNew - during.length * 0.1)).toBeLessThanOrEqual(5 * sd + 1);
    const after = load.sent.filter((s) => s.at > completedAt);
    expect(after.length).toBeGreaterThan(10);
    expect(after.every((s) => s.body.version === '2' && s.body.build === 'b')).toBe(true);
  });

  it('stops a build that cannot load at the pre-traffic hook: version 2 never takes a call from a client', async () => {
    runtime = await startRuntime({
      assemblyDir: broken,
      port: 0,
      inMemory: true,
      quiet: true,
      log: () => undefined,
      alarmPeriodScale: 0.02,
      monitorLog: (line) => lines.push(line),
      canary: { function: 'Items', percent: 10, previousAssemblyDir: previous },
    });
    const load = traffic(runtime.origin);
    const verdict = await runtime.canary!.verdict;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await load.stop();

    console.log(`canary pre-traffic hook: ${lines.filter((l) => l.includes('hook')).join('\n')}`);
    expect(verdict.outcome).toBe('rollback');
    expect(verdict.hook).toMatchObject({ phase: 'BeforeAllowTraffic' });
    expect(verdict.hook!.detail).toMatch(
      /getItem: the contract's example: FAILED, the function failed \(Unhandled\): .*build broken cannot start/,
    );
    expect(verdict.alarm).toBeUndefined();
    expect(load.sent.length).toBeGreaterThan(10);
    expect(
      load.sent.every((s) => s.status === 200 && s.body.version === '1' && s.body.build === 'a'),
    ).toBe(true);
    expect(wrongAnswers(load.sent)).toEqual([]);
  });

  it('refuses a canary of a function the previous build does not have, or a name that is no function', async () => {
    const start = (canary: { function: string; previousAssemblyDir: string }) =>
      startRuntime({
        assemblyDir: healthy,
        port: 0,
        inMemory: true,
        quiet: true,
        log: () => undefined,
        monitorLog: () => undefined,
        canary,
      });
    await expect(start({ function: 'nope', previousAssemblyDir: previous })).rejects.toThrow(
      /--canary nope: no such function; name one of shop:index/,
    );
    await expect(
      start({ function: 'index', previousAssemblyDir: await fixtureAssembly() }),
    ).rejects.toThrow(
      /the previous build .* has no function SmShop\/Items[0-9A-F]{8}: a first deployment has nothing to shift from/,
    );
  });
});
