/**
 * The lines the Lambda service itself writes to a function's log stream, in AWS's exact format
 * (tab-separated fields), so that anything parsing CloudWatch output parses these too.
 */

export function startLine(requestId: string, version = '$LATEST'): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function initStartLine(runtime: string): string {
  return `INIT_START Runtime Version: ${runtime.replace(/\.x$/, '')}.local`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  initDurationMs?: number;
  /** Set when the invocation ended the environment: 'timeout' or 'error'. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function reportLine(f: ReportFields): string {
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.max(1, Math.ceil(f.durationMs))} ms\tMemory Size: ${f.memorySizeMB} MB\t` +
    `Max Memory Used: ${f.maxMemoryUsedMB} MB`;
  if (f.initDurationMs !== undefined) line += `\tInit Duration: ${f.initDurationMs.toFixed(2)} ms`;
  if (f.status) line += `\tStatus: ${f.status}`;
  if (f.errorType) line += `\tError Type: ${f.errorType}`;
  return line;
}

export function initReportLine(
  initDurationMs: number,
  status: 'error' | 'timeout',
  errorType?: string,
): string {
  let line = `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}`;
  if (errorType) line += `\tError Type: ${errorType}`;
  return line;
}

/** Written by the platform, not the function: `<ISO time> <requestId> Task timed out after 3.00 seconds`. */
export function timeoutLine(requestId: string, timeoutSeconds: number, now: number): string {
  return `${new Date(now).toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}
