import { RESPONSE_RESERVE_MS } from '@sm/deadline';
import { InfraConfigError } from './errors';

/**
 * API Gateway's hard cap on an integration's duration (REST, regional): a function that may run
 * longer is cut off by the gateway anyway, with a 504 to the client.
 */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

/** Capacity and sizing of one Lambda function. Plain data: the stacks and the capacity check read it. */
export interface FunctionLimits {
  /**
   * Reserved concurrency: both the function's guaranteed share of the account pool and its cap.
   * Above it Lambda throttles, and behind a proxy integration a throttle is a 500 to the client,
   * so the stage rate must never let more requests in than this can serve (see `headroom`).
   */
  readonly reservedConcurrency: number;
  /** Memory in MB (CPU scales with it). */
  readonly memoryMb: number;
  /** Timeout in whole seconds; below {@link API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS}. */
  readonly timeoutSeconds: number;
  /**
   * The p99 duration the capacity plan assumes, in ms: measured (load tests) or the worst case the
   * code allows (for example a downstream timeout budget). The capacity check multiplies the
   * request rate by it (Little's law) to get the concurrency the function needs.
   */
  readonly assumedP99Ms: number;
  /**
   * Provisioned concurrency on the function's `live` alias: this many execution environments are
   * kept initialized, so up to this many concurrent calls never see a cold start. It is billed for
   * every second it is configured (the load report's cost section shows it), and it comes out of
   * the reservation (AWS refuses more provisioned than reserved concurrency). During a traffic
   * shift Lambda splits it between the two versions by their weights.
   * @default 0 (off)
   */
  readonly provisionedConcurrency?: number;
  /**
   * How long one invocation may spend waiting on its dependencies (DynamoDB, other services), in
   * ms: its budget, `SM_DEADLINE_MS` in the function's environment (`@sm/deadline`). Every call's
   * deadline is what is left of it; past it the function answers 503 + `Retry-After`. With
   * {@link overheadMs} it bounds the function's duration whatever its dependencies do, so the
   * capacity check can prove `stage rate × (deadlineMs + overheadMs) ≤ reserved × headroom`:
   * a slow store then never needs more concurrency than is reserved (no Lambda throttle, no 500).
   */
  readonly deadlineMs: number;
  /**
   * The most time one invocation spends outside its waits, in ms: parsing, validating, hashing
   * (scrypt in sign-up and sign-in), answering. Not enforced (CPU work cannot be cut short); the
   * declared bound the worst-case capacity check adds to {@link deadlineMs}.
   */
  readonly overheadMs: number;
}

/** The throttle of the API stage: every method gets its own token bucket with these limits. */
export interface StageThrottle {
  /** Steady-state requests per second per method. */
  readonly rateLimit: number;
  /** Token-bucket size: requests accepted at once above the steady rate, per method. */
  readonly burstLimit: number;
}

/**
 * A service's limits, in one typed place (`apps/<svc>/src/limits.ts`). The stack reads them into
 * the template (stage MethodSettings, ReservedConcurrentExecutions, MemorySize, Timeout) and the
 * capacity check proves from the synthesized templates that they fit together and into the account.
 */
export interface ServiceLimits<FunctionName extends string = string> {
  /** Service name, as in `apps/<svc>`. */
  readonly service: string;
  /** Default method throttling of the API stage. */
  readonly stage: StageThrottle;
  /**
   * The share of reserved concurrency the plan may use at the stage rate (0 < headroom ≤ 1);
   * 0.8 leaves 20 % for bursts and p99 drift before Lambda throttles.
   */
  readonly headroom: number;
  /** Limits of each function, keyed by its bundle name (`create-user`). */
  readonly functions: { readonly [F in FunctionName]: FunctionLimits };
}

const isWhole = (value: number) => Number.isSafeInteger(value);

function check(condition: boolean, where: string, message: string): void {
  if (!condition) throw new InfraConfigError(`limits of ${where}: ${message}`);
}

/**
 * Declares a service's limits and checks each value on its own (the capacity check relates them to
 * each other and to the account). Returns the argument unchanged, typed precisely.
 *
 * @example
 * export const limits = defineServiceLimits({
 *   service: 'location',
 *   stage: { rateLimit: 100, burstLimit: 200 },
 *   headroom: 0.8,
 *   functions: { 'get-location': { reservedConcurrency: 20, memoryMb: 512, timeoutSeconds: 6, assumedP99Ms: 100, deadlineMs: 800, overheadMs: 100 } },
 * });
 */
export function defineServiceLimits<const FunctionName extends string>(limits: ServiceLimits<FunctionName>): ServiceLimits<FunctionName> {
  const service = limits.service;
  check(/^[a-z][a-z0-9-]*$/.test(service), `'${service}'`, 'service must be a lower-case name like "auth"');
  const { rateLimit, burstLimit } = limits.stage;
  check(Number.isFinite(rateLimit) && rateLimit > 0, service, `stage.rateLimit must be a positive number of requests/s, got ${rateLimit}`);
  check(isWhole(burstLimit) && burstLimit >= 1, service, `stage.burstLimit must be a whole number ≥ 1, got ${burstLimit}`);
  check(
    Number.isFinite(limits.headroom) && limits.headroom > 0 && limits.headroom <= 1,
    service,
    `headroom must be in (0, 1], got ${limits.headroom}`,
  );
  const names = Object.keys(limits.functions);
  check(names.length > 0, service, 'declare the limits of at least one function');
  for (const name of names) {
    const fn = limits.functions[name as FunctionName];
    const where = `${service}/${name}`;
    check(isWhole(fn.reservedConcurrency) && fn.reservedConcurrency >= 1, where, `reservedConcurrency must be a whole number ≥ 1, got ${fn.reservedConcurrency}`);
    check(isWhole(fn.memoryMb) && fn.memoryMb >= 128 && fn.memoryMb <= 10240, where, `memoryMb must be a whole number of MB from 128 to 10240, got ${fn.memoryMb}`);
    check(
      isWhole(fn.timeoutSeconds) && fn.timeoutSeconds >= 1 && fn.timeoutSeconds < API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS,
      where,
      `timeoutSeconds must be a whole number from 1 to ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS - 1} (API Gateway gives up after ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} s), got ${fn.timeoutSeconds}`,
    );
    const provisioned = fn.provisionedConcurrency ?? 0;
    check(
      isWhole(provisioned) && provisioned >= 0 && provisioned <= fn.reservedConcurrency,
      where,
      `provisionedConcurrency must be a whole number from 0 to the reserved concurrency (${fn.reservedConcurrency}): provisioned environments come out of the reservation, got ${fn.provisionedConcurrency}`,
    );
    check(
      Number.isFinite(fn.assumedP99Ms) && fn.assumedP99Ms > 0 && fn.assumedP99Ms <= fn.timeoutSeconds * 1000,
      where,
      `assumedP99Ms must be positive and at most the timeout (${fn.timeoutSeconds * 1000} ms), got ${fn.assumedP99Ms}`,
    );
    check(isWhole(fn.deadlineMs) && fn.deadlineMs >= 1, where, `deadlineMs must be a whole number of ms ≥ 1, got ${fn.deadlineMs}`);
    check(isWhole(fn.overheadMs) && fn.overheadMs >= 0, where, `overheadMs must be a whole number of ms ≥ 0, got ${fn.overheadMs}`);
    // The worst case must end in an answer (a 503 at worst), not in a Lambda timeout (a 502/504):
    // the budget, the work around it and the time to answer all fit in the timeout.
    check(
      fn.deadlineMs + fn.overheadMs + RESPONSE_RESERVE_MS <= fn.timeoutSeconds * 1000,
      where,
      `deadlineMs ${fn.deadlineMs} + overheadMs ${fn.overheadMs} + ${RESPONSE_RESERVE_MS} ms to answer must fit in the timeout (${fn.timeoutSeconds * 1000} ms)`,
    );
    check(
      fn.assumedP99Ms <= fn.deadlineMs + fn.overheadMs,
      where,
      `assumedP99Ms ${fn.assumedP99Ms} cannot exceed the worst case deadlineMs + overheadMs = ${fn.deadlineMs + fn.overheadMs}`,
    );
  }
  return limits;
}
