import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { LogSink } from '../logs/types';
import {
  newLogStreamName,
  resourceLimitsFor,
  workerEnvironment,
  type LambdaIdentity,
} from './function-config';
import {
  endLine,
  initReportLine,
  initStartLine,
  reportLine,
  startLine,
  timeoutLine,
} from './platform-lines';
import { ClaimWords, ControlWord, createControlBlock, type HandOverMessage } from './hand-over';
import type { FunctionSpec, InvokeResult } from './types';

const BOOTSTRAP = join(__dirname, 'worker', 'bootstrap.cjs');

/** Lambda gives INIT 10 s of its own, outside the function's timeout. */
const INIT_TIMEOUT_MS = 10_000;

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Messages from worker/bootstrap.cjs (see the protocol there and in hand-over.ts). */
type WorkerMessage =
  | { type: 'ready'; maxMemoryMB: number; cpuMs?: number; logs: unknown[] | null }
  | { type: 'logs'; logs: unknown[] }
  | { type: 'init-error'; error: ErrorPayload; logs: unknown[] | null }
  | { type: 'crash'; error: ErrorPayload; logs: unknown[] | null }
  | {
      type: 'result';
      /** The hand-over this answers (I1). */
      seq: number;
      requestId: string;
      ok: boolean;
      body?: string;
      error?: ErrorPayload;
      durationMs: number;
      /** `performance.timeOrigin + performance.now()` in the worker when it answered. */
      endedAt: number;
      maxMemoryMB: number;
      logs: unknown[] | null;
    };

/** One invocation as the Lambda service hands it to an environment. */
export interface Invocation {
  readonly requestId: string;
  /** The event as JSON text: what Lambda hands its runtime. */
  readonly payload: string;
  readonly traceId: string;
  readonly resolve: (result: InvokeResult) => void;
}

/**
 * A busy environment takes invocations to run after its current one (see `enqueue`) only when its
 * last invocation took less than this…
 */
const QUEUE_MAX_DURATION_MS = 5;
/** …its current one has not been running (as far as this thread knows) longer than this… */
const QUEUE_MAX_ELAPSED_MS = 50;
/** …fewer than this many are queued on it already, and a claim word is free (hand-over.ts, I3). */
const QUEUE_MAX_DEPTH = 8;

/** What an environment needs from the service that owns it. */
export interface EnvironmentHost {
  readonly spec: FunctionSpec;
  readonly label: string;
  readonly identity: LambdaIdentity;
  readonly invokedFunctionArn: string;
  readonly logSink: LogSink | undefined;
  /** Where `@aws-sdk/*` resolves from when a bundle leaves it external (as Lambda provides it). */
  readonly sdkBaseDir: string | undefined;
  /** V8's on-disk code cache for the bundle (`module.enableCompileCache`); none when undefined. */
  readonly compileCacheDir: string | undefined;
  /** INIT succeeded: the environment is idle and may be handed an invocation. */
  ready(env: ExecutionEnvironment): void;
  /** INIT failed, timed out or was cut short: the environment is dead; `result` is what its first caller gets. */
  initFailed(env: ExecutionEnvironment, result: InvokeResult, errorType: string | undefined): void;
  /** Called once per invocation that has ended, before its promise resolves; the environment may be dead. */
  settled(env: ExecutionEnvironment): void;
  /** Called when an idle environment dies (e.g. its thread was ended from outside). */
  died(env: ExecutionEnvironment): void;
  /** Invocations queued on this environment and taken back before it started them (it died), in order. */
  requeue(invocations: Invocation[]): void;
  /** A hand-over invariant broke (hand-over.ts): the runtime has a defect; say so loudly. */
  internalError(env: ExecutionEnvironment, message: string): void;
}

/** One invocation handed over to the worker and not answered yet (hand-over.ts). */
interface HandOver {
  readonly seq: number;
  readonly invocation: Invocation;
  /** Its claim word while it may be taken back, else -1 (handed to an idle environment). */
  readonly slot: number;
  /** Set when it becomes the environment's current invocation (the head of `outstanding`). */
  coldStart: boolean;
  /** performance.now() when it started running (as far as this thread can tell); 0 while queued. */
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
}

type State = 'initializing' | 'idle' | 'busy' | 'dead';

/**
 * One execution environment: a worker thread that loads the bundle once (INIT, started at
 * construction) and then serves one invocation at a time, frozen in between. Its owner hands it
 * invocations only once it is ready. It ends on a timeout, a crash, running out of memory or
 * `destroy()`; a dead environment is never reused. How invocations travel to the worker and answers
 * back, and what keeps each answer with its call: hand-over.ts.
 */
export class ExecutionEnvironment {
  private state: State = 'initializing';
  private readonly worker: Worker;
  private readonly spawnedAt = performance.now();
  private readonly logStreamName: string;
  private readonly initTimer: NodeJS.Timeout;
  private readonly control = createControlBlock();
  private readonly claims = new ClaimWords(this.control);
  /** Handed over and not answered, in posting order = run order (I2): the head runs, the rest wait. */
  private readonly outstanding: HandOver[] = [];
  private nextSeq = 1;
  /** How long the last invocation ran in the worker. */
  private lastDurationMs = Number.POSITIVE_INFINITY;
  private initDurationMs: number | undefined;
  /** START/END/REPORT lines are only worth formatting for a sink that keeps them. */
  private readonly platformLines: boolean;
  /** The first invocation after INIT carries the cold start (`Init Duration` in its REPORT). */
  private served = false;
  private maxMemoryMB = 0;

  /**
   * The function's code and configuration this environment was started with. Its owner may update
   * the function meanwhile (a new bundle, a new configuration): this environment keeps running what
   * it loaded, as a Lambda execution environment does, until its owner retires it.
   */
  readonly spec: FunctionSpec;

  constructor(private readonly host: EnvironmentHost) {
    const spec = host.spec;
    this.spec = spec;
    this.logStreamName = newLogStreamName(undefined, spec.version);
    this.platformLines = host.logSink !== undefined && host.logSink.active !== false;
    this.worker = new Worker(BOOTSTRAP, {
      name: `lambda:${spec.functionName}`,
      // Not this process's flags: a TypeScript loader (tsx, jest) has no business in a Lambda sandbox
      // and would add hundreds of milliseconds to every cold start.
      execArgv: [],
      env: workerEnvironment(spec, host.identity, this.logStreamName),
      resourceLimits: resourceLimitsFor(spec.memorySizeMB),
      workerData: {
        codeDir: spec.codeDir,
        handler: spec.handler,
        functionName: spec.functionName,
        invokedFunctionArn: host.invokedFunctionArn,
        memorySizeMB: spec.memorySizeMB,
        timeoutMs: spec.timeoutSeconds * 1000,
        logGroupName: spec.logGroupName,
        logStreamName: this.logStreamName,
        captureLogs: host.logSink !== undefined,
        sdkBaseDir: host.sdkBaseDir,
        compileCacheDir: host.compileCacheDir,
        control: this.control.buffer,
        controlWords: ControlWord,
      },
    });
    this.platformLog(initStartLine(spec.runtime), undefined);
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) => this.onError(error));
    this.worker.on('exit', (code) => this.onExit(code));
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_TIMEOUT_MS);
  }

  get isDead(): boolean {
    return this.state === 'dead';
  }

  get isBusy(): boolean {
    return this.outstanding.length > 0;
  }

  get isInitializing(): boolean {
    return this.state === 'initializing';
  }

  /**
   * Busy, but the worker has answered everything handed to it: only this thread has not read the
   * answers yet (it was busy with other work). Such an environment is as good as free.
   */
  get isAnswered(): boolean {
    return this.state === 'busy' && Atomics.load(this.control, ControlWord.outstanding) === 0;
  }

  /** Invocations handed over and not answered: the running one and those queued behind it. */
  get outstandingCount(): number {
    return this.outstanding.length;
  }

  /** How many invocations are queued here, handed over behind the running one. */
  get queuedCount(): number {
    return Math.max(0, this.outstanding.length - 1);
  }

  /**
   * Whether this busy environment takes an invocation to start as soon as its current one ends:
   * its invocations are short (the last one took under QUEUE_MAX_DURATION_MS and the current one
   * has not been running long), few are queued on it yet, and a claim word is free.
   */
  get acceptsQueued(): boolean {
    return (
      this.state === 'busy' &&
      this.outstanding.length > 0 &&
      this.outstanding.length <= QUEUE_MAX_DEPTH &&
      this.claims.available > 0 &&
      this.lastDurationMs < QUEUE_MAX_DURATION_MS &&
      this.runningForMs < QUEUE_MAX_ELAPSED_MS
    );
  }

  /** How long (this thread's clock) the current invocation has been running; 0 when none. */
  get runningForMs(): number {
    const current = this.outstanding[0];
    return current ? performance.now() - current.startedAt : 0;
  }

  /** Milliseconds from spawn to ready (0 until then). */
  get initDuration(): number {
    return this.initDurationMs ?? 0;
  }

  /** CPU milliseconds the worker thread used for INIT, when Node can tell (`process.threadCpuUsage`). */
  initCpuMs: number | undefined;

  /** performance.now() when the environment last became idle (set by its owner). */
  idleSince = 0;

  /** Runs one invocation; the environment must be idle (INIT done, nothing running). */
  invoke(invocation: Invocation): void {
    if (this.state !== 'idle') throw new Error(`execution environment is ${this.state}, not idle`);
    const handOver = this.post(invocation, this.nextSeq++, -1);
    this.state = 'busy';
    this.begin(handOver, performance.now());
  }

  /**
   * Hands over an invocation to start in the worker itself the moment the ones ahead of it end:
   * under load the next invocation then costs no wake-up of a frozen worker thread (on a shared or
   * virtual machine, the dearest part of a hand-over) and no round trip through this thread, which
   * may be slow to read answers. The environment still runs one invocation at a time, in order.
   * Until the worker starts it, `takeBack` can take it back (another environment freed first, or
   * the current invocation runs long); if the environment dies first it goes back to the host
   * (`requeue`): never lost, never run twice (hand-over.ts, I3).
   */
  enqueue(invocation: Invocation): void {
    if (!this.acceptsQueued)
      throw new Error('execution environment does not take a queued invocation now');
    const seq = this.nextSeq++;
    const slot = this.claims.allocate(seq);
    if (slot === undefined) throw new Error('execution environment has no free claim word');
    this.post(invocation, seq, slot);
  }

  /**
   * Takes back queued invocations the worker has not started, oldest first, at most `max`. Those it
   * has started stay: they run (or ran) here.
   */
  takeBack(max = Number.POSITIVE_INFINITY): Invocation[] {
    const taken: Invocation[] = [];
    for (let i = 1; i < this.outstanding.length && taken.length < max;) {
      const handOver = this.outstanding[i] as HandOver;
      if (!this.claims.claim(handOver.slot, handOver.seq)) {
        i++;
        continue;
      }
      this.outstanding.splice(i, 1);
      this.claims.release(handOver.slot);
      Atomics.sub(this.control, ControlWord.outstanding, 1);
      taken.push(handOver.invocation);
    }
    return taken;
  }

  private post(invocation: Invocation, seq: number, slot: number): HandOver {
    const handOver: HandOver = {
      seq,
      invocation,
      slot,
      coldStart: false,
      startedAt: 0,
      timer: undefined,
    };
    this.outstanding.push(handOver);
    Atomics.add(this.control, ControlWord.outstanding, 1);
    const message: HandOverMessage = [
      handOver.seq,
      slot,
      invocation.requestId,
      invocation.payload,
      invocation.traceId,
    ];
    this.worker.postMessage(message);
    // Post first, ring after: a frozen worker that wakes finds the message (I6).
    Atomics.store(this.control, ControlWord.doorbell, 1);
    Atomics.notify(this.control, ControlWord.doorbell, 1);
    return handOver;
  }

  /** Makes `handOver` (the head of `outstanding`) the current invocation, started at `startedAt`. */
  private begin(handOver: HandOver, startedAt: number): void {
    handOver.coldStart = !this.served;
    this.served = true;
    handOver.startedAt = startedAt;
    const { requestId } = handOver.invocation;
    this.platformLog(startLine(requestId, this.spec.version), requestId);
    const remainingMs = this.timeoutMs - (performance.now() - startedAt);
    handOver.timer = setTimeout(() => this.onTimeout(handOver), Math.max(0, remainingMs));
  }

  private get timeoutMs(): number {
    return this.spec.timeoutSeconds * 1000;
  }

  /**
   * Writes END and REPORT for an invocation that waited for this environment's INIT, which failed:
   * in CloudWatch the failed INIT belongs to that request.
   */
  reportFailedInit(requestId: string, status: 'timeout' | 'error', errorType?: string): void {
    if (!this.platformLines) return;
    this.platformLog(endLine(requestId), requestId);
    this.platformLog(
      reportLine({
        requestId,
        durationMs: 0,
        memorySizeMB: this.spec.memorySizeMB,
        maxMemoryUsedMB: this.maxMemoryMB,
        initDurationMs: performance.now() - this.spawnedAt,
        status,
        errorType,
      }),
      requestId,
    );
  }

  /** Ends the environment; an invocation still running resolves as `Runtime.ExitError`. */
  destroy(reason: string): Promise<void> {
    const current = this.outstanding[0];
    const initializing = this.state === 'initializing';
    this.kill();
    if (current) {
      this.finish(
        current,
        this.exitError(current.invocation.requestId, `Runtime exited: ${reason}`),
        'error',
        'Runtime.ExitError',
      );
    } else if (initializing) {
      this.host.initFailed(
        this,
        this.exitError(undefined, `Runtime exited: ${reason}`),
        'Runtime.ExitError',
      );
    }
    return this.worker.terminate().then(() => undefined);
  }

  /** Violations of the hand-over's invariants (hand-over.ts) on this environment; empty when all hold. */
  checkInvariants(): string[] {
    if (this.state === 'dead')
      return this.outstanding.length > 0
        ? [`dead environment still has ${this.outstanding.length} outstanding`]
        : [];
    const problems: string[] = [];
    const busy = this.state === 'busy';
    if (busy !== this.outstanding.length > 0)
      problems.push(`state ${this.state} with ${this.outstanding.length} outstanding`);
    for (let i = 1; i < this.outstanding.length; i++) {
      const [before, after] = [
        this.outstanding[i - 1] as HandOver,
        this.outstanding[i] as HandOver,
      ];
      if (after.seq <= before.seq) problems.push(`#${after.seq} queued after #${before.seq}`);
      if (after.slot < 0) problems.push(`queued #${after.seq} has no claim word`);
    }
    const shared = Atomics.load(this.control, ControlWord.outstanding);
    if (shared < 0 || shared > this.outstanding.length)
      problems.push(`shared outstanding ${shared}, ${this.outstanding.length} here`);
    problems.push(
      ...this.claims.check(
        this.outstanding.filter((h) => h.slot >= 0).map((h) => [h.slot, h.seq] as const),
      ),
    );
    return problems;
  }

  private onMessage(message: WorkerMessage): void {
    // A worker being terminated may still deliver a late answer: only its lines still count.
    if (this.state === 'dead') {
      if ('logs' in message) this.forwardLogs(message.logs);
      return;
    }
    switch (message.type) {
      case 'logs':
        this.forwardLogs(message.logs);
        return;
      case 'ready':
        clearTimeout(this.initTimer);
        this.initDurationMs = performance.now() - this.spawnedAt;
        this.initCpuMs = message.cpuMs;
        this.maxMemoryMB = message.maxMemoryMB;
        this.forwardLogs(message.logs);
        this.state = 'idle';
        this.host.ready(this);
        return;
      case 'result':
        this.forwardLogs(message.logs);
        this.onResult(message);
        return;
      case 'init-error': {
        this.forwardLogs(message.logs);
        this.failInit(this.errorResult(message.error, 0), 'error', message.error.errorType);
        return;
      }
      case 'crash':
        this.forwardLogs(message.logs);
        this.onDeath(message.error);
        return;
    }
  }

  private onResult(message: Extract<WorkerMessage, { type: 'result' }>): void {
    const current = this.outstanding[0];
    // I1: only the head's own answer is delivered, and only to the head.
    if (
      !current ||
      message.seq !== current.seq ||
      message.requestId !== current.invocation.requestId
    ) {
      this.failInternally(
        `answer for #${message.seq} (request ${message.requestId}) arrived while ` +
          (current
            ? `#${current.seq} (request ${current.invocation.requestId}) is the oldest outstanding`
            : 'nothing is outstanding'),
      );
      return;
    }
    const shared = Atomics.load(this.control, ControlWord.outstanding);
    if (shared < 0 || shared > this.outstanding.length - 1) {
      this.failInternally(
        `${shared} hand-overs unanswered in the worker's count after #${message.seq}, ${this.outstanding.length - 1} here`,
      );
      return;
    }
    this.maxMemoryMB = message.maxMemoryMB;
    this.lastDurationMs = message.durationMs;
    let result: InvokeResult;
    let status: 'timeout' | undefined;
    if (message.durationMs > this.timeoutMs) {
      // I5: it ran past its timeout (this thread's timer fired late); Lambda would have ended it.
      result = { kind: 'timeout', durationMs: message.durationMs };
      status = 'timeout';
      this.platformLog(
        timeoutLine(current.invocation.requestId, this.spec.timeoutSeconds, Date.now()),
        current.invocation.requestId,
      );
    } else if (message.ok) {
      result = {
        kind: 'ok',
        payload: message.body === undefined ? null : JSON.parse(message.body),
        durationMs: message.durationMs,
        coldStart: current.coldStart,
      };
      if (current.coldStart) result.initDurationMs = this.initDurationMs;
    } else {
      result = this.errorResult(message.error as ErrorPayload, message.durationMs);
    }
    this.finish(current, result, status, undefined, message.durationMs, message.endedAt);
  }

  private onTimeout(handOver: HandOver): void {
    if (this.outstanding[0] !== handOver) return;
    // I5: answered in time, the answer not read yet: it is on its way.
    if (Atomics.load(this.control, ControlWord.lastAnswered) >= handOver.seq) return;
    const { requestId } = handOver.invocation;
    const durationMs = performance.now() - handOver.startedAt;
    this.platformLog(timeoutLine(requestId, this.spec.timeoutSeconds, Date.now()), requestId);
    this.kill();
    this.finish(handOver, { kind: 'timeout', durationMs }, 'timeout', undefined, durationMs);
  }

  private onInitTimeout(): void {
    if (this.state !== 'initializing') return;
    this.failInit({ kind: 'timeout', durationMs: INIT_TIMEOUT_MS }, 'timeout', undefined);
  }

  /** INIT did not end in `ready`: the environment is gone and its owner decides who gets `result`. */
  private failInit(
    result: InvokeResult,
    status: 'timeout' | 'error',
    errorType: string | undefined,
  ): void {
    clearTimeout(this.initTimer);
    const initMs = status === 'timeout' ? INIT_TIMEOUT_MS : performance.now() - this.spawnedAt;
    this.platformLog(initReportLine(initMs, status, errorType), undefined);
    this.kill();
    this.host.initFailed(this, result, errorType);
  }

  /** The worker's own 'error' event: in practice the heap limit (uncaught errors arrive as 'crash'). */
  private onError(error: Error & { code?: string }): void {
    if (this.state === 'dead') return;
    const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const requestId = this.outstanding[0]?.invocation.requestId ?? 'undefined';
    this.onDeath({
      errorType: outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${outOfMemory ? 'signal: killed' : error.message}`,
      trace: [],
    });
  }

  /** process.exit() in user code, or anything else that stops the thread unasked. */
  private onExit(code: number): void {
    if (this.state === 'dead') return;
    const requestId = this.outstanding[0]?.invocation.requestId ?? 'undefined';
    this.onDeath({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
      trace: [],
    });
  }

  private onDeath(error: ErrorPayload): void {
    if (this.state === 'dead') return;
    if (this.state === 'initializing') {
      this.failInit(this.errorResult(error, 0), 'error', error.errorType);
      return;
    }
    const current = this.outstanding[0];
    this.kill();
    if (current) {
      const durationMs = current.startedAt > 0 ? performance.now() - current.startedAt : 0;
      this.finish(
        current,
        this.errorResult(error, durationMs),
        'error',
        error.errorType,
        durationMs,
      );
    } else {
      this.host.died(this);
    }
  }

  /** I1 broke: nothing of this environment can be trusted; its calls get an internal error, loudly. */
  private failInternally(message: string): void {
    this.host.internalError(this, message);
    const current = this.outstanding[0];
    const all = this.outstanding.splice(0);
    this.state = 'dead';
    clearTimeout(this.initTimer);
    void this.worker.terminate();
    for (const handOver of all) {
      clearTimeout(handOver.timer);
      this.host.settled(this);
      handOver.invocation.resolve(
        this.errorResult(
          {
            errorType: 'LocalRuntime.InternalError',
            errorMessage: `RequestId: ${handOver.invocation.requestId} Error: the local runtime lost track of this invocation (${message}); this is a defect of the local runtime, not of the function`,
            trace: [],
          },
          handOver === current && handOver.startedAt > 0
            ? performance.now() - handOver.startedAt
            : 0,
        ),
      );
    }
  }

  private kill(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.initTimer);
    void this.worker.terminate();
    this.releaseQueued();
  }

  /**
   * The environment is dead: a queued invocation the worker never started goes back to the host;
   * one it had started (the one ahead answered, the answer unread here) ended with the worker.
   */
  private releaseQueued(): void {
    const queued = this.outstanding.splice(1);
    const unstarted: Invocation[] = [];
    for (const handOver of queued) {
      if (this.claims.claim(handOver.slot, handOver.seq)) {
        unstarted.push(handOver.invocation);
        continue;
      }
      this.host.settled(this);
      handOver.invocation.resolve(
        this.exitError(handOver.invocation.requestId, 'Runtime exited: the environment ended'),
      );
    }
    if (unstarted.length > 0) this.host.requeue(unstarted);
  }

  private errorResult(error: ErrorPayload, durationMs: number): InvokeResult {
    return {
      kind: 'error',
      errorType: error.errorType,
      errorMessage: error.errorMessage,
      stackTrace: error.trace,
      durationMs,
    };
  }

  private exitError(requestId: string | undefined, message: string): InvokeResult {
    return this.errorResult(
      {
        errorType: 'Runtime.ExitError',
        errorMessage: requestId ? `RequestId: ${requestId} Error: ${message}` : `Error: ${message}`,
        trace: [],
      },
      0,
    );
  }

  /**
   * Ends the current invocation (the head) with `result`. When the worker answered it (`endedAt`),
   * the next hand-over, if any, becomes current: the worker went on with it the moment it answered.
   */
  private finish(
    handOver: HandOver,
    result: InvokeResult,
    status?: 'timeout' | 'error',
    errorType?: string,
    durationMs = 0,
    endedAt?: number,
  ): void {
    if (this.outstanding[0] !== handOver) return;
    clearTimeout(handOver.timer);
    this.outstanding.shift();
    if (handOver.slot >= 0 && this.state !== 'dead') this.claims.release(handOver.slot);
    const { requestId } = handOver.invocation;
    if (this.platformLines) {
      this.platformLog(endLine(requestId), requestId);
      this.platformLog(
        reportLine({
          requestId,
          durationMs,
          memorySizeMB: this.spec.memorySizeMB,
          maxMemoryUsedMB: this.maxMemoryMB,
          initDurationMs: handOver.coldStart ? this.initDurationMs : undefined,
          status,
          errorType,
        }),
        requestId,
      );
    }
    const next = this.outstanding[0];
    if (this.state !== 'dead') {
      if (next && endedAt !== undefined) {
        this.begin(next, Math.min(performance.now(), endedAt - performance.timeOrigin));
      } else {
        this.state = next ? 'busy' : 'idle';
      }
    }
    this.host.settled(this);
    handOver.invocation.resolve(result);
  }

  private platformLog(message: string, requestId: string | undefined): void {
    if (!this.platformLines) return;
    (this.host.logSink as LogSink).write({
      timestamp: Date.now(),
      logGroup: this.spec.logGroupName,
      logStream: this.logStreamName,
      requestId,
      message,
      source: this.host.label,
      origin: 'platform',
    });
  }

  private forwardLogs(logs: unknown[] | null): void {
    const sink = this.host.logSink;
    if (!sink || !logs) return;
    const { logGroupName } = this.spec;
    for (let i = 0; i < logs.length; i += 3) {
      sink.write({
        timestamp: logs[i] as number,
        logGroup: logGroupName,
        logStream: this.logStreamName,
        requestId: logs[i + 1] as string | undefined,
        message: logs[i + 2] as string,
        source: this.host.label,
      });
    }
  }
}
