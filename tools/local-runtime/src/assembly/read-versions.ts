import type { StackArtifact } from './cloud-assembly';
import { AssemblyError } from './errors';
import type { IntrinsicResolver, Location } from './intrinsics';

/** An `AWS::Lambda::Version`: a published snapshot of a function, numbered locally. */
export interface VersionSpec {
  /** `<stack>/<logicalId>`. */
  id: string;
  /** The function's spec id. */
  functionId: string;
  version: string;
}

/** An `AWS::CodeDeploy::DeploymentGroup` of a Lambda application: how an alias moves to a new version. */
export interface DeploymentGroupSpec {
  id: string;
  name: string;
  applicationName: string;
  /** `CodeDeployDefault.LambdaCanary10Percent5Minutes`, … */
  deploymentConfigName: string;
  /** The alarms that stop a deployment (by name), when `alarmsEnabled`. */
  alarmNames: string[];
  alarmsEnabled: boolean;
  /** `DEPLOYMENT_FAILURE`, `DEPLOYMENT_STOP_ON_ALARM`, … when automatic rollback is on. */
  autoRollbackEvents: string[];
}

/** An `AWS::Lambda::Alias`, and the CodeDeploy deployment group that moves it, if any. */
export interface AliasSpec {
  id: string;
  functionId: string;
  name: string;
  version: string;
  additionalVersionWeights: Record<string, number>;
  provisionedConcurrency: number;
  /** From the alias's `UpdatePolicy.CodeDeployLambdaAliasUpdate`. */
  deployment?: {
    group: DeploymentGroupSpec;
    /** Function ids of the pre- and post-traffic hooks. */
    beforeAllowTrafficHook?: string;
    afterAllowTrafficHook?: string;
  };
}

export interface LambdaVersions {
  versions: VersionSpec[];
  aliases: AliasSpec[];
  deploymentGroups: DeploymentGroupSpec[];
}

const FUNCTION_NAME = /:function:([^:]+)/;

/**
 * Reads the functions' versions, aliases and CodeDeploy deployment groups. A version or alias of a
 * function that does not run locally is left out with it; a deployment group an alias names must
 * exist, with the alarms it watches.
 */
export function readVersions(
  resolver: IntrinsicResolver,
  stacks: StackArtifact[],
  functionIdsByName: Map<string, string>,
): LambdaVersions {
  const functionIdOf = (
    stack: StackArtifact,
    logicalId: string,
    property: string,
    value: unknown,
  ): string | undefined => {
    const resolved = resolver.resolveString(value, { stack, resource: logicalId, property });
    return functionIdsByName.get(FUNCTION_NAME.exec(resolved)?.[1] ?? resolved);
  };
  const resources = (type: string) =>
    stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {})
        .filter(([, r]) => r.Type === type)
        .map(([logicalId, r]) => ({
          stack,
          logicalId,
          properties: r.Properties ?? {},
          updatePolicy: r.UpdatePolicy,
        })),
    );

  const versions: VersionSpec[] = [];
  for (const { stack, logicalId, properties } of resources('AWS::Lambda::Version')) {
    const functionId = functionIdOf(stack, logicalId, 'FunctionName', properties['FunctionName']);
    if (functionId)
      versions.push({
        id: `${stack.stackName}/${logicalId}`,
        functionId,
        version: resolver.versionNumber(stack, logicalId),
      });
  }

  const deploymentGroups: DeploymentGroupSpec[] = resources('AWS::CodeDeploy::DeploymentGroup').map(
    ({ stack, logicalId, properties }) => {
      const at = (property: string): Location => ({ stack, resource: logicalId, property });
      const alarms = (properties['AlarmConfiguration'] ?? {}) as {
        Enabled?: unknown;
        Alarms?: { Name?: unknown }[];
      };
      const rollback = (properties['AutoRollbackConfiguration'] ?? {}) as {
        Enabled?: unknown;
        Events?: unknown[];
      };
      return {
        id: `${stack.stackName}/${logicalId}`,
        name: resolver.physicalId(stack, logicalId),
        applicationName: resolver.resolveString(
          properties['ApplicationName'],
          at('ApplicationName'),
        ),
        deploymentConfigName: resolver.resolveString(
          properties['DeploymentConfigName'] ?? 'CodeDeployDefault.LambdaAllAtOnce',
          at('DeploymentConfigName'),
        ),
        alarmNames: (alarms.Alarms ?? []).map((alarm, i) =>
          resolver.resolveString(alarm.Name, at(`AlarmConfiguration.Alarms.${i}.Name`)),
        ),
        alarmsEnabled:
          resolver.resolve(alarms.Enabled ?? false, at('AlarmConfiguration.Enabled')) === true,
        autoRollbackEvents:
          resolver.resolve(rollback.Enabled ?? false, at('AutoRollbackConfiguration.Enabled')) ===
          true
            ? (rollback.Events ?? []).map((event, i) =>
                resolver.resolveString(event, at(`AutoRollbackConfiguration.Events.${i}`)),
              )
            : [],
      };
    },
  );

  const aliases: AliasSpec[] = [];
  for (const { stack, logicalId, properties, updatePolicy } of resources('AWS::Lambda::Alias')) {
    const at = (property: string): Location => ({ stack, resource: logicalId, property });
    const functionId = functionIdOf(stack, logicalId, 'FunctionName', properties['FunctionName']);
    if (!functionId) continue;
    const routing = (properties['RoutingConfig'] ?? {}) as {
      AdditionalVersionWeights?: { FunctionVersion: unknown; FunctionWeight: unknown }[];
    };
    const weights = Object.fromEntries(
      (routing.AdditionalVersionWeights ?? []).map((w, i) => [
        resolver.resolveString(
          w.FunctionVersion,
          at(`RoutingConfig.AdditionalVersionWeights.${i}.FunctionVersion`),
        ),
        Number(
          resolver.resolve(
            w.FunctionWeight,
            at(`RoutingConfig.AdditionalVersionWeights.${i}.FunctionWeight`),
          ),
        ),
      ]),
    );
    const provisioned = (properties['ProvisionedConcurrencyConfig'] ?? {}) as {
      ProvisionedConcurrentExecutions?: unknown;
    };
    const spec: AliasSpec = {
      id: `${stack.stackName}/${logicalId}`,
      functionId,
      name: resolver.resolveString(properties['Name'], at('Name')),
      version: resolver.resolveString(properties['FunctionVersion'], at('FunctionVersion')),
      additionalVersionWeights: weights,
      provisionedConcurrency: Number(
        resolver.resolve(
          provisioned.ProvisionedConcurrentExecutions ?? 0,
          at('ProvisionedConcurrencyConfig'),
        ),
      ),
    };
    const update = (updatePolicy?.['CodeDeployLambdaAliasUpdate'] ?? undefined) as
      Record<string, unknown> | undefined;
    if (update) {
      const groupName = resolver.resolveString(
        update['DeploymentGroupName'],
        at('UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName'),
      );
      const group = deploymentGroups.find((g) => g.name === groupName);
      if (!group)
        throw new AssemblyError(
          `stack ${stack.stackName}, resource ${logicalId}: its UpdatePolicy names deployment group ${groupName}, which is not in the assembly`,
        );
      const hook = (key: string) =>
        update[key] === undefined
          ? undefined
          : functionIdOf(
              stack,
              logicalId,
              `UpdatePolicy.CodeDeployLambdaAliasUpdate.${key}`,
              update[key],
            );
      spec.deployment = {
        group,
        beforeAllowTrafficHook: hook('BeforeAllowTrafficHook'),
        afterAllowTrafficHook: hook('AfterAllowTrafficHook'),
      };
    }
    aliases.push(spec);
  }
  return { versions, aliases, deploymentGroups };
}
