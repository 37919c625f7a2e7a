export {
  CanaryReplay,
  type CanaryPlan,
  type CanaryReplayDeps,
  type CanaryVerdict,
  type HookOutcome,
  type HookPhase,
  type VersionCalls,
} from './canary';
export { startDeployApis, type DeployApis, type HookReport } from './deploy-apis';
export { runLifecycleHook } from './run-hook';
export { findFunction, planCanary, type CanaryOptions, type CanarySetup } from './canary-setup';
export { canarySteps, shiftSteps, type ShiftStep } from './traffic-shift';
