import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../seeded-random';
import type { DynamoCall, DynamoProxyLayer, DynamoReply } from './proxy-types';
import type { FaultSpec, InjectedFailure } from './fault-spec';

/** What the injector did, by kind (for a run's summary and for tests). */
export interface FaultCounts {
  /** Calls the spec applied to (table and operation in scope). */
  inScope: number;
  /** Calls delayed by `latency`. */
  delayed: number;
  throttle: number;
  capacity: number;
  error: number;
  reset: number;
  /** Calls failed because they fell in the outage window (also counted under their failure). */
  outage: number;
}

export interface FaultInjector extends DynamoProxyLayer {
  /** Replaces the spec (undefined: inject nothing). An outage window and the counts start from now. */
  set(spec: FaultSpec | undefined): void;
  readonly spec: FaultSpec | undefined;
  /** When the current outage window ends (ms since the epoch), if the spec has one. */
  readonly outageEndsAt: number | undefined;
  /** What was injected since the spec was applied. */
  counts(): FaultCounts;
}

export interface FaultInjectorOptions {
  /** @default Date.now */
  now?: () => number;
  /** A draw in [0, 1); @default a PRNG seeded from the spec's `seed` (or Math.random without one) */
  random?: () => number;
}

const ERRORS: Record<
  Exclude<InjectedFailure, 'reset'>,
  { status: number; type: string; message: string }
> = {
  // DynamoDB's own shapes: the SDK reads the name after '#', and retries all three.
  throttle: {
    status: 400,
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
  capacity: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  error: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error',
  },
};

function failureReply(failure: InjectedFailure): DynamoReply {
  if (failure === 'reset') return { kind: 'reset' };
  const { status, type, message } = ERRORS[failure];
  return {
    kind: 'response',
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': `injected-${failure}`,
    },
    body: Buffer.from(
      JSON.stringify({
        __type: type,
        message: `${message} (injected by the local runtime's --faults)`,
      }),
    ),
  };
}

/**
 * The fault injector: a layer of the runtime's DynamoDB proxy that makes the store slow, throttling,
 * failing or unreachable as its {@link FaultSpec} says, for the calls in the spec's scope. It sits
 * inside the metrics layer, so CloudWatch's DynamoDB metrics (and alarms) see the faults as the
 * functions do. A failed call never reaches the store: nothing of it is written.
 */
export function createFaultInjector(
  initial?: FaultSpec,
  options: FaultInjectorOptions = {},
): FaultInjector {
  const now = options.now ?? Date.now;
  let spec: FaultSpec | undefined;
  let appliedAt = now();
  let draw: () => number = Math.random;
  let counts: FaultCounts;

  const set = (next: FaultSpec | undefined): void => {
    spec = next;
    counts = { inScope: 0, delayed: 0, throttle: 0, capacity: 0, error: 0, reset: 0, outage: 0 };
    appliedAt = now();
    draw = options.random ?? (next?.seed === undefined ? Math.random : seededRandom(next.seed));
  };
  set(initial);

  const inScope = (current: FaultSpec, call: DynamoCall): boolean => {
    if (current.operations && !current.operations.includes(call.operation)) return false;
    if (!current.tables) return true;
    const table = tableOf(call);
    return table !== undefined && current.tables.some((part) => table.includes(part));
  };

  return {
    name: 'faults',
    get spec() {
      return spec;
    },
    get outageEndsAt() {
      return spec?.outage ? appliedAt + spec.outage.startMs + spec.outage.durationMs : undefined;
    },
    set,
    counts: () => ({ ...counts }),
    async handle(call, next) {
      const current = spec;
      if (!current || !inScope(current, call)) return next(call);
      counts.inScope++;
      const { outage } = current;
      if (outage) {
        const since = now() - appliedAt;
        if (since >= outage.startMs && since < outage.startMs + outage.durationMs) {
          counts.outage++;
          counts[outage.as]++;
          return failureReply(outage.as);
        }
      }
      // One draw decides the failure (the shares are exclusive), one the latency.
      const roll = draw();
      let cumulative = 0;
      for (const failure of ['throttle', 'capacity', 'error', 'reset'] as const) {
        cumulative += current.shares[failure];
        if (roll < cumulative) {
          counts[failure]++;
          return failureReply(failure);
        }
      }
      if (current.latencyMs) {
        const { min, max } = current.latencyMs;
        counts.delayed++;
        // Unreferenced: a call held back does not keep a closing runtime's process alive.
        await sleep(min + Math.round(draw() * (max - min)), undefined, { ref: false });
      }
      return next(call);
    },
  };
}

/** The table a call addresses: `TableName`, or the first table of a batch or transaction. */
function tableOf(call: DynamoCall): string | undefined {
  const { request } = call;
  if (typeof request['TableName'] === 'string') return request['TableName'];
  const items = request['RequestItems'];
  if (items && typeof items === 'object') return Object.keys(items)[0];
  const transact = request['TransactItems'];
  if (Array.isArray(transact)) {
    for (const item of transact as Record<string, { TableName?: unknown }>[]) {
      for (const part of Object.values(item))
        if (typeof part?.TableName === 'string') return part.TableName;
    }
  }
  return undefined;
}
