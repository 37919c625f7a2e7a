import { readCloudAssembly, type LocalSystem } from '@sm/local-runtime';
import type { ArtilleryScenario } from './script';

/**
 * The API's p99 latency alarm threshold, from the stage's template (`AWS/ApiGateway` `Latency` p99 on
 * the API's name): what operations is told is too slow is what the run must stay under.
 */
export function apiLatencyP99Ms(
  assemblyDir: string,
  system: Pick<LocalSystem, 'apis'>,
  scenario: Pick<ArtilleryScenario, 'method' | 'resourcePath'>,
): number | undefined {
  const api = system.apis.find((candidate) =>
    candidate.methods.some(
      (m) => m.httpMethod === scenario.method && m.resourcePath === scenario.resourcePath,
    ),
  );
  if (!api) return undefined;
  const stack = readCloudAssembly(assemblyDir).find(
    (candidate) => candidate.stackName === api.stackName,
  );
  for (const resource of Object.values(stack?.template.Resources ?? {})) {
    const props = resource.Properties ?? {};
    const dimensions = (props['Dimensions'] ?? []) as { Name?: unknown; Value?: unknown }[];
    if (
      resource.Type === 'AWS::CloudWatch::Alarm' &&
      props['Namespace'] === 'AWS/ApiGateway' &&
      props['MetricName'] === 'Latency' &&
      props['ExtendedStatistic'] === 'p99' &&
      dimensions.some((d) => d.Name === 'ApiName' && d.Value === api.name) &&
      typeof props['Threshold'] === 'number'
    ) {
      return props['Threshold'];
    }
  }
  return undefined;
}
