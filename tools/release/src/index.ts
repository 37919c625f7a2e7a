export {
  runBuildSpec,
  PHASES,
  type BuildSpec,
  type BuildResult,
  type CommandResult,
  type PhaseName,
  type RunBuildSpecOptions,
} from './codebuild/buildspec';
export {
  deployBuildSpec,
  GATE_REPORTS_DIR,
  loadGateBuildSpec,
  NPM_CACHE_PATH,
  stepCommand,
  STEPS_DIR,
  testBuildSpec,
  type StepName,
} from './pipeline/buildspecs';
export {
  installStandIns,
  readState,
  writeState,
  type InstalledStandIns,
  type StandInState,
} from './stand-ins/install';
export { changedParameters, DeployPlan, type ReleaseTopology } from './deploy/plan';
export {
  checkPipelineCommands,
  readWorkspace,
  type DeployTargets,
  type Workspace,
} from './pipeline/commands';
export { releaseTopology } from './deploy/topology';
export {
  readPipeline,
  LOCAL_PSEUDO_PARAMETERS,
  type PipelineAction,
} from './codepipeline/read-pipeline';
