import type { AlarmService, AlarmStatus } from '../alarms';
import type { AliasRouter, RoutedInvocation } from '../lambda';
import type { ShiftStep } from './traffic-shift';

/** What a canary replay shifts, and what stops it. */
export interface CanaryPlan {
  /** The function's spec id. */
  functionId: string;
  /** For people: `location:get-location`. */
  label: string;
  /** The alias the shift moves (`live`). */
  alias: string;
  /** The version that serves before the shift (the previous build) and the one shifted to (this build). */
  oldVersion: string;
  newVersion: string;
  steps: ShiftStep[];
  /** The alarms that stop the shift (the deployment group's), by name. */
  alarmNames: string[];
  /** Where they come from, for the console: `deployment group sm-prod-location-get-location`. */
  alarmSource: string;
  /** The group's lifecycle hooks (function ids): before any traffic moves, and once it all has. */
  hooks?: { before?: string; after?: string };
}

export type HookPhase = 'BeforeAllowTraffic' | 'AfterAllowTraffic';

/** What a lifecycle hook reported to CodeDeploy, and what it said about why. */
export interface HookOutcome {
  status: 'Succeeded' | 'Failed';
  detail: string;
}

/** Calls each version served during the replay, as the router reported them. */
export interface VersionCalls {
  calls: number;
  /** Handler errors, timeouts and runtime failures (what Lambda's `Errors` counts). */
  errors: number;
  throttles: number;
  /** Calls that started a new execution environment (the cost of a new version: none is warm yet). */
  coldStarts: number;
}

/** The replay's outcome: CodeDeploy's, had this been a deployment. */
export interface CanaryVerdict {
  outcome: 'complete' | 'rollback';
  /** The lifecycle hook that failed the deployment, if one did. */
  hook?: { phase: HookPhase; detail: string };
  /** The alarm that stopped the shift, with the evaluation that fired it. */
  alarm?: {
    name: string;
    reason: string;
    /** That evaluation's datapoints, oldest first: period start (ms), value, breaching. */
    datapoints: { timestamp: number; value: number | undefined; breaching: boolean }[];
  };
  /** ms since the epoch. */
  timeline: {
    /** When the replay began: the pre-traffic hook runs before the shift starts. */
    deploymentStartedAt: number;
    shiftStartedAt: number;
    /** The first call of the new version that failed. */
    firstFailureAt?: number;
    /** The start of the first breaching period of the evaluation that fired the alarm. */
    firstBreachingPeriodAt?: number;
    alarmAt?: number;
    verdictAt: number;
  };
  calls: { [version: string]: VersionCalls };
}

export interface CanaryReplayDeps {
  router: AliasRouter;
  alarms: AlarmService;
  /** `--alarm-period-scale`: the steps' minutes are scaled like the alarms' periods. */
  timeScale: number;
  log: (line: string) => void;
  /** @default Date.now */
  now?: () => number;
  /** Runs a lifecycle hook and waits for its report, as CodeDeploy does. @default none: hooks are skipped */
  runHook?: (hookFunctionId: string, phase: HookPhase) => Promise<HookOutcome>;
}

const percent = (weight: number) => `${Math.round(weight * 1000) / 10} %`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Replays on this machine what CodeDeploy does with a Lambda deployment group: the alias takes the
 * new version step by step (`AdditionalVersionWeights`), every watched alarm is checked while it
 * does, and the first one in ALARM stops the shift and moves the alias back to the old version
 * ("would roll back"); otherwise the last step gives the new version every call ("shift complete").
 * An alarm already in ALARM when the shift starts stops it at once, as CodeDeploy refuses to start
 * a deployment then. The alarms are the runtime's own (`AlarmService`): the same evaluation that
 * prints alarm transitions decides here, never a second one.
 */
export class CanaryReplay {
  readonly verdict: Promise<CanaryVerdict>;
  private resolveVerdict!: (verdict: CanaryVerdict) => void;
  private readonly now: () => number;
  private readonly calls: { [version: string]: VersionCalls } = {};
  private firstFailureAt: number | undefined;
  private deploymentStartedAt = 0;
  private startedAt = 0;
  private step = 0;
  private stepEndsAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private done = false;

  constructor(
    readonly plan: CanaryPlan,
    private readonly deps: CanaryReplayDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.verdict = new Promise((resolve) => (this.resolveVerdict = resolve));
    for (const version of [plan.oldVersion, plan.newVersion])
      this.calls[version] = { calls: 0, errors: 0, throttles: 0, coldStarts: 0 };
    const known = new Set(deps.alarms.statuses().map((s) => s.alarm.alarmName));
    const missing = plan.alarmNames.filter((name) => !known.has(name));
    if (missing.length > 0)
      throw new Error(
        `canary ${plan.label}: the assembly has no alarm named ${missing.join(', ')} (${plan.alarmSource})`,
      );
  }

  /** Starts the deployment: the pre-traffic hook if there is one, then the shift. */
  start(): void {
    this.deploymentStartedAt = this.now();
    this.startedAt = this.deploymentStartedAt;
    void this.run().catch((error: unknown) =>
      this.failHook('BeforeAllowTraffic', {
        status: 'Failed',
        detail: `the replay failed: ${(error as Error).message}`,
      }),
    );
  }

  private async run(): Promise<void> {
    const { plan, deps } = this;
    this.unsubscribe = deps.router.onInvoked((invocation) => this.count(invocation));
    const before = plan.hooks?.before;
    if (before && deps.runHook) {
      deps.log(
        `canary ${plan.label}: pre-traffic hook: invoking it; version ${plan.newVersion} takes no traffic until it reports Succeeded`,
      );
      const outcome = await deps.runHook(before, 'BeforeAllowTraffic');
      if (this.done) return;
      if (outcome.status === 'Failed') return this.failHook('BeforeAllowTraffic', outcome);
      deps.log(`canary ${plan.label}: pre-traffic hook Succeeded: ${outcome.detail}`);
    }
    this.startedAt = this.now();
    const first = plan.steps[0]!;
    deps.log(
      `canary ${plan.label}: shift started: ${percent(first.weight)} of calls to version ${plan.newVersion} (this build), version ${plan.oldVersion} (the previous build) the rest` +
        `; ${
          plan.steps.length > 1
            ? `steps ${plan.steps
                .map((s) => `${percent(s.weight)} for ${s.minutes} min`)
                .join(', ')
                .replace(/, 100 % for 0 min$/, ', then 100 %')}`
            : 'all at once'
        }` +
        ` (minutes × ${deps.timeScale})` +
        `; watching ${plan.alarmNames.length} alarms of ${plan.alarmSource}`,
    );
    const active = this.watched().find((status) => status.state === 'ALARM');
    if (active) {
      this.rollBack(
        active,
        'was already in ALARM when the shift started (CodeDeploy stops such a deployment at once)',
      );
      return;
    }
    this.enterStep(0);
    const tick = Math.max(20, Math.min(500, (60_000 * deps.timeScale) / 4));
    this.timer = setInterval(() => this.check(), tick);
    this.timer.unref?.();
  }

  /** Stops watching; the alias stays where it is. */
  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  private watched(): AlarmStatus[] {
    return this.deps.alarms
      .statuses()
      .filter((status) => this.plan.alarmNames.includes(status.alarm.alarmName));
  }

  private count(invocation: RoutedInvocation): void {
    if (invocation.functionId !== this.plan.functionId) return;
    const calls = (this.calls[invocation.version] ??= {
      calls: 0,
      errors: 0,
      throttles: 0,
      coldStarts: 0,
    });
    const { result } = invocation;
    if (result.kind === 'throttled') {
      calls.throttles++;
      return;
    }
    calls.calls++;
    if (result.kind === 'ok') {
      if (result.coldStart) calls.coldStarts++;
      return;
    }
    calls.errors++;
    if (
      invocation.version === this.plan.newVersion &&
      this.firstFailureAt === undefined &&
      !this.done
    ) {
      this.firstFailureAt = this.now();
      const what =
        result.kind === 'error' ? `${result.errorType}: ${result.errorMessage}` : 'timed out';
      this.deps.log(
        `canary ${this.plan.label}: version ${this.plan.newVersion}'s first failed call at +${seconds(this.firstFailureAt - this.startedAt)} (${what})`,
      );
    }
  }

  private enterStep(index: number): void {
    const { plan, deps } = this;
    this.step = index;
    const step = plan.steps[index]!;
    if (step.weight >= 1) {
      this.finish();
      return;
    }
    deps.router.setAlias(plan.functionId, plan.alias, {
      version: plan.oldVersion,
      additionalVersionWeights: { [plan.newVersion]: step.weight },
    });
    this.stepEndsAt = this.now() + step.minutes * 60_000 * deps.timeScale;
    if (index > 0)
      deps.log(
        `canary ${plan.label}: ${percent(step.weight)} of calls to version ${plan.newVersion} at +${seconds(this.now() - this.startedAt)}`,
      );
  }

  private check(): void {
    if (this.done) return;
    const alarmed = this.watched().find((status) => status.state === 'ALARM');
    if (alarmed) {
      this.rollBack(alarmed, 'went to ALARM during the shift');
      return;
    }
    if (this.now() >= this.stepEndsAt) this.enterStep(this.step + 1);
  }

  private rollBack(status: AlarmStatus, why: string): void {
    const { plan, deps } = this;
    this.done = true;
    this.stop();
    deps.router.setAlias(plan.functionId, plan.alias, { version: plan.oldVersion });
    const verdictAt = this.now();
    const datapoints = [...status.lastDatapoints].reverse();
    const breaching = datapoints.filter((d) => d.breaching);
    const verdict: CanaryVerdict = {
      outcome: 'rollback',
      alarm: { name: status.alarm.alarmName, reason: status.reason, datapoints },
      timeline: {
        ...this.timelineSoFar(),
        firstBreachingPeriodAt: breaching[0]?.timestamp,
        alarmAt: status.since,
        verdictAt,
      },
      calls: this.snapshot(),
    };
    const at = (ms: number | undefined) =>
      ms === undefined
        ? 'never'
        : `${ms < this.startedAt ? '-' : '+'}${seconds(Math.abs(ms - this.startedAt))}`;
    deps.log(
      `canary ${plan.label}: WOULD ROLL BACK: alarm ${status.alarm.alarmName} ${why}: ${status.reason}\n` +
        `  datapoints (period start, value): ${datapoints.map((d) => `${new Date(d.timestamp).toISOString().slice(11, 23)} ${d.value ?? 'missing'}${d.breaching ? ' (breaching)' : ''}`).join(', ') || 'none'}\n` +
        `  timeline: shift started +0.00 s, version ${plan.newVersion}'s first failed call ${at(this.firstFailureAt)}, first breaching period from ${at(breaching[0]?.timestamp)}, alarm ${at(status.since)}, verdict ${at(verdictAt)}\n` +
        `  calls: ${this.describeCalls()}\n` +
        `  the alias ${plan.alias} is back on version ${plan.oldVersion} (in AWS CodeDeploy moves it back and the stack update rolls back)`,
    );
    this.resolveVerdict(verdict);
  }

  private finish(): void {
    const { plan, deps } = this;
    this.done = true;
    clearInterval(this.timer);
    deps.router.setAlias(plan.functionId, plan.alias, { version: plan.newVersion });
    const after = plan.hooks?.after;
    if (after && deps.runHook) {
      deps.log(
        `canary ${plan.label}: post-traffic hook: version ${plan.newVersion} has every call; invoking it`,
      );
      void deps.runHook(after, 'AfterAllowTraffic').then(
        (outcome) =>
          outcome.status === 'Failed'
            ? this.failHook('AfterAllowTraffic', outcome)
            : this.complete(outcome.detail),
        (error: unknown) =>
          this.failHook('AfterAllowTraffic', {
            status: 'Failed',
            detail: (error as Error).message,
          }),
      );
      return;
    }
    this.complete();
  }

  private complete(hookDetail?: string): void {
    const { plan, deps } = this;
    this.stop();
    const verdictAt = this.now();
    deps.log(
      `canary ${plan.label}: shift complete at +${seconds(verdictAt - this.startedAt)}: version ${plan.newVersion} takes every call; none of the ${plan.alarmNames.length} watched alarms fired. Calls: ${this.describeCalls()}`,
    );
    if (hookDetail !== undefined)
      deps.log(`canary ${plan.label}: post-traffic hook Succeeded: ${hookDetail}`);
    this.resolveVerdict({
      outcome: 'complete',
      timeline: { ...this.timelineSoFar(), verdictAt },
      calls: this.snapshot(),
    });
  }

  /** A hook reported Failed: CodeDeploy fails the deployment and the alias goes back (or never moved). */
  private failHook(phase: HookPhase, outcome: HookOutcome): void {
    const { plan, deps } = this;
    this.done = true;
    this.stop();
    deps.router.setAlias(plan.functionId, plan.alias, { version: plan.oldVersion });
    const verdictAt = this.now();
    deps.log(
      `canary ${plan.label}: WOULD ROLL BACK: the ${phase === 'BeforeAllowTraffic' ? 'pre' : 'post'}-traffic hook reported Failed: ${outcome.detail}\n` +
        `  ${phase === 'BeforeAllowTraffic' ? `version ${plan.newVersion} took no traffic` : `calls: ${this.describeCalls()}`}; the alias ${plan.alias} is on version ${plan.oldVersion}`,
    );
    this.resolveVerdict({
      outcome: 'rollback',
      hook: { phase, detail: outcome.detail },
      timeline: { ...this.timelineSoFar(), verdictAt },
      calls: this.snapshot(),
    });
  }

  /** The timeline's moments every verdict has: when the replay and the shift began, the first failure. */
  private timelineSoFar() {
    return {
      deploymentStartedAt: this.deploymentStartedAt,
      shiftStartedAt: this.startedAt,
      firstFailureAt: this.firstFailureAt,
    };
  }

  private snapshot(): { [version: string]: VersionCalls } {
    return Object.fromEntries(
      Object.entries(this.calls).map(([version, calls]) => [version, { ...calls }]),
    );
  }

  private describeCalls(): string {
    return Object.entries(this.calls)
      .map(
        ([version, c]) =>
          `version ${version}: ${c.calls} calls (${c.coldStarts} cold starts), ${c.errors} failed${c.throttles ? `, ${c.throttles} throttled` : ''}`,
      )
      .join('; ');
  }
}
