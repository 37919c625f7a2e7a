import type { LogSink } from '../logs/types';
import type { EnvironmentHost, ExecutionEnvironment } from './execution-environment';

export type { LogRecord, LogSink } from '../logs/types';
// The service factory lives in lambda-service.ts; re-exported so the interface file is enough to code against.
export { createLambdaService } from './lambda-service';

/** A Lambda function as the cloud assembly describes it, resolved to local values. */
export interface FunctionSpec {
  /** Unique, e.g. `SmAuth/CreateUserFunction` (stack/logicalId). */
  id: string;
  /** The resolved FunctionName (or the id-derived name). */
  functionName: string;
  /** Absolute dir of the asset (the same bundle CDK deploys, from `cdk.out/asset.<hash>`). */
  codeDir: string;
  /** `<file>.<export>`, e.g. `create-user.handler`. */
  handler: string;
  /** `nodejs22.x` … */
  runtime: string;
  /** Already resolved to local values (including `AWS_ENDPOINT_URL_DYNAMODB`). */
  environment: Record<string, string>;
  /** @default 3 */
  timeoutSeconds: number;
  /** @default 128 */
  memorySizeMB: number;
  /** `undefined` = unreserved (bounded by the account concurrency left over by reservations). */
  reservedConcurrency?: number;
  /** `arm64` or `x86_64` (what Lambda bills by). @default 'x86_64' */
  architecture?: string;
  /** `/aws/lambda/<functionName>` or the templated LogGroup. */
  logGroupName: string;
  /**
   * The published version this spec runs (`AWS::Lambda::Version`, numbered locally): what
   * `AWS_LAMBDA_FUNCTION_VERSION`, `context.functionVersion`, the log stream and the `START` line
   * say. Aliases route to versions (`alias-router.ts`).
   * @default '$LATEST'
   */
  version?: string;
  /**
   * How callers name it: `invokedFunctionArn` ends with `:<qualifier>` (the alias every caller
   * invokes through, e.g. `live`).
   * @default none: the unqualified ARN
   */
  invokedQualifier?: string;
  /**
   * Console label, e.g. `auth:create-user`.
   * @default the stack name without its `Sm` prefix, lower-cased, and the handler file: `auth:create-user`
   */
  label?: string;
}

export type InvokeResult =
  | {
      kind: 'ok';
      payload: unknown;
      durationMs: number;
      coldStart: boolean;
      initDurationMs?: number;
    }
  | {
      kind: 'throttled';
      reason:
        'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';
    }
  /** 'Task timed out after N.NN seconds'. */
  | { kind: 'timeout'; durationMs: number }
  /**
   * The handler threw or rejected (`errorType` is the error's name), or the runtime failed:
   * `Runtime.ExitError`, `Runtime.OutOfMemory`, `Runtime.ImportModuleError`, `Runtime.HandlerNotFound`,
   * `Runtime.UnhandledPromiseRejection`.
   */
  | {
      kind: 'error';
      errorType: string;
      errorMessage: string;
      stackTrace?: string[];
      durationMs: number;
    };

export interface InvokeOptions {
  /** Lambda request id; a random UUID when absent. */
  requestId?: string;
  /** X-Ray trace header for `_X_AMZN_TRACE_ID`; generated when absent. */
  traceId?: string;
  /**
   * The alias or version the caller names (`live`, `2`), as in `…:function:<name>:<qualifier>`:
   * the alias router (`alias-router.ts`) picks the version that runs. Without a router, and for
   * `$LATEST`, the registered function itself runs.
   */
  qualifier?: string;
}

export interface FunctionStats {
  /** Live execution environments (in INIT, idle or busy). */
  warm: number;
  /** Environments serving an invocation right now. */
  busy: number;
  /** Accepted invocations waiting for an environment (see `maxConcurrentInits`). */
  waiting: number;
  /** Environments in INIT. */
  initializing: number;
  /** Environments started since registration (each first use is a cold start). */
  coldStarts: number;
  /**
   * Broken invariants of the hand-over to environments (hand-over.ts): always 0 unless the runtime
   * has a defect. Each one is printed when it happens; no answer ever went to another call.
   */
  internalErrors: number;
  /**
   * Invocations handed to a busy environment to start when its current one ends (`queued`), and
   * those taken back from one before it started them (`takenBack`: it ran long, another environment
   * freed first, or it died), since registration.
   */
  handOvers: { queued: number; takenBack: number };
  /** The last successful INIT: wall time from spawn to ready, and the CPU time its thread used. */
  lastInit?: { durationMs: number; cpuMs: number | undefined };
}

export interface LambdaService {
  register(spec: FunctionSpec): void;
  /**
   * Gives a registered function new code or configuration, as Lambda's UpdateFunctionCode and
   * UpdateFunctionConfiguration do: every invocation admitted after the call runs on an
   * environment started from `spec`; invocations already running finish on the code they started
   * on; environments of the earlier spec are retired as they become free (idle ones at once, none
   * by force). Reservations are checked as `register` checks them; on a refusal nothing changes.
   * Returns false when `spec` equals the current one (the warm environments stay).
   */
  update(spec: FunctionSpec): boolean;
  /**
   * Points a function at another copy of the same code (a re-synthesized assembly stages unchanged
   * bundles in a new directory): its warm environments stay, new ones load from there. Only
   * `codeDir` may differ from the current spec; the caller vouches that its files are the same.
   */
  relocate(spec: FunctionSpec): void;
  /**
   * Takes a function out of the system (it left the templates): its reservation is released and
   * its idle environments end. Calls already on their way (a request the gateway accepted before
   * a reload) are still answered; `register` with the same id brings it back.
   */
  remove(functionId: string): void;
  invoke(functionId: string, event: unknown, opts?: InvokeOptions): Promise<InvokeResult>;
  stats(functionId: string): FunctionStats;
  /**
   * Checks every invariant of the hand-over (hand-over.ts) across all functions and environments;
   * returns what does not hold, empty when all do. For tests and diagnostics: it walks every
   * environment.
   */
  checkInvariants(): string[];
  /** Destroys every environment; invocations still running resolve as `Runtime.ExitError`. */
  close(): Promise<void>;
}

export interface LambdaServiceOptions {
  /** Concurrent executions per account and region. @default 1000 */
  accountConcurrency?: number;
  /** Receives every function's log lines and the platform's START/END/REPORT lines. */
  logSink?: LogSink;
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  region?: string;
  /** Used in the function ARN. @default '123456789012' */
  accountId?: string;
  /**
   * Concurrency Lambda keeps unreserved: `register` refuses a reservation that would leave less.
   * @default min(100, accountConcurrency)
   */
  unreservedMinimum?: number;
  /**
   * At most this many environments run INIT at once, across all functions. Locally every
   * environment shares this machine's cores: unbounded parallel INITs only slow each other down
   * (and everything else), so more requests overlap and need still more environments. An
   * invocation that needs a new environment while this many are starting waits, counted as in
   * flight, for the first environment of its function to become free.
   * @default os.availableParallelism()
   */
  maxConcurrentInits?: number;
  /**
   * Directory for V8's code cache of the bundles (`module.enableCompileCache`): later INITs skip
   * compiling what an earlier one compiled. Lambda has no such cache, so `Init Duration` then
   * understates a cold start in AWS. @default undefined (off)
   */
  compileCacheDir?: string;
  /**
   * An environment idle this long is reclaimed, as Lambda does after some minutes; the next
   * request is a cold start again. 0 keeps environments until `close()`.
   * @default 300000 (5 minutes)
   */
  idleTimeoutMs?: number;
  /**
   * Where a broken hand-over invariant is reported (a defect of the runtime).
   * @default console.error
   */
  onInternalError?: (line: string) => void;
  /**
   * Creates an execution environment. Only for tests that must cause a fault the real one cannot be
   * made to show (a synchronous failure to start).
   * @default new ExecutionEnvironment(host)
   */
  createEnvironment?: (host: EnvironmentHost) => ExecutionEnvironment;
}
