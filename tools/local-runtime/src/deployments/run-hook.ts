import { randomUUID } from 'node:crypto';
import type { AliasRouter, InvokeResult } from '../lambda';
import type { HookOutcome } from './canary';
import type { DeployApis } from './deploy-apis';

/** How long a hook may take, here, to report after its invocation ended (it reports before it returns). */
const REPORT_GRACE_MS = 1_000;

const describe = (result: InvokeResult) =>
  result.kind === 'ok'
    ? 'it answered'
    : result.kind === 'error'
      ? `${result.errorType}: ${result.errorMessage}`
      : result.kind === 'timeout'
        ? 'it timed out'
        : `it was throttled (${result.reason})`;

/** The smoke hook's own account of its requests (libs/deploy-hooks answers `{ status, results }`). */
function summary(result: InvokeResult): string {
  if (result.kind !== 'ok') return describe(result);
  const results = (
    result.payload as { results?: { name?: string; ok?: boolean; detail?: string }[] } | null
  )?.results;
  if (!Array.isArray(results) || results.length === 0) return 'the hook gave no details';
  return results.map((r) => `${r.name}: ${r.ok ? 'ok' : 'FAILED'}, ${r.detail}`).join('; ');
}

/**
 * Runs a CodeDeploy lifecycle hook as CodeDeploy does for a Lambda deployment: invokes the hook
 * function with `{ DeploymentId, LifecycleEventHookExecutionId }` and takes the status it reports
 * through `PutLifecycleEventHookExecutionStatus` (the deploy APIs stand-in). A hook that ends
 * without reporting fails (CodeDeploy would wait an hour, then fail it).
 */
export async function runLifecycleHook(
  router: AliasRouter,
  apis: DeployApis,
  hookFunctionId: string,
  deploymentId: string,
): Promise<HookOutcome> {
  const executionId = randomUUID();
  const reported = apis.awaitReport(executionId);
  const { result } = await router.invokeQualified(hookFunctionId, {
    DeploymentId: deploymentId,
    LifecycleEventHookExecutionId: executionId,
  });
  const report = await Promise.race([
    reported,
    new Promise<undefined>((resolve) =>
      setTimeout(() => resolve(undefined), REPORT_GRACE_MS).unref(),
    ),
  ]);
  if (!report)
    return {
      status: 'Failed',
      detail: `the hook ended without reporting to CodeDeploy (${describe(result)})`,
    };
  return { status: report.status, detail: summary(result) };
}
