import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LogSink } from '../logs/types';
import { ExecutionEnvironment, type EnvironmentHost } from './execution-environment';
import {
  defaultLabel,
  functionArn,
  newTraceId,
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
const ACCOUNT_THROTTLE: InvokeResult = {
  kind: 'throttled',
  reason: 'ConcurrentInvocationLimitExceeded',
};

/** Lambda keeps at least this much of the account's concurrency unreserved. */
const UNRESERVED_MINIMUM = 100;

/** One registered function: its environments and its share of the concurrency. */
class FunctionRuntime implements EnvironmentHost {
  readonly label: string;
  readonly invokedFunctionArn: string;
  /** Idle environments, most recently used last (reused LIFO, so the warmest serves first). */
  readonly idle: ExecutionEnvironment[] = [];
  readonly live = new Set<ExecutionEnvironment>();
  busy = 0;
  coldStarts = 0;

  constructor(
    readonly spec: FunctionSpec,
    readonly identity: LambdaIdentity,
    readonly logSink: LogSink | undefined,
    readonly sdkBaseDir: string | undefined,
    private readonly release: (fn: FunctionRuntime) => void,
  ) {
    this.label = spec.label ?? defaultLabel(spec);
    this.invokedFunctionArn = functionArn(identity.region, identity.accountId, spec.functionName);
  }

  get reserved(): boolean {
    return this.spec.reservedConcurrency !== undefined;
  }

  acquire(): ExecutionEnvironment {
    this.busy++;
    const warm = this.idle.pop();
    if (warm) return warm;
    const env = new ExecutionEnvironment(this);
    this.live.add(env);
    this.coldStarts++;
    return env;
  }

  settled(env: ExecutionEnvironment): void {
    this.busy--;
    if (env.isDead) {
      this.live.delete(env);
    } else {
      env.idleSince = performance.now();
      this.idle.push(env);
    }
    this.release(this);
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

  died(env: ExecutionEnvironment): void {
    this.live.delete(env);
    const index = this.idle.indexOf(env);
    if (index !== -1) this.idle.splice(index, 1);
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
 * in worker threads, created on demand and reused, capped by reserved concurrency per function
 * and by the account concurrency left unreserved; a request with no environment allowed is
 * throttled at once, never queued.
 */
export function createLambdaService(opts: LambdaServiceOptions = {}): LambdaService {
  const accountConcurrency = opts.accountConcurrency ?? 1000;
  const unreservedMinimum =
    opts.unreservedMinimum ?? Math.min(UNRESERVED_MINIMUM, accountConcurrency);
  const identity: LambdaIdentity = {
    region: opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
    accountId: opts.accountId ?? '123456789012',
  };
  const sdkBaseDir = findSdkBaseDir();
  const functions = new Map<string, FunctionRuntime>();
  let reservedTotal = 0;
  let unreservedBusy = 0;
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

  const release = (fn: FunctionRuntime): void => {
    if (!fn.reserved) unreservedBusy--;
  };

  return {
    register(spec) {
      if (closed) throw new Error('The Lambda service is closed');
      validateSpec(spec);
      if (functions.has(spec.id)) throw new Error(`Function ${spec.id} is already registered`);
      const reserved = spec.reservedConcurrency ?? 0;
      if (reservedTotal + reserved > accountConcurrency - unreservedMinimum) {
        throw new Error(
          `Function ${spec.id}: reserving ${reserved} brings the total reserved concurrency to ${reservedTotal + reserved}, ` +
            `leaving ${accountConcurrency - reservedTotal - reserved} of the account's ${accountConcurrency} unreserved; ` +
            `Lambda requires at least ${unreservedMinimum} unreserved. Lower the reservations or raise accountConcurrency.`,
        );
      }
      reservedTotal += reserved;
      functions.set(
        spec.id,
        new FunctionRuntime(spec, identity, opts.logSink, sdkBaseDir, release),
      );
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
      if (fn.reserved) {
        if (fn.busy >= (fn.spec.reservedConcurrency as number))
          return Promise.resolve(RESERVED_THROTTLE);
      } else {
        if (unreservedBusy >= accountConcurrency - reservedTotal)
          return Promise.resolve(ACCOUNT_THROTTLE);
        unreservedBusy++;
      }
      const env = fn.acquire();
      const requestId = invokeOpts?.requestId ?? randomUUID();
      const traceId = invokeOpts?.traceId ?? newTraceId(randomUUID(), Date.now());
      return env.invoke(requestId, event, traceId);
    },

    stats(functionId) {
      const fn = functions.get(functionId);
      if (!fn) throw new Error(`No function ${functionId}`);
      const stats: FunctionStats = { warm: fn.live.size, busy: fn.busy, coldStarts: fn.coldStarts };
      return stats;
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(reaper);
      const all: Promise<void>[] = [];
      for (const fn of functions.values()) {
        for (const env of [...fn.live]) all.push(env.destroy('the local runtime is shutting down'));
      }
      await Promise.all(all);
      await opts.logSink?.flush();
    },
  };
}
