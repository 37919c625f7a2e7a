import { randomBytes } from 'node:crypto';
import type { ResourceLimits } from 'node:worker_threads';
import type { FunctionSpec } from './types';

/** Lambda's configuration bounds; a spec outside them would be refused by CloudFormation too. */
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10240;
const MAX_TIMEOUT_SECONDS = 900;

/** Throws a message that names the function, the bad value and what is allowed. */
/**
 * Whether two specs describe the same code and configuration: then an update changes nothing and
 * the function keeps its warm environments. The code is compared by directory: a new bundle comes
 * in a new directory (a new asset), never rewritten in place under a running environment.
 */
export function sameSpec(a: FunctionSpec, b: FunctionSpec): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof FunctionSpec)[]);
  for (const key of keys) {
    if (key === 'environment') continue;
    if (a[key] !== b[key]) return false;
  }
  const [ea, eb] = [Object.entries(a.environment), b.environment];
  return ea.length === Object.keys(eb).length && ea.every(([name, value]) => eb[name] === value);
}

export function validateSpec(spec: FunctionSpec): void {
  const problems: string[] = [];
  if (!spec.id) problems.push('id is empty');
  if (!spec.runtime.startsWith('nodejs'))
    problems.push(`runtime '${spec.runtime}' is not a Node.js runtime`);
  if (!/^([^/]+\/)*[^/.]+\.[^/]+$/.test(spec.handler))
    problems.push(`handler '${spec.handler}' is not '<file>.<export>'`);
  if (
    !Number.isFinite(spec.timeoutSeconds) ||
    spec.timeoutSeconds <= 0 ||
    spec.timeoutSeconds > MAX_TIMEOUT_SECONDS
  ) {
    problems.push(`timeoutSeconds ${spec.timeoutSeconds} is not in (0, ${MAX_TIMEOUT_SECONDS}]`);
  }
  if (
    !Number.isInteger(spec.memorySizeMB) ||
    spec.memorySizeMB < MIN_MEMORY_MB ||
    spec.memorySizeMB > MAX_MEMORY_MB
  ) {
    problems.push(
      `memorySizeMB ${spec.memorySizeMB} is outside ${MIN_MEMORY_MB}..${MAX_MEMORY_MB}`,
    );
  }
  if (
    spec.reservedConcurrency !== undefined &&
    (!Number.isInteger(spec.reservedConcurrency) || spec.reservedConcurrency < 0)
  ) {
    problems.push(`reservedConcurrency ${spec.reservedConcurrency} is not a whole number ≥ 0`);
  }
  if (problems.length > 0)
    throw new Error(`Function ${spec.id || '(no id)'}: ${problems.join('; ')}`);
}

/**
 * Heap bounds from the configured memory, in the spirit of the Lambda Node.js runtime, which sizes
 * V8's semi-space and old space from AWS_LAMBDA_FUNCTION_MEMORY_SIZE: most of the memory for the
 * old generation, a small young generation, some left for code and buffers.
 */
export function resourceLimitsFor(memorySizeMB: number): ResourceLimits {
  const young = Math.min(64, Math.max(8, Math.round(memorySizeMB / 16)));
  return {
    maxYoungGenerationSizeMb: young,
    maxOldGenerationSizeMb: Math.max(32, Math.floor(memorySizeMB * 0.9) - young),
  };
}

export function functionArn(region: string, accountId: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
}

/** `2026/01/31/[$LATEST]<32 hex>` (or `[2]` for version 2), one per execution environment, as Lambda names them. */
export function newLogStreamName(now = new Date(), version = '$LATEST'): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** `[auth:create-user]`: stack without the project's `Sm` prefix, and the handler's file. */
export function defaultLabel(spec: Pick<FunctionSpec, 'id' | 'handler'>): string {
  const stack = spec.id.split('/')[0] ?? spec.id;
  // A stack inside a CDK Stage is named `<Stage>-<id>` (`Prod-SmAuth`): the label is the service's.
  const service = stack
    .replace(/^[A-Za-z0-9]+-(?=Sm[A-Z])/, '')
    .replace(/^Sm(?=[A-Z])/, '')
    .toLowerCase();
  const file = spec.handler.slice(spec.handler.lastIndexOf('/') + 1).split('.')[0];
  return `${service}:${file}`;
}

export interface LambdaIdentity {
  region: string;
  accountId: string;
}

/**
 * The worker's whole `process.env`: the function's variables plus those Lambda sets itself (which
 * win, as AWS reserves them). Nothing leaks from this process: a developer's real AWS profile or
 * credentials must never reach a local function.
 */
export function workerEnvironment(
  spec: FunctionSpec,
  identity: LambdaIdentity,
  logStreamName: string,
): Record<string, string> {
  return {
    ...spec.environment,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: identity.region,
    AWS_DEFAULT_REGION: identity.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMB),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version ?? '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: spec.codeDir,
    _HANDLER: spec.handler,
    // Session credentials that sign requests for the local endpoints and open nothing in AWS.
    AWS_ACCESS_KEY_ID: 'ASIALOCALRUNTIME0000',
    AWS_SECRET_ACCESS_KEY: 'local-runtime-secret-access-key',
    AWS_SESSION_TOKEN: 'local-runtime-session-token',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
  };
}

/** An X-Ray trace header as Lambda passes it in `_X_AMZN_TRACE_ID` (not sampled: no daemon). */
export function newTraceId(uuid: string, nowMs: number): string {
  const hex = uuid.replaceAll('-', '');
  const epoch = Math.floor(nowMs / 1000).toString(16);
  return `Root=1-${epoch}-${hex.slice(0, 24)};Parent=${hex.slice(16, 32)};Sampled=0`;
}
