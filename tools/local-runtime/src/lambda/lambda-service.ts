import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LogSink } from '../logs/types';
import { assertSupportedNode } from '../node-requirements';
import {
  ExecutionEnvironment,
  type EnvironmentHost,
  type Invocation,
} from './execution-environment';
import {
  defaultLabel,
  functionArn,
  newTraceId,
  sameSpec,
  validateSpec,
  type LambdaIdentity,
} from './function-config';
import type {
  FunctionSpec,
  FunctionStats,
  InvokeOptions,
  InvokeResult,
  LambdaService,
  LambdaServiceOptions,
} from './types';

const RESERVED_THROTTLE: InvokeResult = {
  kind: 'throttled',
  reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
};
const SHUTTING_DOWN: InvokeResult = {
  kind: 'error',
  errorType: 'Runtime.ExitError',
  errorMessage: 'Error: Runtime exited: the local runtime is shutting down',
  durationMs: 0,
};
const ACCOUNT_THROTTLE: InvokeResult = {
  kind: 'throttled',
  reason: 'ConcurrentInvocationLimitExceeded',
};

/** Lambda keeps at least this much of the account's concurrency unreserved. */
const UNRESERVED_MINIMUM = 100;

/**
 * An invocation as the service admitted it. `generation` is the function's spec when it was
 * admitted (see `FunctionRuntime.update`): it may run on an environment of that spec or a later
 * one, never an earlier one. Environments hand back the objects they were given, so it travels
 * with the invocation wherever it waits.
 */
interface Admitted extends Invocation {
  readonly generation: number;
}

/** An accepted invocation waiting for an execution environment of its function. */
interface Waiter extends Admitted {
  /** performance.now() when it started waiting. */
  since: number;
}

/**
 * What the functions share: the cores. At most `limit` environments run INIT at once across all
 * functions; a function that needs another environment beyond that waits in `blocked` (FIFO) for
 * an INIT to end.
 */
interface InitSlots {
  readonly limit: number;
  running: number;
  readonly blocked: FunctionRuntime[];
  /** Set by `close()`: no environment starts any more. */
  closed: boolean;
}

/** One registered function: its environments, its waiting invocations and its share of the concurrency. */
class FunctionRuntime implements EnvironmentHost {
  label: string;
  invokedFunctionArn: string;
  /** Idle environments, most recently used last (reused LIFO, so the warmest serves first). */
  readonly idle: ExecutionEnvironment[] = [];
  readonly live = new Set<ExecutionEnvironment>();
  /** Invocations accepted and not yet answered: waiting or running. Reserved concurrency caps it. */
  inFlight = 0;
  /** Environments in INIT. */
  starting = 0;
  /**
   * Of those, environments started from an earlier spec (the function was updated during their
   * INIT): they will serve no one and are discarded when their INIT ends.
   */
  outdatedStarting = 0;
  /** Removed from the system (see `LambdaService.remove`): still answers calls already on their way. */
  removed = false;
  /** Counts the specs the function has had: `update` makes a new generation. */
  generation = 0;
  /** The generation (spec) each environment was started from. */
  private readonly generations = new WeakMap<ExecutionEnvironment, number>();
  coldStarts = 0;
  /** Broken hand-over invariants (hand-over.ts): each is a defect of the runtime, printed when it happens. */
  internalErrors = 0;
  /** Invocations queued on a busy environment, and those taken back from one before they started. */
  readonly handOvers = { queued: 0, takenBack: 0 };
  /** Waiting invocations, oldest first, from `head` on (a queue without `shift()`'s copying). */
  private waiters: (Waiter | undefined)[] = [];
  private head = 0;
  /** Queued in `slots.blocked`. */
  blocked = false;
  /** How long the last INIT of this function took: how long a waiter waits for a busy environment. */
  lastInitMs = 0;
  lastInitCpuMs: number | undefined;
  private startTimer: NodeJS.Timeout | undefined;

  constructor(
    /** The code and configuration invocations admitted from now on run with (see `update`). */
    public spec: FunctionSpec,
    readonly identity: LambdaIdentity,
    readonly logSink: LogSink | undefined,
    readonly sdkBaseDir: string | undefined,
    readonly compileCacheDir: string | undefined,
    private readonly slots: InitSlots,
    private readonly release: (fn: FunctionRuntime) => void,
    private readonly createEnvironment: (host: EnvironmentHost) => ExecutionEnvironment,
    private readonly reportInternalError: (line: string) => void,
  ) {
    this.label = spec.label ?? defaultLabel(spec);
    this.invokedFunctionArn = functionArn(identity.region, identity.accountId, spec.functionName) + (spec.invokedQualifier ? `:${spec.invokedQualifier}` : '');
  }

  get reserved(): boolean {
    return this.spec.reservedConcurrency !== undefined;
  }

  get waiting(): number {
    return this.waiters.length - this.head;
  }

  /** Invocations queued on busy environments (see `ExecutionEnvironment.enqueue`). */
  get queued(): number {
    let count = 0;
    for (const env of this.live) count += env.queuedCount;
    return count;
  }

  /**
   * Invocations handed to environments and not answered: running, or queued behind one that runs.
   * Counted, never kept: one number fewer to keep right (hand-over.ts, I4).
   */
  get running(): number {
    let count = 0;
    for (const env of this.live) count += env.outstandingCount;
    return count;
  }

  /**
   * Runs an accepted invocation: on an idle environment at once; else queued on a busy environment
   * whose invocations are short, to start there the moment the ones ahead end; else when an
   * environment is free.
   */
  dispatch(invocation: Admitted): void {
    const env = this.idle.pop();
    if (env) {
      env.invoke(invocation);
      return;
    }
    for (const busy of this.live) {
      if (!this.isCurrent(busy) || !busy.acceptsQueued) continue;
      busy.enqueue(invocation);
      this.handOvers.queued++;
      // Queued behind an invocation that turns out long, it waits no longer than a waiter would.
      this.checkAgainIn(Math.max(1, this.lastInitMs));
      return;
    }
    this.waiters.push({ ...invocation, since: performance.now() });
    this.startEnvironments();
  }

  /** Whether an environment runs the function's current spec (else it is being retired). */
  isCurrent(env: ExecutionEnvironment): boolean {
    return this.generationOf(env) === this.generation;
  }

  private generationOf(env: ExecutionEnvironment): number {
    return this.generations.get(env) as number;
  }

  /**
   * Makes `spec` the function's code and configuration, as Lambda's UpdateFunctionCode and
   * UpdateFunctionConfiguration do: every invocation admitted from now on runs on an environment
   * started from it. An environment of an earlier spec takes no new invocation; it still serves
   * invocations admitted before that spec was replaced (those queued on it, and waiting ones it
   * frees up for or finishes INIT for), so updates faster than an INIT cannot starve anyone; it is
   * retired when it is free and no such invocation is first in line. Idle ones are retired at once.
   * Never retired by force: no call in flight is lost.
   */
  update(spec: FunctionSpec): void {
    this.spec = spec;
    this.generation++;
    this.label = spec.label ?? defaultLabel(spec);
    this.invokedFunctionArn = functionArn(
      this.identity.region,
      this.identity.accountId,
      spec.functionName,
    );
    for (const env of [...this.live]) {
      if (env.isDead) continue;
      if (env.isInitializing) {
        // Counted once: when it stops being current.
        if (this.generationOf(env) === this.generation - 1) this.outdatedStarting++;
      } else if (!env.isBusy) {
        this.retire(env);
      }
    }
    this.startEnvironments();
  }

  /** Ends the idle environments (the function was removed; a call still on its way gets a new one). */
  retireIdle(): void {
    for (const env of [...this.idle]) this.retire(env);
  }

  /** Ends an environment of an earlier spec that has nothing left to run. */
  private retire(env: ExecutionEnvironment): void {
    const index = this.idle.indexOf(env);
    if (index !== -1) this.idle.splice(index, 1);
    this.live.delete(env);
    void env.destroy('the function was updated');
  }

  /** Invocations queued on an environment that died before starting them wait again, first in line. */
  requeue(invocations: Invocation[]): void {
    // Every invocation an environment holds came from `dispatch`, `handOff` or `serveNext`: admitted.
    this.handOvers.takenBack += invocations.length;
    if (this.slots.closed) {
      for (const invocation of invocations) {
        this.inFlight--;
        this.release(this);
        invocation.resolve(SHUTTING_DOWN);
      }
      return;
    }
    this.waitFirst(invocations as Admitted[], performance.now());
    this.startEnvironments();
  }

  /** Puts invocations taken back from an environment at the head of the waiters, in order. */
  private waitFirst(invocations: readonly Admitted[], since: number): void {
    this.waiters.splice(
      this.head,
      0,
      ...invocations.map((invocation) => ({ ...invocation, since })),
    );
  }

  /**
   * Starts an environment for every waiting invocation no INIT is already under way for, as far as
   * the shared INIT slots allow. Never more environments than invocations in flight, so never more
   * than the reserved concurrency.
   *
   * While some environment of the function is running an invocation, a waiting invocation first
   * waits for it up to as long as the function's last INIT took, and only then starts an INIT of
   * its own (the ski-rental rule: it waits at most twice what a cold start would have cost it);
   * and not at all while an environment has answered and only this thread is behind in reading it.
   * On shared cores an INIT slows every environment down; starting one for each short burst makes
   * the pool grow without end under a steady load.
   */
  startEnvironments(): void {
    const now = performance.now();
    // An invocation queued behind one that has run longer than an INIT takes is taken back to wait
    // like any other (and may get an environment of its own). No environment is idle meanwhile:
    // invocations are queued only when none is, and one that frees takes a queued one (handOff).
    if (this.lastInitMs > 0) {
      for (const env of this.live) {
        if (env.queuedCount === 0) continue;
        const runningForMs = env.runningForMs;
        if (runningForMs < this.lastInitMs) {
          this.checkAgainIn(this.lastInitMs - runningForMs + 1);
          continue;
        }
        const takenBack = env.takeBack() as Admitted[];
        this.handOvers.takenBack += takenBack.length;
        this.waitFirst(takenBack, now - runningForMs);
      }
    }
    // Never more environments than the reserved concurrency (an admitted call may exceed it for
    // the moment an answered environment's answer is unread: that environment serves it).
    const maxEnvironments = this.spec.reservedConcurrency ?? Number.POSITIVE_INFINITY;
    // Environments of an earlier spec serve no waiting invocation (see `update`): only the
    // current ones' INITs and invocations count here.
    const anyRunning = this.currentRunning() > 0;
    while (
      this.waiting > this.starting - this.outdatedStarting &&
      !this.slots.closed &&
      this.live.size < maxEnvironments
    ) {
      if (anyRunning) {
        // The oldest invocation no INIT is under way for.
        const waitedMs =
          now - (this.waiters[this.head + this.starting - this.outdatedStarting] as Waiter).since;
        if (waitedMs < this.lastInitMs) return this.checkAgainIn(this.lastInitMs - waitedMs + 1);
        // An environment that has answered but whose answer is still unread is as good as free:
        // waits then come from this thread being behind, which another INIT would only worsen.
        if (this.hasUnreadAnswer()) return this.checkAgainIn(this.lastInitMs);
      }
      if (this.slots.running >= this.slots.limit) {
        if (!this.blocked) {
          this.blocked = true;
          this.slots.blocked.push(this);
        }
        return;
      }
      let env: ExecutionEnvironment;
      try {
        env = this.createEnvironment(this);
      } catch (error) {
        // Nothing was counted yet: the call it was for gets the failure, as one whose INIT fails.
        this.failWaiter(
          `Runtime exited: could not start an execution environment: ${(error as Error).message}`,
        );
        continue;
      }
      this.generations.set(env, this.generation);
      this.slots.running++;
      this.starting++;
      this.coldStarts++;
      this.live.add(env);
    }
  }

  /** Answers the oldest waiting invocation with a Runtime.ExitError. */
  private failWaiter(message: string): void {
    const waiter = this.nextWaiter();
    if (!waiter) return;
    this.inFlight--;
    this.release(this);
    waiter.resolve({
      kind: 'error',
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${waiter.requestId} Error: ${message}`,
      durationMs: 0,
    });
  }

  private checkAgainIn(ms: number): void {
    this.startTimer ??= setTimeout(() => {
      this.startTimer = undefined;
      this.startEnvironments();
    }, ms).unref();
  }

  private hasUnreadAnswer(): boolean {
    for (const env of this.live) if (env.isAnswered && this.isCurrent(env)) return true;
    return false;
  }

  /** Invocations handed to environments of the current spec and not answered. */
  private currentRunning(): number {
    let count = 0;
    for (const env of this.live) if (this.isCurrent(env)) count += env.outstandingCount;
    return count;
  }

  /** Invocations that are over in their environment, their answers not read yet. */
  answeredUnread(): number {
    let count = 0;
    for (const env of this.live) if (env.isAnswered) count++;
    return count;
  }

  ready(env: ExecutionEnvironment): void {
    this.starting--;
    if (!this.isCurrent(env)) {
      // Started before an update: it serves the waiting invocations admitted before it, if any.
      this.outdatedStarting--;
      this.serveNext(env);
      this.releaseSlot();
      this.startEnvironments();
      return;
    }
    this.lastInitMs = env.initDuration;
    this.lastInitCpuMs = env.initCpuMs;
    this.handOff(env);
    this.releaseSlot();
  }

  initFailed(env: ExecutionEnvironment, result: InvokeResult, errorType: string | undefined): void {
    this.starting--;
    this.live.delete(env);
    if (!this.isCurrent(env)) {
      // Started before an update: its failure is the earlier code's, and no waiter's.
      this.outdatedStarting--;
      this.releaseSlot();
      this.startEnvironments();
      return;
    }
    // The oldest waiter gets INIT's failure when this environment was started for it, as the
    // invocation that caused a cold start does in AWS; the others still wait for another one.
    if (this.waiting > this.starting - this.outdatedStarting) {
      const waiter = this.nextWaiter() as Waiter;
      env.reportFailedInit(
        waiter.requestId,
        result.kind === 'timeout' ? 'timeout' : 'error',
        errorType,
      );
      this.inFlight--;
      this.release(this);
      waiter.resolve(result);
    }
    this.releaseSlot();
    this.startEnvironments();
  }

  settled(env: ExecutionEnvironment): void {
    this.inFlight--;
    this.release(this);
    if (env.isDead) {
      this.live.delete(env);
      this.startEnvironments();
    } else if (!this.isCurrent(env)) {
      // Not busy: it has not gone on with a queued invocation (queued before the update).
      if (!env.isBusy) this.serveNext(env);
      this.startEnvironments();
    } else if (!env.isBusy) {
      // Not busy: it has not gone on with a queued invocation.
      this.handOff(env);
    }
  }

  internalError(_env: ExecutionEnvironment | undefined, message: string): void {
    this.internalErrors++;
    this.reportInternalError(
      `local-runtime INTERNAL ERROR in ${this.label}: ${message}. The environment is destroyed and its calls answered with LocalRuntime.InternalError; no answer went to another call. Please report this.`,
    );
  }

  /** Violations of the hand-over's invariants (hand-over.ts) for this function; empty when all hold. */
  checkInvariants(): string[] {
    const problems: string[] = [];
    const running = this.running;
    if (this.inFlight !== this.waiting + running) {
      problems.push(`in flight ${this.inFlight} ≠ waiting ${this.waiting} + running ${running}`);
    }
    let initializing = 0;
    let outdatedInitializing = 0;
    // An update may lower the reservation below the environments still finishing older calls.
    let reserved = this.spec.reservedConcurrency;
    for (const env of this.live) {
      if (env.isDead) problems.push('a dead environment is still live');
      if (env.isInitializing) {
        initializing++;
        if (!this.isCurrent(env)) outdatedInitializing++;
      } else if (!this.isCurrent(env) && !env.isBusy) {
        problems.push('an environment of an earlier spec is idle instead of retired');
      }
      if (this.generationOf(env) > this.generation)
        problems.push(
          `an environment of generation ${this.generationOf(env)} > ${this.generation}`,
        );
      if (reserved !== undefined) {
        const then = env.spec.reservedConcurrency;
        reserved = then === undefined ? undefined : Math.max(reserved, then);
      }
      for (const problem of env.checkInvariants()) problems.push(problem);
    }
    if (initializing !== this.starting)
      problems.push(`${initializing} environments in INIT, ${this.starting} counted`);
    if (outdatedInitializing !== this.outdatedStarting)
      problems.push(
        `${outdatedInitializing} environments of an earlier spec in INIT, ${this.outdatedStarting} counted`,
      );
    for (const env of this.idle) {
      if (!this.live.has(env) || env.isBusy || env.isDead || !this.isCurrent(env))
        problems.push('an idle environment is busy, dead, not live or of an earlier spec');
    }
    if (reserved !== undefined && this.live.size > reserved)
      problems.push(`${this.live.size} environments, reserved ${reserved}`);
    return problems.map((problem) => `${this.label}: ${problem}`);
  }

  died(env: ExecutionEnvironment): void {
    this.live.delete(env);
    const index = this.idle.indexOf(env);
    if (index !== -1) this.idle.splice(index, 1);
  }

  /** Destroys environments idle longer than `maxIdleMs`: with LIFO reuse they sit at the bottom. */
  reap(maxIdleMs: number, now: number): void {
    while (
      this.idle.length > 0 &&
      now - (this.idle[0] as ExecutionEnvironment).idleSince > maxIdleMs
    ) {
      const env = this.idle.shift() as ExecutionEnvironment;
      this.live.delete(env);
      void env.destroy('idle environment reclaimed');
    }
  }

  /** Answers every waiting invocation with `result` (the service is closing). */
  drain(result: InvokeResult): void {
    clearTimeout(this.startTimer);
    for (let waiter = this.nextWaiter(); waiter; waiter = this.nextWaiter()) {
      this.inFlight--;
      this.release(this);
      waiter.resolve(result);
    }
  }

  /**
   * A free environment serves the oldest waiting invocation; else one queued on a busy
   * environment that has not started it yet (it would wait there); else it waits for the next one.
   */
  private handOff(env: ExecutionEnvironment): void {
    const waiter = this.nextWaiter();
    if (waiter) {
      env.invoke(waiter);
      return;
    }
    for (const busy of this.live) {
      if (busy === env || busy.queuedCount === 0) continue;
      const [invocation] = busy.takeBack(1);
      if (!invocation) continue;
      this.handOvers.takenBack++;
      env.invoke(invocation);
      return;
    }
    env.idleSince = performance.now();
    this.idle.push(env);
  }

  /**
   * A free environment of an earlier spec serves the oldest waiting invocation if that one was
   * admitted before the spec was replaced; else it is retired (it never becomes idle).
   */
  private serveNext(env: ExecutionEnvironment): void {
    const head = this.waiters[this.head];
    if (head && head.generation <= this.generationOf(env)) {
      env.invoke(this.nextWaiter() as Waiter);
      return;
    }
    this.retire(env);
  }

  private nextWaiter(): Waiter | undefined {
    if (this.head === this.waiters.length) return undefined;
    const waiter = this.waiters[this.head];
    this.waiters[this.head++] = undefined;
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    }
    return waiter;
  }

  /** An INIT ended (its environment is settled first, so it is not started twice). */
  private releaseSlot(): void {
    this.slots.running--;
    // A freed slot goes to the function that has waited longest for one.
    while (this.slots.blocked.length > 0 && this.slots.running < this.slots.limit) {
      const next = this.slots.blocked.shift() as FunctionRuntime;
      next.blocked = false;
      next.startEnvironments();
    }
  }
}

/** Where this process finds `@aws-sdk/*`, handed to environments as Lambda's provided SDK. */
function findSdkBaseDir(): string | undefined {
  try {
    // <base>/node_modules/@aws-sdk/client-dynamodb/package.json → <base>
    return dirname(
      dirname(dirname(dirname(require.resolve('@aws-sdk/client-dynamodb/package.json')))),
    );
  } catch {
    return undefined;
  }
}

/**
 * Emulates the Lambda service for synchronous (RequestResponse) invokes: execution environments
 * in worker threads, created on demand and reused. Invocations in flight are capped by reserved
 * concurrency per function and by the account concurrency left unreserved; one beyond the cap is
 * throttled at once, never queued.
 *
 * The one local deviation: all environments share this machine's cores, so at most
 * `maxConcurrentInits` of them run INIT at once. An invocation that needs a new environment while
 * that many are starting waits (still counted as in flight) and runs on whichever environment of its
 * function frees first: one finishing INIT or one finishing an invocation.
 */
export function createLambdaService(opts: LambdaServiceOptions = {}): LambdaService {
  // Environments resolve modules as Lambda does only with module.registerHooks (Node >= 22.15).
  assertSupportedNode();
  const accountConcurrency = opts.accountConcurrency ?? 1000;
  const unreservedMinimum =
    opts.unreservedMinimum ?? Math.min(UNRESERVED_MINIMUM, accountConcurrency);
  const identity: LambdaIdentity = {
    region: opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
    accountId: opts.accountId ?? '123456789012',
  };
  const sdkBaseDir = findSdkBaseDir();
  const compileCacheDir = opts.compileCacheDir;
  const slots: InitSlots = {
    limit: Math.max(1, opts.maxConcurrentInits ?? availableParallelism()),
    running: 0,
    blocked: [],
    closed: false,
  };
  const functions = new Map<string, FunctionRuntime>();
  let reservedTotal = 0;
  let unreservedInFlight = 0;
  let closed = false;

  // Lambda reclaims environments that stay idle; the next request after that is a cold start.
  const idleTimeoutMs = opts.idleTimeoutMs ?? 5 * 60_000;
  const reaper =
    idleTimeoutMs > 0 && Number.isFinite(idleTimeoutMs)
      ? setInterval(
          () => {
            const now = performance.now();
            for (const fn of functions.values()) fn.reap(idleTimeoutMs, now);
          },
          Math.min(30_000, Math.max(10, idleTimeoutMs / 2)),
        ).unref()
      : undefined;

  const unreservedAnswered = (): number => {
    let count = 0;
    for (const fn of functions.values()) if (!fn.reserved) count += fn.answeredUnread();
    return count;
  };

  const release = (fn: FunctionRuntime): void => {
    if (!fn.reserved) unreservedInFlight--;
  };
  const createEnvironment =
    opts.createEnvironment ?? ((host: EnvironmentHost) => new ExecutionEnvironment(host));
  const reportInternalError = opts.onInternalError ?? ((line: string) => console.error(line));

  /** Refuses a change of reservations that would leave less than Lambda's unreserved minimum. */
  const checkReservation = (id: string, reservedTotalAfter: number, reserved: number): void => {
    if (reservedTotalAfter > accountConcurrency - unreservedMinimum) {
      throw new Error(
        `Function ${id}: reserving ${reserved} brings the total reserved concurrency to ${reservedTotalAfter}, ` +
          `leaving ${accountConcurrency - reservedTotalAfter} of the account's ${accountConcurrency} unreserved; ` +
          `Lambda requires at least ${unreservedMinimum} unreserved. Lower the reservations or raise accountConcurrency.`,
      );
    }
  };

  /** What a function holds of the account's reservations: nothing once removed. */
  const held = (fn: FunctionRuntime): number =>
    fn.removed ? 0 : (fn.spec.reservedConcurrency ?? 0);

  /**
   * Gives a function a new spec. Calls in flight keep the concurrency accounting they were admitted
   * under: when the function moves between reserved and unreserved, its in-flight count moves with it.
   */
  const update = (fn: FunctionRuntime, spec: FunctionSpec): void => {
    const reserved = spec.reservedConcurrency ?? 0;
    const after = reservedTotal - held(fn) + reserved;
    checkReservation(spec.id, after, reserved);
    reservedTotal = after;
    const nowReserved = spec.reservedConcurrency !== undefined;
    if (fn.reserved && !nowReserved) unreservedInFlight += fn.inFlight;
    if (!fn.reserved && nowReserved) unreservedInFlight -= fn.inFlight;
    fn.removed = false;
    fn.update(spec);
  };

  return {
    register(spec) {
      if (closed) throw new Error('The Lambda service is closed');
      validateSpec(spec);
      const existing = functions.get(spec.id);
      if (existing && !existing.removed)
        throw new Error(`Function ${spec.id} is already registered`);
      if (existing) {
        // Removed earlier and added again: the same function with a new spec.
        update(existing, spec);
        return;
      }
      const reserved = spec.reservedConcurrency ?? 0;
      checkReservation(spec.id, reservedTotal + reserved, reserved);
      reservedTotal += reserved;
      functions.set(
        spec.id,
        new FunctionRuntime(
          spec,
          identity,
          opts.logSink,
          sdkBaseDir,
          compileCacheDir,
          slots,
          release,
          createEnvironment,
          reportInternalError,
        ),
      );
    },

    update(spec) {
      if (closed) throw new Error('The Lambda service is closed');
      validateSpec(spec);
      const fn = functions.get(spec.id);
      if (!fn || fn.removed) throw new Error(`No function ${spec.id} to update`);
      if (sameSpec(fn.spec, spec)) return false;
      update(fn, spec);
      return true;
    },

    relocate(spec) {
      const fn = functions.get(spec.id);
      if (!fn || fn.removed) throw new Error(`No function ${spec.id} to relocate`);
      if (!sameSpec({ ...fn.spec, codeDir: spec.codeDir }, spec))
        throw new Error(
          `Function ${spec.id}: relocate changes only the code directory; use update`,
        );
      // Same code, same configuration: no new generation, the warm environments stay.
      fn.spec = spec;
    },

    remove(functionId) {
      const fn = functions.get(functionId);
      if (!fn || fn.removed) throw new Error(`No function ${functionId} to remove`);
      reservedTotal -= held(fn);
      fn.removed = true;
      fn.retireIdle();
    },

    invoke(functionId: string, event: unknown, invokeOpts?: InvokeOptions): Promise<InvokeResult> {
      const fn = functions.get(functionId);
      if (!fn) {
        return Promise.reject(
          new Error(
            `No function ${functionId}; registered: ${[...functions.keys()].join(', ') || 'none'}`,
          ),
        );
      }
      if (closed) return Promise.reject(new Error('The Lambda service is closed'));
      let payload: string;
      try {
        // Lambda hands its runtime the event as JSON: what JSON drops (undefined members,
        // functions) is dropped here too, and one string copies to the worker faster than the
        // object clones. No payload at all is `{}` in AWS.
        payload = JSON.stringify(event) ?? '{}';
      } catch (error) {
        // An event that cannot be serialized never reaches Lambda, nor counts against concurrency.
        return Promise.resolve({
          kind: 'error',
          errorType: 'InvalidRequestContentException',
          errorMessage: `Could not parse request body into json: ${(error as Error).message}`,
          durationMs: 0,
        });
      }
      // An invocation whose environment has answered is over, even while this thread has not
      // read the answer yet: it no longer holds concurrency (counted only at the limit: a scan).
      if (fn.reserved) {
        const limit = fn.spec.reservedConcurrency as number;
        if (fn.inFlight >= limit && fn.inFlight - fn.answeredUnread() >= limit)
          return Promise.resolve(RESERVED_THROTTLE);
      } else {
        const limit = accountConcurrency - reservedTotal;
        if (unreservedInFlight >= limit && unreservedInFlight - unreservedAnswered() >= limit)
          return Promise.resolve(ACCOUNT_THROTTLE);
        unreservedInFlight++;
      }
      fn.inFlight++;
      const requestId = invokeOpts?.requestId ?? randomUUID();
      const traceId = invokeOpts?.traceId ?? newTraceId(randomUUID(), Date.now());
      return new Promise((resolve) => {
        // Every call is answered exactly once: a second answer is a defect, reported, never delivered.
        let answered = false;
        const answer = (result: InvokeResult): void => {
          if (answered) {
            fn.internalError(undefined, `request ${requestId} was answered twice`);
            return;
          }
          answered = true;
          resolve(result);
        };
        fn.dispatch({ requestId, payload, traceId, resolve: answer, generation: fn.generation });
      });
    },

    stats(functionId) {
      const fn = functions.get(functionId);
      if (!fn) throw new Error(`No function ${functionId}`);
      const queued = fn.queued;
      const stats: FunctionStats = {
        warm: fn.live.size,
        busy: fn.running - queued,
        waiting: fn.waiting + queued,
        initializing: fn.starting,
        coldStarts: fn.coldStarts,
        internalErrors: fn.internalErrors,
        handOvers: { ...fn.handOvers },
      };
      if (fn.lastInitMs > 0)
        stats.lastInit = { durationMs: fn.lastInitMs, cpuMs: fn.lastInitCpuMs };
      return stats;
    },

    checkInvariants() {
      const problems: string[] = [];
      let unreserved = 0;
      for (const fn of functions.values()) {
        problems.push(...fn.checkInvariants());
        if (!fn.reserved) unreserved += fn.inFlight;
      }
      if (unreserved !== unreservedInFlight)
        problems.push(`unreserved in flight ${unreservedInFlight}, functions hold ${unreserved}`);
      return problems;
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(reaper);
      slots.closed = true;
      const reason = 'the local runtime is shutting down';
      for (const fn of functions.values()) fn.drain(SHUTTING_DOWN);
      const all: Promise<void>[] = [];
      for (const fn of functions.values()) {
        for (const env of [...fn.live]) all.push(env.destroy(reason));
      }
      await Promise.all(all);
      await opts.logSink?.flush();
    },
  };
}
