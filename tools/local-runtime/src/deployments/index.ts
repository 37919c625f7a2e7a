export { CanaryReplay, type CanaryPlan, type CanaryReplayDeps, type CanaryVerdict, type VersionCalls } from './canary';
export { findFunction, planCanary, type CanaryOptions, type CanarySetup } from './canary-setup';
export { canarySteps, shiftSteps, type ShiftStep } from './traffic-shift';
