/**
 * The store faults the local runtime can inject (`npm start -- --faults <spec>`): the spec format,
 * its parser and its one-line description. The layer that acts on it is `fault-injector.ts`.
 *
 * A spec is a comma-separated list of `key=value` terms (README, "Store faults"):
 *
 *     latency=200ms            every call waits 200 ms before it reaches the store
 *     latency=100-300ms        … a uniformly random 100–300 ms
 *     throttle=5%              5 % of calls: ThrottlingException (HTTP 400, retryable)
 *     capacity=5%              5 % of calls: ProvisionedThroughputExceededException (HTTP 400, retryable)
 *     error=2%                 2 % of calls: InternalServerError (HTTP 500)
 *     reset=1%                 1 % of calls: the connection is cut before the call reaches the store
 *     outage=10s+5s            from 10 s after start, for 5 s, every call fails …
 *     outage-as=error|reset|throttle   … this way (default error: InternalServerError)
 *     tables=Locations|Tokens  only calls on tables whose name contains one of these
 *     ops=PutItem|UpdateItem   only these operations
 *     seed=42                  reproducible draws (default: a random seed, printed)
 *
 * The shares are exclusive (one draw per call decides which, if any, applies) and add up to at
 * most 100 %. Durations take `ms` or `s` (a bare number is ms). Off unless given.
 */

/** What an injected failure answers. */
export type InjectedFailure = 'throttle' | 'capacity' | 'error' | 'reset';

export interface FaultSpec {
  /** Added before each call reaches the store: uniformly in [min, max] ms. */
  readonly latencyMs?: { readonly min: number; readonly max: number };
  /** The share (0–1) of calls answered with each failure; together at most 1. */
  readonly shares: Readonly<Record<InjectedFailure, number>>;
  /** A window, relative to when the spec is applied, during which every call fails as `as`. */
  readonly outage?: {
    readonly startMs: number;
    readonly durationMs: number;
    readonly as: Exclude<InjectedFailure, 'capacity'>;
  };
  /** Only calls on tables whose name contains one of these (all tables when absent). */
  readonly tables?: readonly string[];
  /** Only these operations (`PutItem`, `Query`, …; all when absent). */
  readonly operations?: readonly string[];
  /** Seed of the draws (latency and shares), for a reproducible run. */
  readonly seed?: number;
}

export class FaultSpecError extends Error {
  public override readonly name = 'FaultSpecError';
}

const FAILURES: readonly InjectedFailure[] = ['throttle', 'capacity', 'error', 'reset'];
const OUTAGE_KINDS = ['error', 'reset', 'throttle'] as const;
const KEYS = ['latency', ...FAILURES, 'outage', 'outage-as', 'tables', 'ops', 'seed'] as const;

/** `200`, `200ms`, `1.5s` → ms. */
function duration(key: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!match)
    throw new FaultSpecError(`${key}: expected a duration such as 200ms or 2s, got "${text}"`);
  const ms = Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  return Math.round(ms);
}

/** `5%` → 0.05. */
function share(key: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= 0 && value <= 100))
    throw new FaultSpecError(`${key}: expected a share such as 5% (0–100 %), got "${text}"`);
  return value / 100;
}

function names(key: string, text: string): string[] {
  const list = text.split('|').map((name) => name.trim());
  if (list.some((name) => !/^[A-Za-z0-9_.-]+$/.test(name))) {
    throw new FaultSpecError(
      `${key}: expected names separated by |, e.g. ${key === 'ops' ? 'PutItem|Query' : 'Locations|Tokens'}, got "${text}"`,
    );
  }
  return list;
}

/**
 * Parses a fault spec (format above). Throws a {@link FaultSpecError} naming the term that is
 * wrong; an empty spec (or `none`) injects nothing.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const shares: Record<InjectedFailure, number> = { throttle: 0, capacity: 0, error: 0, reset: 0 };
  let latencyMs: FaultSpec['latencyMs'];
  let outage: { startMs: number; durationMs: number } | undefined;
  let outageAs: (typeof OUTAGE_KINDS)[number] | undefined;
  let tables: string[] | undefined;
  let operations: string[] | undefined;
  let seed: number | undefined;
  const seen = new Set<string>();
  const terms = text.trim() === '' || text.trim() === 'none' ? [] : text.split(',');
  for (const term of terms) {
    const at = term.indexOf('=');
    const key = (at < 0 ? term : term.slice(0, at)).trim();
    const value = at < 0 ? '' : term.slice(at + 1).trim();
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new FaultSpecError(
        `unknown term "${term.trim()}": expected one of ${KEYS.map((k) => `${k}=…`).join(', ')}`,
      );
    }
    if (at < 0 || value === '') throw new FaultSpecError(`${key}: missing its value (${key}=…)`);
    if (seen.has(key)) throw new FaultSpecError(`${key}: given twice`);
    seen.add(key);
    if (key === 'latency') {
      const [low = '', high] = value.split('-');
      const unit = /(ms|s)$/.exec(high ?? low)?.[1] ?? '';
      const min = duration(key, /(ms|s)$/.test(low) ? low : low + unit);
      const max = high === undefined ? min : duration(key, high);
      if (max < min) throw new FaultSpecError(`latency: the range ${value} ends before it starts`);
      latencyMs = { min, max };
    } else if ((FAILURES as readonly string[]).includes(key)) {
      shares[key as InjectedFailure] = share(key, value);
    } else if (key === 'outage') {
      const [start, length] = value.split('+');
      if (start === undefined || length === undefined || value.split('+').length !== 2) {
        throw new FaultSpecError(`outage: expected START+DURATION such as 10s+5s, got "${value}"`);
      }
      outage = { startMs: duration(key, start), durationMs: duration(key, length) };
      if (outage.durationMs <= 0)
        throw new FaultSpecError('outage: the duration must be more than 0');
    } else if (key === 'outage-as') {
      if (!(OUTAGE_KINDS as readonly string[]).includes(value)) {
        throw new FaultSpecError(`outage-as: expected ${OUTAGE_KINDS.join(', ')}, got "${value}"`);
      }
      outageAs = value as (typeof OUTAGE_KINDS)[number];
    } else if (key === 'tables') {
      tables = names(key, value);
    } else if (key === 'ops') {
      operations = names(key, value);
    } else {
      seed = Number(value);
      if (!Number.isSafeInteger(seed) || seed < 0)
        throw new FaultSpecError(`seed: expected a whole number ≥ 0, got "${value}"`);
    }
  }
  const total = FAILURES.reduce((sum, failure) => sum + shares[failure], 0);
  if (total > 1 + 1e-9) {
    throw new FaultSpecError(
      `the shares add up to ${Math.round(total * 1000) / 10} %: at most 100 % of calls can fail`,
    );
  }
  if (outageAs && !outage) throw new FaultSpecError('outage-as: goes with outage=START+DURATION');
  return {
    ...(latencyMs ? { latencyMs } : {}),
    shares,
    ...(outage ? { outage: { ...outage, as: outageAs ?? 'error' } } : {}),
    ...(tables ? { tables } : {}),
    ...(operations ? { operations } : {}),
    ...(seed === undefined ? {} : { seed }),
  };
}

/** Whether the spec injects anything at all. */
export function injectsFaults(spec: FaultSpec): boolean {
  return (
    spec.latencyMs !== undefined ||
    spec.outage !== undefined ||
    FAILURES.some((failure) => spec.shares[failure] > 0)
  );
}

/** One line for the console: what the store will do. */
export function describeFaultSpec(spec: FaultSpec): string {
  if (!injectsFaults(spec)) return 'no store faults';
  const parts: string[] = [];
  if (spec.latencyMs) {
    parts.push(
      spec.latencyMs.min === spec.latencyMs.max
        ? `+${spec.latencyMs.min} ms latency`
        : `+${spec.latencyMs.min}–${spec.latencyMs.max} ms latency`,
    );
  }
  const labels: Record<InjectedFailure, string> = {
    throttle: 'ThrottlingException',
    capacity: 'ProvisionedThroughputExceededException',
    error: 'InternalServerError',
    reset: 'connection resets',
  };
  for (const failure of FAILURES) {
    if (spec.shares[failure] > 0)
      parts.push(`${Math.round(spec.shares[failure] * 1000) / 10} % ${labels[failure]}`);
  }
  if (spec.outage) {
    parts.push(
      `an outage (${labels[spec.outage.as]}) from ${spec.outage.startMs / 1000} s for ${spec.outage.durationMs / 1000} s`,
    );
  }
  const scope = [
    spec.tables ? `tables ~ ${spec.tables.join('|')}` : 'all tables',
    spec.operations ? `operations ${spec.operations.join('|')}` : 'all operations',
  ].join(', ');
  return `store faults: ${parts.join(', ')} (${scope}${spec.seed === undefined ? '' : `, seed ${spec.seed}`})`;
}
