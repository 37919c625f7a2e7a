import { DEADLINE_ENVIRONMENT_VARIABLE } from '@sm/deadline';
import type { ServiceLimits } from '../limits';
import { readTemplates, type FunctionRef, type MethodRef, type StackTemplate } from './template-model';

/** Account-level quotas (per region) the services share. */
export interface AccountQuotas {
  /**
   * Lambda concurrent executions of the account.
   * @default 1000
   */
  readonly concurrency?: number;
  /**
   * Concurrency Lambda keeps unreserved for functions without a reservation (AWS requires 100).
   * @default 100
   */
  readonly unreservedMinimum?: number;
  /**
   * API Gateway steady-state requests per second of the account.
   * @default 10000
   */
  readonly requestsPerSecond?: number;
  /**
   * API Gateway burst of the account.
   * @default 5000
   */
  readonly burst?: number;
}

export const DEFAULT_ACCOUNT_QUOTAS: Required<AccountQuotas> = { concurrency: 1000, unreservedMinimum: 100, requestsPerSecond: 10_000, burst: 5000 };

/** What the check is given. */
export interface CapacityCheckInput {
  /** Every stack of the cloud assembly (templates as synthesized). */
  readonly stacks: readonly StackTemplate[];
  /** The service whose limits govern each stack's functions: stack name → service limits. */
  readonly limitsByStack: { readonly [stackName: string]: ServiceLimits };
  /** @default DEFAULT_ACCOUNT_QUOTAS */
  readonly quotas?: AccountQuotas;
  /**
   * A measured p99 duration (ms) to use instead of the declared `assumedP99Ms`, e.g. from a load
   * report; `undefined` for a function keeps the assumed one.
   * @default none: every function uses its assumed p99
   */
  readonly measuredP99Ms?: (fn: FunctionRef) => number | undefined;
}

/** The load one function must carry, and whether its reservation carries it. */
export interface FunctionCapacity {
  readonly stackName: string;
  readonly service: string;
  readonly entry: string;
  /** The methods whose requests reach the function (as integration or as their authorizer). */
  readonly routes: string[];
  /** Σ rate limits of those methods: the most requests/s the gateway lets through to it. */
  readonly rateLimit: number;
  /** Σ burst limits of those methods: the most requests the gateway lets through at once. */
  readonly burstLimit: number;
  readonly assumedP99Ms: number;
  /** The p99 the inequalities used: the measured one when given, else the assumed one. */
  readonly p99Ms: number;
  readonly p99Source: 'assumed' | 'measured';
  /** The highest stage rate (Σ over its methods, requests/s) the reservation carries at this p99: reserved × headroom / p99. */
  readonly maxRate: number;
  readonly reservedConcurrency: number;
  /** Provisioned concurrency on its alias (0 when off): part of the reservation, billed while configured. */
  readonly provisionedConcurrency: number;
  readonly headroom: number;
  /** rate × p99: concurrency needed at the sustained rate (Little's law). */
  readonly steadyConcurrency: number;
  /** burst + rate × p99: a full bucket arriving at once plus what refills while it runs. */
  readonly burstConcurrency: number;
  /** `SM_DEADLINE_MS` in the template: the most an invocation waits on its dependencies. */
  readonly deadlineMs: number | undefined;
  /** Declared in limits.ts: the most an invocation spends outside those waits. */
  readonly overheadMs: number;
  /** deadline + overhead: the longest an invocation can last, however slow its dependencies. */
  readonly worstCaseMs: number | undefined;
  /** rate × (deadline + overhead): the concurrency the stage rate needs in the worst case. */
  readonly worstCaseConcurrency: number | undefined;
  /** The highest stage rate the reservation carries in the worst case: reserved × headroom / (deadline + overhead). */
  readonly worstCaseMaxRate: number | undefined;
  /** Whether the worst-case inequality holds (and the template's deadline is the declared one). */
  readonly worstCaseOk: boolean;
  /** Both forms hold (p99 and worst case). */
  readonly ok: boolean;
}

export interface CapacityReport {
  readonly functions: FunctionCapacity[];
  readonly account: {
    readonly reservedConcurrency: number;
    readonly concurrencyLimit: number;
    readonly rateLimit: number;
    readonly rateQuota: number;
    readonly burstLimit: number;
    readonly burstQuota: number;
  };
  /** Every inequality that does not hold, and every inconsistency found; empty when all hold. */
  readonly violations: string[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Proves from synthesized templates that the declared limits fit together (DESIGN.md, "Soft
 * limits"). API Gateway applies a stage's default throttle to each method separately, so the load
 * on a function is the sum over the methods that reach it: as their integration, or as their
 * authorizer (which every secured method of every API that uses it calls on a cache miss; the
 * worst case is a distinct token per request). For every function:
 *
 *     Σ rate × p99            ≤ reserved × headroom   (steady state)
 *     Σ burst + Σ rate × p99  ≤ reserved              (a full bucket at once: Lambda must not throttle,
 *                                                      since behind a proxy a throttle is a 500)
 *     provisioned             ≤ reserved              (provisioned environments are part of the
 *                                                      reservation; AWS refuses more)
 * and, whatever the function's dependencies do (a slow store must not become an outage):
 *
 *     Σ rate × (deadline + overhead) ≤ reserved × headroom  (worst case: the template's
 *                                                           SM_DEADLINE_MS bounds every wait,
 *                                                           the declared overhead the rest)
 * and for the account:
 *
 *     Σ reserved ≤ account concurrency − unreserved minimum
 *     Σ method rates ≤ account requests/s;  Σ method bursts ≤ account burst
 */
export function checkCapacity(input: CapacityCheckInput): CapacityReport {
  const given = input.quotas ?? {};
  const quotas: Required<AccountQuotas> = {
    concurrency: given.concurrency ?? DEFAULT_ACCOUNT_QUOTAS.concurrency,
    unreservedMinimum: given.unreservedMinimum ?? DEFAULT_ACCOUNT_QUOTAS.unreservedMinimum,
    requestsPerSecond: given.requestsPerSecond ?? DEFAULT_ACCOUNT_QUOTAS.requestsPerSecond,
    burst: given.burst ?? DEFAULT_ACCOUNT_QUOTAS.burst,
  };
  const model = readTemplates(input.stacks);
  const violations: string[] = [];

  const loads = new Map<FunctionRef, MethodRef[]>();
  const addLoad = (fn: FunctionRef | undefined, method: MethodRef) => {
    if (fn) loads.set(fn, [...(loads.get(fn) ?? []), method]);
  };
  for (const method of model.methods) {
    const where = `${method.stackName} ${method.route}`;
    if (method.rateLimit === undefined || method.burstLimit === undefined) {
      violations.push(`${where}: no throttle (stage MethodSettings /*/* needs ThrottlingRateLimit and ThrottlingBurstLimit)`);
      continue;
    }
    if (!method.integration && !method.mock) violations.push(`${where}: its integration is not a Lambda function of the assembly`);
    addLoad(method.integration, method);
    addLoad(method.authorizer, method);
  }

  const functions: FunctionCapacity[] = [];
  for (const fn of model.functions) {
    const where = `${fn.stackName} ${fn.entry}`;
    // A function no method reaches and that reserves nothing (a deploy-time custom resource) carries
    // no gateway load and draws from the unreserved pool: nothing to prove for it.
    if (!loads.has(fn) && fn.reservedConcurrency === undefined) continue;
    const limits = input.limitsByStack[fn.stackName];
    const declared = limits?.functions[fn.entry];
    if (!limits || !declared) {
      violations.push(`${where}: no limits declared for this function (limits of stack ${fn.stackName}: ${limits ? Object.keys(limits.functions).join(', ') : 'none'})`);
      continue;
    }
    if (fn.reservedConcurrency === undefined) {
      violations.push(`${where}: no ReservedConcurrentExecutions in the template`);
      continue;
    }
    if (fn.reservedConcurrency !== declared.reservedConcurrency) {
      violations.push(`${where}: template reserves ${fn.reservedConcurrency} but limits.ts declares ${declared.reservedConcurrency}`);
    }
    if (fn.provisionedConcurrency !== (declared.provisionedConcurrency ?? 0)) {
      violations.push(`${where}: template provisions ${fn.provisionedConcurrency} but limits.ts declares ${declared.provisionedConcurrency ?? 0}`);
    }
    const provisionedOk = fn.provisionedConcurrency <= fn.reservedConcurrency;
    if (!provisionedOk) {
      violations.push(`${where}: provisioned concurrency ${fn.provisionedConcurrency} > reserved ${fn.reservedConcurrency}: provisioned environments come out of the reservation`);
    }
    const methods = loads.get(fn) ?? [];
    const rateLimit = methods.reduce((sum, m) => sum + (m.rateLimit ?? 0), 0);
    const burstLimit = methods.reduce((sum, m) => sum + (m.burstLimit ?? 0), 0);
    const measured = input.measuredP99Ms?.(fn);
    const p99Ms = measured ?? declared.assumedP99Ms;
    const p99Source = measured === undefined ? 'assumed' : 'measured';
    const p99 = p99Ms / 1000;
    const steady = rateLimit * p99;
    const burst = burstLimit + steady;
    const capacity = fn.reservedConcurrency * limits.headroom;
    const steadyOk = steady <= capacity + 1e-9;
    const burstOk = burst <= fn.reservedConcurrency + 1e-9;
    if (!steadyOk) {
      violations.push(
        `${where}: rate ${round(rateLimit)}/s × ${p99Source} p99 ${round(p99Ms)} ms = ${round(steady)} > reserved ${fn.reservedConcurrency} × headroom ${limits.headroom} = ${round(capacity)}`,
      );
    }
    if (!burstOk) {
      violations.push(
        `${where}: burst ${burstLimit} + rate × p99 ${round(steady)} = ${round(burst)} > reserved ${fn.reservedConcurrency}: a full burst would be throttled by Lambda (500s)`,
      );
    }
    // The worst case: the template's deadline (what deploys), the declared overhead.
    let worstCaseOk = true;
    let worstCaseMs: number | undefined;
    if (fn.deadlineMs === undefined) {
      worstCaseOk = false;
      violations.push(
        `${where}: no ${DEADLINE_ENVIRONMENT_VARIABLE} in its environment: a slow dependency could hold each invocation up to its timeout (${fn.timeoutSeconds ?? '?'} s)`,
      );
    } else {
      if (fn.deadlineMs !== declared.deadlineMs) {
        worstCaseOk = false;
        violations.push(`${where}: template's ${DEADLINE_ENVIRONMENT_VARIABLE} is ${fn.deadlineMs} but limits.ts declares deadlineMs ${declared.deadlineMs}`);
      }
      worstCaseMs = fn.deadlineMs + declared.overheadMs;
      if (fn.timeoutSeconds !== undefined && worstCaseMs > fn.timeoutSeconds * 1000) {
        worstCaseOk = false;
        violations.push(`${where}: deadline ${fn.deadlineMs} ms + overhead ${declared.overheadMs} ms exceeds the timeout ${fn.timeoutSeconds} s: the worst case would be a Lambda timeout`);
      }
    }
    const worst = worstCaseMs === undefined ? undefined : rateLimit * (worstCaseMs / 1000);
    if (worst !== undefined && worst > capacity + 1e-9) {
      worstCaseOk = false;
      violations.push(
        `${where}: worst case rate ${round(rateLimit)}/s × (deadline ${fn.deadlineMs} + overhead ${declared.overheadMs} ms) = ${round(worst)} > reserved ${fn.reservedConcurrency} × headroom ${limits.headroom} = ${round(capacity)}: a slow dependency would make Lambda throttle (500s)`,
      );
    }
    functions.push({
      stackName: fn.stackName,
      service: limits.service,
      entry: fn.entry,
      routes: methods.map((m) => `${m.stackName} ${m.route}`),
      rateLimit,
      burstLimit,
      assumedP99Ms: declared.assumedP99Ms,
      p99Ms: round(p99Ms),
      p99Source,
      maxRate: round(capacity / p99, 1),
      reservedConcurrency: fn.reservedConcurrency,
      provisionedConcurrency: fn.provisionedConcurrency,
      headroom: limits.headroom,
      steadyConcurrency: round(steady),
      burstConcurrency: round(burst),
      deadlineMs: fn.deadlineMs,
      overheadMs: declared.overheadMs,
      worstCaseMs,
      worstCaseConcurrency: worst === undefined ? undefined : round(worst),
      worstCaseMaxRate: worstCaseMs === undefined ? undefined : round(capacity / (worstCaseMs / 1000), 1),
      worstCaseOk,
      ok: steadyOk && burstOk && provisionedOk && worstCaseOk,
    });
  }

  const reserved = model.functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
  const concurrencyLimit = quotas.concurrency - quotas.unreservedMinimum;
  const rate = model.methods.reduce((sum, m) => sum + (m.rateLimit ?? 0), 0);
  const burst = model.methods.reduce((sum, m) => sum + (m.burstLimit ?? 0), 0);
  if (reserved > concurrencyLimit) {
    violations.push(`account: Σ reserved concurrency ${reserved} > account concurrency ${quotas.concurrency} − ${quotas.unreservedMinimum} unreserved = ${concurrencyLimit}`);
  }
  if (rate > quotas.requestsPerSecond) violations.push(`account: Σ method rate limits ${round(rate)}/s > account quota ${quotas.requestsPerSecond}/s`);
  if (burst > quotas.burst) violations.push(`account: Σ method burst limits ${burst} > account burst ${quotas.burst}`);

  return {
    functions,
    account: { reservedConcurrency: reserved, concurrencyLimit, rateLimit: round(rate), rateQuota: quotas.requestsPerSecond, burstLimit: burst, burstQuota: quotas.burst },
    violations,
  };
}

/** The report as the table the check prints. */
export function formatCapacityReport(report: CapacityReport): string {
  const header = [
    'stack',
    'function',
    'methods',
    'Σ rate/s',
    'Σ burst',
    'p99 ms',
    'rate×p99',
    'reserved×headroom',
    'burst+rate×p99',
    'reserved',
    'max rate/s',
    'worst ms',
    'rate×worst',
    'worst max rate/s',
    'ok',
  ];
  const rows = report.functions.map((f) => [
    f.stackName,
    f.entry,
    String(f.routes.length),
    String(round(f.rateLimit)),
    String(f.burstLimit),
    `${f.p99Ms}${f.p99Source === 'measured' ? ' (measured)' : ''}`,
    String(f.steadyConcurrency),
    `${f.reservedConcurrency}×${f.headroom}=${round(f.reservedConcurrency * f.headroom)}`,
    String(f.burstConcurrency),
    f.provisionedConcurrency > 0 ? `${f.reservedConcurrency} (${f.provisionedConcurrency} provisioned)` : String(f.reservedConcurrency),
    String(f.maxRate),
    f.worstCaseMs === undefined ? 'none' : `${f.deadlineMs}+${f.overheadMs}=${f.worstCaseMs}`,
    f.worstCaseConcurrency === undefined ? '-' : String(f.worstCaseConcurrency),
    f.worstCaseMaxRate === undefined ? '-' : String(f.worstCaseMaxRate),
    f.ok ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const a = report.account;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'p99 form: Σ rate × p99 ≤ reserved × headroom, and burst + rate × p99 ≤ reserved.',
    `worst case: Σ rate × (deadline + overhead) ≤ reserved × headroom — deadline = the template's ${DEADLINE_ENVIRONMENT_VARIABLE} (the most an invocation waits on DynamoDB and other services), overhead = limits.ts overheadMs.`,
    '',
    `account: Σ reserved concurrency ${a.reservedConcurrency} ≤ ${a.concurrencyLimit} (concurrency − unreserved minimum): ${a.reservedConcurrency <= a.concurrencyLimit ? 'yes' : 'NO'}`,
    `account: Σ method rate limits ${a.rateLimit}/s ≤ ${a.rateQuota}/s: ${a.rateLimit <= a.rateQuota ? 'yes' : 'NO'}`,
    `account: Σ method burst limits ${a.burstLimit} ≤ ${a.burstQuota}: ${a.burstLimit <= a.burstQuota ? 'yes' : 'NO'}`,
    ...(report.violations.length ? ['', 'violations:', ...report.violations.map((v) => `  - ${v}`)] : []),
  ].join('\n');
}
