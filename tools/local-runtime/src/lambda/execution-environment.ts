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
import type { FunctionSpec, InvokeResult } from './types';

const BOOTSTRAP = join(__dirname, 'worker', 'bootstrap.cjs');

/** Lambda gives INIT 10 s of its own, outside the function's timeout. */
const INIT_TIMEOUT_MS = 10_000;

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Messages from worker/bootstrap.cjs (see the protocol there). */
type WorkerMessage =
  | { type: 'ready'; maxMemoryMB: number; cpuMs?: number; logs: unknown[] | null }
  | { type: 'logs'; logs: unknown[] }
  | { type: 'init-error'; error: ErrorPayload; logs: unknown[] | null }
  | { type: 'crash'; error: ErrorPayload; logs: unknown[] | null }
  | {
      type: 'result';
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
/** …and fewer than this many are queued on it already. */
const QUEUE_MAX_DEPTH = 8;
/** Claim words in the shared control block: more than an environment ever has outstanding. */
const CLAIM_SLOTS = 16;

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
  /** Called once an invocation has ended, before its promise resolves; the environment may be dead. */
  settled(env: ExecutionEnvironment): void;
  /** Called when an idle environment dies (e.g. a background timer threw after the response). */
  died(env: ExecutionEnvironment): void;
  /** Invocations queued on this environment, taken back before it started them (it died), in order. */
  requeue(invocations: Invocation[]): void;
}

interface Pending {
  requestId: string;
  resolve: (result: InvokeResult) => void;
  coldStart: boolean;
  /** performance.now() when the invocation started running. */
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
}

type State = 'initializing' | 'idle' | 'busy' | 'dead';

/**
 * One execution environment: a worker thread that loads the bundle once (INIT, started at
 * construction) and then serves one invocation at a time. Its owner hands it invocations only once
 * it is ready. It ends on a timeout, a crash, running out of memory or `destroy()`; a dead
 * environment is never reused.
 */
export class ExecutionEnvironment {
  private state: State = 'initializing';
  private pending: Pending | undefined;
  private readonly worker: Worker;
  private readonly spawnedAt = performance.now();
  private readonly logStreamName = newLogStreamName();
  private readonly initTimer: NodeJS.Timeout;
  /**
   * Shared with the worker. [0]: invocations handed over and not answered yet (incremented here on
   * hand-over, decremented there just before each answer). [1 + seq % CLAIM_SLOTS]: the sequence
   * number of a queued invocation while nobody has claimed it, else 0: the worker claims it to run
   * it, this thread to take it back, each with a compare-and-exchange, so exactly one of them does.
   */
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (1 + CLAIM_SLOTS)));
  /** Invocations handed over to start after the current one, in order (see `enqueue`). */
  private readonly queued: { invocation: Invocation; seq: number }[] = [];
  private nextSeq = 1;
  /** How long the last invocation ran in the worker. */
  private lastDurationMs = Number.POSITIVE_INFINITY;
  private initDurationMs: number | undefined;
  /** START/END/REPORT lines are only worth formatting for a sink that keeps them. */
  private readonly platformLines: boolean;
  /** The first invocation after INIT carries the cold start (`Init Duration` in its REPORT). */
  private served = false;
  private maxMemoryMB = 0;

  constructor(private readonly host: EnvironmentHost) {
    const { spec } = host;
    this.platformLines = host.logSink !== undefined && host.logSink.active !== false;
    this.platformLog(initStartLine(spec.runtime), undefined);
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
        reportMemory: this.platformLines,
      },
    });
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) => this.onError(error));
    this.worker.on('exit', (code) => this.onExit(code));
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_TIMEOUT_MS);
  }

  get isDead(): boolean {
    return this.state === 'dead';
  }

  get isBusy(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Busy, but the worker has answered already: only this thread has not read the answer yet (it
   * was busy with other work). Such an environment is as good as free.
   */
  get isAnswered(): boolean {
    return this.state === 'busy' && Atomics.load(this.control, 0) === 0;
  }

  /** How many invocations are queued here, handed over behind the running one. */
  get queuedCount(): number {
    return this.queued.length;
  }

  /**
   * Whether this busy environment takes an invocation to start as soon as its current one ends:
   * its invocations are short (the last one took under QUEUE_MAX_DURATION_MS and the current one
   * has not been running long) and few are queued on it yet.
   */
  get acceptsQueued(): boolean {
    return (
      this.state === 'busy' &&
      this.queued.length < QUEUE_MAX_DEPTH &&
      this.pending !== undefined &&
      this.lastDurationMs < QUEUE_MAX_DURATION_MS &&
      this.runningForMs < QUEUE_MAX_ELAPSED_MS
    );
  }

  /** How long (this thread's clock) the current invocation has been running; 0 when none. */
  get runningForMs(): number {
    return this.pending ? performance.now() - this.pending.startedAt : 0;
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
    const coldStart = !this.served;
    this.served = true;
    this.state = 'busy';
    this.begin(invocation, coldStart, performance.now());
    this.handOver(invocation, 0);
  }

  /**
   * Hands over an invocation to start in the worker itself the moment the ones ahead of it end:
   * under load the next invocation then costs no wake-up of a sleeping worker thread (on a shared
   * or virtual machine, the dearest part of a hand-over) and no round trip through this thread,
   * which may be slow to read answers. The environment still runs one invocation at a time, in
   * order. Until the worker starts it, `withdraw` can take it back (another environment freed
   * first, or the current invocation runs long); if the environment dies first it goes back to the
   * host (`requeue`): never lost, never run twice.
   */
  enqueue(invocation: Invocation): void {
    if (!this.acceptsQueued)
      throw new Error('execution environment does not take a queued invocation now');
    const seq = this.nextSeq++;
    this.queued.push({ invocation, seq });
    Atomics.store(this.control, 1 + (seq % CLAIM_SLOTS), seq);
    this.handOver(invocation, seq);
  }

  /**
   * Takes back the last queued invocation if the worker has not started it (it runs them in
   * order: when the last has started, so have all the others).
   */
  withdraw(): Invocation | undefined {
    const last = this.queued[this.queued.length - 1];
    if (!last || !this.claim(last.seq)) return undefined;
    this.queued.pop();
    Atomics.sub(this.control, 0, 1);
    return last.invocation;
  }

  /** Claims a queued invocation for this thread; false when the worker has claimed it first. */
  private claim(seq: number): boolean {
    return Atomics.compareExchange(this.control, 1 + (seq % CLAIM_SLOTS), seq, 0) === seq;
  }

  /** [requestId, event JSON, traceId, seq]: an array clones faster than an object with named fields. */
  private handOver(invocation: Invocation, seq: number): void {
    Atomics.add(this.control, 0, 1);
    this.worker.postMessage([invocation.requestId, invocation.payload, invocation.traceId, seq]);
  }

  /** Makes `invocation` the current one, started at `startedAt` (this thread's clock). */
  private begin(invocation: Invocation, coldStart: boolean, startedAt: number): void {
    const pending: Pending = {
      requestId: invocation.requestId,
      resolve: invocation.resolve,
      coldStart,
      startedAt,
      timer: undefined,
    };
    this.pending = pending;
    this.platformLog(startLine(invocation.requestId), invocation.requestId);
    const remainingMs = this.host.spec.timeoutSeconds * 1000 - (performance.now() - startedAt);
    pending.timer = setTimeout(() => this.onTimeout(pending), Math.max(0, remainingMs));
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
        memorySizeMB: this.host.spec.memorySizeMB,
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
    const pending = this.pending;
    const initializing = this.state === 'initializing';
    this.kill();
    if (pending) {
      this.finish(
        pending,
        this.exitError(pending.requestId, `Runtime exited: ${reason}`),
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
    const pending = this.pending;
    if (!pending) return;
    this.maxMemoryMB = message.maxMemoryMB;
    this.lastDurationMs = message.durationMs;
    this.state = 'idle';
    let result: InvokeResult;
    if (message.ok) {
      result = {
        kind: 'ok',
        payload: message.body === undefined ? null : JSON.parse(message.body),
        durationMs: message.durationMs,
        coldStart: pending.coldStart,
      };
      if (pending.coldStart) result.initDurationMs = this.initDurationMs;
    } else {
      result = this.errorResult(message.error as ErrorPayload, message.durationMs);
    }
    this.finish(pending, result, undefined, undefined, message.durationMs, message.endedAt);
  }

  private onTimeout(pending: Pending): void {
    if (this.pending !== pending) return;
    const durationMs = performance.now() - pending.startedAt;
    this.platformLog(
      timeoutLine(pending.requestId, this.host.spec.timeoutSeconds, Date.now()),
      pending.requestId,
    );
    this.kill();
    this.finish(pending, { kind: 'timeout', durationMs }, 'timeout', undefined, durationMs);
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
    const requestId = this.pending?.requestId ?? 'undefined';
    this.onDeath({
      errorType: outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${outOfMemory ? 'signal: killed' : error.message}`,
      trace: [],
    });
  }

  /** process.exit() in user code, or anything else that stops the thread unasked. */
  private onExit(code: number): void {
    if (this.state === 'dead') return;
    const requestId = this.pending?.requestId ?? 'undefined';
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
    const pending = this.pending;
    this.kill();
    if (pending) {
      const durationMs = pending.startedAt > 0 ? performance.now() - pending.startedAt : 0;
      this.finish(
        pending,
        this.errorResult(error, durationMs),
        'error',
        error.errorType,
        durationMs,
      );
    } else {
      this.host.died(this);
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
   * one it had started (its predecessor answered, the answer unread here) ended with the worker.
   */
  private releaseQueued(): void {
    const queued = this.queued.splice(0);
    const unstarted: Invocation[] = [];
    for (const { invocation, seq } of queued) {
      if (this.claim(seq)) {
        unstarted.push(invocation);
        continue;
      }
      this.host.settled(this);
      invocation.resolve(
        this.exitError(invocation.requestId, 'Runtime exited: the environment ended'),
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

  private finish(
    pending: Pending,
    result: InvokeResult,
    status?: 'timeout' | 'error',
    errorType?: string,
    durationMs = 0,
    endedAt?: number,
  ): void {
    if (this.pending !== pending) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    if (this.platformLines) {
      const { requestId } = pending;
      this.platformLog(endLine(requestId), requestId);
      this.platformLog(
        reportLine({
          requestId,
          durationMs,
          memorySizeMB: this.host.spec.memorySizeMB,
          maxMemoryUsedMB: this.maxMemoryMB,
          initDurationMs: pending.coldStart ? this.initDurationMs : undefined,
          status,
          errorType,
        }),
        requestId,
      );
    }
    // The worker went on with the next queued invocation the moment it answered this one.
    const queued = endedAt !== undefined && this.state === 'idle' ? this.queued.shift() : undefined;
    if (queued && endedAt !== undefined) {
      this.state = 'busy';
      this.begin(
        queued.invocation,
        false,
        Math.min(performance.now(), endedAt - performance.timeOrigin),
      );
    }
    this.host.settled(this);
    pending.resolve(result);
  }

  private platformLog(message: string, requestId: string | undefined): void {
    if (!this.platformLines) return;
    (this.host.logSink as LogSink).write({
      timestamp: Date.now(),
      logGroup: this.host.spec.logGroupName,
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
    const { logGroupName } = this.host.spec;
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
