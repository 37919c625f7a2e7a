import type { FunctionSpec, InvokeOptions, InvokeResult, LambdaService } from '../lambda/types';
import type { MetricStore, Series } from './metric-store';
import { LAMBDA, LOCAL } from './namespaces';

interface FunctionSeries {
  invocations: Series;
  errors: Series;
  throttles: Series;
  duration: Series;
  concurrent: Series;
  /** Local: INIT durations, one value per cold start (SampleCount = cold starts). */
  initDuration: Series;
  /** Local: billed ms per invocation (duration rounded up to the ms, plus INIT since Aug 2025). */
  billedDuration: Series;
  inFlight: number;
  /** Reserved concurrency: what Lambda never runs more than (the wrapper's count also holds calls about to be throttled). */
  cap: number;
}

/**
 * Lambda's metrics for a function, as AWS defines them ("Types of metrics for Lambda functions"),
 * recorded at the service's `invoke()` boundary: `Invocations` (1 per invocation that ran, errors
 * included, throttles not), `Errors` (1 or 0 per invocation: handler errors, timeouts, runtime
 * failures), `Throttles` (1 per throttled request, 0 per accepted one), `Duration` (ms the code
 * ran) and `ConcurrentExecutions` (invocations in flight, sampled at each start, so `Maximum` is
 * the peak) by `FunctionName`. Wraps the service: the Lambda emulation itself is untouched.
 */
export function observeLambda(service: LambdaService, store: MetricStore): LambdaService {
  const byId = new Map<string, FunctionSeries>();
  /** The series of a function's spec (a new one after an update: memory and reservation may change). */
  const track = (spec: FunctionSpec) => {
    const dims = { FunctionName: spec.functionName };
    const series: FunctionSeries = {
      invocations: store.series(LAMBDA, 'Invocations', dims, 'Count'),
      errors: store.series(LAMBDA, 'Errors', dims, 'Count'),
      throttles: store.series(LAMBDA, 'Throttles', dims, 'Count'),
      duration: store.series(LAMBDA, 'Duration', dims, 'Milliseconds'),
      concurrent: store.series(LAMBDA, 'ConcurrentExecutions', dims, 'Count'),
      initDuration: store.series(LOCAL, 'InitDuration', dims, 'Milliseconds'),
      billedDuration: store.series(
        LOCAL,
        'BilledDuration',
        { ...dims, MemorySize: String(spec.memorySizeMB) },
        'Milliseconds',
      ),
      inFlight: 0,
      cap: spec.reservedConcurrency ?? Number.POSITIVE_INFINITY,
    };
    // Updated in place: calls in flight hold this object and count themselves out of it.
    const known = byId.get(spec.id);
    if (known) Object.assign(known, { ...series, inFlight: known.inFlight });
    else byId.set(spec.id, series);
  };
  return {
    register(spec: FunctionSpec) {
      service.register(spec);
      track(spec);
    },
    update(spec: FunctionSpec) {
      const changed = service.update(spec);
      if (changed) track(spec);
      return changed;
    },
    relocate: (spec) => service.relocate(spec),
    remove: (functionId) => service.remove(functionId),
    invoke(functionId: string, event: unknown, opts?: InvokeOptions): Promise<InvokeResult> {
      const fn = byId.get(functionId);
      if (!fn) return service.invoke(functionId, event, opts);
      fn.inFlight++;
      fn.concurrent.record(Math.min(fn.inFlight, fn.cap));
      return service.invoke(functionId, event, opts).then(
        (result) => {
          fn.inFlight--;
          const now = store.now();
          if (result.kind === 'throttled') {
            fn.throttles.record(1, now);
            return result;
          }
          fn.throttles.record(0, now);
          fn.invocations.record(1, now);
          fn.errors.record(result.kind === 'ok' ? 0 : 1, now);
          if (result.durationMs > 0 || result.kind === 'ok')
            fn.duration.record(result.durationMs, now);
          const init =
            result.kind === 'ok' && result.coldStart && result.initDurationMs !== undefined
              ? result.initDurationMs
              : 0;
          if (init > 0) fn.initDuration.record(init, now);
          fn.billedDuration.record(Math.ceil(result.durationMs) + Math.ceil(init), now);
          return result;
        },
        (error: unknown) => {
          fn.inFlight--;
          throw error;
        },
      );
    },
    stats: (functionId) => service.stats(functionId),
    checkInvariants: () => service.checkInvariants(),
    close: () => service.close(),
  };
}
