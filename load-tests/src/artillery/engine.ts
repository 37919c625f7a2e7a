import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LocalSystem } from '@sm/local-runtime';
import { methodLimits } from '../limits';
import type { ScenarioResult } from '../scenarios';
import { readWholeHistory, warmUp } from '../scenarios';
import type { Session } from '../session';
import type { ApiRoutes } from '../target';
import { judge, type Verdict } from '../verdict';
import { apiLatencyP99Ms } from './latency-alarm';
import {
  acknowledgedPerWriter,
  artilleryFailures,
  readArtilleryReport,
  type ArtilleryReport,
} from './report';
import { runArtillery, type ArtilleryPlatform } from './run';
import {
  artilleryScript,
  maxSendWindow,
  PROCESSOR_FILE,
  renderScript,
  type ArtilleryScenario,
} from './script';

const PROCESSOR_SOURCE = resolve(__dirname, '../../artillery/processor.cjs');
/**
 * API Gateway's integration timeout: the p99 a run is held to where the alarm's threshold would not
 * mean anything — an API without a p99 latency alarm, or the local runtime, whose latency is this
 * shared machine's, not AWS's (load-tests/README.md).
 */
const INTEGRATION_TIMEOUT_MS = 29_000;

export interface ArtilleryContext {
  api: ApiRoutes;
  system: LocalSystem;
  /** The cloud assembly (all stages: stack names tell them apart), for the APIs' p99 latency alarms. */
  assemblyDir: string;
  /** The signed-in, seeded users the load is spread over, as the loadtest engine spreads it. */
  sessions: Session[];
  seconds: number;
  platform: ArtilleryPlatform;
  count: number;
  region?: string;
  /** Each scenario's script, processor and report go in a directory of their own below this one. */
  outDir: string;
  /**
   * The target is this machine (the local runtime): its latency is the machine's, so p99 is held to
   * the integration timeout instead of the API's p99 latency alarm.
   */
  local: boolean;
  onOutput?: (text: string) => void;
}

export interface ArtilleryResult extends ScenarioResult {
  artillery: {
    scriptPath: string;
    reportPath: string;
    /** Artillery's own verdict: exit code 0 when every `ensure` condition held. */
    ensurePassed: boolean;
    counters: Record<string, number>;
  };
}

/**
 * Runs one scenario on Artillery: writes its script beside the processor, warms the functions up as
 * the loadtest engine does, runs `artillery run` or `run-fargate`, and judges Artillery's report with
 * the loadtest engine's `judge` plus the identity and problem checks the processor counted. A
 * disagreement between this verdict and Artillery's own (`ensure`, its exit code) is itself a failure:
 * the two must say the same thing about the same run.
 */
export async function runOnArtillery(
  scenario: ArtilleryScenario,
  context: ArtilleryContext,
): Promise<ArtilleryResult> {
  const limits = methodLimits(context.system, scenario.method, scenario.resourcePath);
  const users = context.sessions;
  const p99Ms = context.local
    ? INTEGRATION_TIMEOUT_MS
    : (apiLatencyP99Ms(context.assemblyDir, context.system, scenario) ?? INTEGRATION_TIMEOUT_MS);
  const dir = join(context.outDir, slug(scenario.name));
  mkdirSync(dir, { recursive: true });
  const scriptPath = join(dir, 'script.yml');
  const reportPath = join(dir, 'report.json');
  const ackFile = join(dir, 'acknowledged.txt');
  const generated = artilleryScript({
    scenario,
    limits,
    target: context.api.baseUrl(scenario.method, scenario.resourcePath),
    users: users.map((user) => ({ userId: user.userId, authorization: user.authorization })),
    seconds: context.seconds,
    count: context.platform === 'fargate' ? context.count : 1,
    p99Ms,
  });
  writeFileSync(scriptPath, renderScript(generated));
  copyFileSync(PROCESSOR_SOURCE, join(dir, PROCESSOR_FILE));
  writeFileSync(ackFile, '');

  // Writes of earlier runs (the loadtest engine's, say) stay out of this run's count.
  const before = scenario.writes
    ? await Promise.all(users.map((user) => readWholeHistory(context.api, user)))
    : [];
  await warmUp(
    context.api,
    limits,
    users,
    (user) => scenario.resourcePath.replace('{userId}', user.userId),
    scenario.writes ? { latitude: 1, longitude: 1 } : undefined,
  );
  const exit = await runArtillery({
    scriptPath,
    reportPath,
    platform: context.platform,
    count: context.count,
    region: context.region,
    env: context.platform === 'local' ? { SM_LOAD_ACK_FILE: ackFile } : {},
    timeoutSeconds: context.seconds + (context.platform === 'local' ? 60 : 900),
    onOutput: context.onOutput,
  });
  if (exit.timedOut)
    throw new Error(
      `artillery did not finish within its time limit; its output:\n${exit.output.slice(-2000)}`,
    );
  if (!existsSync(reportPath))
    throw new Error(
      `artillery exited ${exit.exitCode} without a report; its output:\n${exit.output.slice(-2000)}`,
    );

  const { outcome, counters, sendWindowMs } = readArtilleryReport(
    JSON.parse(readFileSync(reportPath, 'utf8')) as ArtilleryReport,
    context.seconds,
  );
  const perGenerator = (generated.script['config'] as { phases: { arrivalRate: number }[] })
    .phases[0]!.arrivalRate;
  const planned =
    perGenerator * (context.platform === 'fargate' ? context.count : 1) * context.seconds;
  const failures = [
    ...judge(outcome, planned, { throttled: scenario.throttled }).failures,
    ...artilleryFailures(
      counters,
      scenario,
      { p99Ms: outcome.p99Ms, maxP99Ms: p99Ms },
      { sendWindowMs, maxSendWindowMs: maxSendWindow(context.seconds) },
    ),
  ];
  if (scenario.writes) {
    const acknowledged = acknowledgedPerWriter(counters, users.length);
    const written = context.platform === 'local' ? readAcknowledged(ackFile) : undefined;
    for (const [index, writer] of users.entries()) {
      const stored = new Set(
        [...(await readWholeHistory(context.api, writer))].filter(
          (accuracy) => !before[index]!.has(accuracy),
        ),
      );
      if (written) {
        const missing = (written.get(writer.userId) ?? []).filter(
          (accuracy) => !stored.has(accuracy),
        );
        if (missing.length > 0)
          failures.push(
            `${missing.length} acknowledged writes of user ${index + 1} are missing from the history (e.g. accuracy ${missing.slice(0, 5).join(', ')})`,
          );
      } else if (stored.size < acknowledged[index]!) {
        failures.push(
          `user ${index + 1}: ${acknowledged[index]} writes acknowledged, only ${stored.size} in the history`,
        );
      }
    }
    if (acknowledged.every((n) => n === 0)) failures.push('no write was acknowledged');
  }
  const ensurePassed = exit.exitCode === 0;
  const verdict: Verdict = { passed: failures.length === 0, failures };
  if (verdict.passed !== ensurePassed) {
    failures.push(
      `Artillery's ensure conditions ${ensurePassed ? 'passed' : 'failed'} (exit ${exit.exitCode}) where this verdict ${verdict.passed ? 'passes' : 'fails'}`,
    );
    verdict.passed = false;
  }
  return {
    name: scenario.name,
    limits,
    rps: scenario.rate(limits),
    outcome,
    verdict,
    artillery: { scriptPath, reportPath, ensurePassed, counters },
  };
}

/** Every acknowledged write the processor logged (local runs): user id → accuracies. */
function readAcknowledged(file: string): Map<string, number[]> {
  const byUser = new Map<string, number[]>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [userId, accuracy] = line.split(' ');
    byUser.set(userId!, [...(byUser.get(userId!) ?? []), Number(accuracy)]);
  }
  return byUser;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[{}]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
