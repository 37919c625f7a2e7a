import type { LocalSystem } from '@sm/local-runtime';
import type { FuzzContract } from './contracts';

/** Share of a method's rate limit the fuzzer uses, so it finds bugs rather than throttles. */
export const RATE_HEADROOM = 0.8;

/** Rate for a method the stage does not throttle at all. */
export const UNTHROTTLED_RATE = 50;

/**
 * The request rate to fuzz each operation of a contract at (operationId → requests/s): below the
 * method's rate and burst limits as the cloud assembly sets them — the same templates the local
 * runtime enforces and `cdk deploy` uses. API Gateway keeps one token bucket per method, so each
 * operation gets its own rate.
 */
export function fuzzRates(system: Pick<LocalSystem, 'apis'>, contract: FuzzContract): Map<string, number> {
  const rates = new Map<string, number>();
  const unserved: string[] = [];
  for (const operation of contract.operations) {
    const api = system.apis.find((candidate) =>
      candidate.methods.some((m) => m.resourcePath === operation.path && (m.httpMethod === operation.method || m.httpMethod === 'ANY')),
    );
    if (!api) {
      unserved.push(`${operation.method} ${operation.path}`);
      continue;
    }
    const limit = api.throttling.perMethod.get(`${operation.path} ${operation.method}`) ?? api.throttling.stageDefault;
    const rate = limit ? Math.max(1, Math.floor(Math.min(limit.rateLimit, limit.burstLimit) * RATE_HEADROOM)) : UNTHROTTLED_RATE;
    rates.set(operation.operationId, rate);
  }
  if (unserved.length > 0) {
    throw new Error(
      `The cloud assembly serves no ${unserved.join(', ')} of the ${contract.name} contract: synthesize it from this workspace (npm run synth)`,
    );
  }
  return rates;
}
