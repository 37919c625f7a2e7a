import type { LocalSystem } from '../assembly';
import type { AlarmSpec } from '../assembly';
import { defaultLabel, type FunctionSpec } from '../lambda';
import type { CanaryPlan } from './canary';
import { canarySteps, shiftSteps } from './traffic-shift';

/** `--canary <fn>[=<percent>]` and where the previous build is. */
export interface CanaryOptions {
  /** The function: its bundle (`get-location`), its label (`location:get-location`), its name or its logical id without CDK's hash. */
  function: string;
  /**
   * The new version's share while the canary holds; without it the deployment group's own
   * configuration is replayed (e.g. 10 % for 5 minutes, or linear steps).
   */
  percent?: number;
  /** The cloud assembly of the previous build (`.local/assemblies/previous`, kept by the build step). */
  previousAssemblyDir: string;
}

/** What the runtime sets up for a canary: the previous build as version 1, and the plan. */
export interface CanarySetup {
  plan: CanaryPlan;
  /** The previous build's spec of the function, to publish as the old version. */
  previous: FunctionSpec;
}

const entryOf = (fn: FunctionSpec) =>
  fn.handler.slice(fn.handler.lastIndexOf('/') + 1).split('.')[0]!;

/** The one function a `--canary` name means; throws listing the candidates otherwise. */
export function findFunction(functions: readonly FunctionSpec[], name: string): FunctionSpec {
  // The logical id without CDK's 8-character hash (`Items` for `SmShop/Items8A2C3B4F`).
  const constructId = (fn: FunctionSpec) =>
    fn.id.slice(fn.id.lastIndexOf('/') + 1).replace(/[0-9A-F]{8}$/, '');
  const matches = functions.filter((fn) =>
    [fn.functionName, fn.id, fn.label ?? defaultLabel(fn), entryOf(fn), constructId(fn)].includes(
      name,
    ),
  );
  if (matches.length === 1) return matches[0]!;
  const names = functions.map((fn) => fn.label ?? defaultLabel(fn)).sort();
  throw new Error(
    matches.length === 0
      ? `--canary ${name}: no such function; name one of ${names.join(', ')}`
      : `--canary ${name}: ${matches.length} functions match (${matches.map((fn) => fn.id).join(', ')}); name it by label: ${names.join(', ')}`,
  );
}

/**
 * Plans a canary of `options.function`: this assembly's build (`current`, read with `versionBase`
 * 1, so it is version 2) against the previous assembly's build of the same function (version 1),
 * shifted as its alias's deployment group says (or by `options.percent`), watched by that group's
 * alarms. Without a deployment group, the alarms on the function's own metrics are watched.
 */
export function planCanary(
  current: LocalSystem,
  previous: LocalSystem,
  options: CanaryOptions,
  alarms: readonly AlarmSpec[],
): CanarySetup {
  const fn = findFunction(current.functions, options.function);
  const before = previous.functions.find((candidate) => candidate.id === fn.id);
  if (!before) {
    throw new Error(
      `--canary ${options.function}: the previous build (${options.previousAssemblyDir}) has no function ${fn.id}: a first deployment has nothing to shift from`,
    );
  }
  const aliases = current.lambdaVersions.aliases.filter((alias) => alias.functionId === fn.id);
  if (aliases.length !== 1) {
    throw new Error(
      `--canary ${options.function}: a traffic shift moves an alias, and ${fn.id} has ${aliases.length} (${aliases.map((a) => a.name).join(', ') || 'none'}); publish a version behind one alias (ServiceFunction's live)`,
    );
  }
  const alias = aliases[0]!;
  const group = alias.deployment?.group;
  const steps =
    options.percent === undefined
      ? shiftSteps(group?.deploymentConfigName ?? 'CodeDeployDefault.LambdaAllAtOnce')
      : canarySteps(options.percent, group?.deploymentConfigName);
  const functionAlarms = alarms.filter(
    (alarm) =>
      alarm.metric?.metric.namespace === 'AWS/Lambda' &&
      alarm.metric.metric.dimensions['FunctionName'] === fn.functionName,
  );
  const label = fn.label ?? defaultLabel(fn);
  return {
    plan: {
      functionId: fn.id,
      label,
      alias: alias.name,
      oldVersion: '1',
      newVersion: fn.version ?? '2',
      steps,
      // A group whose alarms are off (break glass) stops nothing, in AWS and here.
      alarmNames: group
        ? group.alarmsEnabled
          ? group.alarmNames
          : []
        : functionAlarms.map((alarm) => alarm.alarmName),
      alarmSource: group
        ? `deployment group ${group.name}${group.alarmsEnabled ? '' : ' (its alarm configuration is off: nothing stops the shift)'}`
        : 'the function’s own alarms (its alias has no CodeDeploy deployment group)',
      hooks: {
        before: alias.deployment?.beforeAllowTrafficHook,
        after: alias.deployment?.afterAllowTrafficHook,
      },
    },
    previous: { ...before, id: `${fn.id}@1`, version: '1', label: `${label} v1` },
  };
}
