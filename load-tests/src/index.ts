export { methodLimits, type MethodLimits } from './limits';
export { runOpenModel, type OpenModelRun, type RunOutcome } from './open-model';
export { judge, type Expectation, type Verdict } from './verdict';
export { scenarios, seed, type Scenario, type ScenarioResult } from './scenarios';
export {
  apiRoutes,
  openTarget,
  type ApiRoutes,
  type OpenTargetOptions,
  type Target,
} from './target';
export {
  artilleryScript,
  renderScript,
  type ArtilleryScenario,
  type GeneratedScript,
  type ScriptInput,
} from './artillery/script';
export { artilleryScenarios } from './artillery/scenarios';
export { runOnArtillery, type ArtilleryContext, type ArtilleryResult } from './artillery/engine';
