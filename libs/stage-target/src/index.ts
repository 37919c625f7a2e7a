export { normalizeBaseUrl, urlBelow } from './base-url';
export { StageTargetError } from './errors';
export {
  chooseTarget,
  parseApiFlags,
  requireServices,
  TARGET_OPTIONS,
  TARGET_USAGE,
  type ServiceUrls,
  type TargetChoice,
  type TargetFlags,
} from './target-choice';
export {
  API_URL_OUTPUT,
  defaultAwsClients,
  resolveDeployedStage,
  type AwsClients,
  type ResolvedStage,
  type ResolveStageOptions,
  type StageStack,
} from './deployed-stage';
export {
  startAwsStandIn,
  STAND_IN_ACCESS_KEY_ID,
  type AwsStandIn,
  type AwsStandInCall,
  type AwsStandInState,
} from './aws-stand-in';
export { assemblyStage, resolveRemoteTarget, stageStacks, type RemoteTarget } from './remote-target';
