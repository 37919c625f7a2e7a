import { loadTest } from 'loadtest';
import { Timeline } from './report/timeline';

/** One fixed-rate run: requests are sent on schedule whether or not earlier ones have answered. */
export interface OpenModelRun {
  url: string;
  method: 'GET' | 'PUT' | 'POST';
  headers?: Record<string, string>;
  /** JSON body; the literal `LOAD_INDEX` is replaced by a unique request index (0, 1, …). */
  body?: string;
  requestsPerSecond: number;
  seconds: number;
}

export interface RunOutcome {
  sent: number;
  statusCounts: Map<number, number>;
  /** Transport failures (connection refused, reset, timeout). */
  networkErrors: number;
  p50Ms: number;
  p99Ms: number;
  elapsedSeconds: number;
  /** Bodies of 2xx answers, parsed, for scenarios that verify what was acknowledged. */
  acknowledged: unknown[];
  /** Up to 20 bodies of non-2xx answers, with their content type, for problem+json checks. */
  rejections: { status: number; contentType: string; body: string }[];
  /** Statuses and latencies per second, for the report. */
  timeline?: Timeline;
}

interface LoadtestResult {
  statusCode?: number;
  /** ms from sending the request to its answer. */
  requestElapsed?: number;
  body?: string;
  headers?: Record<string, string | string[]>;
}

interface LoadtestSummary {
  totalRequests: number;
  percentiles: Record<string, number>;
  totalTimeSeconds?: number;
  elapsedSeconds?: number;
}

// loadtest 8 ships callback-era typings; this is the promise API it actually exports.
const runLoadTest = loadTest as unknown as (
  options: Record<string, unknown>,
) => Promise<LoadtestSummary>;

/** Runs one open-model load with loadtest and tallies every answer by status. */
export async function runOpenModel(run: OpenModelRun): Promise<RunOutcome> {
  const statusCounts = new Map<number, number>();
  const acknowledged: unknown[] = [];
  const rejections: RunOutcome['rejections'] = [];
  let networkErrors = 0;
  const timeline = new Timeline();
  const summary = await runLoadTest({
    url: run.url,
    method: run.method,
    headers: run.headers ?? {},
    body: run.body,
    contentType: run.body === undefined ? undefined : 'application/json',
    indexParamLiteral: run.body?.includes('LOAD_INDEX') ? 'LOAD_INDEX' : undefined,
    requestsPerSecond: run.requestsPerSecond,
    maxSeconds: run.seconds,
    timeout: 30_000,
    agentKeepAlive: true,
    quiet: true,
    statusCallback(error: unknown, result: LoadtestResult | undefined) {
      const status = result?.statusCode;
      if (status === undefined) {
        networkErrors += error ? 1 : 0;
        if (error) timeline.record('network-error', undefined);
        return;
      }
      timeline.record(status, result?.requestElapsed);
      statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300 && result?.body) {
        acknowledged.push(JSON.parse(result.body));
      } else if (status >= 300 && rejections.length < 20) {
        const contentType = headerValue(result?.headers, 'content-type');
        rejections.push({ status, contentType, body: result?.body ?? '' });
      }
    },
  });
  return {
    sent: summary.totalRequests,
    statusCounts,
    networkErrors,
    p50Ms: summary.percentiles['50'] ?? Number.NaN,
    p99Ms: summary.percentiles['99'] ?? Number.NaN,
    elapsedSeconds: summary.elapsedSeconds ?? summary.totalTimeSeconds ?? run.seconds,
    acknowledged,
    rejections,
    timeline,
  };
}

function headerValue(headers: LoadtestResult['headers'], name: string): string {
  if (!headers) return '';
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
