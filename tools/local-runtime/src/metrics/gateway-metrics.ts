import type { ApiModel, MethodModel } from '../assembly';
import type { MetricStore, Series } from './metric-store';
import { API_GATEWAY } from './namespaces';

/** The series one dimension set of an API gets: what a request adds to. */
interface ApiSeries {
  count: Series;
  clientError: Series;
  serverError: Series;
  latency: Series;
  integrationLatency: Series;
}

/** The hook the gateway calls once per answered request. */
export interface GatewayObserver {
  /**
   * @param api the API that owns the route (or, for an unknown path, the closest one); none: nothing recorded
   * @param method the matched method; undefined for an unknown route
   * @param integrationLatencyMs time the integration (Lambda) took; undefined when none was called
   */
  requestDone(
    api: ApiModel | undefined,
    method: MethodModel | undefined,
    status: number,
    latencyMs: number,
    integrationLatencyMs: number | undefined,
  ): void;
}

/**
 * API Gateway's metrics for REST APIs, as AWS defines them ("Amazon API Gateway dimensions and
 * metrics"): per request `Count` 1, `4XXError` and `5XXError` 1 or 0 (so their Average is the
 * error rate), `Latency` (ms from receiving the request to answering it) and `IntegrationLatency`
 * (ms of the backend call), under the dimension sets `ApiName`, `ApiName`+`Stage`, and — when the
 * stage's MethodSettings enable detailed metrics (`MetricsEnabled`) — `ApiName`+`Method`+`Resource`+`Stage`.
 */
export function gatewayMetrics(store: MetricStore, apis: readonly ApiModel[]): GatewayObserver {
  const open = (dimensions: Record<string, string>): ApiSeries => ({
    count: store.series(API_GATEWAY, 'Count', dimensions, 'Count'),
    clientError: store.series(API_GATEWAY, '4XXError', dimensions, 'Count'),
    serverError: store.series(API_GATEWAY, '5XXError', dimensions, 'Count'),
    latency: store.series(API_GATEWAY, 'Latency', dimensions, 'Milliseconds'),
    integrationLatency: store.series(API_GATEWAY, 'IntegrationLatency', dimensions, 'Milliseconds'),
  });
  // Handles resolved once per API and method: a request only adds numbers.
  const perApi = new Map<ApiModel, ApiSeries[]>();
  const perMethod = new Map<MethodModel, ApiSeries>();
  for (const api of apis) {
    perApi.set(api, [
      open({ ApiName: api.name }),
      open({ ApiName: api.name, Stage: api.stageName }),
    ]);
    for (const method of api.methods) {
      if (!detailedMetricsEnabled(api, method)) continue;
      perMethod.set(
        method,
        open({
          ApiName: api.name,
          Method: method.httpMethod,
          Resource: method.resourcePath,
          Stage: api.stageName,
        }),
      );
    }
  }
  const add = (
    series: ApiSeries,
    status: number,
    latencyMs: number,
    integrationMs: number | undefined,
    now: number,
  ) => {
    series.count.record(1, now);
    series.clientError.record(status >= 400 && status < 500 ? 1 : 0, now);
    series.serverError.record(status >= 500 ? 1 : 0, now);
    series.latency.record(latencyMs, now);
    if (integrationMs !== undefined) series.integrationLatency.record(integrationMs, now);
  };
  return {
    requestDone(api, method, status, latencyMs, integrationMs) {
      if (!api) return;
      const now = store.now();
      for (const series of perApi.get(api) ?? [])
        add(series, status, latencyMs, integrationMs, now);
      const detailed = method ? perMethod.get(method) : undefined;
      if (detailed) add(detailed, status, latencyMs, integrationMs, now);
    },
  };
}

/** A method's `MetricsEnabled`: its own MethodSettings entry, else the stage's `/*\/*` default. */
function detailedMetricsEnabled(api: ApiModel, method: MethodModel): boolean {
  const flags = api.metricsEnabled;
  if (!flags) return false;
  return (
    flags.perMethod.get(`${method.resourcePath} ${method.httpMethod}`) ??
    flags.perMethod.get(`${method.resourcePath} *`) ??
    flags.stageDefault ??
    false
  );
}
