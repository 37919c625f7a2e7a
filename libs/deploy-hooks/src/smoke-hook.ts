import { runSmokeRequests, type InvokeAnswer, type SmokeResult } from './smoke-check';
import type { SmokeRequest } from './smoke-request';

/** The hook's configuration, in its function's environment (set by SafeDeployment in libs/infra). */
export const SMOKE_HOOK_ENVIRONMENT = {
  /** The new version's ARN (`…:function:<name>:<version>`): the only thing the hook invokes. */
  target: 'SMOKE_TARGET_VERSION_ARN',
  /** The smoke requests, as JSON (`SmokeRequest[]`). */
  requests: 'SMOKE_REQUESTS',
} as const;

/** The bundle the hook functions run, built by `npx nx run deploy-hooks:build`. */
export const SMOKE_HOOK_BUNDLE_FILE = 'smoke-hook.js';
/** Where that build writes it, from the workspace root. */
export const SMOKE_HOOK_BUNDLE_DIR = 'dist/libs/deploy-hooks';

/** What CodeDeploy invokes a lifecycle hook with. */
export interface LifecycleHookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** What the hook needs from AWS: invoking one version, and reporting the verdict to CodeDeploy. */
export interface SmokeHookPorts {
  invoke(versionArn: string, event: unknown): Promise<InvokeAnswer & { executedVersion?: string }>;
  report(event: LifecycleHookEvent, status: 'Succeeded' | 'Failed'): Promise<void>;
  environment: { readonly [name: string]: string | undefined };
  /** One JSON line per smoke request and one for the verdict (CloudWatch Logs). */
  log(line: Record<string, unknown>): void;
}

/** The configuration from the environment; throws naming what is missing or malformed. */
export function readSmokeHookConfig(environment: SmokeHookPorts['environment']): {
  target: string;
  requests: SmokeRequest[];
} {
  const target = environment[SMOKE_HOOK_ENVIRONMENT.target];
  if (!target || !/^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+:\d+$/.test(target)) {
    throw new Error(
      `${SMOKE_HOOK_ENVIRONMENT.target} must be the ARN of a published version (…:function:<name>:<number>), got ${JSON.stringify(target)}`,
    );
  }
  let requests: unknown;
  try {
    requests = JSON.parse(environment[SMOKE_HOOK_ENVIRONMENT.requests] ?? '');
  } catch {
    throw new Error(`${SMOKE_HOOK_ENVIRONMENT.requests} must be a JSON array of smoke requests`);
  }
  if (!Array.isArray(requests) || requests.length === 0)
    throw new Error(`${SMOKE_HOOK_ENVIRONMENT.requests} must hold at least one smoke request`);
  return { target, requests: requests as SmokeRequest[] };
}

/**
 * A CodeDeploy pre- or post-traffic hook for a Lambda deployment: sends every smoke request to the
 * new version (its ARN is in the environment; the alias is never involved) and reports
 * `Succeeded` only when every answer is one the request expects. It reports exactly once whatever
 * happens, `Failed` on any error, so CodeDeploy never waits for the hook's hour-long timeout; a
 * `Failed` stops the deployment and CodeDeploy moves the alias back.
 */
export function createSmokeHook(ports: SmokeHookPorts) {
  return async (
    event: LifecycleHookEvent,
  ): Promise<{ status: 'Succeeded' | 'Failed'; results: SmokeResult[] }> => {
    let status: 'Succeeded' | 'Failed' = 'Failed';
    let results: SmokeResult[] = [];
    try {
      const { target, requests } = readSmokeHookConfig(ports.environment);
      const version = target.slice(target.lastIndexOf(':') + 1);
      results = await runSmokeRequests(requests, async (payload) => {
        const answer = await ports.invoke(target, payload);
        if (answer.executedVersion !== undefined && answer.executedVersion !== version) {
          throw new Error(
            `version ${answer.executedVersion} answered, not the new version ${version}`,
          );
        }
        return answer;
      });
      for (const result of results)
        ports.log({ message: 'smoke request', deploymentId: event.DeploymentId, ...result });
      status = results.every((r) => r.ok) ? 'Succeeded' : 'Failed';
    } catch (error) {
      ports.log({
        level: 'ERROR',
        message: 'smoke hook failed',
        deploymentId: event.DeploymentId,
        error: (error as Error).message,
      });
    } finally {
      ports.log({
        message: 'smoke verdict',
        deploymentId: event.DeploymentId,
        status,
        passed: results.filter((r) => r.ok).length,
        failed: results.filter((r) => !r.ok).length,
      });
      await ports.report(event, status);
    }
    return { status, results };
  };
}
